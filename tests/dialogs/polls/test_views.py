"""Each person's own view of a poll (`Engine.render_view`, what Teams shows one person): a
voter their choice, a coordinator Close, Extend and Remind, an observer no vote buttons;
nothing of anyone else's, and nothing beyond the shared message for someone unknown."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dialogs.core.cards import Card, DateTimeInput, Notify, OpenForm, ResultBars
from dialogs.core.events import ActionInvoked, Actor
from storage.models import Poll
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    Conversation,
    button_elements,
    buttons,
    channel,
    counts,
    person,
    text_of,
)

ERIN = person("erin", "Erin Walsh")
STRANGER = Actor("teams", "another-tenant", "29:zed", "Zed Quinn")
KEY = "poll:1"
CONTROLS = ["Close poll #1", "Extend the deadline", "Remind those who haven't voted"]


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    for each in (BEN, CARYS, DEE):
        conversation.says(each, NORTH, "help")  # each becomes a member by acting
    yield conversation
    conversation.close()


def view(chat: Conversation, viewer: Actor) -> Card:
    card = chat.engine.render_view(KEY, viewer)
    assert card is not None and card.key == KEY
    return card


def shared(chat: Conversation) -> Card:
    card = chat.engine.render_message(KEY)
    assert card is not None
    return card


def labels(card: Card) -> list[str]:
    return [button.label for button in button_elements(card)]


def primary(card: Card) -> list[str]:
    return [button.label for button in button_elements(card) if button.style == "primary"]


def poll(chat: Conversation) -> Poll:
    with chat.database.session() as session:
        return session.exec(select(Poll)).one()


def test_a_voter_sees_their_choice_ticked_and_until_when_they_can_change_it(chat):
    chat.says(ASHA, NORTH, 'poll "Where do we meet?" "Leeds" "York" --closes friday 17:00')
    chat.clicks(BEN, NORTH, buttons(chat.last_message(NORTH))["York"])
    mine = view(chat, BEN)
    assert labels(mine) == ["Leeds", "✓ York"]
    assert primary(mine) == ["✓ York"]
    assert "You voted “York”. You can change it until Fri 27 Nov 2026 17:00 GMT." in text_of(mine)
    assert counts(mine) == {"Leeds": 0, "York": 1}, "live results: the counts everyone sees"
    assert "✓" not in " ".join(labels(shared(chat))), "the shared message marks nobody's vote"
    theirs = view(chat, CARYS)
    assert theirs.blocks == shared(chat).blocks, "a member who hasn't voted sees the message"


def test_a_multi_choice_voter_sees_each_of_their_choices(chat):
    chat.says(ASHA, NORTH, 'poll "Which days?" "Mon" "Tue" "Wed" --type multi --max 2')
    shown = buttons(chat.last_message(NORTH))
    chat.clicks(BEN, NORTH, shown["Mon"])
    chat.clicks(BEN, NORTH, shown["Wed"])
    mine = view(chat, BEN)
    assert labels(mine) == ["✓ Mon", "Tue", "✓ Wed"]
    assert "You voted “Mon”, “Wed”. You can change it until the poll closes." in text_of(mine)
    chat.clicks(BEN, NORTH, shown["Mon"])
    chat.clicks(BEN, NORTH, shown["Wed"])
    withdrawn = view(chat, BEN)
    assert labels(withdrawn) == ["Mon", "Tue", "Wed"], "every choice taken back"
    assert "You voted" not in text_of(withdrawn)


def test_a_consent_voter_sees_their_stance_and_their_own_reason(chat):
    chat.says(ASHA, NORTH, 'poll "Adopt the plan?" --type consent')
    chat.clicks(
        BEN,
        NORTH,
        "submit:consent:1:object",
        {"harm": "Too soon for winter", "resolve": "Start in spring"},
    )
    mine = view(chat, BEN)
    assert labels(mine) == ["Agree", "Can live with it", "✓ Object", "Block"]
    assert (
        "You responded “Object” — harm: “Too soon for winter”; would resolve it: "
        "“Start in spring”. "
        "You can change it until the poll closes." in text_of(mine)
    )
    chat.clicks(CARYS, NORTH, buttons(chat.last_message(NORTH))["Agree"])
    assert primary(view(chat, CARYS)) == ["✓ Agree"]


@pytest.mark.parametrize(
    ("kind", "values", "said"),
    [
        ("ranked", {"rank0": "2", "rank1": "0"}, "You ranked “C” 1st, “A” 2nd."),
        ("score", {"score0": "5", "score1": "0", "score2": "3"}, "You scored “A” 5, “B” 0, “C” 3."),
        ("dots", {"dots0": "3", "dots2": "2"}, "You put 3 dots on “A”, 2 dots on “C”."),
    ],
)
def test_a_form_voter_sees_the_ballot_they_gave(chat, kind, values, said):
    chat.says(ASHA, NORTH, f'poll "Which?" "A" "B" "C" --type {kind}')
    chat.submits(BEN, NORTH, "submit:ballot:1", values)
    mine = view(chat, BEN)
    assert f"{said} You can change it until the poll closes." in text_of(mine)
    assert labels(mine) == labels(shared(chat)), "the form's button, to change it"


def test_an_anonymous_voter_sees_that_they_voted_never_what(chat):
    chat.says(ASHA, NORTH, 'poll "Secret?" "Yes" "No" --anonymous --results after-close')
    chat.clicks(BEN, NORTH, buttons(chat.last_message(NORTH))["Yes"])
    mine = view(chat, BEN)
    assert (
        "You have voted in poll #1. It is anonymous: nothing links your vote back to you, "
        "so it can't be shown to you here or changed." in text_of(mine)
    )
    assert labels(mine) == [], "an anonymous vote is cast once"
    assert "Yes" not in text_of(mine) and "No" not in text_of(mine)
    assert not any(isinstance(block, ResultBars) for block in mine.blocks)
    assert labels(view(chat, CARYS)) == ["Yes", "No"]


def test_a_hidden_result_stays_hidden_in_every_view(chat):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --results after-close')
    chat.clicks(BEN, NORTH, buttons(chat.last_message(NORTH))["A"])
    for viewer in (BEN, ASHA, CARYS, DEE):
        card = view(chat, viewer)
        assert not any(isinstance(block, ResultBars) for block in card.blocks)
        assert "Results are hidden until the poll closes." in text_of(card)
    assert "You voted “A”." in text_of(view(chat, BEN))


def test_an_after_vote_result_shows_to_those_who_voted_as_their_confirmation_does(chat):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --results after-vote')
    chat.clicks(BEN, NORTH, buttons(chat.last_message(NORTH))["A"])
    mine = view(chat, BEN)
    assert counts(mine) == {"A": 1, "B": 0}
    assert (
        "You see the figures because you have voted; everyone sees them at the close."
        in text_of(mine)
    )
    for viewer in (CARYS, ASHA):
        assert not any(isinstance(block, ResultBars) for block in view(chat, viewer).blocks)


def test_a_closed_poll_says_so_and_offers_no_buttons_to_anyone(chat):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B"')
    chat.clicks(BEN, NORTH, buttons(chat.last_message(NORTH))["B"])
    chat.says(ASHA, NORTH, "poll close 1")
    mine = view(chat, BEN)
    assert "You voted “B”. Poll #1 is closed, so votes can no longer be changed." in text_of(mine)
    for viewer in (BEN, ASHA, CARYS):
        assert labels(view(chat, viewer)) == []


def test_once_the_deadline_has_passed_no_view_offers_a_vote_before_the_timer_closes_it(chat, clock):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --closes in 1 hour')
    chat.clicks(BEN, NORTH, buttons(chat.last_message(NORTH))["A"])
    clock.advance(hours=1)
    mine = view(chat, BEN)
    assert labels(mine) == [] and labels(view(chat, ASHA)) == []
    assert "Poll #1 closed Thu 26 Nov 2026 10:00 GMT; its result follows." in text_of(mine)


def test_only_a_coordinators_own_view_has_close_extend_and_remind(chat):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B"')
    assert labels(view(chat, ASHA)) == ["A", "B", *CONTROLS]
    assert labels(view(chat, CARYS)) == ["A", "B"], "a coordinator elsewhere is a member here"
    for card in (view(chat, BEN), view(chat, CARYS), shared(chat), view(chat, STRANGER)):
        assert labels(card) == ["A", "B"]
    close = next(b for b in button_elements(view(chat, ASHA)) if b.label == "Close poll #1")
    assert close.confirm is not None and close.style == "danger"


def test_observers_and_those_who_would_join_as_one_see_no_vote_buttons(chat):
    chat.says(ASHA, NORTH, "role observer @Dee Sharma")
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --open-options')
    assert view(chat, ERIN).blocks == shared(chat).blocks, "newcomers start as members"
    chat.says(ASHA, NORTH, "settings newcomers observer")
    said = {
        DEE: "You are an observer in Northshire Provider Collaborative: you can follow this "
        "poll but not vote. If you should vote, a coordinator can make you a member with "
        "`role member @Dee Sharma`.",
        ERIN: "Newcomers to Northshire Provider Collaborative start as observers: you can "
        "follow this poll but not vote. Once you have joined (by using Concord in one of its "
        "channels), a coordinator can make you a member with `role member @Erin Walsh`.",
    }
    for viewer, line in said.items():
        seen = view(chat, viewer)
        assert labels(seen) == [], "no vote buttons, and no Add an option"
        assert line in text_of(seen)
        assert counts(seen) == {"A": 0, "B": 0}, "live results, as everyone sees them"


def test_a_key_that_names_nothing_shows_nothing(chat):
    assert chat.engine.render_view("poll:99", BEN) is None
    assert chat.engine.render_view("nonsense", BEN) is None


def extend_form(chat: Conversation, actor: Actor, action: str, values: dict | None = None):
    effects = chat.engine.handle(ActionInvoked(actor, NORTH, action, values or {}))
    chat.deliver()
    return effects


def test_a_coordinator_extends_the_deadline_from_their_view(chat):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --closes friday 17:00')
    extend = buttons(view(chat, ASHA))["Extend the deadline"]
    (opened,) = extend_form(chat, ASHA, extend)
    assert isinstance(opened, OpenForm)
    assert opened.form.title == "Extend poll #1"
    (picker,) = opened.form.inputs
    assert isinstance(picker, DateTimeInput)
    assert picker.label == "New deadline (it closes Fri 27 Nov 2026 17:00 GMT)"
    assert picker.value == poll(chat).closes_at
    (done,) = extend_form(chat, ASHA, opened.form.action, {"closes": "2026-12-04T17:00"})
    assert isinstance(done, Notify)
    assert text_of(done.card) == (
        "Poll #1 now closes Fri 4 Dec 2026 17:00 GMT\nIts message in every channel says so."
    )
    assert "votes can be changed until Fri 4 Dec 2026 17:00 GMT" in text_of(
        chat.last_message(NORTH)
    )


def test_an_extend_form_that_doesnt_move_the_deadline_later_comes_back_with_the_problem(chat):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --closes friday 17:00')
    before = poll(chat).closes_at
    (again,) = extend_form(chat, ASHA, "submit:poll-extend:1", {"closes": "2026-11-27T12:00"})
    assert isinstance(again, OpenForm)
    assert again.form.error == (
        "Poll #1 already closes Fri 27 Nov 2026 17:00 GMT; `poll extend` only moves a "
        "deadline later."
    )
    assert again.form.inputs[0].value is not None  # what was picked is kept
    (empty,) = extend_form(chat, ASHA, "submit:poll-extend:1", {"closes": ""})
    assert isinstance(empty, OpenForm) and empty.form.error == "Pick the new deadline."
    assert poll(chat).closes_at == before


def test_a_member_can_neither_extend_nor_remind_and_nothing_changes(chat):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B" --closes friday 17:00')
    before = poll(chat).closes_at
    refused = chat.clicks(BEN, NORTH, "form:poll-extend:1")
    assert refused == (
        "Only a coordinator can extend a poll; you are a member of Northshire Provider "
        "Collaborative.\nAsk a coordinator to do it (type `org list` to see who they are)."
    )
    submitted = chat.clicks(BEN, NORTH, "submit:poll-extend:1", {"closes": "2026-12-04T17:00"})
    assert submitted.startswith("Only a coordinator can extend a poll")
    reminded = chat.clicks(BEN, NORTH, "remind:1")
    assert reminded.startswith(
        "Only a coordinator can remind those who haven't voted; you are a member of "
    )
    assert poll(chat).closes_at == before and poll(chat).reminded_at is None
    assert chat.platform.private == [], "nobody was reminded"


def test_a_coordinator_reminds_those_who_havent_voted_once_an_hour(chat, clock):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B"')
    chat.clicks(BEN, NORTH, buttons(chat.last_message(NORTH))["A"])
    remind = buttons(view(chat, ASHA))["Remind those who haven't voted"]
    done = chat.clicks(ASHA, NORTH, remind)
    assert done == (
        "Reminded 3 people who haven't voted in poll #1, privately.\n"
        "You can remind them again from Thu 26 Nov 2026 10:00 GMT."
    )
    assert {actor.user_id for actor, _ in chat.platform.private} == {"asha", "carys", "dee"}
    again = chat.clicks(ASHA, NORTH, remind)
    assert "were reminded Thu 26 Nov 2026 09:00 GMT" in again
    assert len(chat.platform.private) == 3, "the second click reminded nobody"


def test_a_forged_control_for_another_collaboratives_poll_is_refused(chat):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B"')
    east = channel("east")
    chat.says(CARYS, east, 'setup "Eastshire Partnership"')
    chat.says(CARYS, east, 'poll "Theirs?" "X" "Y"')  # poll #1 there, id 2
    for action in ("remind:2", "form:poll-extend:2", "remind:2147483647"):
        refused = chat.clicks(ASHA, NORTH, action)
        assert refused.startswith("That poll isn't part of this channel's collaborative.")
    assert chat.clicks(ASHA, NORTH, "remind:99999999999999") == (
        "That button doesn't do anything any more.\nType `help` to see what you can do."
    )
    assert chat.platform.private == [], "nobody was reminded"
    assert labels(view(chat, ASHA)) == ["A", "B", *CONTROLS]
    assert labels(view(chat, CARYS)) == ["A", "B"], "a coordinator elsewhere is a member here"


def test_the_counts_follow_every_change_of_ballots_and_wording(chat):
    """The tally is remembered between renderings (`results.shown_result`), never past a change."""
    chat.says(ASHA, NORTH, 'poll "Which days?" "Mon" "Tue" --type multi --max 2')
    shown = buttons(chat.last_message(NORTH))
    assert counts(view(chat, BEN)) == {"Mon": 0, "Tue": 0}
    chat.clicks(BEN, NORTH, shown["Mon"])
    assert counts(view(chat, CARYS)) == counts(shared(chat)) == {"Mon": 1, "Tue": 0}
    chat.clicks(BEN, NORTH, shown["Tue"])
    assert counts(view(chat, BEN)) == {"Mon": 1, "Tue": 1}
    chat.clicks(BEN, NORTH, shown["Mon"])
    chat.clicks(BEN, NORTH, shown["Tue"])  # every choice taken back: no ballot is added
    assert counts(view(chat, BEN)) == {"Mon": 0, "Tue": 0}
    chat.clicks(CARYS, NORTH, shown["Tue"])
    chat.says(ASHA, NORTH, 'poll edit 1 --option 2 "Tuesday"')
    assert counts(view(chat, ASHA)) == counts(shared(chat)) == {"Mon": 0, "Tuesday": 1}
