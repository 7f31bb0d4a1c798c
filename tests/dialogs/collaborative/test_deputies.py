"""Deputies: naming one (`deputy @person --until DATE`), accepting or declining from the
private message or by typing, ending it, listing them, and every refusal in the words a
person reads."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dialogs.core.cards import Card
from dialogs.core.events import Actor
from storage.database import Database
from storage.models import Deputy
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    Conversation,
    buttons,
    person,
    text_of,
)
from tests.support.fakes import FakeClock

ERIN = person("erin", "Erin Walsh")


def two_trusts(database: Database, clock: FakeClock) -> Conversation:
    """Northshire: Ben, Carys and Erin work for Trust A, Dee for Trust B."""
    conversation = Conversation(database, clock)
    conversation.says(ASHA, NORTH, 'setup "Northshire"')
    for name in ("Trust A", "Trust B"):
        conversation.says(ASHA, NORTH, f'org add "{name}"')
    for someone, organisation in ((BEN, "A"), (CARYS, "A"), (ERIN, "A"), (DEE, "B")):
        conversation.says(someone, NORTH, f'org join "Trust {organisation}"')
    return conversation


@pytest.fixture
def chat(database, clock):
    conversation = two_trusts(database, clock)
    yield conversation
    conversation.close()


def private_to(chat: Conversation, someone: Actor) -> list[Card]:
    return [card for actor, card in chat.platform.private if actor.user_id == someone.user_id]


def deputies(chat: Conversation) -> list[tuple[int, int, str, bool]]:
    with chat.database.session() as session:
        rows = session.exec(select(Deputy).order_by(Deputy.id)).all()
        return [(row.member_id, row.deputy_id, row.status, row.current) for row in rows]


def test_a_member_names_a_deputy_who_accepts_from_the_private_message(chat):
    said = chat.says(BEN, NORTH, "deputy @Carys Jones --until 10/12/2026")
    assert said == (
        "Carys Jones is asked to be your deputy until Thu 10 Dec 2026 17:00 GMT.\n"
        "Once they accept, they can vote for you in polls that aren't anonymous. Your own "
        "vote always counts instead of theirs. Type `deputy end` to stop it at any time."
    )
    asked = private_to(chat, CARYS)[-1]
    assert text_of(asked).startswith(
        "Ben Okafor asks you to be their deputy in Northshire until Thu 10 Dec 2026 17:00 GMT: "
        "you could vote for them in polls that aren't anonymous."
    )
    assert list(buttons(asked)) == ["Accept", "Decline"]
    said = chat.clicks(CARYS, NORTH, buttons(asked)["Accept"])
    assert said.startswith("You are now Ben Okafor's deputy until Thu 10 Dec 2026 17:00 GMT.")
    assert "“Vote for Ben Okafor”" in said
    assert text_of(private_to(chat, BEN)[-1]) == (
        "Carys Jones accepted: they can vote for you until Thu 10 Dec 2026 17:00 GMT. "
        "Your own vote always counts instead of theirs."
    )
    assert chat.says(DEE, NORTH, "deputy list") == (
        "Deputies in Northshire\nCarys Jones for Ben Okafor, until Thu 10 Dec 2026 17:00 GMT"
    )
    # The button is spent: a second click changes nothing.
    again = chat.clicks(CARYS, NORTH, buttons(asked)["Decline"])
    assert again.startswith("That request is no longer waiting: it was accepted.")


def test_typed_answers_and_only_the_person_asked_may_click(chat):
    chat.says(BEN, NORTH, "deputy @Carys Jones --until in 3 days")
    asked = private_to(chat, CARYS)[-1]
    assert chat.clicks(ERIN, NORTH, buttons(asked)["Accept"]).startswith(
        "That request isn't addressed to you."
    )
    assert chat.says(ERIN, NORTH, "deputy accept").startswith(
        "Nobody is waiting for you to answer a request to be their deputy."
    )
    assert chat.says(CARYS, NORTH, "deputy decline") == (
        "You declined to be Ben Okafor's deputy.\nThey have been told."
    )
    assert text_of(private_to(chat, BEN)[-1]) == "Carys Jones declined to be your deputy."
    assert chat.says(BEN, NORTH, "deputy list").startswith("Nobody has a deputy.")
    # Declined, Ben may ask someone else.
    chat.says(BEN, NORTH, "deputy @Erin Walsh --until in 3 days")
    assert chat.says(ERIN, NORTH, "deputy accept").startswith("You are now Ben Okafor's deputy")


@pytest.mark.parametrize(
    ("who", "typed", "refused"),
    [
        (BEN, "deputy @Dee Sharma --until in 3 days", "Dee Sharma isn't in Trust A: a deputy "
         "must be from your own organisation."),
        (BEN, "deputy @Ben Okafor --until in 3 days", "You can't be your own deputy."),
        (BEN, "deputy @Carys Jones", "Say until when, so the arrangement ends by itself."),
        (BEN, "deputy @Carys Jones --until yesterday", "“yesterday”"),
        (ASHA, "deputy @Carys Jones --until in 3 days", "Say which organisation you belong to "
         "first: a deputy comes from the same one."),
    ],
)  # fmt: skip
def test_a_deputy_from_another_organisation_or_for_no_time_is_refused(chat, who, typed, refused):
    assert refused in chat.says(who, NORTH, typed)
    assert deputies(chat) == []


def test_one_deputy_each_and_nobody_deputy_for_two_at_once(chat):
    chat.says(BEN, NORTH, "deputy @Carys Jones --until in 3 days")
    assert chat.says(BEN, NORTH, "deputy @Erin Walsh --until in 3 days").startswith(
        "You have already asked Carys Jones to be your deputy until"
    )
    assert chat.says(ERIN, NORTH, "deputy @Carys Jones --until in 3 days").startswith(
        "Carys Jones is already deputy for Ben Okafor: a person can be deputy for one "
        "member at a time."
    )
    assert len(deputies(chat)) == 1


def test_a_period_that_has_ended_frees_both_and_is_no_longer_listed(chat, clock):
    chat.says(BEN, NORTH, "deputy @Carys Jones --until in 2 days")
    chat.says(CARYS, NORTH, "deputy accept")
    clock.advance(days=2, minutes=1)
    assert chat.says(DEE, NORTH, "deputy list").startswith("Nobody has a deputy.")
    assert deputies(chat)[0][2:] == ("ended", False)
    assert chat.says(ERIN, NORTH, "deputy @Carys Jones --until in 2 days").startswith(
        "Carys Jones is asked to be your deputy"
    )


def test_either_can_end_it_and_the_other_is_told(chat):
    chat.says(BEN, NORTH, "deputy @Carys Jones --until in 3 days")
    chat.says(CARYS, NORTH, "deputy accept")
    assert chat.says(CARYS, NORTH, "deputy end") == (
        "You are no longer Ben Okafor's deputy.\nVotes already cast stay as they are."
    )
    assert text_of(private_to(chat, BEN)[-1]) == (
        "Carys Jones ended the arrangement: they are no longer your deputy."
    )
    chat.says(BEN, NORTH, "deputy @Carys Jones --until in 3 days")
    assert chat.says(BEN, NORTH, "deputy end").startswith("Carys Jones is no longer your deputy.")
    assert chat.says(BEN, NORTH, "deputy end").startswith(
        "You have no deputy, and you aren't anyone's deputy."
    )


def test_an_observer_can_neither_name_nor_be_a_deputy(chat):
    chat.says(ASHA, NORTH, "role observer @Erin Walsh")
    assert chat.says(BEN, NORTH, "deputy @Erin Walsh --until in 3 days").startswith(
        "Erin Walsh is an observer, and observers don't vote."
    )
    assert chat.says(ERIN, NORTH, "deputy @Ben Okafor --until in 3 days").startswith(
        "Observers don't vote, so there is no vote to hand to a deputy."
    )


def test_the_log_records_each_step(chat):
    chat.says(BEN, NORTH, "deputy @Carys Jones --until in 3 days")
    chat.says(CARYS, NORTH, "deputy accept")
    chat.says(BEN, NORTH, "deputy end")
    log = chat.says(BEN, NORTH, "decisions --all")
    assert "Ben Okafor asked Carys Jones to be deputy" in log
    assert "Carys Jones is deputy for Ben Okafor" in log
    assert "Carys Jones is no longer deputy for Ben Okafor" in log
