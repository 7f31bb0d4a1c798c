"""Limits on what one person or one collaborative may ask for: said plainly, with when
to try again, counted from what is stored at the engine's clock (moved by hand)."""

from __future__ import annotations

import logging

from sqlmodel import func, select

from dialogs.core.events import CommandIssued
from dialogs.core.ports import Limits
from storage.models import LinkCode, Poll
from tests.support.conversation import ASHA, BEN, NORTH, all_at_once, text_of


def count(chat, model) -> int:
    with chat.database.session() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_a_person_holds_at_most_five_unused_codes_and_may_ask_again_as_one_expires(chat, caplog):
    for _ in range(5):
        assert "Your code: " in chat.says(ASHA, NORTH, "me link")
        chat.clock.advance(minutes=1)

    with caplog.at_level(logging.INFO, logger="dialogs.core.limits"):
        refused = chat.says(ASHA, NORTH, "me link")

    assert "You already have 5 unused codes" in refused
    assert "type `me link` again in 10 minutes" in refused
    assert count(chat, LinkCode) == 5
    assert [r.getMessage() for r in caplog.records] == ["limit reached"]
    chat.clock.advance(minutes=10)
    assert "Your code: " in chat.says(ASHA, NORTH, "me link")


def test_300_me_links_make_five_codes(chat):
    shown = [chat.says(ASHA, NORTH, "me link") for _ in range(300)]
    assert sum("Your code: " in text for text in shown) == 5
    assert count(chat, LinkCode) == 5


def test_a_coordinator_starts_at_most_20_polls_an_hour(chat):
    for n in range(20):
        assert f"Poll #{n + 1} is open" in chat.says(ASHA, NORTH, f'poll "Q{n}?" "Yes" "No"')
        chat.clock.advance(minutes=1)

    refused = chat.says(ASHA, NORTH, 'poll "One more?" "Yes" "No"')

    assert "You have started 20 polls in the last hour" in refused
    assert "the limit is 20 an hour for each coordinator" in refused
    assert "Start this one in 40 minutes" in refused
    assert count(chat, Poll) == 20
    chat.clock.advance(minutes=40)
    assert "Poll #21 is open" in chat.says(ASHA, NORTH, 'poll "One more?" "Yes" "No"')


def test_a_collaborative_starts_at_most_its_limit_of_polls_an_hour(chat):
    chat.engine.limits = Limits(polls_per_coordinator_hour=2, polls_per_collaborative_hour=3)
    chat.says(BEN, NORTH, "help")
    chat.says(ASHA, NORTH, "role coordinator @Ben Okafor")
    chat.says(ASHA, NORTH, 'poll "A1?" "Yes" "No"')
    chat.says(ASHA, NORTH, 'poll "A2?" "Yes" "No"')
    assert "limit is 2 an hour for each coordinator" in chat.says(
        ASHA, NORTH, 'poll "A3?" "Yes" "No"'
    )
    assert "Poll #3 is open" in chat.says(BEN, NORTH, 'poll "B1?" "Yes" "No"')

    refused = chat.says(BEN, NORTH, 'poll "B2?" "Yes" "No"')

    assert "Northshire has started 3 polls in the last hour" in refused
    assert "the limit is 3 an hour for a collaborative" in refused
    assert count(chat, Poll) == 3


def test_me_links_sent_at_once_still_make_five_codes(chat):
    replies = all_at_once([CommandIssued(ASHA, NORTH, "me link")] * 20, chat.engine)
    assert sum("Your code: " in text_of(reply[0].card) for reply in replies) == 5
    assert count(chat, LinkCode) == 5
