"""A poll's figures: its options, who has voted, who may see the result, the tally.

Every figure comes from `dialogs.polls.committees.counted` (`tally.result` with the
poll's governance mode), the same function `concord recount` runs over an exported
ballot file, so what is announced can always be recomputed by anyone. Hidden results
(`--results after-vote|after-close`) are hidden everywhere: the channel message,
`poll results`, the export and the chart.

In anonymous polls an organisation with fewer than three voters is pooled with
the voters who gave none, in breakdowns, balancing and exports alike, so a
ballot can never be traced back through a small organisation.

What a poll shows (its message, result card and chart) is built from these
figures in `dialogs.polls.render`.
"""

from __future__ import annotations

import copy
import random
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from dialogs.collaborative.participation import SMALLEST_GROUP
from dialogs.core.cards import FieldItem
from dialogs.core.language import _
from dialogs.polls import ballot_csv, committees
from storage.models import (
    LATEST_BALLOT,
    Ballot,
    Member,
    Organisation,
    Participation,
    Poll,
    PollOption,
)

_SHUFFLE = random.SystemRandom()


def options(session: Session, poll: Poll) -> list[PollOption]:
    return list(
        session.exec(
            select(PollOption).where(PollOption.poll_id == poll.id).order_by(PollOption.position)
        ).all()
    )


def labels(session: Session, poll: Poll) -> list[str]:
    return [o.label for o in options(session, poll)]


def has_voted(session: Session, poll: Poll, member: Member) -> bool:
    return (
        session.exec(
            select(Participation.id).where(
                Participation.poll_id == poll.id, Participation.member_id == member.id
            )
        ).first()
        is not None
    )


def visible_to_all(poll: Poll) -> bool:
    return poll.status == "closed" or poll.settings.get("results", "live") == "live"


def visible_to(session: Session, poll: Poll, member: Member | None) -> bool:
    if visible_to_all(poll):
        return True
    return (
        poll.settings.get("results") == "after-vote"
        and member is not None
        and has_voted(session, poll, member)
    )


def tally_settings(poll: Poll) -> dict[str, Any]:
    """The settings the tally (and an export's header) needs."""
    keys = (
        "max",
        "dots",
        "objections",
        "balance",
        "rule",
        "rule-percent",
        "mode",
        "organisations",
    )
    return {k: poll.settings[k] for k in keys if k in poll.settings}


def ballots(session: Session, poll: Poll) -> list[tuple[str, str | None, Any]]:
    """(ballot id, organisation, content) of every latest ballot, organisations masked as
    the module docstring says for anonymous polls; an anonymous ballot's id is its receipt
    (`dialogs.polls.receipts`), where it has one."""
    rows = session.exec(
        select(
            func.coalesce(Ballot.receipt, Ballot.id), Ballot.organisation_id, Ballot.choices
        ).where(Ballot.poll_id == poll.id, LATEST_BALLOT)
    ).all()
    names = dict(
        session.exec(
            select(Organisation.id, Organisation.name).where(
                Organisation.collaborative_id == poll.collaborative_id
            )
        ).all()
    )
    organisation = [names.get(org) for __, org, unused in rows]
    if poll.settings.get("anonymous"):
        sizes = {name: organisation.count(name) for name in set(organisation)}
        organisation = [n if sizes[n] >= SMALLEST_GROUP else None for n in organisation]
    return [
        (ballot_id, org, _content(poll, content))
        for (ballot_id, __, content), org in zip(rows, organisation, strict=True)
    ]


def _content(poll: Poll, content: Any) -> Any:
    return tuple(content) if poll.type == "consent" else content


def compute(session: Session, poll: Poll) -> dict[str, Any]:
    """The poll's result from its latest ballots, as this session sees them."""
    return _counted(session, poll, labels(session, poll))


def _counted(session: Session, poll: Poll, names: list[str]) -> dict[str, Any]:
    cast = ballots(session, poll)
    return committees.counted(
        poll.type,
        names,
        [content for __, unused, content in cast],
        tally_settings(poll),
        [org for __, org, unused in cast],
    )


def shown_result(session: Session, poll: Poll) -> dict[str, Any]:
    """`compute` for the poll's message, remembered until anything it was counted from
    changes (`_Counted`). For rendering what is committed only: a result counted inside a
    change that is then rolled back must never be remembered."""
    names = labels(session, poll)
    counted = _Counted(poll.type, tuple(names), repr(tally_settings(poll)), _written(session, poll))
    if (kept := _RESULTS.get(poll.chart_token or "")) and kept[0] == counted:
        return copy.deepcopy(kept[1])
    result = _counted(session, poll, names)
    if poll.chart_token and _written(session, poll) == counted.written:  # none came meanwhile
        _remember(poll.chart_token, counted, copy.deepcopy(result))
    return result


@dataclass(frozen=True)
class _Counted:
    """What a result is counted from. `written` is (ballots, latest ballots) of the poll:
    a vote adds a ballot, and taking one back (or `me link`) only lowers the latest, so any
    change of ballots changes it; the wording, type and settings are the rest."""

    type: str
    labels: tuple[str, ...]
    settings: str
    written: tuple[int, int]


# A poll's message is rendered for each person who looks (`dialogs.polls.view`) far more
# often than its ballots change. Keyed by the poll's random chart token (unique across
# databases, unlike its id); per process, the most recently counted polls only.
_RESULTS: dict[str, tuple[_Counted, dict[str, Any]]] = {}
_RESULTS_KEPT = 256
_RESULTS_LOCK = threading.Lock()  # turns and renderings run in worker threads


def _written(session: Session, poll: Poll) -> tuple[int, int]:
    every, latest = session.exec(
        select(func.count(), func.sum(case((LATEST_BALLOT, 1), else_=0))).where(
            Ballot.poll_id == poll.id
        )
    ).one()
    return every, latest or 0


def _remember(token: str, counted: _Counted, result: dict[str, Any]) -> None:
    with _RESULTS_LOCK:
        _RESULTS.pop(token, None)
        _RESULTS[token] = (counted, result)
        while len(_RESULTS) > _RESULTS_KEPT:
            del _RESULTS[next(iter(_RESULTS))]  # the least recently counted


def export_csv(session: Session, poll: Poll) -> tuple[str, int]:
    """The ballots as `concord recount` reads them, in random order (order can't link),
    and how many there are."""
    rows = ballots(session, poll)
    _SHUFFLE.shuffle(rows)
    cast_by = None if poll.settings.get("anonymous") else _deputies(session, poll, rows)
    text = ballot_csv.write(
        poll.type, poll.question, labels(session, poll), tally_settings(poll), rows, cast_by
    )
    return text, len(rows)


def _deputies(session: Session, poll: Poll, rows: list[ballot_csv.Row]) -> list[str | None]:
    """Who cast each of `rows` for its member (`dialogs.polls.proxy`), or None."""
    cast = dict(
        session.exec(
            select(Ballot.id, Member.display_name)
            .join(Member, col(Member.id) == col(Ballot.cast_by))
            .where(Ballot.poll_id == poll.id, LATEST_BALLOT)
        ).all()
    )
    return [cast.get(ballot_id) for ballot_id, __, unused in rows]


def voter_count(session: Session, poll: Poll) -> int:
    return session.exec(
        select(func.count()).select_from(Participation).where(Participation.poll_id == poll.id)
    ).one()


def missing_for_quorum(session: Session, poll: Poll) -> list[str]:
    """Organisations (never people) still short of the quorum's voters."""
    minimum = poll.settings.get("quorum")
    if not minimum:
        return []
    organisations = session.exec(
        select(Organisation)
        .where(Organisation.collaborative_id == poll.collaborative_id)
        .order_by(Organisation.name)
    ).all()
    voted = dict(
        session.exec(
            select(Member.organisation_id, func.count())
            .join(Participation, Participation.member_id == Member.id)
            .where(Participation.poll_id == poll.id)
            .group_by(Member.organisation_id)
        ).all()
    )
    return [o.name for o in organisations if voted.get(o.id, 0) < minimum]


def _voters_by_organisation(
    session: Session, poll: Poll
) -> tuple[list[tuple[int | None, int]], dict[int | None, str]]:
    """(organisation id, voters) of those who voted, and every organisation's name by id."""
    rows = session.exec(
        select(Member.organisation_id, func.count())
        .join(Participation, Participation.member_id == Member.id)
        .where(Participation.poll_id == poll.id)
        .group_by(Member.organisation_id)
    ).all()
    names = dict(
        session.exec(
            select(Organisation.id, Organisation.name).where(
                Organisation.collaborative_id == poll.collaborative_id
            )
        ).all()
    )
    return list(rows), names


def organisation_voters(session: Session, poll: Poll) -> dict[str, int]:
    """Every organisation of the collaborative by name, with how many of its people voted."""
    rows, names = _voters_by_organisation(session, poll)
    counts = dict(rows)
    return {name: counts.get(org_id, 0) for org_id, name in sorted(names.items(), key=_by_name)}


def _by_name(item: tuple[int | None, str]) -> str:
    return item[1]


def breakdown(session: Session, poll: Poll) -> list[FieldItem]:
    """Voters by organisation; in anonymous polls a group under three shows no number."""
    rows, names = _voters_by_organisation(session, poll)
    items = []
    for org_id, count in sorted(rows, key=lambda r: names.get(r[0], "~")):
        shown = str(count)
        if poll.settings.get("anonymous") and count < SMALLEST_GROUP:
            shown = _("fewer than {count}").format(count=SMALLEST_GROUP)
        unnamed = _("No organisation given")
        items.append(FieldItem(label=names.get(org_id, unnamed), value=shown))
    return items
