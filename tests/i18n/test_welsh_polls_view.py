"""Welsh comes out of a poll as people meet it: its message and buttons, a vote's
confirmation, each person's own view, a ranked ballot's form and its refusals, read by people
whose platform speaks Welsh. The same steps in English read exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dialogs.core.cards import Notify
from dialogs.core.language import speaking
from tests.i18n.conftest import ASHA_CY, BEN_CY
from tests.support.conversation import (
    ASHA,
    BEN,
    NORTH,
    Conversation,
    button_elements,
    buttons,
    returned_form,
    text_of,
)


@pytest.fixture
def chat(database, clock) -> Iterator[Conversation]:
    """A conversation in which Ben, a member, can vote in Asha's polls."""
    conversation = Conversation(database, clock)
    conversation.says(ASHA, NORTH, 'setup "Gogledd Cymru"')
    conversation.says(BEN, NORTH, "help")
    yield conversation
    conversation.close()


def _replied(effects: list) -> str:
    return "\n".join(text_of(e.card) for e in effects if isinstance(e, Notify))


def test_a_welsh_speaker_reads_the_poll_votes_and_sees_their_vote(chat):
    chat.says(ASHA, NORTH, "language default cy")  # the poll message is shared: Welsh by default
    with speaking("cy"):
        chat.says(ASHA_CY, NORTH, 'poll "Ble rydyn ni\'n cwrdd?" "Caerdydd" "Bangor"')
        message = chat.last_message(NORTH)
        shown = text_of(message)
        assert "Pôl #1 · " in shown
        assert "ar agor · gallwch newid pleidleisiau nes iddo gau" in shown
        assert "Gofynnwyd gan Asha Patel" in shown
        spoken = [button.spoken for button in button_elements(message)]
        assert "Pleidleisio dros Caerdydd yn: Ble rydyn ni'n cwrdd?" in spoken
        said = chat.clicks(BEN_CY, NORTH, buttons(message)["Caerdydd"])
        assert (
            "Rydych chi wedi pleidleisio dros “Caerdydd” ym mhôl #1 — gallwch ei newid tan "
            "i'r pôl gau." in said
        )
        mine = text_of(chat.engine.render_view("poll:1", BEN_CY))
        assert "Rydych chi wedi pleidleisio dros “Caerdydd”. Gallwch ei newid tan i'r pôl gau." in (
            mine
        )


def test_a_welsh_speaker_ranks_the_options_in_a_form(chat):
    with speaking("cy"):
        chat.says(ASHA_CY, NORTH, 'poll "Pa un?" "A" "B" "C" --type ranked')
        gap = returned_form(chat.submits(BEN_CY, NORTH, "submit:ballot:1", {"rank1": "0"}))
        assert gap.error == "Llenwch eich dewisiadau mewn trefn, heb fylchau."
        assert [each.label for each in gap.inputs] == ["Dewis 1af", "Dewis 2il", "Dewis 3ydd"]
        ranked = chat.submits(BEN_CY, NORTH, "submit:ballot:1", {"rank0": "2", "rank1": "0"})
        assert "Rydych chi wedi rhoi “C” yn 1af, “A” yn 2il ym mhôl #1" in _replied(ranked)


def test_the_same_steps_in_english_read_as_they_always_have(chat):
    with speaking("en"):
        chat.says(ASHA, NORTH, 'poll "Where do we meet?" "Cardiff" "Bangor"')
        assert "open · votes can be changed until it closes" in text_of(chat.last_message(NORTH))
        said = chat.clicks(BEN, NORTH, buttons(chat.last_message(NORTH))["Cardiff"])
        assert "You voted “Cardiff” in poll #1 — you can change it until the poll closes." in said
        chat.says(ASHA, NORTH, 'poll "Which?" "A" "B" "C" --type ranked')
        gap = returned_form(chat.submits(BEN, NORTH, "submit:ballot:2", {"rank1": "0"}))
        assert gap.error == "Fill your choices in order, without gaps."
        assert [each.label for each in gap.inputs] == ["1st choice", "2nd choice", "3rd choice"]
