"""Agreement in every organisation: a coordinator asks that an option pass in every
organisation (`--rule every-org P`), members from two trusts vote, and everyone reads by
organisation how far each option carried and whether the rule was met."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dialogs.core.cards import Card, ChoiceInput, Fields, OpenForm
from dialogs.core.events import ActionInvoked
from storage.models import AuditEntry, Poll
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    SOUTH,
    Conversation,
    button_elements,
    person,
    poll_buttons,
    text_of,
)
from tests.support.recount import recounted_and_announced

HILL = [person(f"hill{i}", f"Hill {i}") for i in range(5)]
RIVER = [person(f"river{i}", f"River {i}") for i in range(3)]
BEDS = 'poll "Fund the new beds?" "Beds" "Clinic"'


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    yield conversation
    conversation.close()


def trusts(chat, *names: str) -> None:
    for name in names:
        chat.says(ASHA, NORTH, f'org add "{name}"')


def join(chat, people, organisation: str) -> None:
    for someone in people:
        chat.says(someone, NORTH, f'org join "{organisation}"')


def two_trusts(chat, *, also: tuple[str, ...] = ()) -> None:
    trusts(chat, "Hilltop Trust", "Riverside Trust", *also)
    join(chat, HILL, "Hilltop Trust")
    join(chat, RIVER, "Riverside Trust")


def vote(chat, people, label: str) -> None:
    button = poll_buttons(chat.last_message(NORTH))[label]
    for someone in people:
        chat.clicks(someone, NORTH, button)


def read(card: Card) -> str:
    """A card as a person reads it: its text, and each field as "label: value"."""
    lines = [text_of(card)]
    for block in card.blocks:
        if isinstance(block, Fields):
            lines += [f"{item.label}: {item.value}" for item in block.items]
    return "\n".join(lines)


def closed_result(chat, number: int = 1) -> str:
    chat.says(ASHA, NORTH, f"poll close {number}")
    return read(chat.last_message(SOUTH))


def test_an_option_short_in_one_organisation_does_not_pass_and_the_result_says_where(chat):
    two_trusts(chat)
    chat.says(ASHA, NORTH, f"{BEDS} --rule every-org 60")
    vote(chat, HILL, "Beds")
    vote(chat, RIVER[:1], "Beds")
    vote(chat, RIVER[1:], "Clinic")
    so_far = chat.says(BEN, NORTH, "poll results 1")
    assert "So far, does not pass: short in Riverside Trust by 27 points (33 % of 60 %)." in so_far
    shown = closed_result(chat)
    assert "By organisation (the share of each organisation's support):" in shown
    assert "Hilltop Trust (5 voters): Beds 100 % · Clinic 0 %" in shown
    assert "Riverside Trust (3 voters): Beds 33 % · Clinic 66 %" in shown
    assert (
        "Lowest support in any organisation: Beds 33 % (Riverside Trust) · "
        "Clinic 0 % (Hilltop Trust)."
    ) in shown
    assert "Does not pass: short in Riverside Trust by 27 points (33 % of 60 %)." in shown


def test_an_option_with_enough_in_every_organisation_passes_and_the_log_says_so(chat, database):
    two_trusts(chat)
    chat.says(ASHA, NORTH, f"{BEDS} --rule every-org")
    vote(chat, HILL[:3], "Beds")
    vote(chat, HILL[3:], "Clinic")
    vote(chat, RIVER[:2], "Beds")
    vote(chat, RIVER[2:], "Clinic")
    assert "Passes in every organisation (at least 50 %)." in closed_result(chat)
    with database.session() as session:
        logged = session.exec(select(AuditEntry).where(AuditEntry.action == "poll.close")).one()
    assert logged.details == (
        "“Beds” won with 5 votes of 8 voters. Passes in every organisation (at least 50 %)."
    )


def test_an_organisation_with_no_voters_is_left_out_and_named(chat):
    two_trusts(chat, also=("Seaside Trust",))
    chat.says(ASHA, NORTH, f"{BEDS} --rule every-org")
    vote(chat, HILL, "Beds")
    vote(chat, RIVER, "Beds")
    shown = closed_result(chat)
    assert "Passes in every organisation (at least 50 %)." in shown
    assert (
        "Did not vote: Seaside Trust. The rule leaves them out; an organisation with no voters "
        "is never counted as 0 %."
    ) in shown
    assert "Seaside Trust (" not in shown


def test_a_tie_within_one_organisation_is_shown_as_it_is(chat):
    two_trusts(chat)
    chat.says(ASHA, NORTH, f"{BEDS} --rule every-org 50")
    vote(chat, HILL[:2], "Beds")
    vote(chat, HILL[2:4], "Clinic")  # Hilltop: two and two
    vote(chat, RIVER, "Beds")
    shown = closed_result(chat)
    assert "Hilltop Trust (4 voters): Beds 50 % · Clinic 50 %" in shown
    assert "Passes in every organisation (at least 50 %)." in shown


def test_without_a_rule_two_organisations_still_see_support_by_organisation(chat):
    two_trusts(chat)
    chat.says(ASHA, NORTH, BEDS)
    vote(chat, HILL, "Beds")
    vote(chat, RIVER, "Clinic")
    shown = closed_result(chat)
    assert "Lowest support in any organisation: Beds 0 % (Riverside Trust)" in shown
    assert "pass" not in shown.lower()


def test_an_anonymous_poll_says_plainly_which_organisation_it_cannot_show(chat, database):
    two_trusts(chat, also=("Seaside Trust",))
    join(chat, [BEN, CARYS], "Seaside Trust")
    chat.says(ASHA, NORTH, f"{BEDS} --anonymous --rule every-org")
    vote(chat, HILL, "Beds")
    vote(chat, RIVER, "Beds")
    vote(chat, [BEN, CARYS], "Clinic")
    shown = closed_result(chat)
    assert "Passes in every organisation (at least 50 %)." in shown
    assert (
        "Not shown by organisation: Seaside Trust. An anonymous poll shows an organisation only "
        "with 3 or more voters; their votes count in the total only, so the rule could not "
        "check them."
    ) in shown
    with database.session() as session:
        logged = session.exec(select(AuditEntry).where(AuditEntry.action == "poll.close")).one()
    assert logged.details.endswith(
        "Passes in every organisation (at least 50 %). "
        "Not checked, too few voters to show: Seaside Trust."
    )


@pytest.mark.parametrize(
    ("poll", "votes", "verdict"),
    [
        (
            'poll "Which services?" "Beds" "Clinic" "Vans" --type multi --rule every-org 60',
            {"Beds": HILL + RIVER[:1], "Clinic": HILL[:1] + RIVER},
            "Does not pass: short in Riverside Trust by 27 points (33 % of 60 %).",
        ),
        (
            'poll "We share one rota" --type consent --objections 5 --rule every-org 70',
            {"Agree": HILL, "Object": RIVER[:1], "Can live with it": RIVER[1:]},
            "Does not pass: short in Riverside Trust by 4 points (66 % of 70 %).",
        ),
    ],
)
def test_the_rule_on_multi_and_consent(chat, poll, votes, verdict):
    two_trusts(chat)
    chat.says(ASHA, NORTH, poll)
    card = chat.last_message(NORTH)
    for label, people in votes.items():
        action = next(b.action for b in button_elements(card) if b.label == label)
        for someone in people:
            effects = chat.engine.handle(ActionInvoked(someone, NORTH, action))
            if forms := [e.form for e in effects if isinstance(e, OpenForm)]:  # a reason
                chat.submits(
                    someone,
                    NORTH,
                    forms[0].action,
                    {"harm": "Our wards are full.", "resolve": "Open the new ward first."},
                )
    assert verdict in closed_result(chat)


@pytest.mark.parametrize(
    ("setup", "typed", "refused"),
    [
        (
            "two",
            'poll "Rank them" "A" "B" --type ranked --rule every-org',
            "`--rule every-org` can't go with a ranked poll: a ranking says which option people "
            "prefer, not whether they support it",
        ),
        (
            "one",
            f"{BEDS} --rule every-org",
            "`--rule every-org` compares organisations, so it needs at least two; "
            "Northshire Provider Collaborative has 1.",
        ),
        ("two", f"{BEDS} --rule every-org 0", "must be from 1 to 100"),
        ("two", f"{BEDS} --rule most-orgs", "`--rule` takes `every-org`"),
    ],
)
def test_a_rule_that_makes_no_sense_is_refused_with_why(chat, database, setup, typed, refused):
    trusts(chat, "Hilltop Trust", *(("Riverside Trust",) if setup == "two" else ()))
    assert refused in chat.says(ASHA, NORTH, typed)
    with database.session() as session:
        assert session.exec(select(Poll)).first() is None


def test_the_rule_can_change_until_the_first_vote_and_not_after(chat, database):
    two_trusts(chat)
    chat.says(ASHA, NORTH, BEDS)
    assert "Poll #1 is changed" in chat.says(ASHA, NORTH, "poll edit 1 --rule every-org 70")
    with database.session() as session:
        assert session.exec(select(Poll)).one().settings["rule-percent"] == 70
    vote(chat, HILL[:1], "Beds")
    refused = chat.says(ASHA, NORTH, "poll edit 1 --rule none")
    assert "People have voted in poll #1, so the rule for every organisation can't change." in (
        refused
    )


def test_the_poll_form_offers_the_rule_and_starts_a_poll_with_it(chat, database):
    two_trusts(chat)
    form = chat.form(ASHA, NORTH)
    rule = next(i for i in form.inputs if i.name == "rule")
    assert isinstance(rule, ChoiceInput)
    assert [c.value for c in rule.choices] == ["none", "every-org"]
    values = {"question": "Fund the beds?", "options": "Beds\nClinic", "type": "single"}
    chat.submits(ASHA, NORTH, form.action, values | {"rule": "every-org", "rule-percent": "65"})
    with database.session() as session:
        settings = session.exec(select(Poll)).one().settings
    assert (settings["rule"], settings["rule-percent"]) == ("every-org", 65)


def test_recount_reproduces_the_by_organisation_figures_and_verdict(chat, database, tmp_path):
    two_trusts(chat)
    chat.says(ASHA, NORTH, f"{BEDS} --rule every-org 60")
    vote(chat, HILL, "Beds")
    vote(chat, RIVER[:1] + [DEE], "Clinic")
    chat.says(ASHA, NORTH, "poll close 1")
    _, file = chat.exports(ASHA, NORTH, "poll export 1")
    assert "# rule: every-org\r\n# rule-percent: 60\r\n" in file.content.decode()
    recounted, announced = recounted_and_announced(database, file, tmp_path)
    assert recounted == announced + "\n"
    assert '"rule": {"name": "every-org", "percent": 60, "option": "Beds", "passes": false' in (
        announced
    )
