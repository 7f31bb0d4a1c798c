"""A deputy voting for the member they stand in for: in every poll type that isn't anonymous,
from the “Vote for …” button on their own view or by typing; the ballot is the member's,
counts once and says who cast it; the member's own vote always wins."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from dialogs.core.cards import Notify, OpenForm
from dialogs.core.events import ActionInvoked, Actor, CommandIssued
from dialogs.polls import ballot_csv
from storage.models import AuditEntry, Ballot, Member
from tests.dialogs.collaborative.test_deputies import two_trusts
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    Conversation,
    buttons,
    counts,
    person,
    poll_buttons,
    text_of,
)
from tests.support.recount import recounted_and_announced

ERIN = person("erin", "Erin Walsh")
FOR_BEN = "Vote for Ben Okafor"


@pytest.fixture
def chat(database, clock):
    """Ben, Carys and Erin work for Trust A, Dee for Trust B; Carys is Ben's deputy."""
    conversation = two_trusts(database, clock)
    conversation.says(BEN, NORTH, "deputy @Carys Jones --until in 7 days")
    conversation.says(CARYS, NORTH, "deputy accept")
    yield conversation
    conversation.close()


def ballots(chat: Conversation) -> list[tuple[str, object, str | None]]:
    """(member, choices, who cast it) of every latest ballot."""
    with chat.database.session() as session:
        names = {m.id: m.display_name for m in session.exec(select(Member)).all()}
        rows = session.exec(select(Ballot).where(col(Ballot.latest)).order_by(Ballot.cast_at))
        return [(names[b.member_id], b.choices, names.get(b.cast_by)) for b in rows]


def vote_for_ben(chat: Conversation, values: dict, deputy: Actor = CARYS) -> str:
    """Carys opens Ben's ballot from her own view of poll #1 and submits `values`."""
    view = chat.engine.render_view("poll:1", deputy)
    assert view is not None
    form = opened(chat, deputy, buttons(view)[FOR_BEN])
    effects = chat.submits(deputy, NORTH, form.action, values)
    return "\n".join(text_of(e.card) for e in effects if hasattr(e, "card"))


def opened(chat: Conversation, who: Actor, action: str):
    effects = chat.engine.handle(ActionInvoked(who, NORTH, action))
    forms = [e.form for e in effects if isinstance(e, OpenForm)]
    assert forms, [text_of(e.card) for e in effects if hasattr(e, "card")]
    return forms[0]


def told_ben(chat: Conversation) -> str:
    return text_of([card for actor, card in chat.platform.private if actor == BEN][-1])


@pytest.mark.parametrize(
    ("poll", "values", "done", "choices"),
    [
        ('"Lunch?" "Soup" "Pie" --type single', {"choice": ["1"]}, "You voted “Pie”", [1]),
        (
            '"Days?" "Mon" "Tue" "Wed" --type multi --max 2',
            {"choice": ["0", "2"]},
            "You voted “Mon”, “Wed”",
            [0, 2],
        ),
        (
            '"Order?" "A" "B" "C" --type ranked',
            {"rank0": "2", "rank1": "0"},
            "You ranked “C” 1st, “A” 2nd",
            [2, 0],
        ),
        ('"Rate?" "A" "B" --type score', {"score0": "4", "score1": "1"}, "You scored “A” 4, “B” 1",
         [4, 1]),
        ('"Focus?" "A" "B" --type dots --dots 3', {"dots1": "3"}, "You put 3 dots on “B”",
         [0, 3]),
        (
            '"Adopt the plan?" --type consent',
            {"stance": "object", "reason": "Too  costly"},
            "You responded “Object”",
            ["object", "Too costly"],
        ),
    ],
)  # fmt: skip
def test_a_deputy_votes_for_their_member_in_every_kind_of_poll(chat, poll, values, done, choices):
    chat.says(ASHA, NORTH, f"poll {poll}")
    said = vote_for_ben(chat, values)
    assert said == f"{done} for Ben Okafor in poll #1 — you can change it until the poll closes."
    assert ballots(chat) == [("Ben Okafor", choices, "Carys Jones")]
    assert told_ben(chat) == (
        f"Carys Jones, your deputy, {done.removeprefix('You ')} for you in poll #1. "
        "If you vote yourself, your vote replaces theirs."
    )
    with chat.database.session() as session:
        logged = session.exec(select(AuditEntry.summary).where(AuditEntry.action == "poll.vote"))
        assert list(logged) == ["vote in poll #1 cast by Carys Jones for Ben Okafor"]
    # Reopened, the form shows the ballot she cast, to change it.
    view = chat.engine.render_view("poll:1", CARYS)
    assert view is not None
    form = opened(chat, CARYS, buttons(view)[FOR_BEN])
    assert form.submit_label == "Vote for Ben Okafor"
    assert any(getattr(i, "value", None) for i in form.inputs)


def test_a_bad_ballot_comes_back_with_the_problem_and_changes_nothing(chat):
    chat.says(ASHA, NORTH, 'poll "Adopt the plan?" --type consent')
    view = chat.engine.render_view("poll:1", CARYS)
    assert view is not None
    form = opened(chat, CARYS, buttons(view)[FOR_BEN])
    effects = chat.submits(CARYS, NORTH, form.action, {"stance": "block", "reason": " "})
    again = [e.form for e in effects if isinstance(e, OpenForm)]
    assert again[0].error == "Block needs a reason, which everyone will see."
    assert ballots(chat) == []


def test_typed_votes_for_oneself_and_for_ones_member(chat):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Pie"')
    assert chat.says(CARYS, NORTH, 'vote 1 "pie" --for @Ben Okafor').startswith(
        "You voted “Pie” for Ben Okafor in poll #1"
    )
    assert chat.says(CARYS, NORTH, "vote 1 1").startswith("You voted “Soup” in poll #1")
    # A deputy who also votes for themselves: two ballots, each counted once, each theirs.
    assert sorted(ballots(chat), key=str) == [
        ("Ben Okafor", [1], "Carys Jones"),
        ("Carys Jones", [0], None),
    ]
    assert counts(chat.last_message(NORTH)) == {"Soup": 1, "Pie": 1}
    assert chat.says(CARYS, NORTH, "vote 1 Chips --for @Ben Okafor").startswith(
        "Poll #1 has no option “Chips”."
    )


def test_for_a_poll_voted_in_a_form_typing_offers_the_members_ballot(chat):
    chat.says(ASHA, NORTH, 'poll "Order?" "A" "B" --type ranked')
    effects = chat.engine.handle(CommandIssued(CARYS, NORTH, "vote 1 --for @Ben Okafor"))
    card = next(e.card for e in effects if isinstance(e, Notify))
    assert text_of(card).strip() == "Fill in Ben Okafor's ballot for poll #1."
    assert list(buttons(card)) == [FOR_BEN]


def test_the_members_own_vote_always_wins(chat):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Pie" --type multi --max 2')
    vote_for_ben(chat, {"choice": ["0"]})
    # Ben clicks the same option himself: his own vote replaces his deputy's.
    said = chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["Soup"])
    assert said.startswith("You voted “Soup” in poll #1")
    assert ballots(chat) == [("Ben Okafor", [0], None)]
    assert counts(chat.last_message(NORTH)) == {"Soup": 1, "Pie": 0}
    # Now his deputy can't replace it.
    assert chat.says(CARYS, NORTH, "vote 1 Pie --for @Ben Okafor").startswith(
        "Ben Okafor has voted in poll #1 themselves, so their own vote stands.\n"
        "A member's own vote always counts instead of their deputy's."
    )
    view = chat.engine.render_view("poll:1", CARYS)
    assert view is not None and FOR_BEN in buttons(view)  # offered, and refused with why
    assert ballots(chat) == [("Ben Okafor", [0], None)]


def test_an_anonymous_poll_refuses_a_proxy_vote_and_says_why(chat):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Pie" --anonymous')
    view = chat.engine.render_view("poll:1", CARYS)
    assert view is not None and FOR_BEN not in buttons(view)
    assert chat.says(CARYS, NORTH, "vote 1 Pie --for @Ben Okafor").startswith(
        "Poll #1 is anonymous, so nobody can vote in it for someone else.\n"
        "A vote cast for someone has to say whose it is, and an anonymous vote says "
        "nobody's. Ben Okafor can vote themselves."
    )
    assert ballots(chat) == []


def test_only_a_current_deputy_may_vote_for_someone(chat, clock):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Pie"')
    not_deputy = "You aren't anyone's deputy now, so there is nobody to vote for."
    assert chat.says(ERIN, NORTH, "vote 1 Pie --for @Ben Okafor").startswith(
        "You aren't Ben Okafor's deputy now, so you can't vote for them."
    )
    view = chat.engine.render_view("poll:1", CARYS)
    assert view is not None
    forged = buttons(view)[FOR_BEN]
    assert chat.clicks(ERIN, NORTH, forged).startswith(not_deputy)
    assert FOR_BEN not in buttons(chat.engine.render_view("poll:1", ERIN) or view)
    clock.advance(days=7, minutes=1)  # the period has ended
    assert chat.clicks(CARYS, NORTH, forged).startswith(not_deputy)
    assert ballots(chat) == []


def test_the_export_says_who_cast_each_ballot_and_recounts_exactly(chat, database, tmp_path):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "=Pie"')
    chat.says(CARYS, NORTH, "vote 1 2 --for @Ben Okafor")
    chat.says(CARYS, NORTH, "vote 1 Soup")
    chat.says(DEE, NORTH, "vote 1 Soup")
    chat.says(ASHA, NORTH, "poll close 1")
    _, file = chat.exports(ASHA, NORTH, "poll export 1")
    lines = file.content.decode().splitlines()
    assert lines[0] == "# concord-ballots v2"
    assert lines[3] == "ballot,organisation,cast-by,Soup,'=Pie"
    rows = sorted(line.split(",")[1:] for line in lines[4:])
    assert rows == [
        ["Trust A", "", "1", ""],
        ["Trust A", "Carys Jones", "", "1"],
        ["Trust B", "", "1", ""],
    ]
    export = ballot_csv.read(file.content.decode())
    assert sorted(map(str, export.cast_by or [])) == ["Carys Jones", "None", "None"]
    recounted, announced = recounted_and_announced(database, file, tmp_path)
    assert recounted == announced + "\n"


def test_an_anonymous_polls_export_keeps_the_first_format(chat):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Pie" --anonymous')
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["Pie"])
    chat.says(ASHA, NORTH, "poll close 1")
    _, file = chat.exports(ASHA, NORTH, "poll export 1")
    lines = file.content.decode().splitlines()
    assert (lines[0], lines[3]) == ("# concord-ballots v1", "ballot,organisation,Soup,Pie")
    assert ballot_csv.read(file.content.decode()).cast_by is None


def test_both_views_say_who_voted_for_whom_and_a_batched_click_replaces_it(chat):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Pie"')
    chat.says(CARYS, NORTH, "vote 1 Pie --for @Ben Okafor")
    carys = chat.engine.render_view("poll:1", CARYS)
    assert carys is not None and "You voted “Pie” for Ben Okafor." in text_of(carys)
    view = chat.engine.render_view("poll:1", BEN)
    assert view is not None
    assert (
        "Carys Jones, your deputy, voted “Pie” for you. Your own vote replaces it if you "
        "vote until the poll closes." in text_of(view)
    )
    pie = poll_buttons(chat.last_message(NORTH))["Pie"]
    (said,) = chat.engine.handle_all([ActionInvoked(BEN, NORTH, pie)])
    assert "You voted “Pie” in poll #1" in text_of(said[0].card)
    assert ballots(chat) == [("Ben Okafor", [1], None)]
