"""A poll's chart as data (`dialogs.core.charts.ResultChart`): what `bot/charts.py` draws
behind the chart link, and what the result card's image says in words.

Every figure comes from `dialogs.polls.results`; a chart exists only for a poll whose
results everyone may see.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from dialogs.core.charts import ResultChart
from dialogs.core.language import _
from dialogs.core.poll_types import SCORE_MAX, SCORE_MIN, STANCE_LABELS
from dialogs.polls.results import compute, labels, visible_to_all
from storage.models import Poll


def for_token(session: Session, token: str) -> ResultChart | None:
    """The chart of the poll with `token`, if everyone may see its results."""
    poll = session.exec(select(Poll).where(Poll.chart_token == token)).first()
    if poll is None or not visible_to_all(poll):
        return None
    return result_chart(session, poll, compute(session, poll))


def result_chart(session: Session, poll: Poll, result: dict[str, Any]) -> ResultChart:
    """The bars of `result`: means on the poll's whole scale for a score poll, every round
    for instant run-off, people per stance for consent, else votes (or dots) per option."""
    title = _("Poll #{number}: {question}").format(number=poll.number, question=poll.question)
    winner = result.get("winner")
    if poll.type == "score":
        means = {label: s["mean"] for label, s in result["scores"].items() if s["mean"] is not None}
        scale = (SCORE_MIN, SCORE_MAX)
        unit = "mean score"  # i18n: not for readers (the unit's name, as charts.py knows it)
        return ResultChart(title, list(means), [means], unit, winner, scale)
    if poll.type == "ranked":
        rounds = [r["counts"] for r in result["rounds"]] or [{}]
        return ResultChart(title, labels(session, poll), rounds, "vote", winner)
    if poll.type == "consent":
        stances = {_(STANCE_LABELS[k]): v for k, v in result["counts"].items()}
        return ResultChart(title, list(stances), [stances], "person")
    unit = "dot" if poll.type == "dots" else "vote"
    return ResultChart(title, list(result["counts"]), [result["counts"]], unit, winner)
