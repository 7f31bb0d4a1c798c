"""How a poll from a series says so on its card: "Series S2 · repeats the first Monday of
each month at 09:00". Kept apart from `dialogs.polls.series`, which creates polls and so
imports the renderer that reads this line."""

from __future__ import annotations

from sqlmodel import Session, select

from dialogs.commands.recurrence import describe_rule
from dialogs.core.language import _
from storage.models import Poll, PollSeries, PollSeriesRun


def series_line(session: Session, poll: Poll) -> str | None:
    """The line naming the series `poll` was posted from, or None for a poll typed by hand."""
    series = session.exec(
        select(PollSeries)
        .join(PollSeriesRun, PollSeriesRun.series_id == PollSeries.id)  # type: ignore[arg-type]
        .where(PollSeriesRun.poll_id == poll.id)
    ).first()
    if series is None:
        return None
    return _("Series S{number} · repeats {rule}").format(
        number=series.number, rule=describe_rule(series.rule)
    )
