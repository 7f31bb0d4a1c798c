"""Every poll type from start to result: ranked, score, dots and consent, in chat."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlmodel import select

from dialogs.core.cards import Actions, Fields, OpenForm, ResultBars
from dialogs.core.events import ActionInvoked
from dialogs.polls.outcome import outcome_text
from storage.models import Ballot, new_ballot_id
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    SOUTH,
    Conversation,
    counts,
    person,
    text_of,
)

ERIN = person("erin", "Erin Walsh")
LISTED_LATER = "listed later in the poll"


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    for someone in (BEN, CARYS, DEE, ERIN):
        conversation.says(someone, NORTH, "help")
    yield conversation
    conversation.close()


def actions(card) -> dict[str, str]:
    return {e.label: e.action for b in card.blocks if isinstance(b, Actions) for e in b.elements}


def open_form(chat, who, place, action):
    effects = chat.engine.handle(ActionInvoked(who, place, action))
    forms = [e.form for e in effects if isinstance(e, OpenForm)]
    assert forms, [text_of(e.card) for e in effects]
    return forms[0]


def vote_with_form(chat, who, values: dict[str, str], place=NORTH):
    form = open_form(chat, who, place, actions(chat.last_message(place))[_form_button(chat, place)])
    effects = chat.submits(who, place, form.action, values)
    return effects


def _form_button(chat, place) -> str:
    labels = actions(chat.last_message(place))
    return next(
        k for k in ("Rank the options", "Score the options", "Place your dots") if k in labels
    )


def test_a_ranked_poll_transfers_votes_until_one_option_has_a_majority(chat):
    chat.says(ASHA, NORTH, 'poll "Which first?" "Beds" "Discharge" "Workforce" --type ranked')
    card = chat.last_message(SOUTH)
    assert "rank the options (instant run-off)" in text_of(card)
    # Beds leads on first preferences, but Workforce's voter prefers Discharge next.
    vote_with_form(chat, BEN, {"rank0": "0"})
    confirmed = vote_with_form(chat, CARYS, {"rank0": "0", "rank1": "1"})
    assert text_of(confirmed[0].card) == (
        "You ranked “Beds” 1st, “Discharge” 2nd in poll #1 — "
        "you can change it until the poll closes."
    )
    vote_with_form(chat, DEE, {"rank0": "1", "rank1": "0"})
    vote_with_form(chat, ERIN, {"rank0": "2", "rank1": "1"})
    vote_with_form(chat, ASHA, {"rank0": "1"})
    shown = chat.says(ASHA, NORTH, "poll close 1")
    assert "“Discharge” won after instant run-off" in shown
    bars = next(b for b in chat.last_message(NORTH).blocks if isinstance(b, ResultBars))
    assert bars.summary == "5 people voted · after 2 rounds of instant run-off"
    shown = text_of(chat.last_message(NORTH))
    assert "Round 1: Beds 2, Discharge 2, Workforce 1; 0 exhausted; Workforce eliminated." in shown
    assert "Round 2: Beds 2, Discharge 3; 0 exhausted." in shown


def test_a_ranking_must_be_in_order_without_repeats_and_is_kept_when_refused(chat):
    chat.says(ASHA, NORTH, 'poll "Which first?" "Beds" "Discharge" "Workforce" --type ranked')
    refused = vote_with_form(chat, BEN, {"rank0": "1", "rank1": "1"})
    assert refused[0].form.error == "You ranked the same option twice."
    assert [i.value for i in refused[0].form.inputs][:2] == [["1"], ["1"]]
    gap = vote_with_form(chat, BEN, {"rank0": "1", "rank2": "0"})
    assert gap[0].form.error == "Fill your choices in order, without gaps."
    forged = vote_with_form(chat, BEN, {"rank0": "7"})
    assert forged[0].form.error == "That option isn't part of this poll."
    vote_with_form(chat, BEN, {"rank0": "2", "rank1": "0"})
    again = open_form(chat, BEN, NORTH, actions(chat.last_message(NORTH))["Rank the options"])
    assert [i.value for i in again.inputs] == [["2"], ["0"], []], "your ranking, to change it"


def test_a_score_poll_shows_mean_median_and_spread(chat):
    chat.says(ASHA, NORTH, 'poll "How good is each plan?" "Plan A" "Plan B" --type score')
    confirmed = vote_with_form(chat, BEN, {"score0": "5", "score1": "1"})
    assert "You scored “Plan A” 5, “Plan B” 1 in poll #1 — you can change it" in text_of(
        confirmed[0].card
    )
    vote_with_form(chat, CARYS, {"score0": "3", "score1": "2"})
    fields = next(b for b in chat.last_message(SOUTH).blocks if isinstance(b, Fields))
    shown = {f.label: f.value for f in fields.items}
    assert shown["Plan A"] == "mean 4.00 · median 4 · spread 1.00"
    refused = vote_with_form(chat, DEE, {"score0": "9", "score1": "1"})
    assert "from 0 to 5" in refused[0].form.error
    missing = vote_with_form(chat, DEE, {"score0": "2"})
    assert "Score every option" in missing[0].form.error


def test_a_dot_vote_counts_every_dot_and_refuses_too_many(chat):
    chat.says(ASHA, NORTH, 'poll "Where do we focus?" "Beds" "Staff" "Data" --type dots --dots 3')
    assert "spread 3 dots" in text_of(chat.last_message(NORTH))
    confirmed = vote_with_form(chat, BEN, {"dots0": "2", "dots1": "1"})
    assert "You put 2 dots on “Beds”, 1 dot on “Staff” in poll #1 — you can" in text_of(
        confirmed[0].card
    )
    vote_with_form(chat, CARYS, {"dots2": "3"})
    assert counts(chat.last_message(SOUTH)) == {"Beds": 2, "Staff": 1, "Data": 3}
    refused = vote_with_form(chat, DEE, {"dots0": "2", "dots1": "2"})
    assert refused[0].form.error == "That is 4 dots; you have 3."
    assert "at least one dot" in vote_with_form(chat, DEE, {})[0].form.error


@pytest.mark.parametrize("typed", ["²", "٣", "1" * 5_000], ids=["superscript", "arabic", "huge"])
def test_a_number_that_is_not_plain_digits_is_refused_in_a_ballot_form(chat, typed):
    chat.says(ASHA, NORTH, 'poll "Where do we focus?" "Beds" "Staff" --type dots --dots 3')
    refused = vote_with_form(chat, BEN, {"dots0": typed})
    assert refused[0].form.error == "Dots are whole numbers."
    chat.says(ASHA, NORTH, 'poll "How good is each?" "Plan A" "Plan B" --type score')
    refused = vote_with_form(chat, BEN, {"score0": typed, "score1": "1"})
    assert "Score every option" in refused[0].form.error


def test_a_consent_proposal_is_adopted_without_blocks_and_shows_every_reason(chat):
    chat.says(ASHA, NORTH, 'poll "We pool our waiting-list data" --type consent --objections 1')
    buttons = actions(chat.last_message(NORTH))
    assert list(buttons)[:4] == ["Agree", "Can live with it", "Object", "Block"]
    assert chat.clicks(BEN, NORTH, buttons["Agree"]) == (
        "You responded “Agree” in poll #1 — you can change it until the poll closes."
    )
    chat.clicks(CARYS, SOUTH, buttons["Can live with it"])
    form = open_form(chat, DEE, NORTH, buttons["Object"])
    chat.submits(
        DEE, NORTH, form.action, {"harm": "Consent from patients first", "resolve": "Ask them"}
    )
    live = text_of(chat.last_message(SOUTH))
    assert "Object — harm: “Consent from patients first”; would resolve it: “Ask them”" in live
    assert "Adopted: no blocks, 1 objection." in chat.says(ASHA, NORTH, "poll close 1")


def test_object_asks_the_harm_to_our_aim_and_what_would_resolve_it(chat):
    chat.says(ASHA, NORTH, 'poll "We merge the two rotas" --type consent')
    form = open_form(chat, BEN, NORTH, actions(chat.last_message(NORTH))["Object"])
    assert form.title == "Object: poll #1"
    assert [(i.name, i.label, i.optional) for i in form.inputs] == [
        (
            "harm",
            "What harm would this do to our aim? (everyone will see it, without your name "
            "if the poll is anonymous)",
            False,
        ),
        ("resolve", "What would resolve it?", False),
    ]


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        (
            {"harm": "  ", "resolve": "Pilot it in one ward"},
            "Say what harm this would do to our aim: it helps the group revise the proposal.",
        ),
        (
            {"harm": "Nurses lose  their\nrest days", "resolve": " "},
            "Say what would resolve it: it shows the group a way forward.",
        ),
        (
            {"harm": "Too long", "resolve": "x" * 1001},
            "The answer on what would resolve it is 1,001 characters; the most is 1,000.",
        ),
    ],
)
def test_an_objection_missing_an_answer_comes_back_with_what_was_typed(
    chat, database, typed, problem
):
    chat.says(ASHA, NORTH, 'poll "We merge the two rotas" --type consent')
    form = open_form(chat, BEN, NORTH, actions(chat.last_message(NORTH))["Object"])
    refused = chat.submits(BEN, NORTH, form.action, typed)
    assert refused[0].form.error == problem
    kept = {i.name: i.value for i in refused[0].form.inputs}
    assert kept == {name: " ".join(text.split()) for name, text in typed.items()}
    with database.session() as session:
        assert session.exec(select(Ballot)).all() == []  # nothing recorded


def test_one_block_stops_a_consent_proposal(chat):
    chat.says(ASHA, NORTH, 'poll "We merge the two rotas" --type consent')
    buttons = actions(chat.last_message(NORTH))
    chat.clicks(BEN, NORTH, buttons["Agree"])
    form = open_form(chat, CARYS, NORTH, buttons["Block"])
    typed = {"harm": "Breaks our <union> agreement", "resolve": "Talk to the union first"}
    chat.submits(CARYS, NORTH, form.action, typed)
    assert "Not adopted: 1 block." in chat.says(ASHA, NORTH, "poll close 1")
    assert (
        "Block — harm: “Breaks our <union> agreement”; would resolve it: "
        "“Talk to the union first”" in text_of(chat.last_message(SOUTH))
    )
    assert "Block — harm: “Breaks our <union> agreement”" in chat.says(BEN, NORTH, "poll results 1")


def test_a_ballot_from_before_the_second_question_reads_as_its_harm(chat, database):
    chat.says(ASHA, NORTH, 'poll "We share one rota" --type consent --objections 1')
    chat.clicks(BEN, NORTH, "submit:consent:1:object", {"harm": "New", "resolve": "Ask"})
    with database.session() as session:
        ballot = session.exec(select(Ballot).where(Ballot.latest)).one()
        ballot.latest = False
        session.add(Ballot(**{**ballot.model_dump(), "id": new_ballot_id(), "latest": True,
                              "choices": ["object", "Written before"]}))  # fmt: skip
        session.commit()
    shown = chat.says(BEN, NORTH, "poll results 1")
    assert "Object — harm: “Written before”" in shown
    assert "would resolve it" not in shown and "New" not in shown
    assert "Adopted: no blocks, 1 objection." in chat.says(ASHA, NORTH, "poll close 1")


def test_an_anonymous_objection_is_shown_without_its_author(chat, database):
    chat.says(ASHA, NORTH, 'poll "We share one rota" --type consent --anonymous')
    chat.clicks(BEN, NORTH, "submit:consent:1:object", {"harm": "Gaps", "resolve": "Cover"})
    with database.session() as session:
        stored = session.exec(select(Ballot)).one()
        assert (stored.member_id, stored.cast_at) == (None, None)
        assert stored.choices == ["object", "Gaps", "Cover"]
    assert "Object — harm: “Gaps”; would resolve it: “Cover”" in text_of(chat.last_message(SOUTH))


def test_a_forged_stance_or_form_for_the_wrong_type_is_refused(chat):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B"')
    assert "isn't part of this poll" in chat.clicks(BEN, NORTH, "stance:1:agree")
    assert "voted with its buttons" in chat.clicks(BEN, NORTH, "submit:ballot:1", {"rank0": "0"})
    assert "voted with its buttons" in chat.clicks(BEN, NORTH, "form:ballot:1")
    assert "doesn't do anything" in chat.clicks(BEN, NORTH, "stance:1:maybe")


def test_members_may_add_options_when_the_poll_allows_it(chat):
    chat.says(ASHA, NORTH, 'poll "Where next?" "Leeds" "York" --open-options')
    add = actions(chat.last_message(NORTH))["Add an option"]
    form = open_form(chat, BEN, NORTH, add)
    assert "“Hull” is now an option" in text_of(
        chat.submits(BEN, NORTH, form.action, {"option": "Hull"})[0].card
    )
    assert "Hull" in actions(chat.last_message(SOUTH))
    twice = chat.submits(CARYS, NORTH, form.action, {"option": "hull"})
    assert twice[0].form.error == "“hull” is listed twice."
    chat.says(ASHA, NORTH, 'poll "Closed list?" "A" "B"')
    assert "Only the coordinator" in chat.clicks(BEN, NORTH, "submit:option:2", {"option": "C"})


def test_the_poll_form_offers_every_setting_and_starts_an_anonymous_ranked_poll(chat):
    form = chat.form(ASHA, NORTH)
    assert {i.name for i in form.inputs} >= {
        "type",
        "anonymous",
        "results",
        "open-options",
        "balance",
        "quorum",
        "dots",
        "objections",
    }
    values = {
        "question": "Which first?",
        "options": "Beds\nStaff\nData",
        "type": "ranked",
        "anonymous": ["yes"],
        "results": "after-close",
        "closes": "friday 17:00",
    }
    chat.submits(ASHA, NORTH, form.action, values)
    card = text_of(chat.last_message(SOUTH))
    assert "rank the options" in card and "Anonymous" in card
    assert "Results are hidden until the poll closes." in card
    refused = chat.submits(ASHA, NORTH, form.action, {**values, "type": "consent"})
    assert refused[0].form.error.startswith("A consent poll is about one proposal")


def test_a_ranked_result_decided_by_a_tie_break_says_so_everywhere(chat, tmp_path):
    """The newcomer's poll #7 (D-6): Riverside and Hillview tie in the last round and
    Hillview goes only because it is listed later. Every place the result is told says so."""
    chat.says(ASHA, NORTH, 'poll "Lead site?" "Northgate" "Riverside" "Hillview" --type ranked')
    vote_with_form(chat, BEN, {"rank0": "1"})
    vote_with_form(chat, CARYS, {"rank0": "2"})
    announced = chat.says(ASHA, NORTH, "poll close 1")
    said = (
        "“Riverside” won after instant run-off. Decided by a tie-break: in round 2, "
        "“Riverside” and “Hillview” had the fewest votes; “Hillview” was eliminated "
        "because it is listed later in the poll."
    )
    assert said in announced
    assert said in text_of(chat.last_message(SOUTH))  # the result posted in every channel
    assert said in chat.says(BEN, NORTH, "poll results 1")
    assert said in chat.says(ASHA, NORTH, "decisions")
    _, file = chat.exports(ASHA, NORTH, "poll export 1")
    path = tmp_path / "ballots.csv"
    path.write_bytes(file.content)
    recount = subprocess.run(
        [sys.executable, "-m", "bot.cli", "recount", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(recount.stdout)["tie_break"] == [
        {
            "round": 2,
            "between": ["Riverside", "Hillview"],
            "eliminated": "Hillview",
            "rule": "listed later in the poll",
        }
    ]


def test_a_score_result_decided_on_the_median_says_so(chat):
    chat.says(ASHA, NORTH, 'poll "Which pilot?" "Alpha" "Beta" --type score')
    for who, alpha in ((BEN, "0"), (CARYS, "4"), (DEE, "5")):
        vote_with_form(chat, who, {"score0": alpha, "score1": "3"})
    announced = chat.says(ASHA, NORTH, "poll close 1")
    assert (
        "“Alpha” won with the highest mean score. Decided by a tie-break: "
        "“Alpha” and “Beta” had the same mean score; the higher median decided."
    ) in announced


def test_every_tie_break_of_a_result_is_told_in_order():

    result = {
        "type": "ranked",
        "winner": "A",
        "rounds": [],
        "tie_break": [
            {
                "round": 1,
                "between": ["C", "D"],
                "eliminated": "D",
                "rule": "listed later in the poll",
            },
            {
                "round": 2,
                "between": ["B", "C"],
                "eliminated": "B",
                "rule": "fewer votes in round 1",
            },
        ],
    }
    assert outcome_text(result, final=True) == (
        "“A” won after instant run-off. Decided by a tie-break: in round 1, “C” and “D” had the "
        "fewest votes; “D” was eliminated because it is listed later in the poll. In round 2, "
        "“B” and “C” had the fewest votes; “B” was eliminated because it had fewer votes in "
        "round 1."
    )


def test_a_ranked_or_score_poll_lists_its_options_before_anyone_votes(chat):
    """D-15: people see what is being decided without opening the form."""
    chat.says(ASHA, NORTH, 'poll "Which first?" "Beds" "Discharge" "Workforce" --type ranked')
    assert "The options: 1. Beds · 2. Discharge · 3. Workforce" in text_of(chat.last_message(SOUTH))


def test_a_consent_poll_explains_the_stances_and_its_threshold(chat):
    """D-20: what Object and Block mean, that they need a reason, and what adopts it."""
    chat.says(ASHA, NORTH, 'poll "We pool our waiting-list data" --type consent --objections 1')
    shown = text_of(chat.last_message(SOUTH))
    assert (
        "Object: a concern everyone should hear — the harm it would do to our aim, and what "
        "would resolve it. Block: you can't accept it, with the same two answers." in shown
    )
    assert "It is adopted with no blocks and at most 1 objection." in shown


def test_a_poll_message_says_who_asked(chat):
    """D-26: a poll in a partnership's channel says whose question it is."""
    chat.says(ASHA, NORTH, 'poll "Which first?" "Beds" "Discharge"')
    assert "Asked by Asha Patel" in text_of(chat.last_message(SOUTH))
