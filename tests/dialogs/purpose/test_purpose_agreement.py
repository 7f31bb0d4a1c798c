"""A purpose round's consent asks for agreement in every organisation (the collaborative's
`settings purpose-rule`, every-org 50 unless a coordinator changes it): when one organisation
objects, the round says where consent fell short, and after the last revision it ends in a
conversation rather than another vote."""

from __future__ import annotations

import pytest

from dialogs.core.events import CommandIssued
from tests.dialogs.purpose.test_purpose_rounds import (
    act,
    current_round,
    opened_form,
    poll_of_round,
    propose,
    round_message,
)
from tests.support.conversation import ASHA, BEN, CARYS, DEE, NORTH, SOUTH, Conversation, text_of

STATEMENT = "Join up care for people who fall between our services"


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    conversation.says(ASHA, NORTH, 'org add "Hilltop Trust"')
    conversation.says(ASHA, NORTH, 'org add "Riverside Trust"')
    for who, trust in ((BEN, "Hilltop Trust"), (DEE, "Hilltop Trust"), (CARYS, "Riverside Trust")):
        conversation.says(who, NORTH, f'org join "{trust}"')
    yield conversation
    conversation.close()


def to_consent(chat: Conversation) -> None:
    chat.says(ASHA, NORTH, "purpose start")
    propose(chat, BEN, STATEMENT)
    for _ in range(3):  # one group, one theme, one draft: straight to consent
        chat.says(ASHA, NORTH, "purpose next")
    assert current_round(chat).stage == "consenting"


def test_one_organisation_objecting_ends_the_round_in_a_conversation(chat):
    to_consent(chat)
    assert poll_of_round(chat).settings["rule-percent"] == 50
    for revision in range(4):
        consent = poll_of_round(chat)
        for hilltop in (BEN, DEE):
            act(chat, hilltop, f"stance:{consent.id}:agree")
        act(
            chat,
            CARYS,
            f"submit:consent:{consent.id}:object",
            {"harm": "Not our patients", "resolve": "Name the patients"},
        )
        chat.says(ASHA, NORTH, "purpose next")
        if revision == 3:
            break
        result = next(c for c in reversed(chat.messages(SOUTH)) if "Result of poll" in c.fallback)
        assert "Does not pass: short in Riverside Trust by 50 points (0 % of 50 %)." in (
            text_of(result)
        )
        assert "short in Riverside Trust" in chat.says(BEN, NORTH, "decisions --all")
        form = opened_form(chat.engine.handle(CommandIssued(ASHA, NORTH, "purpose next")))
        act(chat, ASHA, form.action, {"statement": f"{STATEMENT}, revision {revision + 1}"})
    assert current_round(chat).stage == "needs-conversation"
    assert "Another vote won't settle it" in text_of(round_message(chat, SOUTH))


def test_a_coordinator_sets_the_purpose_rule_and_members_cannot(chat):
    assert "consent with at least 50 % of every organisation that responds" in chat.says(
        ASHA, NORTH, "settings purpose-rule"
    )
    assert "coordinator" in chat.says(BEN, NORTH, "settings purpose-rule none")
    said = chat.says(ASHA, NORTH, "settings purpose-rule every-org 75")
    assert "adopt a statement by consent with at least 75 % of every organisation" in said
    assert "`settings purpose-rule` takes `every-org`" in chat.says(
        ASHA, NORTH, "settings purpose-rule most"
    )
    to_consent(chat)
    assert poll_of_round(chat).settings["rule-percent"] == 75


def test_with_no_purpose_rule_the_consent_poll_has_none(chat):
    said = chat.says(ASHA, NORTH, "settings purpose-rule none")
    assert "with no share needed from each organisation" in said
    to_consent(chat)
    assert "rule" not in poll_of_round(chat).settings
