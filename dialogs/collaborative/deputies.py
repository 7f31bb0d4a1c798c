"""Deputies: a member names someone from their own organisation to vote for them until a
date (`deputy @person --until DATE`); the deputy accepts or declines from a private
message (or `deputy accept|decline`), and either can end it (`deputy end`).

Rules, checked on every command and click: the deputy is from the member's organisation
and votes (not an observer); a member has one deputy at a time (asked or accepted), and
nobody is deputy for two members at once (the database's partial unique indexes hold
both); the period ends in the future. A period that has run out is ended the next time
anyone looks. How a deputy votes is `dialogs.polls.proxy`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, or_, select

from dialogs.collaborative.members import resolve_person
from dialogs.commands.syntax import Command
from dialogs.commands.when import describe, parse_when
from dialogs.core import effects
from dialogs.core.actions import DeputyAnswer
from dialogs.core.cards import Actions, Button, Card, Context, Text
from dialogs.core.turn import Refusal, Turn
from storage.models import Collaborative, Deputy, Member, Organisation

NAMING = "`deputy @person --until DATE`"


def name_deputy(turn: Turn, command: Command) -> None:
    """`deputy @person --until DATE`: ask someone to vote for you for a while."""
    collaborative, member = turn.in_collaborative()
    if "until" not in command.flags:
        raise Refusal("Say until when, so the arrangement ends by itself.", f"Type {NAMING}.")
    until = parse_when(command.flags["until"], turn.now, collaborative.timezone)
    person = resolve_person(turn, collaborative, command.args["person"])
    _check_pair(turn, collaborative, member, person)
    row = Deputy(
        collaborative_id=collaborative.id,
        member_id=member.id,
        deputy_id=person.id,
        until=until,
        created_at=turn.now,
    )
    turn.session.add(row)
    turn.session.flush()  # the id its Accept and Decline buttons carry
    when = describe(until, collaborative.timezone)
    turn.audit("deputy.named", f"{member.display_name} asked {person.display_name} to be deputy")
    _tell(turn, collaborative, person, _asking(collaborative, member, row, when))
    turn.say(
        f"{person.display_name} is asked to be your deputy until {when}.",
        "Once they accept, they can vote for you in polls that aren't anonymous. Your own "
        "vote always counts instead of theirs. Type `deputy end` to stop it at any time.",
    )


def _check_pair(turn: Turn, collaborative: Collaborative, member: Member, person: Member) -> None:
    """Refuse a deputy who can't stand in for `member` now, saying why."""
    if member.role == "observer":
        raise Refusal("Observers don't vote, so there is no vote to hand to a deputy.")
    if member.organisation_id is None:
        raise Refusal(
            "Say which organisation you belong to first: a deputy comes from the same one.",
            'Type `org join "Name"` (see `org list`).',
        )
    if person.id == member.id:
        raise Refusal("You can't be your own deputy.", "Name someone else from your organisation.")
    if person.organisation_id != member.organisation_id:
        organisation = turn.session.get(Organisation, member.organisation_id)
        named = organisation.name if organisation else "your organisation"
        raise Refusal(
            f"{person.display_name} isn't in {named}: a deputy must be from your own organisation.",
            "Name someone from your organisation (see `org list`).",
        )
    if person.role == "observer":
        raise Refusal(
            f"{person.display_name} is an observer, and observers don't vote.",
            "Name a member of your organisation.",
        )
    end_lapsed(turn.session, collaborative, turn.now)
    if (mine := current_of(turn.session, member_id=member.id)) is not None:
        raise Refusal(
            f"You have already asked {_name(turn.session, mine.deputy_id)} to be your deputy "
            f"until {describe(mine.until, collaborative.timezone)}.",
            "Type `deputy end` first to name someone else.",
        )
    if (theirs := current_of(turn.session, deputy_id=person.id)) is not None:
        raise Refusal(
            f"{person.display_name} is already deputy for "
            f"{_name(turn.session, theirs.member_id)}: a person can be deputy for one member "
            "at a time.",
            "Name someone else from your organisation.",
        )


def _asking(collaborative: Collaborative, member: Member, row: Deputy, when: str) -> Card:
    assert row.id is not None
    asked = (
        f"{member.display_name} asks you to be their deputy in {collaborative.name} until "
        f"{when}: you could vote for them in polls that aren't anonymous. Their own vote "
        "always counts instead of yours, and either of you can end it with `deputy end`."
    )
    role = f"being {member.display_name}'s deputy"
    buttons = [
        Button(
            label="Accept",
            action=DeputyAnswer(row.id, "accept").encode(),
            style="primary",
            spoken=f"Accept {role}",
        ),
        Button(
            label="Decline",
            action=DeputyAnswer(row.id, "decline").encode(),
            spoken=f"Decline {role}",
        ),
    ]
    return Card(
        blocks=[
            Text(text=asked),
            Actions(elements=buttons),
            Context(text="Or type `deputy accept` or `deputy decline` in a linked channel."),
        ],
        fallback=asked,
    )


def accept(turn: Turn, command: Command) -> None:
    """`deputy accept`: accept the request waiting for you."""
    _answer(turn, _waiting_for(turn), "accept")


def decline(turn: Turn, command: Command) -> None:
    """`deputy decline`: decline the request waiting for you."""
    _answer(turn, _waiting_for(turn), "decline")


def answer_by_button(turn: Turn, deputy_row: int, answer: str) -> None:
    """The Accept or Decline button: only the person asked may answer, while it waits."""
    collaborative, member = turn.in_collaborative()
    end_lapsed(turn.session, collaborative, turn.now)
    row = turn.session.get(Deputy, deputy_row)
    if row is None or row.collaborative_id != collaborative.id or row.deputy_id != member.id:
        raise Refusal("That request isn't addressed to you.", "Type `deputy list` to see them.")
    if row.status != "offered" or not row.current:
        raise Refusal(
            f"That request is no longer waiting: it was {_PAST[row.status]}.",
            "Type `deputy list` to see who is deputy now.",
        )
    _answer(turn, row, answer)


_PAST = {"active": "accepted", "declined": "declined", "ended": "ended", "offered": "asked"}


def _waiting_for(turn: Turn) -> Deputy:
    collaborative, member = turn.in_collaborative()
    end_lapsed(turn.session, collaborative, turn.now)
    row = current_of(turn.session, deputy_id=member.id)
    if row is None or row.status != "offered":
        raise Refusal(
            "Nobody is waiting for you to answer a request to be their deputy.",
            "Type `deputy list` to see who is deputy for whom.",
        )
    return row


def _answer(turn: Turn, row: Deputy, answer: str) -> None:
    collaborative, deputy = turn.in_collaborative()
    member = turn.session.get(Member, row.member_id)
    assert member is not None
    when = describe(row.until, collaborative.timezone)
    if answer == "accept":
        _check_pair_still(turn, member, deputy)
        row.status, row.accepted_at = "active", turn.now
        turn.audit("deputy.accepted", f"{deputy.display_name} is deputy for {member.display_name}")
        _tell(
            turn,
            collaborative,
            member,
            _line(
                f"{deputy.display_name} accepted: they can "
                f"vote for you until {when}. Your own vote always counts instead of theirs."
            ),
        )
        turn.say(
            f"You are now {member.display_name}'s deputy until {when}.",
            f"Polls that aren't anonymous show you “Vote for {member.display_name}”; or type "
            f"`vote ID CHOICE --for @{member.display_name}`.",
        )
        return
    row.status, row.current, row.ended_at = "declined", False, turn.now
    turn.audit("deputy.declined", f"{deputy.display_name} declined to be deputy")
    _tell(turn, collaborative, member, _line(f"{deputy.display_name} declined to be your deputy."))
    turn.say(f"You declined to be {member.display_name}'s deputy.", "They have been told.")


def _check_pair_still(turn: Turn, member: Member, deputy: Member) -> None:
    if member.organisation_id != deputy.organisation_id:
        raise Refusal(
            f"You are no longer in {member.display_name}'s organisation, so you can't be "
            "their deputy.",
            "Decline instead, or ask them to name someone else.",
        )


def end(turn: Turn, command: Command) -> None:
    """`deputy end`: end your deputy, and your time as someone's deputy, now."""
    collaborative, member = turn.in_collaborative()
    end_lapsed(turn.session, collaborative, turn.now)
    rows = turn.session.exec(
        select(Deputy).where(
            col(Deputy.current),
            or_(col(Deputy.member_id) == member.id, col(Deputy.deputy_id) == member.id),
        )
    ).all()
    if not rows:
        raise Refusal(
            "You have no deputy, and you aren't anyone's deputy.",
            f"Type {NAMING} to name one.",
        )
    said = []
    for row in rows:
        row.status, row.current, row.ended_at = "ended", False, turn.now
        mine = row.member_id == member.id
        other = turn.session.get(Member, row.deputy_id if mine else row.member_id)
        assert other is not None
        said.append(
            f"{other.display_name} is no longer your deputy."
            if mine
            else f"You are no longer {other.display_name}'s deputy."
        )
        pair = (other, member) if not mine else (member, other)
        turn.audit(
            "deputy.ended", f"{pair[1].display_name} is no longer deputy for {pair[0].display_name}"
        )
        _tell(
            turn,
            collaborative,
            other,
            _line(
                f"{member.display_name} ended the arrangement: "
                + ("you are no longer their deputy." if mine else "they are no longer your deputy.")
            ),
        )
    turn.say(said[0], *said[1:], "Votes already cast stay as they are.")


def list_deputies(turn: Turn, command: Command) -> None:
    """`deputy list`: who is deputy for whom, and until when (everyone may see it)."""
    collaborative, _ = turn.in_collaborative()
    end_lapsed(turn.session, collaborative, turn.now)
    rows = turn.session.exec(
        select(Deputy)
        .where(Deputy.collaborative_id == collaborative.id, col(Deputy.current))
        .order_by(col(Deputy.id))
    ).all()
    if not rows:
        turn.say("Nobody has a deputy.", f"Type {NAMING} to name one.")
        return
    lines = [
        f"{_name(turn.session, row.deputy_id)} for {_name(turn.session, row.member_id)}, "
        f"until {describe(row.until, collaborative.timezone)}"
        + ("" if row.status == "active" else " (asked, not yet accepted)")
        for row in rows
    ]
    turn.say(f"Deputies in {collaborative.name}", *lines)


def standing_in(session: Session, deputy: Member, member_id: int, now: datetime) -> Deputy | None:
    """The accepted arrangement letting `deputy` vote for member `member_id` at `now`."""
    return session.exec(
        select(Deputy).where(
            Deputy.deputy_id == deputy.id,
            Deputy.member_id == member_id,
            Deputy.status == "active",
            col(Deputy.current),
            Deputy.until > now,
        )
    ).first()


def represented(session: Session, deputy: Member, now: datetime) -> Member | None:
    """The member `deputy` may vote for at `now`, if any."""
    row = current_of(session, deputy_id=deputy.id)
    if row is None or row.status != "active" or row.until <= now:
        return None
    return session.get(Member, row.member_id)


def current_of(
    session: Session, *, member_id: int | None = None, deputy_id: int | None = None
) -> Deputy | None:
    """The current (asked or accepted) arrangement of a member, or of a deputy."""
    query = select(Deputy).where(col(Deputy.current))
    if member_id is not None:
        query = query.where(Deputy.member_id == member_id)
    if deputy_id is not None:
        query = query.where(Deputy.deputy_id == deputy_id)
    return session.exec(query).first()


def end_lapsed(session: Session, collaborative: Collaborative, now: datetime) -> None:
    """End the arrangements whose period has run out."""
    session.execute(
        update(Deputy)
        .where(
            col(Deputy.collaborative_id) == collaborative.id,
            col(Deputy.current),
            col(Deputy.until) <= now,
        )
        .values(current=False, status="ended", ended_at=now)
    )


def _tell(turn: Turn, collaborative: Collaborative, member: Member, card: Card) -> None:
    if (actor := effects.actor_of(turn.session, member)) is not None:
        effects.notify(turn.session, turn.now, collaborative, actor, card)


def _line(text: str) -> Card:
    return Card(blocks=[Text(text=text)], fallback=text)


def _name(session: Session, member_id: int) -> str:
    member = session.get(Member, member_id)
    return member.display_name if member else "someone who has left"


def asked_of(session: Session, deputy: Member, now: datetime) -> list[tuple[Deputy, Member]]:
    """Requests to be someone's deputy that `deputy` hasn't answered yet, with who asked."""
    rows = session.exec(
        select(Deputy, Member)
        .join(Member, col(Member.id) == col(Deputy.member_id))
        .where(
            Deputy.deputy_id == deputy.id,
            Deputy.status == "offered",
            col(Deputy.current).is_(True),
            col(Deputy.until) > now,
        )
        .order_by(col(Deputy.id))
    ).all()
    return [(row, asker) for row, asker in rows]
