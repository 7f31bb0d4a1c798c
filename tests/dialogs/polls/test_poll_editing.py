"""Changing a poll once it is posted: edit, extend, reopen, delete, and its description.

A coordinator fixes a typo or a deadline without starting again; a vote already cast
keeps meaning what its voter meant, so what a ballot fixes never changes; every change
shows on the poll in every channel and stays in the decision log.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from dialogs.core.actions import FormKind, RequestForm, SubmitForm
from dialogs.core.cards import Card, Form, TextInput
from dialogs.ticker import Ticker
from storage.models import AuditEntry, Poll, PurposeRound, Timer
from tests.dialogs.polls.test_time_deadlines import private_texts
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    SOUTH,
    Conversation,
    buttons,
    channel,
    counts,
    poll_buttons,
    text_of,
)

LUNCH = 'poll "Which shared priority first?" "Dischrage delays" "Workforce"'


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    for person in (BEN, CARYS):
        conversation.says(person, NORTH, "help")  # each becomes a member by acting
    yield conversation
    conversation.close()


@pytest.fixture
def ticker(database, clock):
    return Ticker(database, clock)


def the_poll(database, number: int = 1) -> Poll:
    with database.session() as session:
        return session.exec(select(Poll).where(Poll.number == number)).one()


def logged(database, action: str) -> list[str]:
    with database.session() as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.action == action)).all()
        return [entry.summary for entry in entries]


def poll_message(chat, place=NORTH) -> Card:
    return next(c for c in chat.messages(place) if c.fallback.startswith("Poll #1:"))


def field(form: Form, name: str) -> str:
    found = next(i for i in form.inputs if i.name == name)
    assert isinstance(found, TextInput)
    return found.value


# --- poll edit ---------------------------------------------------------------------------


def test_a_typo_in_an_option_is_fixed_everywhere_and_the_poll_says_so(chat, database):
    chat.says(ASHA, NORTH, LUNCH)
    shown = chat.says(ASHA, NORTH, 'poll edit 1 --option 1 "Discharge delays"')
    assert "Poll #1 is changed" in shown
    assert "Option “Dischrage delays” reworded as “Discharge delays”." in shown
    for place in (NORTH, SOUTH):
        card = chat.last_message(place)
        assert list(poll_buttons(card)) == ["Discharge delays", "Workforce"]
        assert (
            "Edited Thu 26 Nov 2026 09:00 GMT: option “Dischrage delays” reworded as "
            "“Discharge delays”." in text_of(card)
        )
    assert logged(database, "poll.edit") == [
        "edited poll #1: option “Dischrage delays” reworded as “Discharge delays”"
    ]


def test_after_a_vote_the_wording_can_change_and_the_voter_is_told(chat):
    chat.says(ASHA, NORTH, LUNCH)
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["Dischrage delays"])
    shown = chat.says(
        ASHA, NORTH, 'poll edit 1 --option 1 "Discharge delays" --add-option "Estates"'
    )
    assert "and those who voted (1) were told privately." in shown
    card = chat.last_message(SOUTH)
    assert list(poll_buttons(card)) == ["Discharge delays", "Workforce", "Estates"]
    assert counts(card) == {"Discharge delays": 1, "Workforce": 0, "Estates": 0}
    told = private_texts(chat, BEN)[-1]
    assert "Poll #1, which you voted in, was edited" in told
    assert "option “Estates” added" in told
    assert "Your vote stands; you can change it on the poll while it is open." in told


def test_a_vote_keeps_its_option_when_the_option_is_reworded(chat):
    chat.says(ASHA, NORTH, LUNCH)
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["Dischrage delays"])
    chat.says(ASHA, NORTH, 'poll edit 1 --option 1 "Discharge delays"')
    assert "“Discharge delays” leads with 1 vote of 1 voters." in chat.says(
        CARYS, NORTH, "poll results 1"
    )


def test_a_member_cannot_edit_extend_reopen_or_delete_a_poll(chat, database):
    chat.says(ASHA, NORTH, LUNCH)
    for typed in (
        'poll edit 1 --question "Mine?"',
        "poll extend 1 --closes friday 17:00",
        "poll reopen 1",
        "poll delete 1",
    ):
        shown = chat.says(BEN, NORTH, typed)
        assert "Only a coordinator can" in shown and "you are a member" in shown
    assert the_poll(database).question == "Which shared priority first?"
    assert the_poll(database).status == "open"


def test_anonymity_cannot_be_switched_on_after_a_vote_and_nothing_changes(chat, database):
    chat.says(ASHA, NORTH, LUNCH)
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["Workforce"])
    updates = len(chat.platform.updates)
    shown = chat.says(ASHA, NORTH, 'poll edit 1 --anonymous --question "Reworded?"')
    assert "People have voted in poll #1, so anonymity can't change." in shown
    assert "only the wording of the question and options, the description" in shown
    poll = the_poll(database)
    assert (poll.question, poll.settings.get("anonymous")) == (
        "Which shared priority first?",
        None,
    )
    assert logged(database, "poll.edit") == []
    assert len(chat.platform.updates) == updates


def test_the_edit_form_refuses_hiding_results_after_a_vote_and_keeps_what_was_typed(chat):
    chat.says(ASHA, NORTH, LUNCH)
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["Workforce"])
    form = chat.form(ASHA, NORTH, "poll edit 1")
    values = {i.name: getattr(i, "value", "") for i in form.inputs}
    values |= {"results": ["after-close"], "question": "Which first?"}
    effects = chat.submits(ASHA, NORTH, form.action, values)
    again = effects[0].form
    assert again.error == "People have voted in poll #1, so when results are shown can't change."
    assert field(again, "question") == "Which first?"


def test_before_any_vote_the_form_changes_anything_including_the_type(chat, database):
    chat.says(ASHA, NORTH, LUNCH)
    form = chat.form(ASHA, NORTH, "poll edit 1")
    assert form.title == "Edit poll #1" and form.submit_label == "Save changes"
    assert field(form, "options") == "Dischrage delays\nWorkforce"
    assert "closes" not in [i.name for i in form.inputs]  # `poll extend` moves deadlines
    values = {i.name: getattr(i, "value", "") for i in form.inputs}
    values |= {"type": ["multi"], "options": "Discharge delays\nWorkforce\nEstates", "max": "2"}
    chat.submits(ASHA, NORTH, form.action, values)
    poll = the_poll(database)
    assert (poll.type, poll.settings["max"]) == ("multi", 2)
    assert "up to 2 choices" in text_of(chat.last_message(SOUTH))
    assert "the type of poll changed" in text_of(chat.last_message(SOUTH))


def test_options_cannot_be_removed_after_a_vote(chat, database):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" "C"')
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["C"])
    form = chat.form(ASHA, NORTH, "poll edit 1")
    values = {i.name: getattr(i, "value", "") for i in form.inputs} | {"options": "A\nB"}
    effects = chat.submits(ASHA, NORTH, form.action, values)
    assert effects[0].form.error == "People have voted in poll #1, so its options can't be removed."
    assert list(poll_buttons(chat.last_message(SOUTH))) == ["A", "B", "C"]


def test_a_closed_poll_is_not_edited(chat, database):
    chat.says(ASHA, NORTH, LUNCH)
    chat.says(ASHA, NORTH, "poll close 1")
    shown = chat.says(ASHA, NORTH, 'poll edit 1 --question "Rewritten?"')
    assert "Poll #1 is closed, so its result stands as announced." in shown
    assert the_poll(database).question == "Which shared priority first?"


def test_an_option_number_the_poll_does_not_have_is_refused(chat):
    chat.says(ASHA, NORTH, LUNCH)
    shown = chat.says(ASHA, NORTH, 'poll edit 1 --option 3 "Estates"')
    assert "`--option` takes the number of an option (1 to 2) and its new wording" in shown


def test_a_reworded_option_may_not_repeat_another(chat):
    chat.says(ASHA, NORTH, LUNCH)
    assert "“Workforce” is listed twice." in chat.says(
        ASHA, NORTH, 'poll edit 1 --option 1 "workforce"'
    )


def test_an_edit_that_changes_nothing_says_so(chat, database):
    chat.says(ASHA, NORTH, LUNCH)
    assert "Poll #1 is unchanged." in chat.says(ASHA, NORTH, 'poll edit 1 --option 2 "Workforce"')
    assert logged(database, "poll.edit") == []


def test_a_stale_edit_form_cannot_reach_another_collaboratives_poll(chat, database):
    elsewhere = channel("elsewhere")
    chat.says(DEE, elsewhere, 'setup "Western Partnership"')
    chat.says(ASHA, NORTH, LUNCH)
    poll_id = the_poll(database).id
    action = SubmitForm(FormKind.POLL_EDIT, poll_id).encode()
    shown = chat.clicks(DEE, elsewhere, action, {"question": "Hijacked?"})
    assert "That poll isn't part of this channel's collaborative." in shown
    assert the_poll(database).question == "Which shared priority first?"


# --- descriptions ------------------------------------------------------------------------


def test_a_description_is_shown_under_the_question_in_every_channel(chat):
    chat.says(ASHA, NORTH, f'{LUNCH} --description "Read the <b>winter</b> paper first."')
    for place in (NORTH, SOUTH):
        card = chat.last_message(place)
        assert [getattr(b, "text", "") for b in card.blocks[:2]] == [
            "Which shared priority first?",
            "Read the <b>winter</b> paper first.",  # text: each platform escapes it
        ]


def test_a_description_over_the_limit_is_refused_and_no_poll_is_made(chat, database):
    shown = chat.says(ASHA, NORTH, f'{LUNCH} --description "{"x" * 1001}"')
    assert "The description is 1,001 characters; the most is 1,000." in shown
    with database.session() as session:
        assert session.exec(select(Poll)).all() == []


def test_the_poll_form_takes_a_description_and_edit_changes_it(chat):
    form = chat.form(ASHA, NORTH, "poll")
    assert "description" in [i.name for i in form.inputs]
    values = {"question": "Q?", "options": "A\nB", "description": "Context\n\nmore context"}
    chat.submits(ASHA, NORTH, form.action, values)
    assert "Context\nmore context" in text_of(chat.last_message(SOUTH))
    chat.says(ASHA, NORTH, 'poll edit 1 --description "Better context"')
    card = chat.last_message(SOUTH)
    assert "Better context" in text_of(card) and "description changed" in text_of(card)


# --- poll extend -------------------------------------------------------------------------


def test_extending_moves_the_deadline_and_its_timer(chat, ticker, clock, database):
    chat.says(ASHA, NORTH, f"{LUNCH} --closes in 2 hours")
    shown = chat.says(ASHA, NORTH, "poll extend 1 --closes friday 17:00")
    assert "Poll #1 now closes Fri 27 Nov 2026 17:00 GMT" in shown
    card = chat.last_message(SOUTH)
    assert "closes Fri 27 Nov 2026 17:00 GMT (it closed Thu 26 Nov 2026 11:00 GMT)" in (
        text_of(card)
    )
    clock.advance(hours=3)
    assert ticker.tick().fired == 0
    assert the_poll(database).status == "open"
    clock.advance(days=2)
    assert ticker.tick().fired == 1
    assert the_poll(database).status == "closed"
    assert logged(database, "poll.extend") == [
        "extended poll #1: closes Fri 27 Nov 2026 17:00 GMT (it closed Thu 26 Nov 2026 11:00 GMT)"
    ]


def test_a_deadline_can_only_move_later(chat):
    chat.says(ASHA, NORTH, f"{LUNCH} --closes friday 17:00")
    shown = chat.says(ASHA, NORTH, "poll extend 1 --closes in 2 hours")
    assert "Poll #1 already closes Fri 27 Nov 2026 17:00 GMT" in shown
    assert "only moves a deadline later" in shown
    assert "already past" in chat.says(ASHA, NORTH, "poll extend 1 --closes yesterday 17:00")
    assert "Say the new deadline." in chat.says(ASHA, NORTH, "poll extend 1")


def test_a_poll_without_a_deadline_gets_one(chat, ticker, clock, database):
    chat.says(ASHA, NORTH, LUNCH)
    chat.says(ASHA, NORTH, "poll extend 1 --closes in 1 hour")
    assert "(it had no deadline)" in text_of(chat.last_message(NORTH))
    clock.advance(hours=1, seconds=1)
    assert ticker.tick().fired == 1
    assert the_poll(database).status == "closed"


# --- poll reopen -------------------------------------------------------------------------


def test_a_reopened_poll_takes_votes_and_its_new_result_replaces_the_old(chat, clock, database):
    chat.says(ASHA, NORTH, LUNCH)
    vote = poll_buttons(chat.last_message(NORTH))
    chat.clicks(BEN, NORTH, vote["Workforce"])
    chat.says(ASHA, NORTH, "poll close 1")
    clock.advance(hours=1)
    shown = chat.says(ASHA, NORTH, "poll reopen 1")
    assert "Poll #1 is open again" in shown
    announced = text_of(chat.last_message(SOUTH))
    assert "the result announced Thu 26 Nov 2026 09:00 GMT no longer stands" in announced
    chat.clicks(CARYS, SOUTH, vote["Dischrage delays"])
    clock.advance(hours=1)
    chat.says(ASHA, NORTH, "poll close 1")
    result = text_of(chat.last_message(SOUTH))
    assert "Result of poll #1" in result
    assert "This result replaces the one announced Thu 26 Nov 2026 09:00 GMT." in result
    assert logged(database, "poll.reopen") == [
        "reopened poll #1: Which shared priority first? — the result announced "
        "Thu 26 Nov 2026 09:00 GMT no longer stands"
    ]
    assert "reopened poll #1" in chat.says(ASHA, NORTH, "decisions")


def test_reopening_with_a_deadline_closes_it_again_then(chat, ticker, clock, database):
    chat.says(ASHA, NORTH, f"{LUNCH} --closes in 1 hour")
    clock.advance(hours=1, seconds=1)
    ticker.tick()
    assert "It closes Thu 26 Nov 2026 12:00 GMT." in chat.says(
        ASHA, NORTH, "poll reopen 1 --closes in 2 hours"
    )
    assert list(poll_buttons(poll_message(chat))) == ["Dischrage delays", "Workforce"]
    clock.advance(hours=2)
    assert ticker.tick().fired == 1
    chat.deliver()
    assert the_poll(database).status == "closed"
    assert "This result replaces the one announced Thu 26 Nov 2026 10:00 GMT." in text_of(
        chat.last_message(NORTH)
    )


def test_an_open_poll_is_not_reopened(chat):
    chat.says(ASHA, NORTH, LUNCH)
    assert "Poll #1 is open already." in chat.says(ASHA, NORTH, "poll reopen 1")


def test_a_purpose_rounds_poll_is_the_rounds_to_change_and_not_reopened(chat, database):
    chat.says(ASHA, NORTH, "purpose start")
    with database.session() as session:
        round_id = session.exec(select(PurposeRound.id)).one()
    chat.clicks(BEN, NORTH, RequestForm(FormKind.PROPOSAL, round_id).encode())
    chat.clicks(BEN, NORTH, SubmitForm(FormKind.PROPOSAL, round_id).encode(), {"text": "Join up"})
    for _ in range(3):  # one theme, one draft: straight to the consent poll
        chat.says(ASHA, NORTH, "purpose next")
    assert the_poll(database).settings.get("purpose_round") == round_id
    shown = chat.says(ASHA, NORTH, "poll extend 1 --closes in 5 days")
    assert "Poll #1 belongs to purpose round #1, which decides what it offers and when it " in (
        shown
    )
    assert "`purpose next` closes it now" in shown
    chat.says(ASHA, NORTH, "poll close 1")  # the consent poll closes; the round moves on
    shown = chat.says(ASHA, NORTH, "poll reopen 1")
    assert "Poll #1 belongs to purpose round #1, which has moved on (it is at “" in shown
    assert "so the poll can't be reopened." in shown
    assert the_poll(database).status == "closed"


# --- poll delete -------------------------------------------------------------------------


def test_a_poll_nobody_voted_in_is_deleted_and_its_messages_say_so(chat, database, ticker, clock):
    chat.says(ASHA, NORTH, 'poll "Lunch where?" "1" "2" --closes in 1 hour')
    shown = chat.says(ASHA, NORTH, "poll delete 1")
    assert "Its message in 2 channels now says it was deleted." in shown
    for place in (NORTH, SOUTH):
        card = chat.last_message(place)
        assert text_of(card) == (
            "Poll #1 was deleted\n“Lunch where?” was deleted by Asha Patel "
            "on Thu 26 Nov 2026 09:00 GMT."
        )
        assert buttons(card) == {}
    assert logged(database, "poll.delete") == ["deleted poll #1: Lunch where?"]
    clock.advance(hours=2)
    assert ticker.tick().fired == 0, "a deleted poll's deadline never fires"
    assert "Poll #1 was deleted." in chat.says(ASHA, NORTH, "poll results 1")
    with database.session() as session:
        of_poll = select(Timer).where(Timer.kind != "retention")
        assert {t.status for t in session.exec(of_poll).all()} == {"cancelled"}


def test_a_poll_with_a_vote_is_not_deleted(chat, database):
    chat.says(ASHA, NORTH, LUNCH)
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["Workforce"])
    shown = chat.says(ASHA, NORTH, "poll delete 1")
    assert "People have voted in poll #1, so it can't be deleted" in shown
    assert "Close it with `poll close 1`" in shown
    assert the_poll(database).status == "open"
    assert logged(database, "poll.delete") == []


def test_a_vote_on_a_deleted_poll_is_refused(chat):
    chat.says(ASHA, NORTH, LUNCH)
    vote = poll_buttons(chat.last_message(NORTH))["Workforce"]
    chat.says(ASHA, NORTH, "poll delete 1")
    assert "Poll #1 was deleted." in chat.clicks(BEN, NORTH, vote)
