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
from dialogs.core.language import N_, _, ngettext
from dialogs.core.turn import Refusal, Turn, stale_button
from dialogs.polls.lifecycle import poll_by_number
from dialogs.polls.render import vote_buttons
from dialogs.polls.scheduling import refuse_if_scheduled
from dialogs.polls.voting import poll_in
from storage.models import Collaborative, Member, Participation, Poll, PollReminderMute, Timer

REMIND_EVERY = timedelta(hours=1)  # the least time between two reminders about one poll
REMINDING = N_("remind those who haven't voted")


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
    collaborative, unused = turn.require_coordinator(REMINDING)
    _remind(turn, collaborative, poll_by_number(turn.session, collaborative, command.args["id"]))


def remind_by_id(turn: Turn, poll_id: int) -> None:
    """The Remind button on a coordinator's own view of the poll (its id is re-checked)."""
    collaborative, unused = turn.require_coordinator(REMINDING)
    _remind(turn, collaborative, poll_in(turn, collaborative, poll_id))


def _remind(turn: Turn, collaborative: Collaborative, poll: Poll) -> None:
    zone = collaborative.timezone
    refuse_if_scheduled(poll, zone, _("nobody can vote in it yet"))
    if poll.status != "open" or (poll.closes_at is not None and turn.now >= poll.closes_at):
        raise Refusal(
            _("Poll #{number} is closed, so nobody needs reminding.").format(number=poll.number),
            _("See the result with `poll results {number}`.").format(number=poll.number),
        )
    if not _claim_the_hour(turn.session, poll, turn.now):
        assert poll.reminded_at is not None
        raise Refusal(
            _("Those who haven't voted in poll #{number} were reminded {when}.").format(
                number=poll.number, when=describe(poll.reminded_at, zone)
            ),
            _again(poll.reminded_at + REMIND_EVERY, zone),
        )
    reminded = remind_non_voters(turn.session, turn.now, collaborative, poll)
    if not reminded:
        poll.reminded_at = None  # nobody was reminded, so the hour isn't used up
        turn.say(
            _(
                "Nobody to remind in poll #{number}: everyone who may vote has voted "
                "or turned its reminders off."
            ).format(number=poll.number)
        )
        return
    turn.say(
        ngettext(
            "Reminded {count} person who haven't voted in poll #{number}, privately.",
            "Reminded {count} people who haven't voted in poll #{number}, privately.",
            reminded,
        ).format(count=reminded, number=poll.number),
        _again(turn.now + REMIND_EVERY, zone),
    )


def _again(when: datetime, zone: str) -> str:
    return _("You can remind them again from {when}.").format(when=describe(when, zone))


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
    where = _("Vote here, or on the poll in your {collaborative} channels.").format(
        collaborative=collaborative.name
    )
    if poll.closes_at:
        closes = moment(poll.closes_at, collaborative.timezone)
        where += " " + _("It closes {when}.").format(when=closes)
    assert poll.id is not None and collaborative.id is not None
    return Card(
        blocks=[
            Text(
                text=_("You haven't voted yet in poll #{number}: {question}").format(
                    number=poll.number, question=poll.question
                )
            ),
            Context(text=where),
            vote_buttons(session, poll),
            Actions(
                elements=[
                    Button(
                        label=_("Stop reminding me about this poll"),
                        action=MutePoll(poll.id).encode(),
                        spoken=_("Stop reminding me about poll #{number}").format(
                            number=poll.number
                        ),
                    ),
                    Button(
                        label=_("Stop all reminders"),
                        action=Mute(collaborative.id).encode(),
                        spoken=_("Stop all reminders from {name}").format(name=collaborative.name),
                    ),
                ]
            ),
        ],
        fallback=_("Reminder: poll #{number} is waiting for your vote").format(number=poll.number),
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
        _("You won't get more reminders about poll #{number}: {question}").format(
            number=poll.number, question=poll.question
        ),
        _("Reminders about other polls still come."),
    )


def set_reminders(turn: Turn, collaborative_id: int, muted: bool) -> None:
    """The reminder's Stop-all button and its undo. The collaborative id is untrusted:
    the actor must belong."""
    collaborative = turn.session.get(Collaborative, collaborative_id)
    if collaborative is None:
        raise stale_button()
    member = membership.known_member(turn.session, collaborative, turn.actor)
    if member is None:
        raise Refusal(_("You aren't a member of that collaborative."))
    member.reminders_muted = muted
    if muted:
        turn.reply(
            Card(
                blocks=[
                    Text(
                        text=_("You won't get reminders from {collaborative} any more.").format(
                            collaborative=collaborative.name
                        )
                    ),
                    Actions(
                        elements=[
                            Button(
                                label=_("Turn reminders back on"),
                                action=Unmute(collaborative.id).encode(),
                                spoken=_("Turn reminders from {name} back on").format(
                                    name=collaborative.name
                                ),
                            )
                        ]
                    ),
                ],
                fallback=_("Reminders muted"),
            )
        )
    else:
        turn.say(
            _("Reminders from {collaborative} are on again.").format(
                collaborative=collaborative.name
            )
        )
