"""Ids no database row can have (10 to 12 digits) are refused before any query is made."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import select

from dialogs.core.events import ActionInvoked
from storage.models import Ballot, Poll
from tests.support.conversation import ASHA, BEN, CARYS, DEE, NORTH, text_of

TOO_BIG = 99_999_999_999


@pytest.fixture
def talk(chat):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"')
    return chat


def test_an_out_of_range_click_among_real_votes_leaves_the_batch_whole(talk, caplog):
    caplog.set_level(logging.INFO)
    with talk.database.session() as session:
        poll = session.exec(select(Poll)).one()
    soup = f"vote:{poll.id}:1"
    clicks = [
        ActionInvoked(BEN, NORTH, soup),
        ActionInvoked(DEE, NORTH, f"vote:{poll.id}:{TOO_BIG}"),
        ActionInvoked(CARYS, NORTH, soup),
    ]

    told = [text_of(effects[0].card) for effects in talk.engine.handle_all(clicks)]

    assert "You voted “Soup”" in told[0] and "You voted “Soup”" in told[2]
    assert "That button doesn't do anything any more." in told[1]
    assert "storing them one at a time" not in caplog.text
    assert "NumericValueOutOfRange" not in caplog.text and "Traceback" not in caplog.text
    unreadable = [r for r in caplog.records if "unreadable action" in r.getMessage()]
    assert [r.levelno for r in unreadable] == [logging.INFO]
    with talk.database.session() as session:
        assert len(session.exec(select(Ballot)).all()) == 2


@pytest.mark.parametrize(
    "action",
    [f"vote:{TOO_BIG}:1", f"close:{TOO_BIG}", f"form:ballot:{TOO_BIG}", f"mute:{2**31}"],
)
def test_an_out_of_range_id_in_any_button_is_refused_plainly(talk, action, caplog):
    shown = talk.clicks(BEN, NORTH, action)
    assert "That button doesn't do anything any more." in shown
    assert "Something went wrong" not in shown
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (
            "poll close 99999999999",
            "The poll number must be from 1 to 1000000000, not 99999999999.",
        ),
        ('poll "Q?" "A" "B" --closes 99999999999d', "can't read “99999999999d” as a date"),
        ('poll "Q?" "A" "B" --remind 99999999999h', "must be between 1 minute and 90 days"),
    ],
)
def test_a_huge_number_in_a_command_is_refused_plainly(talk, command, words):
    shown = talk.says(ASHA, NORTH, command)
    assert words in shown
    with talk.database.session() as session:
        assert len(session.exec(select(Poll)).all()) == 1
