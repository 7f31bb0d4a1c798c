"""Review dates: a decision comes up again on its date, once, in every channel, and the
partnership says Still right, Change it or Drop it; `decisions reviews` keeps the score."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dialogs.core.cards import OpenForm
from dialogs.core.events import ActionInvoked
from dialogs.polls.reviews.outcomes import promises_kept
from dialogs.ticker import Ticker
from storage.models import AuditEntry, Poll, Review, Timer
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    NORTH,
    SOUTH,
    Conversation,
    all_at_once,
    buttons,
    channel,
    poll_buttons,
    text_of,
)


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    for who in (BEN, CARYS):
        conversation.says(who, NORTH, "help")  # each becomes a member by acting
    yield conversation
    conversation.close()


def decided_poll(chat: Conversation, review: str = "--review 3 weeks") -> str:
    """Poll #1, voted on by Ben and closed by Asha; what Asha was told when she opened it."""
    shown = chat.says(ASHA, NORTH, f'poll "Open the hub on Saturdays?" "Yes" "No" {review}')
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["Yes"])
    chat.says(ASHA, NORTH, "poll close 1")
    return shown


def review_messages(chat: Conversation, place=NORTH) -> list:
    return [card for card in chat.messages(place) if card.fallback.startswith("Review of poll")]


def test_a_poll_keeps_its_review_date_and_says_when(chat, database):
    shown = chat.says(ASHA, NORTH, 'poll "Open the hub on Saturdays?" "Yes" "No" --review 6 months')
    assert "The decision comes up for review Wed 26 May 2027 09:00 BST." in shown
    with database.session() as session:
        timer = session.exec(select(Timer).where(Timer.kind == "decision.review")).one()
    assert timer.status == "pending"


@pytest.mark.parametrize(
    ("review", "said"),
    [
        ("--review 1 Jan 2020", "“1 jan 2020” is already past (Wed 1 Jan 2020 17:00 GMT)."),
        ("--review yesterday", "“yesterday” is already past (Wed 25 Nov 2026 17:00 GMT)."),
        ("--review 2 years", "A review 2 years ahead is too far: the most is a year."),
        ("--review soon", "Concord can't read “soon” as a date and time."),
        ("--review 1 day --closes in 2 days", "The review would come before the poll closes."),
    ],
)
def test_a_review_date_in_the_past_or_out_of_reach_is_refused_and_nothing_opens(
    chat, database, review, said
):
    shown = chat.says(ASHA, NORTH, f'poll "Open the hub?" "Yes" "No" {review}')
    assert said in shown
    assert "within a year" in shown or "closes" in said
    with database.session() as session:
        assert session.exec(select(Poll)).first() is None
        assert session.exec(select(Review)).first() is None


def test_the_review_is_posted_once_in_every_channel_however_many_processes_tick(
    chat, clock, database
):
    decided_poll(chat)
    first, second = Ticker(database, clock), Ticker(database, clock)
    clock.advance(weeks=3, seconds=-1)
    assert first.tick().fired == 0
    clock.advance(seconds=1)
    assert first.tick().fired == 1
    assert second.tick().fired == 0, "a second process finds nothing to do"
    assert Ticker(database, clock).tick().fired == 0, "nor does one started later"
    chat.deliver()
    for place in (NORTH, SOUTH):
        (review,) = review_messages(chat, place)
        text = text_of(review)
        assert "Review of poll #1: still right?" in text
        assert "Open the hub on Saturdays?" in text
        assert "“Yes” won with 1 vote of 1 voters." in text
        assert "Decided Thu 26 Nov 2026 09:00 GMT · 1 voted · review date reached" in text
        assert list(buttons(review)) == ["Still right", "Change it", "Drop it"]


def test_a_review_due_while_concord_was_down_is_still_asked_once(chat, clock, database):
    decided_poll(chat)
    clock.advance(weeks=7)  # four weeks late: a review matters however late it comes
    report = Ticker(database, clock).tick()
    assert (report.fired, report.missed) == (1, 0)
    chat.deliver()
    assert len(review_messages(chat, NORTH)) == 1


def answer_buttons(chat: Conversation, clock, database) -> dict[str, str]:
    decided_poll(chat)
    clock.advance(weeks=3)
    Ticker(database, clock).tick()
    chat.deliver()
    return buttons(review_messages(chat)[-1])


def test_a_coordinator_answers_once_and_the_log_keeps_it(chat, clock, database):
    choices = answer_buttons(chat, clock, database)
    refused = chat.clicks(BEN, NORTH, choices["Drop it"])
    assert "Only a coordinator can answer a review; you are a member of" in refused
    shown = chat.clicks(ASHA, SOUTH, choices["Still right"])
    assert "Recorded: Still right" in shown and "The decision stands as it is." in shown
    for place in (NORTH, SOUTH):
        card = review_messages(chat, place)[-1]
        assert buttons(card) == {}
        assert "Answer: Still right (Asha Patel, Thu 17 Dec 2026 09:00 GMT)." in text_of(card)
    later = chat.clicks(ASHA, NORTH, choices["Drop it"])
    assert "This review has already been answered. Answer: Still right (Asha Patel" in later
    log = chat.says(BEN, NORTH, "decisions")
    assert "Asha Patel confirmed at review poll #1: Open the hub on Saturdays?" in log
    assert "Still right. Decided Thu 26 Nov 2026 09:00 GMT;" in log
    with database.session() as session:
        (entry,) = session.exec(select(AuditEntry).where(AuditEntry.action == "review")).all()
    assert entry.detail == {"poll": 1, "outcome": "kept"}


def test_two_coordinators_answering_at_once_record_one_answer(chat, clock, database):
    assert "Ben Okafor is now a coordinator." in chat.says(
        ASHA, NORTH, "role coordinator @Ben Okafor"
    )
    choices = answer_buttons(chat, clock, database)
    clicks = [
        ActionInvoked(ASHA, NORTH, choices["Still right"], {}),
        ActionInvoked(BEN, SOUTH, choices["Drop it"], {}),
    ]
    told = [
        "\n".join(text_of(e.card) for e in effects) for effects in all_at_once(clicks, chat.engine)
    ]
    assert sum("Recorded:" in text for text in told) == 1
    assert sum("This review has already been answered." in text for text in told) == 1
    with database.session() as session:
        answers = session.exec(select(AuditEntry).where(AuditEntry.action == "review")).all()
    assert len(answers) == 1


def test_change_it_and_drop_it_say_what_happens_next(chat, clock, database):
    choices = answer_buttons(chat, clock, database)
    assert "Start a poll to agree the change." in chat.clicks(ASHA, NORTH, choices["Change it"])
    assert "decided at review to change poll #1" in chat.says(BEN, NORTH, "decisions")


def test_a_forged_or_foreign_review_button_is_refused(chat, clock, database):
    answer_buttons(chat, clock, database)
    assert "That button doesn't do anything any more." in chat.clicks(ASHA, NORTH, "review:99:kept")
    outsider = chat.clicks(ASHA, channel("elsewhere"), "review:1:kept")
    assert "isn't part of a collaborative" in outsider
    with database.session() as session:
        assert session.exec(select(Review)).one().outcome is None


def test_a_coordinator_dates_the_review_of_a_decision_already_made(chat, clock, database):
    decided_poll(chat, review="")
    shown = chat.says(ASHA, NORTH, "decisions review 1 --in 6 months")
    assert "Poll #1 will be reviewed Wed 26 May 2027 09:00 BST." in shown
    moved = chat.says(ASHA, NORTH, "decisions review 1 --on 1 Mar 2027")
    assert "Poll #1 will be reviewed Mon 1 Mar 2027 17:00 GMT (moved from Wed 26 May 2027" in moved
    clock.advance(days=96)
    assert Ticker(database, clock).tick().fired == 1
    chat.deliver()
    assert len(review_messages(chat, SOUTH)) == 1


@pytest.mark.parametrize(
    ("who", "typed", "said"),
    [
        (BEN, "decisions review 1 --in 6 months", "Only a coordinator can set a review date"),
        (ASHA, "decisions review 2 --in 6 months", "Poll #2 hasn't been decided yet."),
        (ASHA, "decisions review 9 --in 6 months", "There is no poll #9 here."),
        (ASHA, "decisions review 1", "Say when, with `--in` or `--on` (one of them)."),
        (ASHA, "decisions review 1 --on 1/1/2026", "“1/1/2026” is already past"),
        (ASHA, "decisions review x --in 6 months", "The poll number needs a whole number"),
    ],
)
def test_bad_review_dates_change_nothing(chat, database, who, typed, said):
    decided_poll(chat, review="")
    chat.says(ASHA, NORTH, 'poll "Still open?" "Yes" "No"')
    assert said in chat.says(who, NORTH, typed)
    with database.session() as session:
        assert session.exec(select(Review)).first() is None


def test_a_decision_never_made_is_not_asked_about(chat, clock, database):
    chat.says(ASHA, NORTH, 'poll "Open the hub?" "Yes" "No" --review 1 week')
    clock.advance(weeks=1)
    assert Ticker(database, clock).tick().fired == 1
    chat.deliver()
    assert review_messages(chat) == []
    listed = chat.says(BEN, NORTH, "decisions reviews")
    assert "its review date Thu 3 Dec 2026 09:00 GMT came with nothing decided to review" in listed
    assert "Promises kept: no decision has been reviewed yet." in listed


def test_the_reviews_list_shows_what_is_due_what_was_answered_and_promises_kept(
    chat, clock, database
):
    assert "No review dates set yet." in chat.says(BEN, NORTH, "decisions reviews")
    choices = answer_buttons(chat, clock, database)
    chat.says(ASHA, NORTH, 'poll "Close on bank holidays?" "Yes" "No" --review 1 Mar 2027')
    listed = chat.says(BEN, NORTH, "decisions reviews")
    assert "Poll #1 “Open the hub on Saturdays?” · review asked, awaiting an answer" in listed
    assert "Poll #2 “Close on bank holidays?” · review due Mon 1 Mar 2027 17:00 GMT" in listed
    assert "Promises kept: no decision has been reviewed yet." in listed
    chat.clicks(ASHA, NORTH, choices["Still right"])
    listed = chat.says(BEN, NORTH, "decisions reviews")
    assert "Poll #1 “Open the hub on Saturdays?” · reviewed Thu 17 Dec 2026 09:00 GMT: " in listed
    assert "Promises kept: 1 of 1 decision reviewed was confirmed (100 %)." in listed


def test_promises_kept_in_words():
    assert promises_kept(["kept", "kept", "dropped", "kept", None, "lapsed"]) == (
        "Promises kept: 3 of 4 decisions reviewed were confirmed (75 %)."
    )
    assert promises_kept(["changed"]) == (
        "Promises kept: 0 of 1 decision reviewed was confirmed (0 %)."
    )
    assert promises_kept([None, "lapsed"]) == "Promises kept: no decision has been reviewed yet."


def test_the_poll_form_takes_a_review_date(chat, database):
    form = chat.form(ASHA, NORTH)
    assert any(field.name == "review" for field in form.inputs)
    values = {"question": "Open the hub?", "options": "Yes\nNo", "review": "yesterday"}
    effects = chat.submits(ASHA, NORTH, form.action, values)
    (again,) = [e.form for e in effects if isinstance(e, OpenForm)]
    assert again.error and "is already past" in again.error
    with database.session() as session:
        assert session.exec(select(Poll)).first() is None
    chat.submits(ASHA, NORTH, form.action, {**values, "review": "3 months"})
    with database.session() as session:
        review = session.exec(select(Review)).one()
    assert review.poll_id is not None


def test_help_lists_the_review_commands(chat):
    shown = chat.says(ASHA, NORTH, "help decisions")
    assert "decisions review ID [--in 6 months] [--on DATE]" in shown
    assert "decisions reviews" in shown


def test_a_purpose_round_asks_for_a_review_a_year_on_by_default(chat, clock, database):
    from tests.dialogs.purpose.test_purpose_rounds import adopt_quickly

    chat.says(ASHA, NORTH, 'org add "Riverside Trust"')
    chat.says(ASHA, NORTH, 'org add "Hillview Council"')
    chat.says(BEN, NORTH, 'org join "Riverside Trust"')
    chat.says(CARYS, NORTH, 'org join "Hillview Council"')
    adopt_quickly(chat, "Join up care for people who fall between our services")
    with database.session() as session:
        review = session.exec(select(Review)).one()
        consent = session.exec(select(Poll).where(Poll.type == "consent")).one()
    assert review.round_id is not None and review.poll_id == consent.id
    clock.advance(days=365)
    assert Ticker(database, clock).tick().fired == 1
    chat.deliver()
    text = text_of(review_messages(chat, SOUTH)[-1])
    assert "Our purpose: Join up care for people who fall between our services" in text
    outcome = "Decided with each organisation counted equally: Adopted: no blocks, 0 objections."
    assert text.count(outcome) == 1


def test_starting_a_purpose_round_says_when_its_purpose_is_reviewed(chat):
    shown = chat.says(ASHA, NORTH, "purpose start")
    assert (
        "The purpose it adopts comes up for review Fri 26 Nov 2027 09:00 GMT "
        "(a year on, the default; `--review` sets another)." in shown
    )


def test_a_purpose_round_takes_its_own_review_date_and_refuses_a_past_one(chat, database):
    refused = chat.says(ASHA, NORTH, "purpose start --review 1 Jan 2026")
    assert "“1 jan 2026” is already past" in refused
    with database.session() as session:
        assert session.exec(select(Review)).first() is None
    shown = chat.says(ASHA, NORTH, "purpose start --review 6 months")
    assert "The purpose it adopts comes up for review Wed 26 May 2027 09:00 BST." in shown
