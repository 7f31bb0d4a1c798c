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
from functools import partial

from sqlalchemy import update
from sqlmodel import Session, col, or_, select

from dialogs.collaborative.members import resolve_person
from dialogs.commands.syntax import Command
from dialogs.commands.when import describe, parse_when
from dialogs.core import effects
from dialogs.core.actions import DeputyAnswer
from dialogs.core.cards import Actions, Button, Card, Context, Text
from dialogs.core.language import N_, _
from dialogs.core.turn import Refusal, Turn
from storage.models import Collaborative, Deputy, Member, Organisation

NAMING = "`deputy @person --until DATE`"  # i18n: not for readers (a command, as typed)


def name_deputy(turn: Turn, command: Command) -> None:
    """`deputy @person --until DATE`: ask someone to vote for you for a while."""
    collaborative, member = turn.in_collaborative()
    if "until" not in command.flags:
        raise Refusal(
            _("Say until when, so the arrangement ends by itself."),
            _("Type {command}.").format(command=NAMING),
        )
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
    turn.audit(
        "deputy.named",
        lambda: _("{member} asked {deputy} to be deputy").format(
            member=member.display_name, deputy=person.display_name
        ),
    )
    _tell(turn, collaborative, person, _asking(collaborative, member, row, when))
    turn.say(
        _("{name} is asked to be your deputy until {moment}.").format(
            name=person.display_name, moment=when
        ),
        _(
            "Once they accept, they can vote for you in polls that aren't anonymous. Your own "
            "vote always counts instead of theirs. Type `deputy end` to stop it at any time."
        ),
    )


def _check_pair(turn: Turn, collaborative: Collaborative, member: Member, person: Member) -> None:
    """Refuse a deputy who can't stand in for `member` now, saying why."""
    if member.role == "observer":
        raise Refusal(_("Observers don't vote, so there is no vote to hand to a deputy."))
    if member.organisation_id is None:
        raise Refusal(
            _("Say which organisation you belong to first: a deputy comes from the same one."),
            _('Type `org join "Name"` (see `org list`).'),
        )
    if person.id == member.id:
        raise Refusal(
            _("You can't be your own deputy."), _("Name someone else from your organisation.")
        )
    if person.organisation_id != member.organisation_id:
        organisation = turn.session.get(Organisation, member.organisation_id)
        named = organisation.name if organisation else _("your organisation")
        raise Refusal(
            _(
                "{name} isn't in {organisation}: a deputy must be from your own organisation."
            ).format(name=person.display_name, organisation=named),
            _("Name someone from your organisation (see `org list`)."),
        )
    if person.role == "observer":
        raise Refusal(
            _("{name} is an observer, and observers don't vote.").format(name=person.display_name),
            _("Name a member of your organisation."),
        )
    end_lapsed(turn.session, collaborative, turn.now)
    if (mine := current_of(turn.session, member_id=member.id)) is not None:
        raise Refusal(
            _("You have already asked {name} to be your deputy until {moment}.").format(
                name=_name(turn.session, mine.deputy_id),
                moment=describe(mine.until, collaborative.timezone),
            ),
            _("Type `deputy end` first to name someone else."),
        )
    if (theirs := current_of(turn.session, deputy_id=person.id)) is not None:
        raise Refusal(
            _(
                "{name} is already deputy for {member}: a person can be deputy for one member "
                "at a time."
            ).format(name=person.display_name, member=_name(turn.session, theirs.member_id)),
            _("Name someone else from your organisation."),
        )


def _asking(collaborative: Collaborative, member: Member, row: Deputy, when: str) -> Card:
    assert row.id is not None
    asked = _(
        "{name} asks you to be their deputy in {collaborative} until {moment}: you could vote "
        "for them in polls that aren't anonymous. Their own vote always counts instead of "
        "yours, and either of you can end it with `deputy end`."
    ).format(name=member.display_name, collaborative=collaborative.name, moment=when)
    buttons = [
        Button(
            label=_("Accept"),
            action=DeputyAnswer(row.id, "accept").encode(),
            style="primary",
            spoken=_("Accept being {name}'s deputy").format(name=member.display_name),
        ),
        Button(
            label=_("Decline"),
            action=DeputyAnswer(row.id, "decline").encode(),
            spoken=_("Decline being {name}'s deputy").format(name=member.display_name),
        ),
    ]
    return Card(
        blocks=[
            Text(text=asked),
            Actions(elements=buttons),
            Context(text=_("Or type `deputy accept` or `deputy decline` in a linked channel.")),
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
        raise Refusal(
            _("That request isn't addressed to you."), _("Type `deputy list` to see them.")
        )
    if row.status != "offered" or not row.current:
        raise Refusal(_(_PAST[row.status]), _("Type `deputy list` to see who is deputy now."))
    _answer(turn, row, answer)


_PAST = {
    "active": N_("That request is no longer waiting: it was accepted."),
    "declined": N_("That request is no longer waiting: it was declined."),
    "ended": N_("That request is no longer waiting: it was ended."),
    "offered": N_("That request is no longer waiting: it was asked."),
}


def _waiting_for(turn: Turn) -> Deputy:
    collaborative, member = turn.in_collaborative()
    end_lapsed(turn.session, collaborative, turn.now)
    row = current_of(turn.session, deputy_id=member.id)
    if row is None or row.status != "offered":
        raise Refusal(
            _("Nobody is waiting for you to answer a request to be their deputy."),
            _("Type `deputy list` to see who is deputy for whom."),
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
        turn.audit(
            "deputy.accepted",
            lambda: _("{deputy} is deputy for {member}").format(
                deputy=deputy.display_name, member=member.display_name
            ),
        )
        _tell(
            turn,
            collaborative,
            member,
            _line(
                _(
                    "{name} accepted: they can vote for you until {moment}. Your own vote "
                    "always counts instead of theirs."
                ).format(name=deputy.display_name, moment=when)
            ),
        )
        turn.say(
            _("You are now {name}'s deputy until {moment}.").format(
                name=member.display_name, moment=when
            ),
            _(
                "Polls that aren't anonymous show you “Vote for {name}”; or type "
                "`vote ID CHOICE --for @{name}`."
            ).format(name=member.display_name),
        )
        return
    row.status, row.current, row.ended_at = "declined", False, turn.now
    turn.audit(
        "deputy.declined",
        lambda: _("{name} declined to be deputy").format(name=deputy.display_name),
    )
    _tell(
        turn,
        collaborative,
        member,
        _line(_("{name} declined to be your deputy.").format(name=deputy.display_name)),
    )
    turn.say(
        _("You declined to be {name}'s deputy.").format(name=member.display_name),
        _("They have been told."),
    )


def _check_pair_still(turn: Turn, member: Member, deputy: Member) -> None:
    if member.organisation_id != deputy.organisation_id:
        raise Refusal(
            _("You are no longer in {name}'s organisation, so you can't be their deputy.").format(
                name=member.display_name
            ),
            _("Decline instead, or ask them to name someone else."),
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
            _("You have no deputy, and you aren't anyone's deputy."),
            _("Type {command} to name one.").format(command=NAMING),
        )
    said = []
    for row in rows:
        row.status, row.current, row.ended_at = "ended", False, turn.now
        mine = row.member_id == member.id
        other = turn.session.get(Member, row.deputy_id if mine else row.member_id)
        assert other is not None
        said.append(
            (
                _("{name} is no longer your deputy.")
                if mine
                else _("You are no longer {name}'s deputy.")
            ).format(name=other.display_name)
        )
        pair = (other, member) if not mine else (member, other)
        turn.audit("deputy.ended", partial(_ended, *pair))
        told = (
            _("{name} ended the arrangement: you are no longer their deputy.")
            if mine
            else _("{name} ended the arrangement: they are no longer your deputy.")
        )
        _tell(turn, collaborative, other, _line(told.format(name=member.display_name)))
    turn.say(said[0], *said[1:], _("Votes already cast stay as they are."))


def list_deputies(turn: Turn, command: Command) -> None:
    """`deputy list`: who is deputy for whom, and until when (everyone may see it)."""
    collaborative, __ = turn.in_collaborative()
    end_lapsed(turn.session, collaborative, turn.now)
    rows = turn.session.exec(
        select(Deputy)
        .where(Deputy.collaborative_id == collaborative.id, col(Deputy.current))
        .order_by(col(Deputy.id))
    ).all()
    if not rows:
        turn.say(_("Nobody has a deputy."), _("Type {command} to name one.").format(command=NAMING))
        return
    lines = [
        (
            _("{deputy} for {member}, until {moment}")
            if row.status == "active"
            else _("{deputy} for {member}, until {moment} (asked, not yet accepted)")
        ).format(
            deputy=_name(turn.session, row.deputy_id),
            member=_name(turn.session, row.member_id),
            moment=describe(row.until, collaborative.timezone),
        )
        for row in rows
    ]
    turn.say(_("Deputies in {name}").format(name=collaborative.name), *lines)


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
    return member.display_name if member else _("someone who has left")


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


def _ended(member: Member, deputy: Member) -> str:
    return _("{deputy} is no longer deputy for {member}").format(
        deputy=deputy.display_name, member=member.display_name
    )
