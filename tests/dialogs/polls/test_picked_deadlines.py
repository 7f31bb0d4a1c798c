"""A deadline picked in the poll form (D-17): what each platform's picker submits becomes
the right moment in the collaborative's zone (Europe/London, GMT and BST alike)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from dialogs.core.cards import DateTimeInput
from storage.models import Poll
from tests.support.conversation import ASHA, NORTH, SOUTH, Conversation, text_of

FORM = {"question": "Which first?", "options": "Beds\nStaff", "type": "single"}


@pytest.fixture
def chat(database, clock):  # the clock reads Thu 26 Nov 2026 09:00 GMT
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    yield conversation
    conversation.close()


def deadline(chat) -> datetime:
    with chat.database.session() as session:
        closes_at = session.exec(select(Poll.closes_at)).one()
    assert closes_at is not None
    return closes_at.replace(tzinfo=UTC) if closes_at.tzinfo is None else closes_at


def test_the_form_offers_a_picker_in_the_collaboratives_zone(chat):
    (picker,) = [i for i in chat.form(ASHA, NORTH).inputs if i.name == "closes"]
    assert picker == DateTimeInput(name="closes", label="Closes", timezone="Europe/London")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("picked", "moment", "echo"),
    [
        ("2027-06-30T17:00", utc(2027, 6, 30, 16), "Wed 30 Jun 2027 17:00 BST"),
        ("2026-12-31T17:00", utc(2026, 12, 31, 17), "Thu 31 Dec 2026 17:00 GMT"),
        ("2027-06-30", utc(2027, 6, 30, 16), "Wed 30 Jun 2027 17:00 BST"),
        ("2027-06-30T16:00:00+00:00", utc(2027, 6, 30, 16), "Wed 30 Jun 2027 17:00 BST"),
        ("2027-03-28T01:30", utc(2027, 3, 28, 1, 30), "Sun 28 Mar 2027 02:30 BST"),
    ],
    ids=["summer wall clock", "winter wall clock", "day alone", "slack instant", "clocks skip"],
)
def test_a_picked_deadline_closes_the_poll_at_that_moment(chat, picked, moment, echo):
    chat.submits(ASHA, NORTH, chat.form(ASHA, NORTH).action, {**FORM, "closes": picked})
    assert deadline(chat) == moment
    assert f"until {echo}" in text_of(chat.last_message(SOUTH))


def test_a_picked_moment_already_past_is_refused_and_the_form_keeps_it(chat):
    form = chat.form(ASHA, NORTH)
    again = chat.submits(ASHA, NORTH, form.action, {**FORM, "closes": "2026-11-25T17:00"})
    assert again[0].form.error.startswith(
        "The moment picked is already past (Wed 25 Nov 2026 17:00 GMT)."
    )
    (picker,) = [i for i in again[0].form.inputs if i.name == "closes"]
    assert picker.value == utc(2026, 11, 25, 17)
    with chat.database.session() as session:
        assert session.exec(select(Poll)).all() == [], "no poll was started"


def test_a_typed_deadline_still_works(chat):
    chat.says(ASHA, NORTH, 'poll "Which first?" "Beds" "Staff" --closes "31/12/2026"')
    assert "until Thu 31 Dec 2026 17:00 GMT" in text_of(chat.last_message(SOUTH))
