"""Anonymous ballots that can't be traced, results hidden until allowed, and organisations
weighted fairly: what Concord promises a partnership that Polly and Loomio users miss."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from dialogs.core.cards import Actions, ResultBars
from dialogs.core.events import ActionInvoked
from storage.models import Ballot, Participation
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    NORTH,
    SOUTH,
    Conversation,
    counts,
    person,
    poll_buttons,
    text_of,
)

BIG = [person(f"big{i}", f"Big {i}") for i in range(4)]


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    yield conversation
    conversation.close()


def join(chat, people, organisation):
    for someone in people:
        chat.says(someone, NORTH, f'org join "{organisation}"')


def with_organisations(chat):
    for name in ("Big Trust", "Small Trust", "Tiny Trust"):
        chat.says(ASHA, NORTH, f'org add "{name}"')
    join(chat, BIG, "Big Trust")
    join(chat, [BEN], "Small Trust")
    join(chat, [CARYS], "Tiny Trust")


def has_bars(card) -> bool:
    return any(isinstance(b, ResultBars) for b in card.blocks)


# Anonymity


def test_an_anonymous_poll_says_so_before_anyone_votes(chat):
    chat.says(ASHA, NORTH, 'poll "Do we trust the data?" "Yes" "No" --anonymous')
    assert "Anonymous: nobody, coordinators included, can see who voted what" in text_of(
        chat.last_message(SOUTH)
    )


def test_anonymous_ballots_carry_no_member_no_time_and_a_random_id(chat, database):
    chat.says(ASHA, NORTH, 'poll "Do we trust the data?" "Yes" "No" --anonymous')
    yes = poll_buttons(chat.last_message(NORTH))["Yes"]
    assert "Your anonymous vote in poll #1 is recorded" in chat.clicks(BEN, NORTH, yes)
    with database.session() as session:
        ballot = session.exec(select(Ballot)).one()
        voted = session.exec(select(Participation)).one()
    assert (ballot.member_id, ballot.cast_at) == (None, None)
    assert re.fullmatch(r"[0-9a-f]{32}", ballot.id)
    assert voted.member_id is not None, "who voted is recorded apart, for reminders"


def test_an_anonymous_vote_cannot_be_changed_or_cast_twice(chat, database):
    chat.says(ASHA, NORTH, 'poll "Do we trust the data?" "Yes" "No" --anonymous')
    buttons = poll_buttons(chat.last_message(NORTH))
    chat.clicks(BEN, NORTH, buttons["Yes"])
    assert "votes can't be changed" in chat.clicks(BEN, SOUTH, buttons["No"])
    assert counts(chat.last_message(NORTH)) == {"Yes": 1, "No": 0}


def test_closing_an_anonymous_poll_rewrites_its_ballots_in_random_order(chat, database):
    chat.says(ASHA, NORTH, 'poll "Do we trust the data?" "Yes" "No" --anonymous')
    yes = poll_buttons(chat.last_message(NORTH))["Yes"]
    for someone in BIG:
        chat.clicks(someone, NORTH, yes)
    with database.session() as session:
        before = {b.id for b in session.exec(select(Ballot)).all()}
    chat.says(ASHA, NORTH, "poll close 1")
    with database.session() as session:
        after = session.exec(select(Ballot)).all()
    assert len(after) == 4 and not before & {b.id for b in after}


def test_small_organisations_are_never_shown_in_an_anonymous_polls_breakdown(chat):
    with_organisations(chat)
    chat.says(ASHA, NORTH, 'poll "Trust the data?" "Yes" "No" --anonymous')
    yes = poll_buttons(chat.last_message(NORTH))["Yes"]
    for someone in [*BIG[:3], BEN]:
        chat.clicks(someone, NORTH, yes)
    chat.says(ASHA, NORTH, "poll close 1")
    shown = chat.last_message(NORTH)
    items = {f.label: f.value for b in shown.blocks if hasattr(b, "items") for f in b.items}
    assert items == {"Big Trust": "3", "Small Trust": "fewer than 3"}
    _, file = chat.exports(ASHA, NORTH, "poll export 1")
    export = file.content.decode()
    assert "Big Trust" in export
    assert "Small Trust" not in export, "a lone voter's organisation would name them"
    assert "Big" not in export.replace("Big Trust", ""), "no names in the export"


# Hidden results


def test_results_hidden_until_the_close_are_hidden_everywhere(chat, tmp_path):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --results after-close')
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["A"])
    card = chat.last_message(SOUTH)
    assert not has_bars(card) and "Results are hidden until the poll closes." in text_of(card)
    assert "1 person has voted" in text_of(card)
    assert "hidden until it closes" in chat.says(BEN, NORTH, "poll results 1")
    assert "hidden until it closes" in chat.says(ASHA, NORTH, "poll export 1")
    assert "You voted “A”" in chat.clicks(CARYS, NORTH, poll_buttons(card)["A"])
    chat.says(ASHA, NORTH, "poll close 1")
    assert counts(chat.messages(SOUTH)[-2]) == {"A": 2, "B": 0}
    assert "“A” won with 2 votes" in chat.says(BEN, NORTH, "poll results 1")


def test_results_after_voting_are_shown_to_each_voter_and_no_one_else(chat):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --results after-vote')
    card = chat.last_message(NORTH)
    assert "shown to each person after they vote" in text_of(card)
    assert "hidden until you vote" in chat.says(BEN, NORTH, "poll results 1")
    shown = chat.engine.handle(ActionInvoked(BEN, NORTH, poll_buttons(card)["B"]))
    assert any(isinstance(b, ResultBars) for b in shown[0].card.blocks)
    assert "Poll #1 so far" in chat.says(BEN, NORTH, "poll results 1")
    assert not has_bars(chat.last_message(SOUTH))


# Organisation balance and quorum


def test_balance_shows_the_result_with_every_organisation_weighted_equally(chat):
    with_organisations(chat)
    chat.says(ASHA, NORTH, 'poll "Which site?" "North" "South" --balance orgs')
    buttons = poll_buttons(chat.last_message(NORTH))
    for someone in BIG:
        chat.clicks(someone, NORTH, buttons["North"])
    for someone in (BEN, CARYS):
        chat.clicks(someone, NORTH, buttons["South"])
    shown = chat.says(ASHA, NORTH, "poll close 1")
    assert "“North” won with 4 votes of 6 voters." in shown
    result = text_of(chat.last_message(SOUTH))
    # One person, one vote decides this poll; the balanced count is labelled and explained.
    assert "With each organisation counted equally: “South” won with 2 votes" in result
    assert "0.5 is one of two" in result
    assert "Decided with each organisation counted equally" not in result


def test_a_quorum_keeps_the_result_provisional_until_every_organisation_has_voted(chat):
    with_organisations(chat)
    chat.says(ASHA, NORTH, 'poll "Which site?" "North" "South" --quorum per-org')
    buttons = poll_buttons(chat.last_message(NORTH))
    chat.clicks(BIG[0], NORTH, buttons["North"])
    waiting = text_of(chat.last_message(SOUTH))
    assert "Provisional: waiting for voters from Small Trust, Tiny Trust." in waiting
    assert "Big 0" not in waiting, "organisations are named, never people"
    chat.clicks(BEN, NORTH, buttons["North"])
    chat.clicks(CARYS, NORTH, buttons["South"])
    assert "Provisional" not in text_of(chat.last_message(SOUTH))


def test_closing_without_a_quorum_says_the_result_is_provisional(chat):
    with_organisations(chat)
    chat.says(ASHA, NORTH, 'poll "Which site?" "North" "South" --quorum per-org 2')
    chat.clicks(BIG[0], NORTH, poll_buttons(chat.last_message(NORTH))["North"])
    assert "Provisional: quorum not met" in chat.says(ASHA, NORTH, "poll close 1")
    assert "Quorum not met" in text_of(chat.last_message(NORTH))
    assert "quorum not met" in chat.says(ASHA, NORTH, "decisions")


def test_hidden_polls_show_no_vote_buttons_once_closed(chat):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --results after-close')
    chat.says(ASHA, NORTH, "poll close 1")
    closed = chat.messages(NORTH)[-2]
    assert not any(isinstance(b, Actions) for b in closed.blocks)


def test_a_poll_decided_on_the_balanced_count_says_so_and_labels_the_raw_one():
    """D-7: a purpose round's polls move on the organisation-balanced count; the result must
    not headline the raw winner next to it."""
    from types import SimpleNamespace

    from dialogs.polls.render import poll_outcome

    raw = {"type": "single", "winner": "North", "counts": {"North": 4, "South": 2}, "voters": 6}
    result = {**raw, "balanced": {"winner": "South", "counts": {"North": 1, "South": 2}}}
    deciding = SimpleNamespace(type="single", settings={"balance": "orgs", "decides": "balanced"})
    assert poll_outcome(result, deciding, final=True) == (
        "Decided with each organisation counted equally: “South” won with 2 votes of 6 voters."
    )
    plain = SimpleNamespace(type="single", settings={"balance": "orgs"})
    assert poll_outcome(result, plain, final=True) == "“North” won with 4 votes of 6 voters."


def test_balanced_objections_are_shown_without_a_trailing_decimal():
    from dialogs.polls.outcome import outcome_text

    consent = {"type": "consent", "winner": "adopted", "voters": 3}
    assert outcome_text({**consent, "counts": {"agree": 3.0, "object": 0.0}}, final=True) == (
        "Adopted: no blocks, 0 objections."
    )
