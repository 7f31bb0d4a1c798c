"""Poll deadlines that really close, and the poll's own reminder for those who haven't voted."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dialogs import ticker as ticker_module
from dialogs.core.cards import Card
from dialogs.ticker import Ticker
from storage.models import AuditEntry, Member, Poll, Timer
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


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    for person in (BEN, CARYS, DEE):
        conversation.says(person, NORTH, "help")  # each becomes a member by acting
    yield conversation
    conversation.close()


@pytest.fixture
def ticker(database, clock):
    return Ticker(database, clock)


def private_cards(chat, person) -> list[Card]:
    return [card for actor, card in chat.platform.private if actor.user_id == person.user_id]


def private_texts(chat, person) -> list[str]:
    return [text_of(card) for card in private_cards(chat, person)]


def test_the_deadline_is_echoed_as_an_exact_local_time(chat):
    shown = chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --closes friday 17:00')
    assert "It closes Fri 27 Nov 2026 17:00 GMT." in shown
    assert "until Fri 27 Nov 2026 17:00 GMT" in text_of(chat.last_message(SOUTH))


def test_a_poll_closes_at_its_deadline_even_if_nobody_touches_it(chat, ticker, clock, database):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --closes in 2 hours')
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["A"])
    clock.advance(hours=1, minutes=59)
    assert ticker.tick().fired == 0
    clock.advance(minutes=1, seconds=1)
    assert ticker.tick().fired == 1
    chat.deliver()
    for place in (NORTH, SOUTH):
        assert "“A” won with 1 vote of 1 voters." in text_of(chat.last_message(place))
        assert poll_buttons(chat.messages(place)[-2]) == {}
    with database.session() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "poll.close")).one()
    assert entry.actor_name == "Concord"
    assert ticker.tick().fired == 0, "the deadline fires once"


def test_a_vote_after_the_deadline_is_refused_before_the_timer_fires(chat, clock):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --closes in 1 hour')
    vote = poll_buttons(chat.last_message(NORTH))["A"]
    clock.advance(hours=1)
    assert "Poll #1 closed Thu 26 Nov 2026 10:00 GMT" in chat.clicks(BEN, NORTH, vote)
    assert counts(chat.last_message(NORTH))["A"] == 0


def test_a_poll_closed_by_hand_does_not_close_again_at_its_deadline(chat, ticker, clock):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --closes in 1 hour --remind 30m')
    chat.says(ASHA, NORTH, "poll close 1")
    posted = len(chat.messages(NORTH))
    clock.advance(hours=2)
    assert ticker.tick().fired == 0
    chat.deliver()
    assert len(chat.messages(NORTH)) == posted
    assert private_texts(chat, BEN) == []


def test_the_reminder_goes_once_to_members_who_have_not_voted_and_never_to_observers(
    chat, ticker, clock
):
    chat.says(ASHA, NORTH, "role observer @Dee Sharma")
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --remind 24h')
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["A"])
    clock.advance(hours=24)
    assert ticker.tick().fired == 1
    chat.deliver()
    reminded = {actor.user_id for actor, _ in chat.platform.private}
    assert reminded == {"asha", "carys"}, "not Ben (voted) and not Dee (observer)"
    assert "You haven't voted yet in poll #1: Q?" in private_texts(chat, CARYS)[0]
    clock.advance(hours=24)
    assert ticker.tick().fired == 0
    chat.deliver()
    assert len(chat.platform.private) == 2


def test_anyone_can_mute_reminders_for_themselves(chat, ticker, clock, database):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --remind 1h')
    clock.advance(hours=1)
    ticker.tick()
    chat.deliver()
    mute = buttons(private_cards(chat, CARYS)[0])["Stop all reminders"]
    assert "won't get reminders" in chat.clicks(CARYS, SOUTH, mute)
    chat.says(ASHA, NORTH, 'poll "Again?" "A" "B" --remind 1h')
    chat.platform.private.clear()
    clock.advance(hours=1)
    ticker.tick()
    chat.deliver()
    assert "carys" not in {actor.user_id for actor, _ in chat.platform.private}
    assert "on again" in chat.clicks(CARYS, SOUTH, mute.replace("mute", "unmute"))
    with database.session() as session:
        carys = session.exec(select(Member).where(Member.display_name == "Carys Jones")).one()
    assert carys.reminders_muted is False


def test_nobody_can_mute_reminders_of_a_collaborative_they_are_not_in(chat):
    chat.says(CARYS, channel("elsewhere"), 'setup "Another collaborative"')
    assert "aren't a member of that collaborative" in chat.clicks(BEN, NORTH, "mute:2")
    assert "doesn't do anything" in chat.clicks(BEN, NORTH, "mute:999")


def test_a_reminder_that_comes_too_late_is_dropped_and_coordinators_are_told(chat, ticker, clock):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --remind 1h')
    clock.advance(hours=3)  # Concord was down when the reminder was due
    report = ticker.tick()
    assert (report.fired, report.missed) == (0, 1)
    chat.deliver()
    assert private_texts(chat, BEN) == []
    assert (
        "A poll reminder due Thu 26 Nov 2026 10:00 GMT was missed: Concord was not running"
        in (private_texts(chat, ASHA)[0])
    )


def test_the_poll_form_takes_a_deadline_and_keeps_input_when_it_is_unreadable(chat):
    form = chat.form(ASHA, NORTH)
    values = {
        "question": "Q?",
        "options": "A\nB",
        "type": "single",
        "max": "",
        "closes": "someday",
        "remind": "",
    }
    again = chat.submits(ASHA, NORTH, form.action, values)[0].form
    assert "can't read “someday”" in again.error
    assert [i.value for i in again.inputs if i.name == "question"] == ["Q?"]
    chat.submits(ASHA, NORTH, form.action, {**values, "closes": "tomorrow noon"})
    assert "until Fri 27 Nov 2026 12:00 GMT" in text_of(chat.last_message(NORTH))


def test_one_failing_deadline_does_not_hold_up_the_others(
    chat, ticker, clock, database, monkeypatch
):
    original = ticker_module._HANDLERS["poll.close"]

    def broken_for_the_first_poll(session, now, timer):
        if timer.subject_id == 1:
            raise RuntimeError("a bug in closing poll 1")
        original(session, now, timer)

    monkeypatch.setitem(ticker_module._HANDLERS, "poll.close", broken_for_the_first_poll)
    chat.says(ASHA, NORTH, 'poll "First?" "A" "B" --closes in 1 hour')
    chat.says(ASHA, NORTH, 'poll "Second?" "A" "B" --closes in 1 hour')
    clock.advance(hours=1)
    assert ticker.tick().fired == 1
    with database.session() as session:
        closes = select(Timer).where(Timer.kind == "poll.close")
        statuses = {t.subject_id: t.status for t in session.exec(closes).all()}
        polls = {p.number: p.status for p in session.exec(select(Poll)).all()}
    assert statuses == {1: "failed", 2: "done"}
    assert polls == {1: "open", 2: "closed"}, "the failed close was rolled back, alone"
