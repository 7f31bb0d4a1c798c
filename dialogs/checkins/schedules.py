"""Check-ins: recurring, specific questions that let the partnership see itself change.

A schedule recurs in the collaborative's timezone. Each occurrence (a run) is
posted to every linked channel; members answer with buttons or privately in a
form until the window closes; then a summary is posted: participation by
organisation (only groups of three or more are counted), averages with the
change since the last check-in, text answers without names, and a trend chart.
"""

from __future__ import annotations

import secrets
import statistics
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from dialogs.checkins.recurrence import describe_rule, next_occurrence, parse_recurrence
from dialogs.collaborative import participation
from dialogs.commands.syntax import Command
from dialogs.commands.values import GrammarError
from dialogs.commands.when import describe, parse_when
from dialogs.core import effects, timers
from dialogs.core.cards import (
    Actions,
    ActorModel,
    Button,
    Card,
    Choice,
    ChoiceInput,
    Context,
    Divider,
    FieldItem,
    Fields,
    Form,
    Heading,
    Image,
    OpenForm,
    Text,
    TextInput,
)
from dialogs.core.turn import Refusal, Turn
from dialogs.purpose import rounds
from storage.models import (
    CheckinAnswer,
    CheckinRun,
    CheckinSchedule,
    Collaborative,
    Member,
    Timer,
)

DEFAULT_WINDOW = 24 * 3600
MAX_QUESTIONS = 5
MAX_QUESTION_LENGTH = 200
MAX_TEXT_ANSWER = 1000
SCALE = range(1, 6)
DEFAULT_QUESTIONS: list[dict[str, Any]] = [
    {
        "kind": "scale",
        "text": "How confident are you that partners will deliver what they "
        "agreed this month? (1 = not at all, 5 = completely)",
    },
    {
        "kind": "scale",
        "text": "How well did this week's joint work serve our shared purpose? "
        "(1 = not at all, 5 = very well)",
    },
    {"kind": "text", "text": "What one thing would help us work together better? (optional)"},
]


def message_key(run: CheckinRun) -> str:
    return f"checkin:{run.id}"


# Commands


def add(turn: Turn, command: Command) -> None:
    collaborative, member = turn.require_coordinator("schedule a check-in")
    zone = ZoneInfo(collaborative.timezone)
    text = command.args["recurrence"]
    rule = parse_recurrence(text, turn.now.astimezone(zone).date())
    window = command.flags.get("window", DEFAULT_WINDOW)
    first = next_occurrence(rule, collaborative.timezone, turn.now)
    second = next_occurrence(rule, collaborative.timezone, first.due_at)
    if timedelta(seconds=window) > second.due_at - first.due_at:
        raise Refusal(
            "Answers would still be open when the next check-in starts.",
            f"Use a `--window` shorter than the gap between check-ins ({describe_rule(rule)}).",
        )
    schedule = CheckinSchedule(
        collaborative_id=collaborative.id,
        number=_next_number(turn.session, collaborative),
        recurrence=text,
        rule=rule,
        timezone=collaborative.timezone,
        questions=DEFAULT_QUESTIONS,
        window_seconds=window,
        next_run_at=first.due_at,
        created_by=member.id,
        created_at=turn.now,
    )
    turn.session.add(schedule)
    turn.session.flush()
    turn.audit("checkin.add", f"scheduled check-in #{schedule.number}: {describe_rule(rule)}")
    turn.reply(
        Card(
            blocks=[
                Heading(text=f"Check-in #{schedule.number} scheduled"),
                Text(
                    text=f"{_sentence(describe_rule(rule))}, answers open for {_hours(window)}. "
                    f"The first is {describe(first.due_at, collaborative.timezone)}."
                ),
                *(Text(text=f"{i + 1}. {q['text']}") for i, q in enumerate(schedule.questions)),
                Actions(
                    elements=[
                        Button(label="Change the questions", action=f"form:checkin:{schedule.id}")
                    ]
                ),
            ],
            fallback=f"Check-in #{schedule.number} scheduled",
        )
    )


def list_schedules(turn: Turn) -> None:
    collaborative, _ = turn.in_collaborative()
    schedules = turn.session.exec(
        select(CheckinSchedule)
        .where(CheckinSchedule.collaborative_id == collaborative.id)
        .order_by(CheckinSchedule.number)
    ).all()
    if not schedules:
        turn.say(
            "No check-ins yet.",
            'A coordinator schedules one with `checkin add "every monday 09:00"`.',
        )
        return
    lines = []
    for s in schedules:
        when = (
            f"next {describe(s.next_run_at, collaborative.timezone)}"
            if s.status == "active" and s.next_run_at
            else s.status
        )
        lines.append(
            f"#{s.number} · {describe_rule(s.rule)} · {when} · "
            f"answers open {_hours(s.window_seconds)}"
        )
    turn.say(f"Check-ins in {collaborative.name}", *lines)


def stop(turn: Turn, number: int) -> None:
    collaborative, _ = turn.require_coordinator("stop a check-in")
    schedule = _schedule_by_number(turn.session, collaborative, number)
    if schedule.status != "active":
        raise Refusal(f"Check-in #{number} is already stopped.")
    schedule.status, schedule.next_run_at = "stopped", None
    turn.audit("checkin.stop", f"stopped check-in #{number}")
    turn.say(f"Check-in #{number} is stopped.", "Past answers and summaries are kept.")


def run_now(turn: Turn, number: int) -> None:
    collaborative, _ = turn.require_coordinator("start a check-in")
    schedule = _schedule_by_number(turn.session, collaborative, number)
    local = turn.now.astimezone(ZoneInfo(schedule.timezone))
    run = open_run(turn.session, turn.now, schedule, f"now-{local:%Y-%m-%dT%H:%M:%S}", turn.now)
    assert run is not None
    turn.audit("checkin.now", f"started check-in #{number} now")
    turn.say(
        f"Check-in #{number} is open now",
        f"Answers are taken until {describe(run.closes_at, schedule.timezone)}.",
    )


def skip(turn: Turn, command: Command) -> None:
    collaborative, _ = turn.require_coordinator("skip check-ins")
    day = _local_day(command.args["date"], turn.now, collaborative.timezone)
    schedules = turn.session.exec(
        select(CheckinSchedule).where(
            CheckinSchedule.collaborative_id == collaborative.id, CheckinSchedule.status == "active"
        )
    ).all()
    if not schedules:
        raise Refusal("There are no active check-ins to skip.")
    for schedule in schedules:
        schedule.skip_dates = sorted({*schedule.skip_dates, day.isoformat()})
    turn.audit("checkin.skip", f"skipped check-ins on {day:%a %d %b %Y}")
    turn.say(
        f"No check-ins on {day:%A %d %B %Y}.",
        f"{len(schedules)} check-in{'s' * (len(schedules) != 1)} will skip that day.",
    )


def _local_day(text: str, now: datetime, timezone: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parse_when(text, now, timezone).astimezone(ZoneInfo(timezone)).date()
    except GrammarError as error:
        raise Refusal(error.problem, "Write the day like 2026-12-25, friday or tomorrow.") from None


# The questions


def questions_form(
    schedule: CheckinSchedule, text: str | None = None, error: str | None = None
) -> Form:
    shown = (
        text
        if text is not None
        else "\n".join(
            q["text"] + (" (text)" if q["kind"] == "text" else "") for q in schedule.questions
        )
    )
    return Form(
        title=f"Questions of check-in #{schedule.number}",
        action=f"submit:checkin:{schedule.id}",
        submit_label="Save questions",
        error=error,
        inputs=[
            TextInput(
                name="questions",
                multiline=True,
                max_length=1200,
                value=shown,
                label="One question per line. People answer 1–5, except lines ending “(text)”, "
                "which take a written answer. Specific beats general.",
            )
        ],
    )


def open_questions_form(turn: Turn, schedule_id: int) -> None:
    collaborative, _ = turn.require_coordinator("change check-in questions")
    schedule = _schedule_by_id(turn.session, collaborative, schedule_id)
    turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=questions_form(schedule)))


def save_questions(turn: Turn, schedule_id: int, values: dict[str, Any]) -> None:
    collaborative, _ = turn.require_coordinator("change check-in questions")
    schedule = _schedule_by_id(turn.session, collaborative, schedule_id)
    text = values.get("questions") if isinstance(values.get("questions"), str) else ""
    try:
        schedule.questions = _parse_questions(text)
    except Refusal as problem:
        turn.replies.append(
            OpenForm(
                actor=ActorModel.of(turn.actor),
                form=questions_form(schedule, text, problem.problem),
            )
        )
        return
    turn.audit("checkin.questions", f"changed the questions of check-in #{schedule.number}")
    turn.say(
        f"Check-in #{schedule.number} will ask:",
        *(f"{i + 1}. {q['text']}" for i, q in enumerate(schedule.questions)),
    )


def _parse_questions(text: str) -> list[dict[str, Any]]:
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if not lines:
        raise Refusal("Give at least one question.")
    if len(lines) > MAX_QUESTIONS:
        raise Refusal(f"That is {len(lines)} questions; the most is {MAX_QUESTIONS}.")
    questions = []
    for line in lines:
        is_text = line.lower().endswith("(text)")
        wording = line[: -len("(text)")].strip() if is_text else line
        if not wording:
            raise Refusal("A question is empty.")
        if len(wording) > MAX_QUESTION_LENGTH:
            raise Refusal(
                f"A question is {len(wording)} characters; the most is {MAX_QUESTION_LENGTH}."
            )
        questions.append({"kind": "text" if is_text else "scale", "text": wording})
    return questions


# Occurrences


def open_run(
    session: Session, now: datetime, schedule: CheckinSchedule, key: str, due_at: datetime
) -> CheckinRun | None:
    """Open one occurrence; None if this occurrence was already opened (or missed)."""
    exists = session.exec(
        select(CheckinRun.id).where(
            CheckinRun.schedule_id == schedule.id, CheckinRun.occurrence_key == key
        )
    ).first()
    if exists is not None:
        return None
    collaborative = session.get(Collaborative, schedule.collaborative_id)
    assert collaborative is not None and schedule.id is not None
    run = CheckinRun(
        schedule_id=schedule.id,
        occurrence_key=key,
        due_at=due_at,
        opened_at=now,
        closes_at=now + timedelta(seconds=schedule.window_seconds),
        chart_token=secrets.token_urlsafe(24),
    )
    session.add(run)
    session.flush()
    assert run.id is not None and run.closes_at is not None
    timers.schedule(session, collaborative.id, timers.CHECKIN_CLOSE, run.id, "close", run.closes_at)
    effects.post_everywhere(
        session, now, collaborative, render_run(session, run, answered=0), key=message_key(run)
    )
    return run


def record_missed(
    session: Session,
    now: datetime,
    schedule: CheckinSchedule,
    key: str,
    due_at: datetime,
    status: str,
) -> None:
    """An occurrence that did not run: skipped on purpose, or missed while Concord was down."""
    if session.exec(
        select(CheckinRun.id).where(
            CheckinRun.schedule_id == schedule.id, CheckinRun.occurrence_key == key
        )
    ).first():
        return
    assert schedule.id is not None
    session.add(
        CheckinRun(schedule_id=schedule.id, occurrence_key=key, due_at=due_at, status=status)
    )
    if status == "missed":
        collaborative = session.get(Collaborative, schedule.collaborative_id)
        assert collaborative is not None
        effects.report_missed(
            session,
            now,
            collaborative,
            f"Check-in #{schedule.number} due {describe(due_at, schedule.timezone)}",
            f"Type `checkin now {schedule.number}` to run it now.",
        )


def render_run(session: Session, run: CheckinRun, answered: int | None = None) -> Card:
    """The check-in message; `answered` is counted unless the caller knows it (a new run: 0)."""
    schedule = session.get(CheckinSchedule, run.schedule_id)
    assert schedule is not None and run.closes_at is not None
    answered = _respondents(session, run) if answered is None else answered
    is_open = run.status == "open"
    blocks: list[Any] = [
        Heading(text=f"Check-in #{schedule.number}"),
        Context(
            text=(
                f"Answers open until {describe(run.closes_at, schedule.timezone)} · "
                if is_open
                else "Closed · "
            )
            + f"{answered} answered · summaries show no names"
        ),
    ]
    purpose = rounds.adopted_purpose(session, schedule.collaborative_id)
    if purpose and any("purpose" in q["text"].lower() for q in schedule.questions):
        # The questions ask about "our shared purpose": say which, in its agreed words.
        blocks.append(Context(text=f"Our shared purpose: “{purpose}”"))
    for index, question in enumerate(schedule.questions):
        blocks.append(Text(text=question["text"]))
        if is_open and question["kind"] == "scale":
            blocks.append(
                Actions(
                    elements=[
                        Button(label=str(v), action=f"answer:{run.id}:{index}:{v}") for v in SCALE
                    ]
                )
            )
    if is_open:
        blocks.append(
            Actions(
                elements=[
                    Button(
                        label="Answer privately",
                        style="primary",
                        action=f"form:checkin-answer:{run.id}",
                    )
                ]
            )
        )
    return Card(blocks=blocks, fallback=f"Check-in #{schedule.number}")


# Answers


def answer(turn: Turn, run_id: int, question: int, value: int) -> None:
    run, schedule, member = _answering(turn, run_id)
    if (
        not 0 <= question < len(schedule.questions)
        or schedule.questions[question]["kind"] != "scale"
    ):
        raise Refusal("That question isn't part of this check-in.")
    if value not in SCALE:
        raise Refusal("Answers go from 1 to 5.")
    _store(turn, run, member, question, value=value)
    effects.update_everywhere(turn.session, turn.now, turn.collaborative, message_key(run))
    turn.say(
        f"Thanks — you answered {value}.",
        f"You can change it until {describe(run.closes_at, schedule.timezone)}.",
    )


def open_answer_form(turn: Turn, run_id: int) -> None:
    run, schedule, member = _answering(turn, run_id)
    mine = {
        a.question: a
        for a in turn.session.exec(
            select(CheckinAnswer).where(
                CheckinAnswer.run_id == run.id, CheckinAnswer.member_id == member.id
            )
        ).all()
    }
    turn.replies.append(
        OpenForm(actor=ActorModel.of(turn.actor), form=answer_form(run, schedule, _values(mine)))
    )


def answer_form(
    run: CheckinRun, schedule: CheckinSchedule, values: dict[str, str], error: str | None = None
) -> Form:
    inputs: list[Any] = []
    for index, question in enumerate(schedule.questions):
        name = f"q{index}"
        if question["kind"] == "scale":
            inputs.append(
                ChoiceInput(
                    name=name,
                    label=question["text"],
                    value=[values[name]] if values.get(name) else [],
                    choices=[Choice(label=str(v), value=str(v)) for v in SCALE],
                )
            )
        else:
            inputs.append(
                TextInput(
                    name=name,
                    label=question["text"],
                    multiline=True,
                    optional=True,
                    max_length=MAX_TEXT_ANSWER,
                    value=values.get(name, ""),
                )
            )
    return Form(
        title=f"Check-in #{schedule.number}",
        action=f"submit:checkin-answer:{run.id}",
        submit_label="Send answers",
        inputs=inputs,
        error=error,
    )


def submit_answers(turn: Turn, run_id: int, form_values: dict[str, Any]) -> None:
    run, schedule, member = _answering(turn, run_id)
    values = {k: (v[0] if isinstance(v, list) and v else v) for k, v in form_values.items()}
    values = {k: v.strip() for k, v in values.items() if isinstance(v, str)}
    try:
        parsed = _parse_answers(schedule, values)
    except Refusal as problem:
        turn.replies.append(
            OpenForm(
                actor=ActorModel.of(turn.actor),
                form=answer_form(run, schedule, values, problem.problem),
            )
        )
        return
    for question, (value, text) in parsed.items():
        _store(turn, run, member, question, value=value, text=text)
    effects.update_everywhere(turn.session, turn.now, turn.collaborative, message_key(run))
    turn.say(
        "Thanks — your answers are in.",
        f"You can change them until {describe(run.closes_at, schedule.timezone)}.",
    )


def _parse_answers(schedule: CheckinSchedule, values: dict[str, str]) -> dict[int, tuple]:
    parsed: dict[int, tuple] = {}
    for index, question in enumerate(schedule.questions):
        given = values.get(f"q{index}", "")
        if not given:
            continue
        if question["kind"] == "scale":
            if given not in {str(v) for v in SCALE}:
                raise Refusal(f"Answer “{question['text'][:60]}” from 1 to 5.")
            parsed[index] = (int(given), None)
        else:
            if len(given) > MAX_TEXT_ANSWER:
                raise Refusal(
                    f"A written answer is {len(given):,} characters; the most is "
                    f"{MAX_TEXT_ANSWER:,}."
                )
            parsed[index] = (None, given)
    if not parsed:
        raise Refusal("Answer at least one question.")
    return parsed


def _values(answers: dict[int, CheckinAnswer]) -> dict[str, str]:
    return {
        f"q{q}": str(a.value) if a.value is not None else (a.text or "") for q, a in answers.items()
    }


def _answering(turn: Turn, run_id: int) -> tuple[CheckinRun, CheckinSchedule, Member]:
    collaborative, member = turn.in_collaborative()
    run = turn.session.get(CheckinRun, run_id)
    schedule = turn.session.get(CheckinSchedule, run.schedule_id) if run else None
    if run is None or schedule is None or schedule.collaborative_id != collaborative.id:
        raise Refusal("That check-in isn't part of this channel's collaborative.")
    if run.status != "open" or (run.closes_at and turn.now >= run.closes_at):
        raise Refusal(f"Check-in #{schedule.number} has closed; its summary is in the channel.")
    if member.role == "observer":
        raise Refusal("Observers see check-ins but do not answer.")
    return run, schedule, member


def _store(
    turn: Turn,
    run: CheckinRun,
    member: Member,
    question: int,
    *,
    value: int | None = None,
    text: str | None = None,
) -> None:
    existing = turn.session.exec(
        select(CheckinAnswer).where(
            CheckinAnswer.run_id == run.id,
            CheckinAnswer.member_id == member.id,
            CheckinAnswer.question == question,
        )
    ).first()
    if existing is None:
        assert run.id is not None and member.id is not None
        existing = CheckinAnswer(
            run_id=run.id, member_id=member.id, question=question, answered_at=turn.now
        )
        turn.session.add(existing)
    existing.value, existing.text = value, text
    existing.organisation_id = member.organisation_id
    existing.answered_at = turn.now
    turn.session.flush()


# Closing and the summary


def close_run(session: Session, now: datetime, timer: Timer) -> None:
    run = session.get(CheckinRun, timer.subject_id)
    if run is None or run.status != "open":
        return
    schedule = session.get(CheckinSchedule, run.schedule_id)
    assert schedule is not None
    collaborative = session.get(Collaborative, schedule.collaborative_id)
    assert collaborative is not None
    run.status, run.closed_at = "closed", now
    session.flush()
    effects.update_everywhere(session, now, collaborative, message_key(run))
    effects.post_everywhere(session, now, collaborative, summary_card(session, run, schedule))


def averages(session: Session, run: CheckinRun, schedule: CheckinSchedule) -> dict[int, float]:
    """Mean answer per scale question (only questions someone answered)."""
    out: dict[int, float] = {}
    for index, question in enumerate(schedule.questions):
        if question["kind"] != "scale":
            continue
        values = session.exec(
            select(CheckinAnswer.value).where(
                CheckinAnswer.run_id == run.id,
                CheckinAnswer.question == index,
                CheckinAnswer.value.is_not(None),
            )
        ).all()  # type: ignore[union-attr]
        if values:
            out[index] = round(statistics.fmean(values), 1)
    return out


def summary_card(session: Session, run: CheckinRun, schedule: CheckinSchedule) -> Card:
    previous = session.exec(
        select(CheckinRun)
        .where(
            CheckinRun.schedule_id == schedule.id,
            CheckinRun.status == "closed",
            CheckinRun.id != run.id,
            CheckinRun.due_at < run.due_at,
        )
        .order_by(CheckinRun.due_at.desc())  # type: ignore[attr-defined]
    ).first()
    now_avg = averages(session, run, schedule)
    before = averages(session, previous, schedule) if previous else {}
    blocks: list[Any] = [
        Heading(text=f"Check-in #{schedule.number}: the summary"),
        Context(
            text=f"{_respondents(session, run)} answered · "
            f"{describe(run.due_at, schedule.timezone)}"
        ),
        Fields(items=_participation(session, run, schedule)),
        Divider(),
    ]
    for index, question in enumerate(schedule.questions):
        blocks.append(Text(text=question["text"]))
        if question["kind"] == "scale":
            blocks.append(Context(text=_average_line(now_avg.get(index), before.get(index))))
        else:
            texts = sorted(
                session.exec(
                    select(CheckinAnswer.text).where(
                        CheckinAnswer.run_id == run.id,
                        CheckinAnswer.question == index,
                        CheckinAnswer.text.is_not(None),
                    )
                ).all()
            )  # type: ignore[union-attr]
            blocks.extend(Text(text=f"“{t}”") for t in texts)
            if not texts:
                blocks.append(Context(text="No written answers."))
    if now_avg:
        # A path on our own server: each renderer makes it absolute for its platform.
        blocks.append(
            Image(
                url=f"/charts/{run.chart_token}.png",
                alt=f"Trend of the check-in #{schedule.number} averages",
            )
        )
    return Card(blocks=blocks, fallback=f"Check-in #{schedule.number}: the summary")


def _average_line(now: float | None, before: float | None) -> str:
    if now is None:
        return "No answers."
    if before is None:
        return f"Average {now:.1f} of 5 (the first check-in to compare against)."
    change = now - before
    trend = (
        "no change" if abs(change) < 0.05 else f"{'up' if change > 0 else 'down'} {abs(change):.1f}"
    )
    return f"Average {now:.1f} of 5 — {trend} since the last check-in ({before:.1f})."


def _participation(session: Session, run: CheckinRun, schedule: CheckinSchedule) -> list[FieldItem]:
    """Who answered, by organisation; a group under three shows no count (it could name people)."""
    rows = session.exec(
        select(CheckinAnswer.organisation_id, func.count(func.distinct(CheckinAnswer.member_id)))
        .where(CheckinAnswer.run_id == run.id)
        .group_by(CheckinAnswer.organisation_id)
    ).all()
    return participation.by_organisation(session, schedule.collaborative_id, dict(rows))


def _respondents(session: Session, run: CheckinRun) -> int:
    return session.exec(
        select(func.count(func.distinct(CheckinAnswer.member_id))).where(
            CheckinAnswer.run_id == run.id
        )
    ).one()


def trend(
    session: Session, token: str, limit: int = 12
) -> tuple[list[str], dict[str, list]] | None:
    """The chart's data: for the run with `token`, averages of the last `limit` closed runs."""
    run = session.exec(select(CheckinRun).where(CheckinRun.chart_token == token)).first()
    if run is None:
        return None
    schedule = session.get(CheckinSchedule, run.schedule_id)
    assert schedule is not None
    runs = list(
        reversed(
            session.exec(
                select(CheckinRun)
                .where(
                    CheckinRun.schedule_id == schedule.id,
                    CheckinRun.status == "closed",
                    CheckinRun.due_at <= run.due_at,
                )
                .order_by(CheckinRun.due_at.desc())
                .limit(limit)  # type: ignore[attr-defined]
            ).all()
        )
    )
    zone = ZoneInfo(schedule.timezone)
    labels = [f"{r.due_at.astimezone(zone):%d %b}" for r in runs]
    series: dict[str, list] = {}
    for index, question in enumerate(schedule.questions):
        if question["kind"] == "scale":
            series[question["text"]] = [averages(session, r, schedule).get(index) for r in runs]
    return labels, series


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
            f"There is no check-in #{number} here.", "Type `checkin list` to see the check-ins."
        )
    return schedule


def _schedule_by_id(
    session: Session, collaborative: Collaborative, schedule_id: int
) -> CheckinSchedule:
    schedule = session.get(CheckinSchedule, schedule_id)
    if schedule is None or schedule.collaborative_id != collaborative.id:
        raise Refusal("That check-in isn't part of this channel's collaborative.")
    return schedule


def _next_number(session: Session, collaborative: Collaborative) -> int:
    return (
        session.exec(
            select(func.coalesce(func.max(CheckinSchedule.number), 0)).where(
                CheckinSchedule.collaborative_id == collaborative.id
            )
        ).one()
        + 1
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _hours(seconds: int) -> str:
    hours = seconds / 3600
    if hours >= 48 and hours % 24 == 0:
        return f"{int(hours // 24)} days"
    return f"{hours:g} hours" if hours != 1 else "1 hour"


def run_for_key(session: Session, key: str) -> CheckinRun | None:
    kind, _, ident = key.partition(":")
    return session.get(CheckinRun, int(ident)) if kind == "checkin" and ident.isdigit() else None
