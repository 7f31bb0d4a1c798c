"""Polls through the engine: a coordinator starts one, members vote, every channel keeps up."""

from __future__ import annotations

import json

import pytest
from sqlmodel import func, select

from dialogs.core.events import ActionInvoked
from storage.models import AuditEntry, Ballot, Outbox, Poll
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    SOUTH,
    Conversation,
    channel,
    counts,
    poll_buttons,
    text_of,
)

LUNCH = 'poll "Which shared priority first?" "Discharge delays" "Mental health beds" "Workforce"'


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    yield conversation
    conversation.close()


def rows(database, model) -> int:
    with database.session() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_a_new_poll_appears_in_every_linked_channel(chat):
    shown = chat.says(ASHA, NORTH, LUNCH)
    assert "Poll #1 is open" in shown and "2 channels" in shown
    for place in (NORTH, SOUTH):
        card = chat.last_message(place)
        assert "Which shared priority first?" in text_of(card)
        assert list(poll_buttons(card)) == ["Discharge delays", "Mental health beds", "Workforce"]


def test_votes_from_two_channels_land_in_one_tally_shown_in_both(chat):
    chat.says(ASHA, NORTH, LUNCH)
    buttons = poll_buttons(chat.last_message(NORTH))
    assert chat.clicks(BEN, NORTH, buttons["Discharge delays"]) == (
        "You voted “Discharge delays” in poll #1 — you can change it until the poll closes."
    )
    chat.clicks(CARYS, SOUTH, buttons["Discharge delays"])
    chat.clicks(DEE, SOUTH, buttons["Workforce"])
    for place in (NORTH, SOUTH):
        assert counts(chat.last_message(place)) == {
            "Discharge delays": 2,
            "Mental health beds": 0,
            "Workforce": 1,
        }


def test_changing_a_vote_moves_it_and_keeps_the_history(chat, database):
    chat.says(ASHA, NORTH, LUNCH)
    buttons = poll_buttons(chat.last_message(NORTH))
    chat.clicks(BEN, NORTH, buttons["Discharge delays"])
    chat.clicks(BEN, NORTH, buttons["Workforce"])
    assert counts(chat.last_message(SOUTH))["Workforce"] == 1
    assert counts(chat.last_message(SOUTH))["Discharge delays"] == 0
    with database.session() as session:
        ballots = session.exec(select(Ballot)).all()
    assert sorted(b.latest for b in ballots) == [False, True]


@pytest.mark.parametrize(
    ("closes", "until"),
    [
        ("friday 17:00", "Fri 17:00"),
        ("2026-12-02 17:00", "Wed 17:00"),
        ("2026-12-03 09:30", "Thu 3 Dec 09:30"),
        ("2027-01-08 12:00", "Fri 8 Jan 2027 12:00"),
    ],
    ids=["this week", "six days away", "a week away", "next year"],
)
def test_a_vote_is_confirmed_with_the_choice_and_the_deadline_to_change_it(chat, closes, until):
    chat.says(ASHA, NORTH, f"{LUNCH} --closes {closes}")
    vote = poll_buttons(chat.last_message(NORTH))["Workforce"]
    assert chat.clicks(BEN, NORTH, vote) == (
        f"You voted “Workforce” in poll #1 — you can change it until {until}."
    )


def test_the_deadline_in_a_confirmation_is_in_the_collaboratives_time_zone(chat):
    mumbai = channel("mumbai")
    chat.says(CARYS, mumbai, 'setup "Western Partnership" --timezone Asia/Kolkata')
    chat.says(CARYS, mumbai, 'poll "Which?" "A" "B" --closes friday 17:00')
    vote = poll_buttons(chat.last_message(mumbai))["A"]
    assert "until Fri 17:00." in chat.clicks(DEE, mumbai, vote)  # 11:30 in UTC


def test_taking_back_the_last_choice_withdraws_the_vote_until_the_deadline(chat):
    chat.says(
        ASHA, NORTH, 'poll "Which two?" "A" "B" "C" --type multi --max 2 --closes friday 17:00'
    )
    vote = poll_buttons(chat.last_message(NORTH))["A"]
    assert "You voted “A” in poll #1" in chat.clicks(BEN, NORTH, vote)
    assert chat.clicks(BEN, NORTH, vote) == (
        "Your vote in poll #1 is withdrawn — you can vote again until Fri 17:00."
    )


def test_clicking_the_same_option_twice_changes_nothing(chat):
    chat.says(ASHA, NORTH, LUNCH)
    vote = poll_buttons(chat.last_message(NORTH))["Workforce"]
    chat.clicks(BEN, NORTH, vote)
    assert "already voted" in chat.clicks(BEN, NORTH, vote)
    assert counts(chat.last_message(NORTH))["Workforce"] == 1


def test_several_choices_toggle_and_respect_the_maximum(chat):
    chat.says(ASHA, NORTH, 'poll "Which two?" "A" "B" "C" --type multi --max 2')
    buttons = poll_buttons(chat.last_message(NORTH))
    chat.clicks(BEN, NORTH, buttons["A"])
    assert "“A”, “B”" in chat.clicks(BEN, NORTH, buttons["B"])
    refused = chat.clicks(BEN, NORTH, buttons["C"])
    assert "at most 2" in refused
    assert "withdrawn" not in chat.clicks(BEN, NORTH, buttons["A"])  # takes A back, keeps B
    assert counts(chat.last_message(SOUTH)) == {"A": 0, "B": 1, "C": 0}


def test_closing_a_poll_posts_the_result_everywhere_and_logs_the_decision(chat, database):
    chat.says(ASHA, NORTH, LUNCH)
    buttons = poll_buttons(chat.last_message(NORTH))
    chat.clicks(BEN, NORTH, buttons["Workforce"])
    chat.clicks(CARYS, SOUTH, buttons["Workforce"])
    assert "won with 2 votes" in chat.says(ASHA, SOUTH, "poll close 1")
    for place in (NORTH, SOUTH):
        result = chat.last_message(place)
        assert "Result of poll #1" in text_of(result)
        assert "“Workforce” won with 2 votes of 2 voters." in text_of(result)
        poll_message = chat.messages(place)[-2]
        assert poll_buttons(poll_message) == {}, "a closed poll keeps no vote buttons"
    assert "closed poll #1" in chat.says(BEN, NORTH, "decisions")
    with database.session() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "poll.close")).one()
    assert json.loads(entry.detail["result"])["counts"] == {
        "Discharge delays": 0,
        "Mental health beds": 0,
        "Workforce": 2,
    }


def test_the_close_button_works_for_coordinators_only(chat):
    chat.says(ASHA, NORTH, LUNCH)
    assert "Only a coordinator can close a poll" in chat.clicks(BEN, NORTH, "close:1")
    assert "Poll #1 is closed" in chat.clicks(ASHA, NORTH, "close:1")


def test_a_vote_on_a_closed_poll_is_refused(chat):
    chat.says(ASHA, NORTH, LUNCH)
    vote = poll_buttons(chat.last_message(NORTH))["Workforce"]
    chat.says(ASHA, NORTH, "poll close 1")
    assert "Poll #1 is closed" in chat.clicks(BEN, NORTH, vote)
    assert "already closed" in chat.says(ASHA, NORTH, "poll close 1")


def test_poll_list_and_results_show_the_current_state(chat):
    chat.says(ASHA, NORTH, LUNCH)
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["Workforce"])
    assert "#1 · single · open · 1 voted · Which shared priority first?" in chat.says(
        CARYS, SOUTH, "poll list"
    )
    assert "“Workforce” leads with 1 vote of 1 voters." in chat.says(CARYS, SOUTH, "poll results 1")
    assert "There is no poll #9" in chat.says(CARYS, SOUTH, "poll results 9")
    assert "older poll" not in chat.says(CARYS, SOUTH, "poll list")  # nothing left out


def test_poll_list_says_how_many_older_polls_it_leaves_out(chat):
    """D-29: the list stops at the newest 20, and says so instead of stopping silently."""
    for n in range(22):
        chat.says(ASHA, NORTH, f'poll "Question {n + 1}?" "A" "B"')
        chat.clock.advance(minutes=3)  # within the limit of 20 polls an hour
    listing = chat.says(BEN, NORTH, "poll list")
    assert "#22 · single · open · 0 voted · Question 22?" in listing
    assert "#3 · single" in listing and "#2 · single" not in listing
    assert "… and 2 older polls, not listed: `poll results ID` shows any of them." in listing


def test_observers_see_polls_but_do_not_vote(chat):
    chat.says(DEE, NORTH, "help")
    chat.says(ASHA, NORTH, "role observer @Dee Sharma")
    chat.says(ASHA, NORTH, LUNCH)
    vote = poll_buttons(chat.last_message(NORTH))["Workforce"]
    assert "Observers see polls but do not vote" in chat.clicks(DEE, NORTH, vote)
    assert counts(chat.last_message(NORTH))["Workforce"] == 0


def test_a_member_cannot_start_a_poll_and_nothing_is_created(chat, database):
    shown = chat.says(BEN, NORTH, LUNCH)
    assert "Only a coordinator can start a poll" in shown
    assert "You typed: poll" in shown, "what they typed is echoed back so nothing is lost"
    assert rows(database, Poll) == 0


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ('poll "Lunch?" "Pizza" ""', "One of the options is empty"),
        ('poll "Lunch?" "Pizza" "pizza"', "listed twice"),
        ('poll "Lunch?" "Pizza"', "at least two options"),
        ("poll " + '"Q?" ' + " ".join(f'"O{i}"' for i in range(21)), "21 options; the most is 20"),
        ('poll "' + "x" * 301 + '" "A" "B"', "the most is 300"),
        ('poll "Q?" "' + "y" * 151 + '" "B"', "the most is 150"),
        ('poll "Q?" "A" "B" --max 2', "`--max` only goes with `--type multi`"),
        ('poll "Q?" "A" "B" --type multi --max 3', "more than the 2 options"),
        ('poll "Q?" "A" "B" --type consent', "takes no options"),
        ('poll "Q?" --type consent --max 2', "`--max` only goes with `--type multi`"),
        ('poll "Q?" "A" "B" --dots 3', "`--dots` only goes with `--type dots`"),
        ('poll "Q?" "A" "B" --objections 1', "`--objections` only goes with `--type consent`"),
        ('poll "Q?" "A" "B" --balance orgs', "needs organisations"),
        ('poll "Q?" "A" "B" --quorum per-org', "needs organisations"),
        ('poll "Q?" "' + "o" * 300 + '" "B"', "the most is 150"),
        ('poll "Q?" "Only one"', "at least two options"),
        ('poll "Q?" "A" "B" --closes whenever', "can't read “whenever”"),
        ('poll "Q?" "A" "B" --closes 2020-01-01 10:00', "already past"),
        ('poll "Q?" "A" "B" --closes friday 17:00 --remind 3d', "after the poll closes"),
        ('poll "Q?" "A" "B', "never closed"),
        ('poll "Q?" "A" "B" --type sideways', "can't be `sideways`"),
        ("poll " + "z" * 10_000, "the most Concord reads is 4,000"),
        ('poll "Q?\x1b[31m" "A" "B"', "control character"),
    ],
)
def test_bad_poll_commands_are_explained_and_change_nothing(chat, database, command, problem):
    before = rows(database, Outbox)
    assert problem in chat.says(ASHA, NORTH, command)
    assert rows(database, Poll) == 0
    assert rows(database, Outbox) == before


def test_forged_or_stale_actions_are_refused(chat, database):
    chat.says(ASHA, NORTH, LUNCH)
    for action in ("vote:999:1", "vote:1:999", "vote:1", "delete:everything", "x" * 5000):
        shown = chat.clicks(BEN, NORTH, action)
        assert "isn't part of" in shown or "doesn't do anything" in shown, action
    assert rows(database, Ballot) == 0


def test_a_vote_naming_another_collaboratives_poll_is_refused(chat, database):
    elsewhere = channel("elsewhere")
    chat.says(CARYS, elsewhere, 'setup "Another collaborative"')
    chat.says(CARYS, elsewhere, 'poll "Theirs?" "A" "B"')
    their_vote = poll_buttons(chat.last_message(elsewhere))["A"]
    assert "isn't part of this channel's collaborative" in chat.clicks(BEN, NORTH, their_vote)
    assert rows(database, Ballot) == 0
    assert "isn't part of" in chat.clicks(ASHA, NORTH, "close:" + their_vote.split(":")[1])


def test_votes_in_a_channel_that_is_not_linked_are_refused(chat):
    chat.says(ASHA, NORTH, LUNCH)
    vote = poll_buttons(chat.last_message(NORTH))["Workforce"]
    assert "isn't part of a collaborative" in chat.clicks(BEN, channel("unlinked"), vote)


def test_the_poll_form_starts_a_poll_and_keeps_input_when_it_refuses(chat):
    form = chat.form(ASHA, NORTH)
    assert [i.name for i in form.inputs] == [
        "template",
        "question",
        "description",
        "options",
        "type",
        "max",
        "dots",
        "objections",
        "anonymous",
        "results",
        "open-options",
        "balance",
        "quorum",
        "rule",
        "rule-percent",
        "opens",
        "closes",
        "remind",
        "mode",
        "decider",
        "review",
    ]
    refused = chat.submits(
        ASHA, NORTH, form.action, {"question": "Q?", "options": "A\nA", "type": "single", "max": ""}
    )
    again = refused[0].form
    assert again.error == "“A” is listed twice."
    assert again.inputs[1].value == "Q?" and again.inputs[3].value == "A\nA"
    chat.submits(
        ASHA,
        NORTH,
        form.action,
        {"question": "Q?", "options": "A\nB\nC", "type": "multi", "max": "2"},
    )
    assert list(poll_buttons(chat.last_message(SOUTH))) == ["A", "B", "C"]


def test_members_cannot_open_the_poll_form(chat):
    assert "Only a coordinator" in chat.says(BEN, NORTH, "poll")
    assert "Only a coordinator" in chat.clicks(BEN, NORTH, "submit:poll", {"question": "Q?"})


def test_each_vote_queues_one_update_and_bursts_are_coalesced(chat, database):
    chat.says(ASHA, NORTH, LUNCH)
    buttons = poll_buttons(chat.last_message(NORTH))
    for voter in (BEN, CARYS, DEE):
        chat.engine.handle(ActionInvoked(voter, NORTH, buttons["Workforce"]))
    updates_before = len(chat.platform.updates)
    chat.deliver()
    # Three queued updates of one poll become one edit per posted copy, with all three votes.
    assert len(chat.platform.updates) - updates_before == 2
    assert counts(chat.last_message(SOUTH))["Workforce"] == 3
