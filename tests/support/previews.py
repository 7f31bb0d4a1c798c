"""A `poll` command held in its author's private preview (`dialogs.polls.preview`), for the
preview's and the question coach's tests."""

from __future__ import annotations

from sqlmodel import func, select

from dialogs.core.cards import Card
from dialogs.core.events import CommandIssued
from storage.models import Poll
from tests.support.conversation import ASHA, NORTH, SOUTH, Conversation


def polls(chat: Conversation) -> int:
    with chat.database.session() as session:
        return session.exec(select(func.count()).select_from(Poll)).one()


def held_preview(chat: Conversation, text: str) -> Card:
    """The preview Asha sees after typing `text` in North, after checking that nothing
    reached a channel and no poll was made."""
    before = [len(chat.messages(place)) for place in (NORTH, SOUTH)]
    effects = chat.engine.handle(CommandIssued(ASHA, NORTH, text))
    chat.deliver()
    assert [len(chat.messages(place)) for place in (NORTH, SOUTH)] == before
    assert polls(chat) == 0
    return next(e.card for e in effects if getattr(e, "card", None))
