"""Reminding those who haven't voted: the poll's own reminder at its `--remind` time,
a coordinator's `poll remind ID` (at most once an hour per poll), and the reminder's
buttons: the poll's vote buttons, stop reminders about this poll, stop them all.

Who voted is read from participation, never from ballots (an anonymous ballot names
nobody), and a coordinator is told only how many were reminded, never who.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from dialogs.collaborative import members as membership
from dialogs.commands.syntax import Command
from dialogs.commands.when import describe, moment
from dialogs.core import effects
from dialogs.core.actions import Mute, MutePoll, Unmute
from dialogs.core.cards import Actions, Button, Card, Context, Text
from dialogs.core.turn import Refusal, Turn, stale_button
from dialogs.polls.lifecycle import poll_by_number
from dialogs.polls.render import vote_buttons
from dialogs.polls.scheduling import refuse_if_scheduled
from dialogs.polls.voting import poll_in
from storage.models import Collaborative, Member, Participation, Poll, PollReminderMute, Timer

REMIND_EVERY = timedelta(hours=1)  # the least time between two reminders about one poll
REMINDING = "remind those who haven't voted"


def send_reminders(session: Session, now: datetime, timer: Timer) -> None:
    """The poll's own reminder, at the time its `--remind` set."""
    poll = session.get(Poll, timer.subject_id)
    if poll is None or poll.status != "open":
        return
    collaborative = session.get(Collaborative, poll.collaborative_id)
    assert collaborative is not None
    poll.reminded_at = now
    remind_non_voters(session, now, collaborative, poll)


def remind(turn: Turn, command: Command) -> None:
    """`poll remind ID`: a coordinator reminds those who haven't voted, privately."""
    collaborative, _ = turn.require_coordinator(REMINDING)
    _remind(turn, collaborative, poll_by_number(turn.session, collaborative, command.args["id"]))


def remind_by_id(turn: Turn, poll_id: int) -> None:
    """The Remind button on a coordinator's own view of the poll (its id is re-checked)."""
    collaborative, _ = turn.require_coordinator(REMINDING)
    _remind(turn, collaborative, poll_in(turn, collaborative, poll_id))


def _remind(turn: Turn, collaborative: Collaborative, poll: Poll) -> None:
    refuse_if_scheduled(poll, collaborative.timezone, "nobody can vote in it yet")
    if poll.status != "open" or (poll.closes_at is not None and turn.now >= poll.closes_at):
        raise Refusal(
            f"Poll #{poll.number} is closed, so nobody needs reminding.",
            f"See the result with `poll results {poll.number}`.",
        )
    if not _claim_the_hour(turn.session, poll, turn.now):
        assert poll.reminded_at is not None
        raise Refusal(
            f"Those who haven't voted in poll #{poll.number} were reminded "
            f"{describe(poll.reminded_at, collaborative.timezone)}.",
            "You can remind them again from "
            f"{describe(poll.reminded_at + REMIND_EVERY, collaborative.timezone)}.",
        )
    reminded = remind_non_voters(turn.session, turn.now, collaborative, poll)
    if not reminded:
        poll.reminded_at = None  # nobody was reminded, so the hour isn't used up
        turn.say(
            f"Nobody to remind in poll #{poll.number}: everyone who may vote has voted "
            "or turned its reminders off."
        )
        return
    people = "person" if reminded == 1 else "people"
    turn.say(
        f"Reminded {reminded} {people} who haven't voted in poll #{poll.number}, privately.",
        "You can remind them again from "
        f"{describe(turn.now + REMIND_EVERY, collaborative.timezone)}.",
    )


def _claim_the_hour(session: Session, poll: Poll, now: datetime) -> bool:
    """Mark the poll reminded now, unless it was within the hour: one conditional UPDATE,
    so of two coordinators reminding at once exactly one goes on."""
    claimed = session.execute(
        update(Poll)
        .where(
            col(Poll.id) == poll.id,
            or_(col(Poll.reminded_at).is_(None), col(Poll.reminded_at) <= now - REMIND_EVERY),
        )
        .values(reminded_at=now)
    )
    session.refresh(poll)
    return claimed.rowcount == 1  # type: ignore[attr-defined]


def remind_non_voters(
    session: Session, now: datetime, collaborative: Collaborative, poll: Poll
) -> int:
    """One private reminder to each member who may vote, hasn't, and hasn't turned
    reminders off (for this poll or for all); how many were reminded."""
    waiting = session.exec(
        select(Member).where(
            Member.collaborative_id == collaborative.id,
            Member.role != "observer",
            Member.reminders_muted == False,  # noqa: E712 — SQL, not Python truth
            col(Member.id).not_in(
                select(Participation.member_id).where(Participation.poll_id == poll.id)
            ),
            col(Member.id).not_in(
                select(PollReminderMute.member_id).where(PollReminderMute.poll_id == poll.id)
            ),
        )
    ).all()
    reached = 0
    for member in waiting:  # each reminder in its reader's language
        if (actor := effects.actor_of(session, member)) is not None:
            effects.notify(
                session,
                now,
                collaborative,
                actor,
                lambda: reminder_card(session, collaborative, poll),
            )
            reached += 1
    return reached


def reminder_card(session: Session, collaborative: Collaborative, poll: Poll) -> Card:
    """The reminder: the poll's own vote buttons, and two ways to stop reminders."""
    until = (
        f" It closes {moment(poll.closes_at, collaborative.timezone)}." if poll.closes_at else ""
    )
    assert poll.id is not None and collaborative.id is not None
    return Card(
        blocks=[
            Text(text=f"You haven't voted yet in poll #{poll.number}: {poll.question}"),
            Context(
                text=f"Vote here, or on the poll in your {collaborative.name} channels.{until}"
            ),
            vote_buttons(session, poll),
            Actions(
                elements=[
                    Button(
                        label="Stop reminding me about this poll",
                        action=MutePoll(poll.id).encode(),
                    ),
                    Button(label="Stop all reminders", action=Mute(collaborative.id).encode()),
                ]
            ),
        ],
        fallback=f"Reminder: poll #{poll.number} is waiting for your vote",
    )


def stop_for_poll(turn: Turn, poll_id: int) -> None:
    """The reminder's per-poll stop. The poll id is untrusted: it must be a poll of the
    collaborative the person is a member of."""
    collaborative, member = turn.in_collaborative()
    poll = poll_in(turn, collaborative, poll_id)
    muted = select(PollReminderMute).where(
        PollReminderMute.poll_id == poll.id, PollReminderMute.member_id == member.id
    )
    if turn.session.exec(muted).first() is None:
        assert poll.id is not None and member.id is not None
        turn.session.add(PollReminderMute(poll_id=poll.id, member_id=member.id))
    turn.say(
        f"You won't get more reminders about poll #{poll.number}: {poll.question}",
        "Reminders about other polls still come.",
    )


def set_reminders(turn: Turn, collaborative_id: int, muted: bool) -> None:
    """The reminder's Stop-all button and its undo. The collaborative id is untrusted:
    the actor must belong."""
    collaborative = turn.session.get(Collaborative, collaborative_id)
    if collaborative is None:
        raise stale_button()
    member = membership.known_member(turn.session, collaborative, turn.actor)
    if member is None:
        raise Refusal("You aren't a member of that collaborative.")
    member.reminders_muted = muted
    if muted:
        turn.reply(
            Card(
                blocks=[
                    Text(text=f"You won't get reminders from {collaborative.name} any more."),
                    Actions(
                        elements=[
                            Button(
                                label="Turn reminders back on",
                                action=Unmute(collaborative.id).encode(),
                            )
                        ]
                    ),
                ],
                fallback="Reminders muted",
            )
        )
    else:
        turn.say(f"Reminders from {collaborative.name} are on again.")
