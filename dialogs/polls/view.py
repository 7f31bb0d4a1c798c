"""Each person's own view of a poll's message (`Engine.render_view`; Teams shows it to that
person alone, through Universal Actions): the shared message, plus what is theirs alone.

- A voter sees their choice ticked on its button and said in a line, with until when they
  can change it (or that the poll is closed).
- In an anonymous poll a voter sees only that they have voted: nothing links a ballot back
  to its voter, so not even they can be shown it, and they can't vote again.
- An observer sees no vote buttons, and how to become a member.
- A coordinator also sees Close, Extend and Remind while the poll is open: these are on no
  shared message and on nobody else's view.
- A deputy also sees “Vote for <member>” on an open poll that isn't anonymous, which opens
  the ballot of the member they stand in for (`dialogs.polls.proxy`).
- Someone who isn't a member sees the shared message (nothing of theirs is known), or, where
  newcomers start as observers, the observer's view.

The figures are shown where the shared message shows them, and to someone who has voted
in a poll whose results each person sees after voting (as their confirmation does): a
hidden result stays hidden, and nobody's ballot but the viewer's own is ever named.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from dialogs.collaborative.deputies import represented
from dialogs.collaborative.members import known_member
from dialogs.commands.when import moment
from dialogs.core.actions import FormKind, ReasonForm, RemindPoll, RequestForm, Stance, Vote
from dialogs.core.cards import Actions, Button, Card, Context, Text
from dialogs.core.events import Actor
from dialogs.core.language import N_, _
from dialogs.core.messages import MessageKey
from dialogs.polls import deciding, objections
from dialogs.polls.ballot_forms import described
from dialogs.polls.confirm import close_button, poll_named
from dialogs.polls.proxy import vote_for_button
from dialogs.polls.render import poll_message, render_poll, vote_controls
from dialogs.polls.results import has_voted, options, visible_to_all
from dialogs.polls.voting import own_ballot
from storage.models import Ballot, Collaborative, Member, Poll


def shared(session: Session, key: MessageKey) -> Card | None:
    """The poll's message as every channel shows it."""
    poll = session.get(Poll, key.ident)
    return render_poll(session, poll) if poll else None


def seen_by(session: Session, key: MessageKey, viewer: Actor, now: datetime) -> Card | None:
    """The poll's message as `viewer` sees it at `now`."""
    poll = session.get(Poll, key.ident)
    if poll is None or poll.status == "deleted":
        return shared(session, key)
    collaborative = session.get(Collaborative, poll.collaborative_id)
    assert collaborative is not None
    member = known_member(session, collaborative, viewer)
    if member is None and collaborative.newcomer_role != "observer":
        return render_poll(session, poll)
    if member is None or member.role == "observer":
        line = _observer_line(collaborative, viewer, joined=member is not None)
        return poll_message(
            session, poll, figures=visible_to_all(poll), controls=[], personal=[line]
        )
    return _members_view(session, collaborative, poll, member, now)


def _members_view(
    session: Session, collaborative: Collaborative, poll: Poll, member: Member, now: datetime
) -> Card:
    open_now = poll.status == "open" and (poll.closes_at is None or now < poll.closes_at)
    anonymous = bool(poll.settings.get("anonymous"))
    ballot = own_ballot(session, poll, member)
    after_vote = poll.settings.get("results") == "after-vote"
    # Who voted is read from participation only where a ballot can't say (one query saved).
    voted = ballot is not None or ((anonymous or after_vote) and has_voted(session, poll, member))
    personal: list[Text | Context] = []
    controls: list[Actions] = []
    if anonymous and voted:
        personal.append(Text(text=_(ANONYMOUS_VOTED).format(number=poll.number)))
    elif ballot is not None:
        personal.append(Text(text=_your_vote(session, collaborative, poll, ballot, open_now)))
    if open_now and not (anonymous and voted):
        chosen = _chosen(session, poll, ballot)
        controls = [_ticked(block, chosen) for block in vote_controls(session, poll)]
    if poll.status == "open" and not open_now:
        assert poll.closes_at is not None
        closed = moment(poll.closes_at, collaborative.timezone)
        follows = _("Poll #{number} closed {moment}; its result follows.")
        personal.append(Text(text=follows.format(number=poll.number, moment=closed)))
    figures = visible_to_all(poll) or (after_vote and voted)
    if figures and not visible_to_all(poll):
        personal.append(Context(text=_(AFTER_VOTE)))
    if open_now and not anonymous and (someone := represented(session, member, now)):
        controls.append(Actions(elements=[vote_for_button(poll, someone)]))  # a deputy's
        personal += _cast_for(session, poll, someone, member)
    if member.role == "coordinator" and open_now:
        controls.append(coordinator_controls(poll))
    if deciding.awaits(poll, member):
        controls.append(deciding.decide_button(poll))
    return poll_message(session, poll, figures=figures, controls=controls, personal=personal)


ANONYMOUS_VOTED = N_(
    "You have voted in poll #{number}. It is anonymous: nothing links your vote back to "
    "you, so it can't be shown to you here or changed."
)
UNTIL_CLOSE = N_("the poll closes")  # "You can change it until the poll closes."
AFTER_VOTE = N_("You see the figures because you have voted; everyone sees them at the close.")


def _your_vote(
    session: Session, collaborative: Collaborative, poll: Poll, ballot: Ballot, open_now: bool
) -> str:
    """ "You voted “B”. You can change it until …", or that the poll is closed."""
    deputy = session.get(Member, ballot.cast_by) if ballot.cast_by is not None else None
    names = [o.label for o in options(session, poll)]
    said = described(poll, ballot.choices, names, deputy.display_name if deputy else "")
    if poll.type == "consent" and ballot.choices[1]:
        said += " — " + objections.said(*objections.parts(ballot.choices))
    if not open_now:
        closed = _("{vote}. Poll #{number} is closed, so votes can no longer be changed.")
        return closed.format(vote=said, number=poll.number)
    until = moment(poll.closes_at, collaborative.timezone) if poll.closes_at else _(UNTIL_CLOSE)
    if ballot.cast_by is not None:
        replaces = _("{vote}. Your own vote replaces it if you vote until {moment}.")
        return replaces.format(vote=said, moment=until)
    return _("{vote}. You can change it until {moment}.").format(vote=said, moment=until)


def _cast_for(session: Session, poll: Poll, someone: Member, deputy: Member) -> list[Text]:
    """What a deputy cast for `someone`, the member they stand in for, if it still counts."""
    ballot = own_ballot(session, poll, someone)
    if ballot is None or ballot.cast_by != deputy.id:
        return []
    said = described(poll, ballot.choices, [o.label for o in options(session, poll)])
    return [Text(text=_("{vote} for {name}.").format(vote=said, name=someone.display_name))]


def _chosen(session: Session, poll: Poll, ballot: Ballot | None) -> set[str]:
    """The actions of the buttons that carry the viewer's current choice."""
    if ballot is None:
        return set()
    if poll.type == "consent":
        stance = ballot.choices[0]
        return {Stance(poll.id or 0, stance).encode(), ReasonForm(poll.id or 0, stance).encode()}
    if poll.type in ("single", "multi"):
        picked = set(ballot.choices)
        return {
            Vote(poll.id or 0, o.id or 0).encode()
            for o in options(session, poll)
            if o.position in picked
        }
    return set()


def _ticked(block: Actions, chosen: set[str]) -> Actions:
    """The block with the viewer's own choices ticked and highlighted."""
    return block.model_copy(
        update={
            "elements": [
                element.model_copy(
                    update={
                        "label": f"✓ {element.label}",
                        "style": "primary",
                        "spoken": _("{name} (your choice now)").format(name=element.spoken_name()),
                    }
                )
                if isinstance(element, Button) and element.action in chosen
                else element
                for element in block.elements
            ]
        }
    )


def coordinator_controls(poll: Poll) -> Actions:
    """Close, Extend and Remind: only ever on a coordinator's own view of an open poll.
    A purpose round's poll keeps the deadline its round sets, so it has no Extend."""
    assert poll.id is not None
    extend = Button(
        label=_("Extend the deadline"),
        action=RequestForm(FormKind.POLL_EXTEND, poll.id).encode(),
        spoken=_("Extend the deadline of {poll}").format(poll=poll_named(poll)),
    )
    remind = Button(
        label=_("Remind those who haven't voted"),
        action=RemindPoll(poll.id).encode(),
        spoken=_("Remind those who haven't voted in {poll}").format(poll=poll_named(poll)),
    )
    in_round = bool(poll.settings.get("purpose_round"))
    return Actions(elements=[close_button(poll), *([] if in_round else [extend]), remind])


def _observer_line(collaborative: Collaborative, viewer: Actor, *, joined: bool) -> Text:
    how = _("a coordinator can make you a member with `role member @{name}`").format(
        name=viewer.display_name
    )
    if joined:
        return Text(
            text=_(
                "You are an observer in {collaborative}: you can follow this poll but "
                "not vote. If you should vote, {how}."
            ).format(collaborative=collaborative.name, how=how)
        )
    return Text(
        text=_(
            "Newcomers to {collaborative} start as observers: you can follow this poll "
            "but not vote. Once you have joined (by using Concord in one of its channels), {how}."
        ).format(collaborative=collaborative.name, how=how)
    )
