"""A poll's live figures, tallied again only when what they count has changed.

The live renderings of a poll (the channel message, re-rendered at most once per
platform window, and each person's own view of it) tally the same ballots again and
again: for a poll with 1,000 ballots that is most of a rendering's cost (reading and
decoding every ballot, then the count). `live_result` keeps each poll's last result
with what it was computed from, and reuses it while that is unchanged.

What it was computed from is everything `results.compute` reads: the poll's type and
tally settings, its option labels, the collaborative's organisation names, and the set
of latest ballot ids. A ballot's content and organisation never change once it is
written (a changed vote is a new ballot, the old one stops being latest; merging two
identities changes only whose ballot it is), so the ids stand for the ballots. Only
the ids are read, aggregated by the database into one string: a fraction of reading
the ballots. The ids are read before and after the tally, and a result is kept only
if they agree, so a vote committed in between is never hidden behind an older set.

Announced figures (a poll's close, a purpose round's stage, a voter's receipt, the
chart) still call `results.compute` directly: nothing announced comes from here.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from sqlmodel import Session, func, select

from dialogs.polls import results
from storage.models import LATEST_BALLOT, Ballot, Organisation, Poll

POLLS_KEPT = 256

_kept: OrderedDict[int, tuple[Hashable, dict[str, Any]]] = OrderedDict()
_lock = threading.Lock()  # engine calls run in worker threads


def live_result(session: Session, poll: Poll) -> dict[str, Any]:
    """`results.compute(session, poll)`, reused while nothing it counts has changed.
    The result is shared: read it, never change it."""
    assert poll.id is not None
    before = _inputs(session, poll)
    with _lock:
        kept = _kept.get(poll.id)
        if kept is not None and kept[0] == before:
            _kept.move_to_end(poll.id)
            return kept[1]
    result = results.compute(session, poll)
    if _inputs(session, poll) == before:
        with _lock:
            _kept[poll.id] = (before, result)
            _kept.move_to_end(poll.id)
            while len(_kept) > POLLS_KEPT:
                _kept.popitem(last=False)
    return result


def _inputs(session: Session, poll: Poll) -> Hashable:
    """Everything `results.compute` reads for `poll`, the ballots as a digest of their ids."""
    count, ids = session.exec(
        select(func.count(), func.aggregate_strings(Ballot.id, ",")).where(
            Ballot.poll_id == poll.id, LATEST_BALLOT
        )
    ).one()
    names = session.exec(
        select(Organisation.id, Organisation.name).where(
            Organisation.collaborative_id == poll.collaborative_id
        )
    ).all()
    return (
        poll.type,
        bool(poll.settings.get("anonymous")),
        json.dumps(results.tally_settings(poll), sort_keys=True),
        tuple(results.labels(session, poll)),
        tuple(sorted((org_id, name) for org_id, name in names)),
        count,
        hashlib.blake2b((ids or "").encode(), digest_size=16).digest(),
    )
