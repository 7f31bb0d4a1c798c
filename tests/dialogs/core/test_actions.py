"""The action codec: every kind encodes to exactly the string buttons already posted
carry (so they keep working), parses back to itself, and nothing else parses."""

from datetime import UTC, datetime

import pytest

from dialogs.core import action_scope, actions
from dialogs.core.actions import (
    Answer,
    ClosePoll,
    DeputyAnswer,
    DraftChoice,
    EditGroups,
    FormKind,
    Merge,
    Mute,
    MutePoll,
    ReasonForm,
    ReasonSubmit,
    RemindPoll,
    RequestForm,
    RequestPoll,
    ReviewOutcome,
    Stance,
    Subject,
    SubmitForm,
    SubmitPoll,
    SubmitPollIn,
    Unmute,
    Vote,
)
from storage.models import Collaborative, Member, Poll

# Today's formats, byte for byte, as posted in Slack and Teams before the codec existed.
GOLDEN = [
    (Vote(7, 21), "vote:7:21"),
    (Stance(7, "agree"), "stance:7:agree"),
    (Stance(7, "live-with-it"), "stance:7:live-with-it"),
    (ReasonForm(7, "object"), "form:consent:7:object"),
    (ReasonForm(7, "block"), "form:consent:7:block"),
    (ReasonSubmit(7, "object"), "submit:consent:7:object"),
    (ReasonSubmit(7, "block"), "submit:consent:7:block"),
    (ClosePoll(7), "close:7"),
    (RemindPoll(7), "remind:7"),
    (Mute(3), "mute:3"),
    (Unmute(3), "unmute:3"),
    (MutePoll(7), "mute-poll:7"),
    (Answer(12, 0, 5), "answer:12:0:5"),
    (Answer(12, 10, 1), "answer:12:10:1"),
    (SubmitPoll(), "submit:poll"),
    (SubmitPollIn(3), "submit:poll:3"),
    (RequestPoll(), "form:poll"),
    (EditGroups(4), "edit-groups:4"),
    (Merge(8, 9), "merge:8:9"),
    *[(DraftChoice(5, c), f"draft:5:{c}") for c in ("post", "split", "edit", "cancel")],
    *[(RequestForm(kind, 5), f"form:{kind.value}:5") for kind in FormKind],
    *[(SubmitForm(kind, 5), f"submit:{kind.value}:5") for kind in FormKind],
    *[
        (ReviewOutcome(6, outcome), f"review:6:{outcome}")
        for outcome in ("kept", "changed", "dropped")
    ],
    (DeputyAnswer(6, "accept"), "deputy:6:accept"),
    (DeputyAnswer(6, "decline"), "deputy:6:decline"),
]


def test_every_form_kind_is_spelled_as_before():
    assert [kind.value for kind in FormKind] == [
        "checkin",
        "checkin-answer",
        "ballot",
        "option",
        "proposal",
        "proposals",
        "prompts",
        "revision",
        "group",
        "poll-edit",
        "poll-extend",
        "decision",
        "proxy",
    ]


@pytest.mark.parametrize(("action", "text"), GOLDEN, ids=[text for _, text in GOLDEN])
def test_each_action_encodes_to_todays_string_and_parses_back(action, text):
    assert action.encode() == text
    assert actions.parse(text) == action


def test_every_action_kind_has_a_golden_string():
    kinds = {type(action) for action, _ in GOLDEN}
    assert kinds == {kind for each in actions._PREFIXES.values() for kind in each}
    assert len(kinds) == 20


def test_the_largest_ids_a_button_may_carry_round_trip():
    text = "vote:2147483647:2147483647"
    assert actions.parse(text) == Vote(2147483647, 2147483647)


@pytest.mark.parametrize(
    "text", ["vote:2147483648:1", "vote:1:999999999999", "merge:1:99999999999"]
)
def test_an_id_no_table_can_hold_is_not_an_action(text):
    assert actions.parse(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "vote",
        "vote:",
        "vote:1",
        "vote:1:",
        "vote:1:2:3",
        " vote:1:2",
        "vote:1:2 ",
        "vote:-1:2",
        "vote:1234567890123:2",  # 13 digits
        "vote:a:2",
        "stance:1:object",  # a reason is needed: that is the form's job
        "form:consent:1:agree",
        "form:consent:1",
        "form:unknown:1",
        "form:ballot:",
        "submit:poll:",
        "submit:poll:x",
        "submit:poll:1:2",
        "form:poll:1",
        "answer:1:100:1",
        "close:1:2",
        "remind:",
        "remind:1:2",
        "mute:",
        "mute-poll:",
        "mute-poll:1:2",
        "merge:1",
        "edit-groups:x",
        "draft:1:publish",
        "VOTE:1:2",
        "vote:1:2\n",
        "deputy:1:maybe",
        "deputy:1",
        "form:proxy:1:2",
        "submit:proxy:x",
    ],
)
def test_anything_else_parses_to_nothing(text):
    assert actions.parse(text) is None


@pytest.mark.parametrize(
    ("text", "opens"),
    [
        ("form:ballot:7", True),
        ("form:consent:7:object", True),
        ("form:poll", True),
        ("form:checkin-answer:12", True),
        ("vote:7:21", False),
        ("stance:7:agree", False),
        ("submit:ballot:7", False),
        ("draft:5:post", False),
        ("form:unknown:1", False),
        ("form:proxy:7", True),
        ("submit:proxy:7", False),
        ("deputy:6:accept", False),
    ],
)
def test_a_button_opens_a_form_only_when_its_action_is_a_form_request(text, opens):
    assert actions.opens_form(text) is opens


def test_an_overlong_action_is_not_even_read():
    assert actions.parse("vote:1:2" + " " * 300) is None
    assert actions.parse("x" * (actions.MAX_ACTION_LENGTH + 1)) is None


def test_what_each_action_names_for_a_private_place():
    assert (
        RequestForm(FormKind.BALLOT, 5).subject,
        RequestForm(FormKind.BALLOT, 5).subject_id,
    ) == (
        Subject.POLL,
        5,
    )
    assert SubmitForm(FormKind.CHECKIN_ANSWER, 6).subject == Subject.RUN
    assert RequestForm(FormKind.CHECKIN, 6).subject == Subject.SCHEDULE
    assert {RequestForm(k, 1).subject for k in (FormKind.PROPOSAL, FormKind.REVISION)} == {
        Subject.ROUND
    }
    assert (Merge(8, 9).subject, Merge(8, 9).subject_id) == (Subject.GROUP, 8)
    assert EditGroups(4).subject == Subject.ROUND
    assert (DraftChoice(5, "post").subject, DraftChoice(5, "post").subject_id) == (
        Subject.DRAFT,
        5,
    )
    assert ReasonSubmit(7, "block").subject == Subject.POLL
    # A coordinator closes from their private notice (in Teams, their 1:1 chat).
    assert (ClosePoll(7).subject, ClosePoll(7).subject_id) == (Subject.POLL, 7)
    # A coordinator's own view of a poll carries Remind and Extend, which name the poll.
    assert (RemindPoll(7).subject, RemindPoll(7).subject_id) == (Subject.POLL, 7)
    assert RequestForm(FormKind.POLL_EXTEND, 7).subject == Subject.POLL
    # A reminder carries the poll's own buttons and its mute, so they name the poll.
    assert {Vote(1, 2).subject, Stance(1, "agree").subject, MutePoll(1).subject} == {Subject.POLL}
    assert (Vote(3, 2).subject_id, MutePoll(3).subject_id) == (3, 3)
    # The new-poll form names the collaborative it was asked for in (Teams: the 1:1 chat).
    assert (SubmitPollIn(3).subject, SubmitPollIn(3).subject_id) == (Subject.COLLABORATIVE, 3)
    assert SubmitPoll().subject == Subject.NONE
    # A check-in's answer buttons name their run: an own-time check-in's private prompt
    # carries them (the member must still belong to the run's collaborative).
    assert (Answer(1, 0, 3).subject, Answer(1, 0, 3).subject_id) == (Subject.RUN, 1)
    # A deputy answers from a private message, and votes for their member from anywhere.
    assert (DeputyAnswer(6, "accept").subject, DeputyAnswer(6, "accept").subject_id) == (
        Subject.DEPUTY,
        6,
    )
    assert RequestForm(FormKind.PROXY, 7).subject == Subject.POLL


def test_a_reminders_buttons_find_the_collaborative_of_the_poll_they_name(sqlite_database):
    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    with sqlite_database.session() as session:
        collaborative = Collaborative(name="C", timezone="Europe/London", created_at=now)
        session.add(collaborative)
        session.flush()
        member = Member(collaborative_id=collaborative.id, display_name="M", created_at=now)
        session.add(member)
        session.flush()
        poll = Poll(
            collaborative_id=collaborative.id,
            number=1,
            question="Q",
            type="single",
            created_by=member.id,
            created_at=now,
        )
        session.add(poll)
        session.flush()
        for action in (Vote(poll.id, 1), Stance(poll.id, "agree"), MutePoll(poll.id)):
            assert action_scope.collaborative_of(session, action) == collaborative.id
        assert action_scope.collaborative_of(session, MutePoll(poll.id + 1)) is None
        assert action_scope.collaborative_of(session, SubmitPollIn(collaborative.id)) == (
            collaborative.id
        )
        assert action_scope.collaborative_of(session, SubmitPollIn(collaborative.id + 1)) is None


def test_the_vote_fast_path_looks_only_at_the_prefix():
    assert actions.is_vote("vote:1:2")
    assert not actions.is_vote("form:ballot:1")
