"""A closed check-in, read back: averages, the summary card and the trend chart's data.

When a run's window closes (`runs.close_run`), the summary is posted: turnout by
organisation (`turnout_blocks`: counts under three are never given), averages with the
change since the last check-in, text answers without names, and a trend chart whose data
`trend` gives `bot/charts.py`. Everything here only reads answers; nothing here writes.
"""

from __future__ import annotations

import statistics
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy import func
from sqlmodel import Session, select

from dialogs.collaborative import participation
from dialogs.commands.when import describe
from dialogs.core.cards import Card, Context, Divider, Heading, Image, Text
from dialogs.core.charts import TrendChart, alt_text, chart_url
from dialogs.core.language import _, babel_locale
from storage.models import CheckinAnswer, CheckinRun, CheckinSchedule

SHORT_DAY = "d MMM"  # i18n: not for readers (Babel's pattern: 7 Dec, 7 Rhag)


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
    heading = _("Check-in #{number}: the summary").format(number=schedule.number)
    answered = _("{count} answered · {when}").format(
        count=respondents(session, run), when=describe(run.due_at, schedule.timezone)
    )
    blocks: list[Any] = [
        Heading(text=heading),
        Context(text=answered),
        *turnout_blocks(session, run, schedule),
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
                blocks.append(Context(text=_("No written answers.")))
    if now_avg:
        chart = _trend_of(session, run, schedule)
        blocks.append(Image(url=chart_url(run.chart_token), alt=alt_text(chart)))
    return Card(blocks=blocks, fallback=heading)


def _average_line(now: float | None, before: float | None) -> str:
    if now is None:
        return _("No answers.")
    if before is None:
        return _("Average {average} of 5 (the first check-in to compare against).").format(
            average=f"{now:.1f}"
        )
    change = now - before
    if abs(change) < 0.05:
        line = _("Average {average} of 5 — no change since the last check-in ({before}).")
    elif change > 0:
        line = _("Average {average} of 5 — up {change} since the last check-in ({before}).")
    else:
        line = _("Average {average} of 5 — down {change} since the last check-in ({before}).")
    return line.format(average=f"{now:.1f}", change=f"{abs(change):.1f}", before=f"{before:.1f}")


def turnout_blocks(session: Session, run: CheckinRun, schedule: CheckinSchedule) -> list[Context]:
    """The run's turnout line (`participation.turnout`): counts under three are never given,
    as the summary promises no names."""
    return turnout_said(turnout_groups(session, run, schedule))


def turnout_groups(
    session: Session, run: CheckinRun, schedule: CheckinSchedule
) -> list[participation.Turnout]:
    """Who could answer the run, and who did, by organisation."""
    answered = select(CheckinAnswer.member_id).where(CheckinAnswer.run_id == run.id)
    return participation.turnout(session, schedule.collaborative_id, answered)


def turnout_said(groups: list[participation.Turnout]) -> list[Context]:
    """The turnout line of `groups`, in the language of the work in hand."""
    line = participation.turnout_line(groups, exact=False)
    return [Context(text=line)] if line else []


def respondents(session: Session, run: CheckinRun) -> int:
    """How many members answered the run (each counted once)."""
    return session.exec(
        select(func.count(func.distinct(CheckinAnswer.member_id))).where(
            CheckinAnswer.run_id == run.id
        )
    ).one()


def trend(session: Session, token: str) -> TrendChart | None:
    """The chart of the run with `token`."""
    run = session.exec(select(CheckinRun).where(CheckinRun.chart_token == token)).first()
    if run is None:
        return None
    schedule = session.get(CheckinSchedule, run.schedule_id)
    assert schedule is not None
    return _trend_of(session, run, schedule)


def _trend_of(
    session: Session, run: CheckinRun, schedule: CheckinSchedule, limit: int = 12
) -> TrendChart:
    """The averages of the last `limit` closed runs up to `run`, one line per scale question."""
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
    days = [r.due_at.astimezone(zone) for r in runs]
    labels = [format_date(day, SHORT_DAY, locale=babel_locale()) for day in days]
    series: dict[str, list[float | None]] = {}
    for index, question in enumerate(schedule.questions):
        if question["kind"] == "scale":
            series[question["text"]] = [averages(session, r, schedule).get(index) for r in runs]
    return TrendChart(labels, series)
