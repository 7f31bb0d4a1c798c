"""Scheduled polls before they open: `poll … --opens WHEN` numbers the poll at once, posts
nothing and tells the coordinator when it opens; what can't be asked of it yet is refused in
clear words with nothing changed; it can be edited (its timing too) and cancelled."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dialogs.core.actions import FormKind, SubmitForm, Vote
from dialogs.core.cards import Notify, OpenForm
from storage.models import AuditEntry, Ballot, Poll, PollOption, Timer
from tests.support.conversation import (
    ASHA,
    BEN,
    NORTH,
    SOUTH,
    Conversation,
    text_of,
)

SCHEDULED = 'poll "Which ward first?" "Beds" "Discharge" --opens tomorrow 09:00'


def northshire(database, clock) -> Conversation:
    """Asha coordinates Northshire in NORTH and SOUTH; Ben is a member. Thu 26 Nov 09:00 UTC."""
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    conversation.says(BEN, NORTH, "help")
    return conversation


@pytest.fixture
def chat(database, clock):
    yield (conversation := northshire(database, clock))
    conversation.close()


def polls(database) -> list[Poll]:
    with database.session() as session:
        return list(session.exec(select(Poll).order_by(Poll.number)).all())


def test_a_scheduled_poll_is_numbered_at_once_posted_nowhere_and_its_opening_told(chat, database):
    before = {place: len(chat.messages(place)) for place in (NORTH, SOUTH)}
    shown = chat.says(ASHA, NORTH, SCHEDULED + " --closes friday 17:00 --remind 2h")
    assert "Poll #1 is scheduled" in shown
    assert (
        "It opens Fri 27 Nov 2026 09:00 GMT, posted then in every channel linked to the "
        "collaborative. Nobody else sees it until then. It closes Fri 27 Nov 2026 17:00 GMT. "
        "Members who haven't voted get one reminder Fri 27 Nov 2026 11:00 GMT."
    ) in shown, "the reminder counts from the opening"
    assert "change it with `poll edit 1`" in shown and "cancel it with `poll delete 1`" in shown
    assert {place: len(chat.messages(place)) for place in (NORTH, SOUTH)} == before
    [poll] = polls(database)
    assert (poll.status, poll.number, poll.remind_after) == ("scheduled", 1, 7200)
    with database.session() as session:
        timers = session.exec(select(Timer)).all()
        logged = session.exec(select(AuditEntry).where(AuditEntry.action == "poll.schedule")).one()
    assert [(t.kind, t.key, t.subject_id) for t in timers] == [("poll.open", "open", poll.id)]
    assert "scheduled poll #1 to open Fri 27 Nov 2026 09:00 GMT: Which ward first?" in (
        logged.summary
    )
    assert "Poll #2 is open" in chat.says(ASHA, NORTH, 'poll "Now?" "A" "B"'), "numbered at once"


@pytest.mark.parametrize(
    ("flags", "said"),
    [
        ("--opens yesterday 09:00", "“yesterday 09:00” is already past (Wed 25 Nov 2026 09:00"),
        ("--opens friday 17:00 --closes friday 17:00", "The poll would close before it opens."),
        ("--opens saturday 09:00 --closes friday 17:00", "The poll would close before it opens."),
        (
            "--opens friday 09:00 --closes friday 10:00 --remind 2h",
            "The reminder would come after the poll closes.",
        ),
        ("--opens next month", "Concord can't read “next month” as a date and time."),
    ],
)
def test_bad_openings_are_refused_and_nothing_is_created(chat, database, flags, said):
    assert said in chat.says(ASHA, NORTH, f'poll "Q?" "A" "B" {flags}')
    assert polls(database) == []


def test_nothing_can_be_asked_of_a_scheduled_poll_as_a_poll_until_it_opens(chat, database):
    chat.says(ASHA, NORTH, SCHEDULED)
    [poll] = polls(database)
    with database.session() as session:
        option = session.exec(select(PollOption).where(PollOption.poll_id == poll.id)).first()
    assert poll.id is not None and option is not None and option.id is not None
    forged = Vote(poll.id, option.id).encode()
    not_yet = "Poll #1 opens Fri 27 Nov 2026 09:00 GMT; it can't take votes yet."
    assert not_yet in chat.clicks(BEN, NORTH, forged)
    assert not_yet in chat.says(BEN, NORTH, "vote 1 Beds")
    for command, said in (
        ("poll results 1", "it has no results yet"),
        ("poll export 1", "it has no ballots to export yet"),
        ("poll close 1", "it can't close before it opens"),
        ("poll remind 1", "nobody can vote in it yet"),
        ("poll extend 1 --closes saturday 17:00", "it can't be extended yet"),
        ("poll reopen 1", "it hasn't opened yet"),
    ):
        assert f"Poll #1 opens Fri 27 Nov 2026 09:00 GMT; {said}." in chat.says(
            ASHA, NORTH, command
        )
    with database.session() as session:
        assert session.exec(select(Ballot)).all() == []
    [after] = polls(database)
    assert (after.status, after.closes_at) == ("scheduled", None)


def test_poll_list_shows_coordinators_the_scheduled_polls_soonest_first(chat):
    chat.says(ASHA, NORTH, 'poll "Later?" "A" "B" --opens saturday 10:00')
    chat.says(ASHA, NORTH, SCHEDULED)
    chat.says(ASHA, NORTH, 'poll "Now?" "A" "B"')
    listed = chat.says(ASHA, NORTH, "poll list")
    assert (
        "Scheduled\n"
        "#2 · single · opens Fri 27 Nov 2026 09:00 GMT · Which ward first?\n"
        "#1 · single · opens Sat 28 Nov 2026 10:00 GMT · Later?"
    ) in listed
    assert "#3 · single · open · 0 voted · Now?" in listed
    shown_to_ben = chat.says(BEN, NORTH, "poll list")
    assert "Scheduled" not in shown_to_ben and "Later?" not in shown_to_ben
    assert "#3 · single · open" in shown_to_ben


def test_a_scheduled_poll_is_edited_with_its_timing_and_nobody_else_is_told(chat, database):
    chat.says(ASHA, NORTH, SCHEDULED + " --closes friday 17:00")
    before = len(chat.platform.private)
    shown = chat.says(
        ASHA,
        NORTH,
        'poll edit 1 --question "Which ward?" --opens friday 10:00 --closes saturday 12:00 '
        "--remind 1h --anonymous",
    )
    assert "Poll #1 is changed" in shown
    assert (
        "Question reworded as “Which ward?”; anonymity changed; opening moved to Fri 27 Nov "
        "2026 10:00 GMT; deadline set to Sat 28 Nov 2026 12:00 GMT; reminder changed."
    ) in shown
    assert "It opens Fri 27 Nov 2026 10:00 GMT; nobody else has seen it yet." in shown
    assert (len(chat.platform.private), chat.platform.updates) == (before, []), "nobody told"
    [poll] = polls(database)
    assert (poll.question, poll.remind_after, poll.notice) == ("Which ward?", 3600, None)
    with database.session() as session:
        timer = session.exec(select(Timer).where(Timer.kind == "poll.open")).one()
    assert timer.due_at == poll.opens_at
    moved = chat.says(ASHA, NORTH, "poll edit 1 --opens friday 20:00")
    assert "Opening moved to Fri 27 Nov 2026 20:00 GMT." in moved
    refused = chat.says(ASHA, NORTH, "poll edit 1 --opens sunday 09:00")
    assert "The poll would close before it opens." in refused  # Saturday's deadline stands
    assert polls(database)[0].opens_at == poll.opens_at.replace(hour=20)


def test_the_edit_form_of_a_scheduled_poll_holds_its_opening(chat, database):
    chat.says(ASHA, NORTH, SCHEDULED)
    form = chat.form(ASHA, NORTH, "poll edit 1")
    names = [i.name for i in form.inputs]
    assert {"opens", "closes", "remind"} <= set(names) and "review" not in names
    [poll] = polls(database)
    assert poll.id is not None
    action = SubmitForm(FormKind.POLL_EDIT, poll.id).encode()
    values = {"question": "Which ward first?", "options": "Beds\nDischarge", "opens": ""}
    [again] = [e.form for e in chat.submits(ASHA, NORTH, action, values) if isinstance(e, OpenForm)]
    assert again.error == "Say when poll #1 opens."
    assert polls(database)[0].opens_at == poll.opens_at, "nothing changed"
    values["opens"] = "2026-11-27T11:30"  # the pickers' wall-clock time, in London
    chat.submits(ASHA, NORTH, action, values)
    assert polls(database)[0].opens_at == poll.opens_at.replace(hour=11, minute=30)


def test_an_open_polls_timing_is_not_edited(chat):
    chat.says(ASHA, NORTH, 'poll "Now?" "A" "B"')
    shown = chat.says(ASHA, NORTH, "poll edit 1 --opens friday 09:00")
    assert "Poll #1 is open already, so `--opens` can't change it." in shown
    assert "`poll extend 1 --closes WHEN` moves its deadline." in shown
    assert "opens" not in [i.name for i in chat.form(ASHA, NORTH, "poll edit 1").inputs]


def test_poll_delete_cancels_a_scheduled_poll_logged_and_it_never_opens(chat, database):
    chat.says(ASHA, NORTH, SCHEDULED + " --closes friday 17:00")
    shown = chat.says(ASHA, NORTH, "poll delete 1")
    assert "Poll #1 is cancelled" in shown
    assert "It was due to open Fri 27 Nov 2026 09:00 GMT. It was never posted" in shown
    with database.session() as session:
        timer = session.exec(select(Timer)).one()
        logged = session.exec(select(AuditEntry).where(AuditEntry.action == "poll.delete")).one()
    assert timer.status == "cancelled"
    assert logged.summary.startswith("cancelled poll #1, due to open Fri 27 Nov 2026 09:00 GMT")
    assert "Poll #1 was deleted." in chat.says(ASHA, NORTH, "poll edit 1")
    assert "#1 · single · deleted · 0 voted · Which ward first?" in chat.says(
        ASHA, NORTH, "poll list"
    )


def test_members_can_not_schedule_edit_or_cancel(chat, database):
    assert "Only a coordinator can start a poll" in chat.says(BEN, NORTH, SCHEDULED)
    chat.says(ASHA, NORTH, SCHEDULED)
    assert "Only a coordinator can edit a poll" in chat.says(BEN, NORTH, "poll edit 1 --opens fri")
    assert "Only a coordinator can delete a poll" in chat.says(BEN, NORTH, "poll delete 1")
    assert polls(database)[0].status == "scheduled"


def test_the_new_poll_form_schedules_with_its_opens_pickers(chat, database):
    form = chat.form(ASHA, NORTH)
    [opens] = [i for i in form.inputs if i.name == "opens"]
    assert opens.label == "Opens (empty: now)"
    values = {"question": "Q?", "options": "A\nB", "opens": "2026-11-27T09:00"}
    shown = [e for e in chat.submits(ASHA, NORTH, form.action, values) if isinstance(e, Notify)]
    assert "It opens Fri 27 Nov 2026 09:00 GMT" in text_of(shown[0].card)
    assert polls(database)[0].status == "scheduled"
    late = {**values, "opens": "2026-11-28T09:00", "closes": "2026-11-27T17:00"}
    [again] = [
        e.form for e in chat.submits(ASHA, NORTH, form.action, late) if isinstance(e, OpenForm)
    ]
    assert again.error == "The poll would close before it opens."
    assert len(polls(database)) == 1
