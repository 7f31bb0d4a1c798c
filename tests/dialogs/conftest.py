"""Fixtures shared by the engine's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.conversation import ASHA, NORTH, Conversation


@pytest.fixture
def chat(database, clock) -> Iterator[Conversation]:
    """A collaborative, Northshire, set up by Asha in the North channel (she coordinates).

    Test modules with a different starting point define a `chat` of their own."""
    conversation = Conversation(database, clock)
    conversation.says(ASHA, NORTH, 'setup "Northshire"')
    yield conversation
    conversation.close()


@pytest.fixture
def linked_chat(database, clock) -> Iterator[Conversation]:
    """Northshire set up by Asha in North (she coordinates), with South linked to it: where a
    poll reaches every channel (the question coach's tests)."""
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    yield conversation
    conversation.close()
