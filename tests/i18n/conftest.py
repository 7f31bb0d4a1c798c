"""What the Welsh tests share: the demo people as their platform reports them in Welsh, and a
collaborative set up in English (a test module with other needs defines its own `chat`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from dialogs.core.language import speaking
from tests.support.conversation import ASHA, BEN, NORTH, Conversation

ASHA_CY, BEN_CY = (replace(person, locale="cy-GB") for person in (ASHA, BEN))


@pytest.fixture
def chat(database, clock) -> Iterator[Conversation]:
    conversation = Conversation(database, clock)
    with speaking("en"):
        conversation.says(ASHA, NORTH, 'setup "Northshire"')
    yield conversation
    conversation.close()
