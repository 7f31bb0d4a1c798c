"""Governance modes in chat: the partnership's way (`settings governance`), a delegated
poll's decision by its decider alone, and what is refused, with the words people read."""

from __future__ import annotations

import pytest

from dialogs.core.cards import OpenForm
from dialogs.core.events import ActionInvoked
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    SOUTH,
    Conversation,
    buttons,
    poll_buttons,
    text_of,
)

DECIDE = "form:decision:1"


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    for someone in (BEN, CARYS, DEE):
        conversation.says(someone, NORTH, "help")
    yield conversation
    conversation.close()


def test_the_partnership_sets_its_way_and_new_polls_take_it(chat):
    assert chat.says(ASHA, NORTH, "settings governance") == (
        "Northshire Provider Collaborative decides: joint, everyone votes as one group, and "
        "the result is the decision.\n"
        "Ways of deciding: `joint`: everyone votes as one group, and the result is the "
        "decision; `advisory`: the vote is advice: the result informs the partnership, which "
        "decides; `delegated`: the vote informs a named decision-maker, who records the "
        "decision afterwards; `committees-in-common`: each organisation's votes make that "
        "organisation's decision, and the partnership agrees where the organisations do.\n"
        "Change it with `settings governance MODE` (`delegated` needs `--decider @person`)."
    )
    refused = chat.says(ASHA, NORTH, "settings governance delegated")
    assert refused.startswith("Delegated decisions need a decider")
    assert chat.says(BEN, NORTH, "settings governance advisory").startswith(
        "Only a coordinator can change how the partnership decides; you are a member of "
    )
    said = chat.says(ASHA, NORTH, "settings governance delegated --decider @Dee Sharma")
    assert said.startswith(
        "Northshire Provider Collaborative now decides: delegated, the vote informs a named "
        "decision-maker, who records the decision afterwards (the decider: Dee Sharma)."
    )
    chat.says(ASHA, NORTH, 'poll "Which first?" "A" "B"')
    assert "How this decides: the vote informs Dee Sharma" in text_of(chat.last_message(SOUTH))
    assert "set how the partnership decides: delegated" in chat.says(CARYS, NORTH, "decisions")


def test_only_the_decider_records_a_delegated_decision_after_the_close(chat):
    chat.says(ASHA, NORTH, 'poll "Which first?" "A" "B" --mode delegated --decider @Dee Sharma')
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["A"])
    assert chat.says(DEE, NORTH, 'poll decide 1 "A it is"').startswith(
        "Poll #1 is still open: the decision is recorded after the vote.\n"
        "You can record it once the poll closes."
    )
    closed = chat.says(ASHA, NORTH, "poll close 1")
    assert closed == (
        "Poll #1 is closed.\nThe vote: “A” came first with 1 vote of 1 voters. "
        "Waiting for Dee Sharma to decide."
    )
    assert "Waiting for Dee Sharma to decide." in text_of(chat.last_message(SOUTH))
    # The decider alone is told, privately, with the button to decide.
    told = [(who, card) for who, card in chat.platform.private if "your decision" in card.fallback]
    assert [who.user_id for who, _ in told] == ["dee"]
    assert buttons(told[0][1]) == {"Record the decision": DECIDE}
    # Nobody else may decide, by command, button or a forged form.
    refusal = "Only Dee Sharma can record the decision on poll #1."
    assert chat.says(ASHA, NORTH, 'poll decide 1 "B"').startswith(refusal)
    assert chat.clicks(BEN, NORTH, DECIDE).startswith(refusal)
    assert chat.clicks(BEN, NORTH, "submit:decision:1", {"decision": "B"}).startswith(refusal)
    assert "Record the decision" not in buttons(chat.last_message(NORTH))
    # The decider's own result carries the button; it opens the form.
    assert chat.says(DEE, NORTH, "poll results 1").count("Waiting for Dee Sharma") == 1
    forms = [
        e.form
        for e in chat.engine.handle(ActionInvoked(DEE, NORTH, DECIDE))
        if isinstance(e, OpenForm)
    ]
    assert forms[0].title == "Decide poll #1"
    empty = chat.submits(DEE, NORTH, forms[0].action, {"decision": "  "})
    assert empty[0].form.error == "Say what you decided."
    done = chat.submits(DEE, NORTH, forms[0].action, {"decision": "We start with A in March"})
    assert text_of(done[0].card).startswith("Your decision on poll #1 is recorded")
    chat.deliver()
    for place in (NORTH, SOUTH):
        posted = text_of(chat.messages(place)[-1])
        assert "Decided by Dee Sharma: “We start with A in March”." in posted
    assert "Dee Sharma decided poll #1: “We start with A in March”" in chat.says(
        CARYS, NORTH, "decisions"
    )
    again = chat.says(DEE, NORTH, 'poll decide 1 "B"')
    assert again.split("\n")[0] == "You already decided poll #1: “We start with A in March”."


def test_a_mode_is_fixed_by_the_first_ballot(chat):
    chat.says(ASHA, NORTH, 'poll "Which first?" "A" "B" --mode advisory')
    changed = chat.says(ASHA, NORTH, "poll edit 1 --mode joint")
    assert changed.startswith("Poll #1 is changed\nHow it decides changed.")
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["A"])
    assert chat.says(ASHA, NORTH, "poll edit 1 --mode advisory").startswith(
        "People have voted in poll #1, so how it decides can't change."
    )
    assert "How this decides: everyone votes" in text_of(chat.last_message(SOUTH))


def test_what_cannot_be_asked_is_refused_with_the_reason(chat):
    no_decider = chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --mode delegated')
    assert no_decider.startswith("A delegated poll needs a decider")
    stray = chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --decider @Dee Sharma')
    assert stray.startswith("`--decider` only goes with `--mode delegated`.")
    nobody = chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --mode delegated --decider @Zed')
    assert "Zed isn't a member of Northshire Provider Collaborative yet." in nobody
    no_orgs = chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --mode committees-in-common')
    assert no_orgs.startswith("Committees in common needs organisations")
    chat.says(ASHA, NORTH, 'org add "Valley"')
    hidden = chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --mode committees-in-common --anonymous')
    assert hidden.startswith(
        "Committees in common can't be anonymous: each organisation's decision is counted "
        "from its own votes, and an anonymous poll hides an organisation's figures when "
        "fewer than 3 of its people vote."
    )
    assert "no polls yet" in chat.says(BEN, NORTH, "poll list").lower()
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B"')
    assert chat.says(ASHA, NORTH, 'poll decide 1 "A"').startswith(
        "Poll #1 isn't decided by one person: it is joint."
    )


def test_the_poll_form_chooses_how_the_poll_decides(chat):
    chat.says(ASHA, NORTH, "settings governance advisory")
    form = chat.form(ASHA, NORTH)
    mode = next(i for i in form.inputs if i.name == "mode")
    assert mode.value == ["advisory"]
    assert [c.value for c in mode.choices] == [
        "joint",
        "advisory",
        "delegated",
        "committees-in-common",
    ]
    values = {"question": "Which first?", "options": "A\nB", "mode": ["delegated"]}
    refused = chat.submits(ASHA, NORTH, form.action, values)
    assert refused[0].form.error.startswith("A delegated poll needs a decider")
    chat.submits(ASHA, NORTH, form.action, {**values, "decider": "@Dee Sharma"})
    chat.deliver()
    assert "How this decides: the vote informs Dee Sharma" in text_of(chat.last_message(SOUTH))


def test_advice_is_never_called_won_even_counted_by_organisation(chat):
    chat.says(ASHA, NORTH, 'org add "Valley"')
    chat.says(BEN, NORTH, 'org join "Valley"')
    chat.says(ASHA, NORTH, 'poll "Which first?" "A" "B" --mode advisory --balance orgs')
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["A"])
    closed = chat.says(ASHA, NORTH, "poll close 1")
    assert closed == (
        "Poll #1 is closed.\nAdvice to the partnership: “A” came first with 1 vote of 1 voters."
    )
    shown = chat.says(CARYS, NORTH, "poll results 1")
    assert "With each organisation counted equally: “A” came first with 1 vote" in shown
    assert " won " not in shown and "Decided" not in shown


def test_the_deciders_own_view_has_the_button_until_a_reopened_poll_needs_deciding_again(chat):
    chat.says(ASHA, NORTH, 'poll "Which first?" "A" "B" --mode delegated --decider @Dee Sharma')
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["B"])
    chat.says(ASHA, NORTH, "poll close 1")
    assert buttons(chat.engine.render_view("poll:1", DEE)) == {"Record the decision": DECIDE}
    assert "Record the decision" not in buttons(chat.engine.render_view("poll:1", BEN))
    chat.says(DEE, NORTH, 'poll decide 1 "B, from April"')
    assert "Record the decision" not in buttons(chat.engine.render_view("poll:1", DEE))
    assert "Decided by Dee Sharma: “B, from April”." in text_of(chat.last_message(SOUTH))
    chat.says(ASHA, NORTH, "poll reopen 1")
    closed = chat.says(ASHA, NORTH, "poll close 1")
    assert closed.endswith("Waiting for Dee Sharma to decide.")
    assert buttons(chat.engine.render_view("poll:1", DEE)) == {"Record the decision": DECIDE}
