"""Recurring polls: `poll "Q?" "A" "B" --every "first monday of the month 09:00"
[--closes-after 3d]` keeps the checked definition as a series, and each occurrence posts a
fresh poll through the normal creation path (`dialogs.polls.setup.create_poll`), with its
own number, tally and export.

The recurrence grammar and its clock-change rules are the check-ins'
(`dialogs.commands.recurrence`); what a due occurrence becomes (posted, or missed while
Concord was down and reported to coordinators instead of posted late) is decided by
`dialogs.commands.occurrences`, once per occurrence under the run table's unique key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from dialogs.commands import occurrences
from dialogs.commands.occurrences import next_or_status
from dialogs.commands.recurrence import (
    Occurrence,
    describe_rule,
    next_occurrence,
    parse_recurrence,
)
from dialogs.commands.syntax import Command
from dialogs.commands.values import parse_count
from dialogs.commands.when import describe, moment
from dialogs.core import effects
from dialogs.core.language import N_, _, ngettext
from dialogs.core.timers import TickReport
from dialogs.core.turn import Refusal, Turn
from dialogs.polls.setup import PollSpec, create_poll
from storage.models import Collaborative, Member, Poll, PollSeries, PollSeriesRun
from storage.numbering import next_number

# The shortest gap between postings is looked for among this many: enough for a month's
# 28 days to show among its 35, and for "every monday and tuesday"'s one day among six.
GAP_SAMPLE = 12


@dataclass(frozen=True)
class Plan:
    """A series' timing as typed, checked: the rule, its first occurrence, each poll's span."""

    text: str
    rule: dict[str, Any]
    first: Occurrence
    closes_after: int | None
    now: datetime

    @property
    def first_closes_at(self) -> datetime | None:
        """The first poll's deadline, so the spec's timing rules check what each poll gets."""
        if self.closes_after is None:
            return None
        return self.first.due_at + timedelta(seconds=self.closes_after)

    def moved(self, moment: datetime | None) -> datetime | None:
        """A moment typed now (`--review 6 months`), as far from the first poll instead."""
        return moment and moment + (self.first.due_at - self.now)


def plan(turn: Turn, flags: dict[str, Any]) -> Plan:
    """Read `--every` and `--closes-after`, refusing what a series can't do."""
    for fixed in ("opens", "closes"):
        if fixed in flags:
            raise Refusal(
                _(
                    "`--{flag}` names one moment, and a recurring poll happens again and again."
                ).format(flag=fixed),
                _("Use `--closes-after 3d` to close each poll that long after it is posted."),
            )
    collaborative, unused = turn.in_collaborative()
    text = flags["every"]
    zone = collaborative.timezone
    rule = parse_recurrence(text, turn.now.astimezone(ZoneInfo(zone)).date())
    first = next_occurrence(rule, zone, turn.now)
    closes_after = flags.get("closes-after")
    if closes_after is not None and closes_after >= (gap := shortest_gap(rule, zone, first)):
        raise Refusal(
            _("Each poll would still be open when the next one is posted."),
            _(
                "Use a `--closes-after` shorter than {span}, the shortest gap between "
                "postings ({rule})."
            ).format(span=_span(gap), rule=describe_rule(rule)),
        )
    return Plan(text, rule, first, closes_after, turn.now)


def refuse_closes_after_alone(flags: dict[str, Any]) -> None:
    if "closes-after" in flags and "every" not in flags:
        raise Refusal(
            _("`--closes-after` is for a recurring poll, which needs `--every`."),
            _("For one poll, say when it closes with `--closes`."),
        )


def shortest_gap(rule: dict[str, Any], timezone: str, first: Occurrence) -> int:
    """Seconds between the two closest of the next GAP_SAMPLE postings. The grammar gives
    each rule one time of day, so this is never under 23 hours (a spring-forward day)."""
    instants = [first.due_at]
    for __ in range(GAP_SAMPLE - 1):
        instants.append(next_occurrence(rule, timezone, instants[-1]).due_at)
    return int(min((b - a).total_seconds() for a, b in zip(instants, instants[1:], strict=False)))


def start_series(turn: Turn, flags: dict[str, Any], spec: PollSpec) -> PollSeries:
    """Keep a checked spec as a series; its first poll is posted by the ticker when due."""
    collaborative, member = turn.require_coordinator(N_("start a recurring poll"))
    timing = plan(turn, flags)
    # Each poll's review is as far from its posting as the first poll's (`spec_from_command`).
    review_after = (
        (spec.review_at - timing.first.due_at).total_seconds() if spec.review_at else None
    )
    series = PollSeries(
        collaborative_id=collaborative.id,
        number=next_number(turn.session, collaborative.id or 0, PollSeries),
        definition={
            "question": spec.question,
            "options": spec.options,
            "type": spec.type,
            "settings": spec.settings,
            "description": spec.description,
            "remind_after": spec.remind_after,
            "review_after": review_after,
        },
        recurrence=timing.text,
        rule=timing.rule,
        timezone=collaborative.timezone,
        closes_after=timing.closes_after,
        next_run_at=timing.first.due_at,
        created_by=member.id,
        created_at=turn.now,
    )
    turn.session.add(series)
    turn.session.flush()
    turn.audit(
        "poll.series",
        lambda: _("started series S{number}: {question}, {when}").format(
            number=series.number, question=spec.question, when=describe_rule(series.rule)
        ),
        series=series.number,
        definition=series.definition,
        recurrence=series.recurrence,
        closes_after=series.closes_after,
    )
    turn.say(
        _("Series S{number} is set up").format(number=series.number),
        _posted(series, spec.question, describe_rule(series.rule)),
        _("The first is {when}.").format(when=moment(timing.first.due_at, series.timezone)),
        _(
            "`poll series` lists recurring polls; `poll series stop {number}` stops this one."
        ).format(number=series.number),
    )
    return series


def list_series(turn: Turn, command: Command) -> None:
    collaborative, unused = turn.in_collaborative()
    found = turn.session.exec(
        select(PollSeries)
        .where(PollSeries.collaborative_id == collaborative.id)
        .order_by(PollSeries.number)  # type: ignore[arg-type]
    ).all()
    if not found:
        turn.say(
            _("No recurring polls yet."),
            _(
                "A coordinator starts one with "
                '`poll "Question?" "A" "B" --every "every monday 09:00"`.'
            ),
        )
        return
    lines = []
    for series in found:
        question, when = series.definition["question"], describe_rule(series.rule)
        lines.append(f"S{series.number} · “{question}” · {when} · {next_or_status(series)}")
    turn.say(
        _("Recurring polls in {collaborative}").format(collaborative=collaborative.name), *lines
    )


def stop(turn: Turn, command: Command) -> None:
    collaborative, unused = turn.require_coordinator(N_("stop a recurring poll"))
    typed: str = command.args["id"]
    number = parse_count(typed.lstrip("#Ss"), _("The series number"), 1, 10**9)
    series = turn.session.exec(
        select(PollSeries).where(
            PollSeries.collaborative_id == collaborative.id, PollSeries.number == number
        )
    ).first()
    if series is None:
        raise Refusal(
            _("There is no series S{number} here.").format(number=number),
            _("Type `poll series` to see the recurring polls."),
        )
    if series.status != "active":
        raise Refusal(_("Series S{number} is already stopped.").format(number=number))
    series.status, series.next_run_at = "stopped", None
    stopped = _("stopped series S{number}").format(number=number)
    turn.audit("poll.series.stop", lambda: stopped, series=number)
    turn.say(
        _("Series S{number} is stopped.").format(number=number),
        _("No more polls will be posted from it; the polls already posted stay as they are."),
    )


# What the ticker does with a claimed series


def open_due(
    session: Session, now: datetime, due: list[PollSeries], report: TickReport, grace: timedelta
) -> None:
    """Post the due occurrences of a batch of claimed series, each in a savepoint of its own.

    The collaboratives are held while the batch runs: the session's identity map keeps
    objects only while something references them, and every posting needs its own."""
    ids = {s.collaborative_id for s in due}
    held = session.exec(select(Collaborative).where(col(Collaborative.id).in_(ids))).all()
    for series in due:
        catch_up(session, now, series, report, grace)
    del held


def catch_up(
    session: Session, now: datetime, series: PollSeries, report: TickReport, grace: timedelta
) -> None:
    """Post a claimed series' due occurrences (`dialogs.commands.occurrences` decides)."""

    def not_run(occurrence: Occurrence, status: str) -> None:
        record_missed(session, now, series, occurrence)

    outcomes = occurrences.Outcomes(
        open=lambda o: post_occurrence(session, now, series, o), not_run=not_run
    )
    what = f"poll series {series.id}"  # i18n: not for readers
    occurrences.catch_up(session, now, series, report, grace, what, outcomes)


def post_occurrence(
    session: Session, now: datetime, series: PollSeries, occurrence: Occurrence
) -> bool:
    """Post one occurrence's fresh poll; False if this occurrence already happened."""
    run = _claim(session, series, occurrence, "posted")
    if run is None:
        return False
    collaborative = session.get(Collaborative, series.collaborative_id)
    author = session.get(Member, series.created_by)
    assert collaborative is not None and author is not None

    def link(poll: Poll) -> None:
        run.poll_id = poll.id
        session.flush()

    create_poll(session, now, collaborative, author, _spec(series, now), stored=link)
    return True


def record_missed(
    session: Session, now: datetime, series: PollSeries, occurrence: Occurrence
) -> None:
    """An occurrence due while Concord was down: recorded, and coordinators told, not posted."""
    if _claim(session, series, occurrence, "missed") is None:
        return
    collaborative = session.get(Collaborative, series.collaborative_id)
    assert collaborative is not None
    upcoming = next_occurrence(series.rule, series.timezone, max(now, occurrence.due_at))
    effects.report_missed(
        session,
        now,
        collaborative,
        _("The poll of series S{number} due {when}").format(
            number=series.number, when=describe(occurrence.due_at, series.timezone)
        ),
        _("The series goes on: the next is {when}. To ask now, start a poll by hand.").format(
            when=describe(upcoming.due_at, series.timezone)
        ),
    )


def _claim(
    session: Session, series: PollSeries, occurrence: Occurrence, status: str
) -> PollSeriesRun | None:
    """The occurrence's row, written before anything is posted; None if it already happened
    (its unique key makes a racing process's insert fail, and that process roll back)."""
    taken = session.exec(
        select(PollSeriesRun.id).where(
            PollSeriesRun.series_id == series.id, PollSeriesRun.occurrence_key == occurrence.key
        )
    ).first()
    if taken is not None:
        return None
    assert series.id is not None
    run = PollSeriesRun(
        series_id=series.id, occurrence_key=occurrence.key, due_at=occurrence.due_at, status=status
    )
    session.add(run)
    session.flush()
    return run


def _spec(series: PollSeries, now: datetime) -> PollSpec:
    """The series' definition as the spec of a poll posted `now`."""
    kept = series.definition

    def after(seconds: float | None) -> datetime | None:
        return now + timedelta(seconds=seconds) if seconds is not None else None

    return PollSpec(
        question=kept["question"],
        options=list(kept["options"]),
        type=kept["type"],
        settings=dict(kept["settings"]),
        closes_at=after(series.closes_after),
        remind_after=kept["remind_after"],
        description=kept["description"],
        review_at=after(kept["review_after"]),
    )


def _posted(series: PollSeries, question: str, when: str) -> str:
    if series.closes_after is None:
        return _(
            "“{question}” will be posted as a fresh poll {when}, each open until a "
            "coordinator closes it."
        ).format(question=question, when=when)
    return _("“{question}” will be posted as a fresh poll {when}, each open for {span}.").format(
        question=question, when=when, span=_span(series.closes_after)
    )


def _span(seconds: int) -> str:
    """A length as people say it: whole days, else whole hours, else minutes."""
    if seconds % 86400 == 0:
        days = seconds // 86400
        return ngettext("{count} day", "{count} days", days).format(count=days)
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("{count} hour", "{count} hours", hours).format(count=hours)
    minutes = seconds // 60
    return ngettext("{count} minute", "{count} minutes", minutes).format(count=minutes)
