"""Check-ins: recurring, specific questions that let the partnership see itself change.

A schedule recurs in the collaborative's timezone. Each occurrence (a run) is
posted to every linked channel; members answer with buttons or privately in a
form until the window closes; then a summary is posted: participation by
organisation (only groups of three or more are counted), averages with the
change since the last check-in, text answers without names, and a trend chart.

This module holds the schedules themselves: `checkin add|list|stop|now|skip` and the form
that changes a schedule's questions (which comes back with the question coach's findings
until they are changed or saved as written). Runs, answers and the summary have their own
modules.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlmodel import Session, select

from dialogs.checkins import own_time
from dialogs.checkins.runs import open_run
from dialogs.commands.recurrence import describe_rule, next_occurrence, parse_recurrence
from dialogs.commands.syntax import Command
from dialogs.commands.values import GrammarError
from dialogs.commands.when import moment, parse_when
from dialogs.core import bilingual
from dialogs.core.actions import FormKind, RequestForm, SubmitForm
from dialogs.core.cards import (
    Actions,
    ActorModel,
    Button,
    Card,
    Form,
    Heading,
    OpenForm,
    Text,
    TextInput,
)
from dialogs.core.language import N_, _, babel_locale, ngettext
from dialogs.core.turn import Refusal, Turn
from dialogs.polls import coaching
from dialogs.polls.poll_form import with_findings
from storage.models import CheckinSchedule, Collaborative
from storage.numbering import next_number

SAVE_ANYWAY = N_("Save the questions as written")
DEFAULT_WINDOW = 24 * 3600
MAX_QUESTIONS = 5
MAX_QUESTION_LENGTH = 200
DEFAULT_QUESTIONS: list[dict[str, Any]] = [
    {
        "kind": "scale",
        "text": N_(
            "How confident are you that partners will deliver what they "
            "agreed this month? (1 = not at all, 5 = completely)"
        ),
    },
    {
        "kind": "scale",
        "text": N_(
            "How well did this week's joint work serve our shared purpose? "
            "(1 = not at all, 5 = very well)"
        ),
    },
    {"kind": "text", "text": N_("What one thing would help us work together better? (optional)")},
]  # Concord's own wording, kept in the collaborative's language: its channels ask them
LONG_DAY = "EEEE dd MMMM y"  # i18n: not for readers (Babel's pattern: Friday 25 December 2026)
_STATUS = {"active": N_("active"), "stopped": N_("stopped")}


# Commands


def add(turn: Turn, command: Command) -> None:
    collaborative, member = turn.require_coordinator(N_("schedule a check-in"))
    zone = ZoneInfo(collaborative.timezone)
    text = command.args["recurrence"]
    rule = parse_recurrence(text, turn.now.astimezone(zone).date())
    window = command.flags.get("window", DEFAULT_WINDOW)
    first = next_occurrence(rule, collaborative.timezone, turn.now)
    second = next_occurrence(rule, collaborative.timezone, first.due_at)
    if timedelta(seconds=window) > second.due_at - first.due_at:
        raise Refusal(
            _("Answers would still be open when the next check-in starts."),
            _("Use a `--window` shorter than the gap between check-ins ({rule}).").format(
                rule=describe_rule(rule)
            ),
        )
    own = bool(command.flags.get("each-in-own-timezone"))
    schedule = CheckinSchedule(
        collaborative_id=collaborative.id,
        number=next_number(turn.session, collaborative.id or 0, CheckinSchedule),
        recurrence=text,
        rule=rule,
        timezone=collaborative.timezone,
        questions=[{**q, "text": _shared(collaborative, q["text"])} for q in DEFAULT_QUESTIONS],
        window_seconds=window,
        next_run_at=own_time.opening(rule, first) if own else first.due_at,
        each_in_own_timezone=own,
        created_by=member.id,
        created_at=turn.now,
    )
    turn.session.add(schedule)
    turn.session.flush()
    turn.audit(
        "checkin.add",
        lambda: (
            _("scheduled check-in #{number}: {rule}, each member in their own time zone")
            if own
            else _("scheduled check-in #{number}: {rule}")
        ).format(number=schedule.number, rule=describe_rule(rule)),
    )
    turn.reply(_scheduled_card(schedule, first.due_at))


def _shared(collaborative: Collaborative, question: str) -> str:
    return bilingual.shared_text(collaborative, lambda: _(question))


def _scheduled_card(schedule: CheckinSchedule, first: datetime) -> Card:
    rule, window = schedule.rule, schedule.window_seconds
    lines = [
        _("{rule}, answers open for {window}. The first is {time}.").format(
            rule=_sentence(describe_rule(rule)),
            window=_hours(window),
            time=moment(first, schedule.timezone),
        )
    ]
    if schedule.each_in_own_timezone:
        wall = f"{rule['hour']:02}:{rule['minute']:02}"
        lines.append(
            _(
                "Each member gets it privately at {wall} in their own time zone (at {wall} "
                "{timezone} if Concord doesn't know theirs). The summary is posted here "
                "once the last time zone's answers have closed."
            ).format(wall=wall, timezone=schedule.timezone)
        )
    scheduled = _("Check-in #{number} scheduled").format(number=schedule.number)
    return Card(
        blocks=[
            Heading(text=scheduled),
            *(Text(text=line) for line in lines),
            *(Text(text=f"{i + 1}. {q['text']}") for i, q in enumerate(schedule.questions)),
            Actions(
                elements=[
                    Button(
                        label=_("Change the questions"),
                        action=RequestForm(FormKind.CHECKIN, schedule.id).encode(),
                        spoken=_("Change the questions of check-in #{number}").format(
                            number=schedule.number
                        ),
                    )
                ]
            ),
        ],
        fallback=scheduled,
    )


def list_schedules(turn: Turn, command: Command) -> None:
    collaborative, __ = turn.in_collaborative()
    schedules = turn.session.exec(
        select(CheckinSchedule)
        .where(CheckinSchedule.collaborative_id == collaborative.id)
        .order_by(CheckinSchedule.number)
    ).all()
    if not schedules:
        turn.say(
            _("No check-ins yet."),
            _('A coordinator schedules one with `checkin add "every monday 09:00"`.'),
        )
        return
    lines = []
    for s in schedules:
        when = _(_STATUS.get(s.status, s.status))
        if s.status == "active" and s.next_run_at:
            due = own_time.next_in_collaborative(s) if s.each_in_own_timezone else s.next_run_at
            when = _("next {time}").format(time=moment(due, collaborative.timezone))
        line = (
            _(
                "#{number} · {rule} · privately, each member in their own time zone · {when} · "
                "answers open {window}"
            )
            if s.each_in_own_timezone
            else _("#{number} · {rule} · {when} · answers open {window}")
        )
        lines.append(
            line.format(
                number=s.number,
                rule=describe_rule(s.rule),
                when=when,
                window=_hours(s.window_seconds),
            )
        )
    turn.say(_("Check-ins in {name}").format(name=collaborative.name), *lines)


def stop(turn: Turn, command: Command) -> None:
    number: int = command.args["id"]
    collaborative, __ = turn.require_coordinator(N_("stop a check-in"))
    schedule = _schedule_by_number(turn.session, collaborative, number)
    if schedule.status != "active":
        raise Refusal(_("Check-in #{number} is already stopped.").format(number=number))
    schedule.status, schedule.next_run_at = "stopped", None
    turn.audit("checkin.stop", lambda: _("stopped check-in #{number}").format(number=number))
    turn.say(
        _("Check-in #{number} is stopped.").format(number=number),
        _("Past answers and summaries are kept."),
    )


def run_now(turn: Turn, command: Command) -> None:
    number: int = command.args["id"]
    collaborative, __ = turn.require_coordinator(N_("start a check-in"))
    schedule = _schedule_by_number(turn.session, collaborative, number)
    local = turn.now.astimezone(ZoneInfo(schedule.timezone))
    run = open_run(turn.session, turn.now, schedule, f"now-{local:%Y-%m-%dT%H:%M:%S}", turn.now)
    assert run is not None
    turn.audit("checkin.now", lambda: _("started check-in #{number} now").format(number=number))
    turn.say(
        _("Check-in #{number} is open now").format(number=number),
        _("Answers are taken until {time}.").format(time=moment(run.closes_at, schedule.timezone)),
    )


def skip(turn: Turn, command: Command) -> None:
    collaborative, __ = turn.require_coordinator(N_("skip check-ins"))
    day = _local_day(command.args["date"], turn.now, collaborative.timezone)
    schedules = turn.session.exec(
        select(CheckinSchedule).where(
            CheckinSchedule.collaborative_id == collaborative.id, CheckinSchedule.status == "active"
        )
    ).all()
    if not schedules:
        raise Refusal(_("There are no active check-ins to skip."))
    for schedule in schedules:
        schedule.skip_dates = sorted({*schedule.skip_dates, day.isoformat()})
    turn.audit(
        "checkin.skip", lambda: _("skipped check-ins on {day}").format(day=f"{day:%a %d %b %Y}")
    )
    count = len(schedules)
    turn.say(
        _("No check-ins on {day}.").format(day=format_date(day, LONG_DAY, locale=babel_locale())),
        ngettext(
            "{count} check-in will skip that day.", "{count} check-ins will skip that day.", count
        ).format(count=count),
    )


def _local_day(text: str, now: datetime, timezone: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parse_when(text, now, timezone).astimezone(ZoneInfo(timezone)).date()
    except GrammarError as error:
        raise Refusal(
            error.problem, _("Write the day like 2026-12-25, friday or tomorrow.")
        ) from None


# The questions


def questions_form(
    schedule: CheckinSchedule, text: str | None = None, error: str | None = None
) -> Form:
    """The form holding the schedule's questions, or `text` as typed when it comes back."""
    shown = (
        text
        if text is not None
        else "\n".join(
            q["text"] + (" (text)" if q["kind"] == "text" else "") for q in schedule.questions
        )
    )
    return Form(
        title=_("Questions of check-in #{number}").format(number=schedule.number),
        action=SubmitForm(FormKind.CHECKIN, schedule.id).encode(),
        submit_label=_("Save questions"),
        error=error,
        inputs=[
            TextInput(
                name="questions",
                multiline=True,
                max_length=1200,
                value=shown,
                label=_(
                    "One question per line. People answer 1–5, except lines ending “(text)”, "
                    "which take a written answer. Specific beats general."
                ),
            )
        ],
    )


def open_questions_form(turn: Turn, schedule_id: int) -> None:
    collaborative, __ = turn.require_coordinator(N_("change check-in questions"))
    schedule = _schedule_by_id(turn.session, collaborative, schedule_id)
    turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=questions_form(schedule)))


def save_questions(turn: Turn, schedule_id: int, values: dict[str, Any]) -> None:
    collaborative, __ = turn.require_coordinator(N_("change check-in questions"))
    schedule = _schedule_by_id(turn.session, collaborative, schedule_id)
    text = values.get("questions") if isinstance(values.get("questions"), str) else ""
    try:
        questions = _parse_questions(text)
    except Refusal as problem:
        form = questions_form(schedule, text, problem.problem)
    else:
        notes = coaching.open_question_notes(values, [q["text"] for q in questions])
        saving = _(SAVE_ANYWAY)
        form = with_findings(questions_form(schedule, text), notes, saving) if notes else None
    if form is not None:
        turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))
        return
    schedule.questions = questions
    turn.audit(
        "checkin.questions",
        lambda: _("changed the questions of check-in #{number}").format(number=schedule.number),
    )
    turn.say(
        _("Check-in #{number} will ask:").format(number=schedule.number),
        *(f"{i + 1}. {q['text']}" for i, q in enumerate(schedule.questions)),
    )


def _parse_questions(text: str) -> list[dict[str, Any]]:
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if not lines:
        raise Refusal(_("Give at least one question."))
    if len(lines) > MAX_QUESTIONS:
        raise Refusal(
            _("That is {count} questions; the most is {most}.").format(
                count=len(lines), most=MAX_QUESTIONS
            )
        )
    questions = []
    for line in lines:
        is_text = line.lower().endswith("(text)")
        wording = line[: -len("(text)")].strip() if is_text else line
        if not wording:
            raise Refusal(_("A question is empty."))
        if len(wording) > MAX_QUESTION_LENGTH:
            raise Refusal(
                _("A question is {length} characters; the most is {most}.").format(
                    length=len(wording), most=MAX_QUESTION_LENGTH
                )
            )
        questions.append({"kind": "text" if is_text else "scale", "text": wording})
    return questions


def _schedule_by_number(
    session: Session, collaborative: Collaborative, number: int
) -> CheckinSchedule:
    schedule = session.exec(
        select(CheckinSchedule).where(
            CheckinSchedule.collaborative_id == collaborative.id, CheckinSchedule.number == number
        )
    ).first()
    if schedule is None:
        raise Refusal(
            _("There is no check-in #{number} here.").format(number=number),
            _("Type `checkin list` to see the check-ins."),
        )
    return schedule


def _schedule_by_id(
    session: Session, collaborative: Collaborative, schedule_id: int
) -> CheckinSchedule:
    schedule = session.get(CheckinSchedule, schedule_id)
    if schedule is None or schedule.collaborative_id != collaborative.id:
        raise Refusal(_("That check-in isn't part of this channel's collaborative."))
    return schedule


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _hours(seconds: int) -> str:
    """A window as people say it: minutes under an hour, days for whole days past two."""
    if seconds < 3600:
        minutes = max(1, round(seconds / 60))
        return ngettext("{count} minute", "{count} minutes", minutes).format(count=minutes)
    hours = seconds / 3600
    if hours >= 48 and hours % 24 == 0:
        days = int(hours // 24)
        return ngettext("{count} day", "{count} days", days).format(count=days)
    counted = int(hours) if hours == int(hours) else 100  # a fraction reads as plural
    return ngettext("{count} hour", "{count} hours", counted).format(count=f"{hours:g}")
