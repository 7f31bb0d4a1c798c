"""Receipts for anonymous ballots: each voter is told privately a code that says nothing of
their choice, and after the close the export lists every ballot under its receipt, so each
voter can check theirs was counted as cast, and anyone can still recount the file."""

from __future__ import annotations

import csv
import inspect
import io
import json
import re

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from dialogs.core.cards import Card, Fields, Notify
from dialogs.core.events import ActionInvoked
from storage.models import Ballot, Outbox, Poll, new_receipt
from storage.models.polls import RECEIPT_ALPHABET
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    SOUTH,
    Conversation,
    person,
    poll_buttons,
    text_of,
)
from tests.support.recount import recounted_and_announced

RECEIPT = re.compile(rf"[{RECEIPT_ALPHABET}]{{4}}(-[{RECEIPT_ALPHABET}]{{4}}){{2}}")
MANY = [person(f"p{n}", f"Person {n}") for n in range(8)]


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    yield conversation
    conversation.close()


def receipt_on(card: Card) -> str | None:
    """The receipt a confirmation card shows, if any."""
    items = [i for b in card.blocks if isinstance(b, Fields) for i in b.items]
    shown = [i.value for i in items if i.label == "Your receipt"]
    return shown[0] if shown else None


def vote(chat: Conversation, who, label: str, buttons=None) -> tuple[str, str | None]:
    """What `who` is told on clicking `label` (of the last poll posted, or of `buttons`),
    and the receipt shown them."""
    action = (buttons or poll_buttons(chat.last_message(NORTH)))[label]
    effects = chat.engine.handle(ActionInvoked(who, NORTH, action, {}))
    chat.deliver()
    (card,) = [e.card for e in effects if isinstance(e, Notify)]
    return text_of(card), receipt_on(card)


def refused(chat: Conversation, typed: str) -> str:
    """What Ben is told on typing `typed`, without the refusal's echo of it."""
    return chat.says(BEN, SOUTH, typed).split("\nYou typed:")[0]


def stored_ballots(database) -> list[Ballot]:
    with database.session() as session:
        return list(session.exec(select(Ballot)).all())


def test_an_anonymous_voter_is_told_a_receipt_only_they_see(chat, database):
    chat.says(ASHA, NORTH, 'poll "Secret?" "Yes" "No" --anonymous')

    told, receipt = vote(chat, BEN, "No")

    assert receipt is not None and RECEIPT.fullmatch(receipt)
    assert told.startswith("Your anonymous vote in poll #1 is recorded — you voted “No”.")
    assert told.endswith(
        "Keep this code: after the close, the ballots export lists every ballot under its "
        "receipt, so you can check yours was counted as you cast it. Concord can't show it "
        "to you again, as nothing links it to you; anyone you show it to can find your vote."
    )
    (ballot,) = stored_ballots(database)
    assert (ballot.receipt, ballot.member_id, ballot.cast_at) == (receipt, None, None)
    with database.session() as session:
        posted = [json.dumps(row.effect) for row in session.exec(select(Outbox))]
    assert not [effect for effect in posted if receipt in effect], "never in a channel"


def test_a_vote_that_can_be_changed_has_no_receipt(chat, database):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"')

    told, receipt = vote(chat, BEN, "Soup")

    assert receipt is None and "receipt" not in told
    assert [b.receipt for b in stored_ballots(database)] == [None]


def test_receipts_are_unique_and_drawn_apart_from_the_choice_and_the_person(chat, database):
    assert not inspect.signature(new_receipt).parameters, "nothing goes into a receipt"
    for number in (1, 2):
        chat.says(ASHA, NORTH, f'poll "Same again {number}?" "Yes" "No" --anonymous')
        for who in [BEN, *MANY]:
            vote(chat, who, "Yes")

    receipts = [b.receipt for b in stored_ballots(database)]

    assert len(receipts) == 18 and len(set(receipts)) == 18
    assert all(r and RECEIPT.fullmatch(r) for r in receipts)


def test_the_database_refuses_a_receipt_twice(database, chat):
    chat.says(ASHA, NORTH, 'poll "Secret?" "Yes" "No" --anonymous')
    _, receipt = vote(chat, BEN, "Yes")

    with pytest.raises(IntegrityError), database.session() as session:
        poll = session.exec(select(Poll)).one()
        session.add(Ballot(poll_id=poll.id, choices=[1], receipt=receipt))
        session.commit()


def test_clicks_stored_together_each_get_their_own_receipt(chat, database):
    chat.says(ASHA, NORTH, 'poll "Secret?" "Yes" "No" --anonymous')
    buttons = poll_buttons(chat.last_message(NORTH))
    clicks = [ActionInvoked(who, SOUTH, buttons["No"], {}) for who in MANY]

    replies = chat.engine.handle_all(clicks)

    shown = [receipt_on(e.card) for effects in replies for e in effects if isinstance(e, Notify)]
    assert set(shown) == {b.receipt for b in stored_ballots(database)}
    assert len(set(shown)) == len(shown) == len(MANY)


def test_after_the_close_each_voter_finds_their_ballot_under_their_receipt(
    chat, database, tmp_path
):
    chat.says(ASHA, NORTH, 'org add "Riverside"')
    for who in (BEN, CARYS, DEE):
        chat.says(who, NORTH, 'org join "Riverside"')
    chat.says(ASHA, NORTH, 'poll "Trust the data?" "Yes" "No" "Unsure" --anonymous')
    voters = [BEN, CARYS, DEE, *MANY[:3]]
    chosen = ["Yes", "No", "Yes", "Unsure", "No", "Yes"]
    cast = {vote(chat, who, label)[1]: label for who, label in zip(voters, chosen, strict=True)}
    chat.says(ASHA, NORTH, "poll close 1")

    said, file = chat.exports(ASHA, NORTH, "poll export 1")

    rows = list(csv.DictReader(io.StringIO(file.content.decode().split("\n", 3)[3])))
    assert {row["ballot"]: next(o for o in ("Yes", "No", "Unsure") if row[o]) for row in rows} == (
        cast
    )
    assert "Every ballot is listed under its receipt code" in said
    assert "Turnout: Riverside 3 of 3" in said  # who voted, from participation: never how
    recounted, announced = recounted_and_announced(database, file, tmp_path)
    assert recounted == announced + "\n"


def test_a_reopened_and_closed_again_poll_keeps_every_receipt(chat, database):
    chat.says(ASHA, NORTH, 'poll "Secret?" "Yes" "No" --anonymous')
    buttons = poll_buttons(chat.last_message(NORTH))
    first = {vote(chat, who, "Yes")[1] for who in (BEN, CARYS)}
    chat.says(ASHA, NORTH, "poll close 1")
    assert "open again" in chat.says(ASHA, NORTH, "poll reopen 1")
    later = {vote(chat, DEE, "No", buttons)[1]}
    chat.says(ASHA, NORTH, "poll close 1")

    assert {b.receipt for b in stored_ballots(database)} == first | later


def test_a_voter_checks_their_receipt_themselves_once_results_may_be_seen(chat):
    chat.says(ASHA, NORTH, 'poll "Secret?" "Yes" "No" --anonymous --results after-close')
    _, receipt = vote(chat, BEN, "No")
    assert receipt is not None
    typed = receipt.replace("-", "").lower()

    assert refused(chat, f"poll receipt 1 {typed}") == (
        "The ballots of poll #1 are hidden until it closes."
    )
    chat.says(ASHA, NORTH, "poll close 1")
    assert chat.says(BEN, SOUTH, f"poll receipt 1 {typed}") == (
        f"Receipt {receipt} is counted in poll #1 — you voted “No”."
    )
    assert refused(chat, "poll receipt 1 2222-2222-2222") == (
        "No ballot of poll #1 has the receipt 2222-2222-2222.\nCompare it with the note you "
        "were given when you voted; if it matches, tell a coordinator, as every ballot cast "
        "should be there."
    )
    assert chat.says(BEN, SOUTH, "poll receipt 1 K7QM-0000").startswith(
        "`K7QM-0000` isn't a receipt code."
    )


def test_a_poll_that_is_not_anonymous_has_no_receipts_to_check(chat):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"')
    assert refused(chat, "poll receipt 1 K7QM-4XPR-9DHT") == (
        "Poll #1 isn't anonymous, so its ballots have no receipts.\n"
        "`poll results 1` ends with your own vote."
    )
