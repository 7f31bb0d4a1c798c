"""Vote clicks stored together (`Engine.handle_all`): which events go in the batch, and
its one transaction (`vote_batch.cast`). A batch that fails is logged, and each of its
clicks is left to the ordinary turn, as a click the batch does not cover is."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from dialogs.core import clean
from dialogs.core.cards import Effect
from dialogs.core.clock import Clock
from dialogs.core.events import ActionInvoked, Event
from dialogs.polls import vote_batch
from storage.database import Database

log = logging.getLogger(__name__)


def store(
    database: Database, clock: Clock, events: Sequence[Event], ids: Sequence[str | None]
) -> tuple[dict[int, list[Effect] | None], int]:
    """The answers to the vote clicks among `events` (by position; None: not stored here),
    with the platforms' event ids `ids`, one per event; and how many votes were stored."""
    clicks = {
        n: event
        for n, event in enumerate(events)
        if isinstance(event, ActionInvoked) and vote_batch.is_click(event)
    }
    if not clicks:
        return {}, 0
    batch = [clean.action(click)[0] for click in clicks.values()]
    once = [ids[n] for n in clicks]
    try:
        cast = database.run(lambda session: vote_batch.cast(session, clock(), batch, once))
    except Exception:  # a bug of ours: the ordinary turn still stores each vote
        log.exception("a batch of votes failed; storing them one at a time")
        return {}, 0
    return dict(zip(clicks, cast.replies, strict=True)), cast.recorded
