"""`me forget` and `member remove @person [--forget]`: a person's right to erasure.

`me forget` asks first, then forgets the person in every collaborative they belong to, on
every platform: their accounts and settings go, their member rows stay as an unnamed
"Former member" (so announced figures still add up) that no account leads back to, and
their written words are replaced by "[removed at the author's request]" or removed, as
each collaborative chose (`Collaborative.forgotten_text`). Polls react through
`reactions.PersonForgotten`: closed polls keep their ballots, open polls lose the vote and
are recounted. The decision log keeps every entry, naming them only as "a former member".

A coordinator can remove a member who has left, and with `--forget` have Concord forget
them too, within this collaborative only: what the person holds elsewhere is theirs to
ask about. The last coordinator of a collaborative cannot be forgotten until another is named.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import case, func, update
from sqlmodel import Session, col, or_, select

from dialogs.collaborative.forgotten_log import IN_THE_LOG, LogRewrite, names_in_log, rewrite_log
from dialogs.collaborative.members import resolve_person
from dialogs.commands.syntax import Command
from dialogs.core import audit, reactions
from dialogs.core.cards import Card, Context, Heading, Text
from dialogs.core.effects import person_lane
from dialogs.core.events import Actor
from dialogs.core.language import N_, _
from dialogs.core.turn import Refusal, Turn
from storage import forget as store
from storage.forget import MARKER, REMOVE, Account, Forgotten, Redaction
from storage.models import Collaborative, Deputy, Identity, Member

# A forgotten member's name from then on: stored as it is (the source language), so it is
# the same name whoever forgot them, and found again by `member remove`.
FORMER_MEMBER = N_("Former member")
CONFIRM = "confirm"
# A forgotten coordinator coordinates no more; members and observers keep their role, so
# the turnout of polls already announced still adds up.
_NO_LONGER_COORDINATING = case((col(Member.role) == "coordinator", "member"), else_=Member.role)


def me_forget(turn: Turn, command: Command) -> None:
    """`me forget`: what would go, and how to confirm; `me forget confirm`: forget."""
    word = command.args.get("confirm")
    if word is not None and word.casefold() != CONFIRM:
        raise Refusal(
            _("`me forget` takes only the word `{word}`.").format(word=CONFIRM),
            _("Type `me forget` to see what it removes before you confirm."),
        )
    actor = turn.actor
    account = (actor.platform, actor.tenant_id, actor.user_id)
    accounts, ids = store.members_of(turn.session, {account})
    members = _members(turn.session, ids)
    if all(_joined_now(turn, m) for m in members):
        raise Refusal(
            _("There is nothing left to forget: Concord holds nothing about you."),
            _("If you use Concord in a linked channel again, it knows you only from then on."),
        )
    collaboratives = _collaboratives(turn.session, members)
    _refuse_last_coordinator(turn.session, members, collaboratives)
    if word is None:
        turn.reply(_preview(list(collaboratives.values())))
        return
    person = _forgotten(members, accounts)
    recounted = _forget(turn, person, members, everywhere=True)
    for collaborative in collaboratives.values():
        audit.record(
            turn.session,
            turn.now,
            collaborative,
            None,
            "me.forget",
            lambda: _("forgot a member at their request (`me forget`)"),
        )
    names = ", ".join(sorted(c.name for c in collaboratives.values()))
    turn.say(
        _("Concord has forgotten you"),
        _(
            "Your name, accounts and settings are gone from {names}, and so are your written words."
        ).format(names=names),
        *(
            _(
                "Your vote in open poll #{number} of {name} was taken back and the poll recounted."
            ).format(number=n, name=name)
            for name, n in recounted
        ),
        _("Results already announced stand; nothing left in them leads back to you."),
    )


def member_remove(turn: Turn, command: Command) -> None:
    """`member remove @person [--forget]`: a coordinator removes someone who has left."""
    collaborative, coordinator = turn.require_coordinator(N_("remove a member"))
    person = resolve_person(turn, collaborative, command.args["person"])
    if person.id == coordinator.id:
        raise Refusal(
            _("You can't remove yourself."),
            _(
                "Another coordinator can, or type `me forget` to have Concord forget you "
                "everywhere."
            ),
        )
    accounts = _accounts(turn.session, person)
    if person.display_name == FORMER_MEMBER and not accounts:
        raise Refusal(
            _("Concord has already forgotten that member: there is nothing left to remove.")
        )
    name = person.display_name
    if not command.flags.get("forget"):
        _remove(turn, collaborative, person, accounts)
        return
    forgotten = _forgotten([person], accounts)
    recounted = _forget(turn, forgotten, [person], everywhere=False)
    turn.audit(
        "member.remove", lambda: _("removed a member and had Concord forget them"), forgotten=True
    )
    turn.say(
        _("{name} is removed and forgotten in {collaborative}").format(
            name=name, collaborative=collaborative.name
        ),
        _("Their name and accounts are gone here, and their written words are removed.")
        if collaborative.forgotten_text == REMOVE
        else _(
            "Their name and accounts are gone here, and their written words are replaced by "
            "“{marker}”."
        ).format(marker=MARKER),
        *(
            _("Their vote in open poll #{number} was taken back and the poll recounted.").format(
                number=n
            )
            for __, n in recounted
        ),
        _("Only this collaborative is affected: anywhere else, they can ask with `me forget`."),
    )


def _remove(
    turn: Turn, collaborative: Collaborative, person: Member, accounts: Collection[Account]
) -> None:
    """Membership ends; the name stays on record beside what they did."""
    if not accounts:
        raise Refusal(
            _("{name} was already removed from {collaborative}.").format(
                name=person.display_name, collaborative=collaborative.name
            ),
            _('To have Concord forget them too, type `member remove "{name}" --forget`.').format(
                name=person.display_name
            ),
        )
    store.unlink(turn.session, [person.id or 0], accounts)
    _end_deputies(turn, [person.id or 0])
    if person.role == "coordinator":  # nobody can reach them: they coordinate no more
        person.role = "member"
    turn.audit(
        "member.remove",
        lambda: _("removed {name}").format(name=person.display_name),
        member_id=person.id,
    )
    turn.say(
        _("{name} is no longer a member of {collaborative}").format(
            name=person.display_name, collaborative=collaborative.name
        ),
        _(
            "Their votes and words stay on record under their name; if they use Concord here "
            "again, they join afresh."
        ),
        _('To have Concord forget them as well, type `member remove "{name}" --forget`.').format(
            name=person.display_name
        ),
    )


def _forget(
    turn: Turn, person: Forgotten, members: list[Member], *, everywhere: bool
) -> list[tuple[str, int]]:
    """Forget `person` in the collaboratives of `members`; the open polls recounted, by
    collaborative name and poll number."""
    session, grouped = turn.session, _by_collaborative(members)
    words: set[str] = set()
    reasons: dict[tuple[int, int], set[str]] = {}
    recounted: list[tuple[str, int]] = []
    for collaborative_id, ids in grouped.items():
        collaborative = session.get(Collaborative, collaborative_id)
        assert collaborative is not None
        event = reactions.PersonForgotten(frozenset(ids), collaborative, turn.now)
        reactions.announce(session, event)
        reasons |= {(collaborative_id, n): said for n, said in event.quoted.items()}
        words |= store.clear_written(session, ids, collaborative.forgotten_text)
        recounted += [(collaborative.name, number) for number in event.recounted]
    names = {m.display_name for m in members} | names_in_log(session, person.member_ids)
    rewrite = LogRewrite(_named(names, person.accounts), reasons)
    _end_deputies(turn, person.member_ids)
    session.execute(
        update(Member)
        .where(col(Member.id).in_(person.member_ids))
        .values(display_name=FORMER_MEMBER, role=_NO_LONGER_COORDINATING)
    )
    rewrite_log(session, list(grouped), person.member_ids, rewrite)
    store.unlink(session, person.member_ids, person.accounts)
    if everywhere:  # an installation is the workspace's, not one collaborative's
        store.forget_installer(session, person.accounts)
    copies = Redaction(rewrite.anywhere().replacements | dict.fromkeys(words - {MARKER}, MARKER))
    store.redact_copies(session, copies, person, list(grouped), everywhere=everywhere)
    return sorted(recounted)


def _named(names: set[str], accounts: Collection[Account]) -> dict[str, str]:
    """Their names and account ids, each to become "a former member"."""
    pieces = (names - {FORMER_MEMBER}) | {user for __, ___, user in accounts}
    return dict.fromkeys(pieces, _(IN_THE_LOG))


def _end_deputies(turn: Turn, ids: Collection[int]) -> None:
    """Arrangements the person was in, either way round, end now."""
    turn.session.execute(
        update(Deputy)
        .where(
            col(Deputy.current),
            or_(col(Deputy.member_id).in_(ids), col(Deputy.deputy_id).in_(ids)),
        )
        .values(current=False, status="ended", ended_at=turn.now)
    )


def _refuse_last_coordinator(
    session: Session, members: list[Member], collaboratives: dict[int, Collaborative]
) -> None:
    ids = [m.id for m in members]
    for member in members:
        if member.role != "coordinator":
            continue
        others = session.exec(
            select(func.count())
            .select_from(Member)
            .where(
                Member.collaborative_id == member.collaborative_id,
                Member.role == "coordinator",
                col(Member.id).not_in(ids),
            )
        ).one()
        if not others:
            name = collaboratives[member.collaborative_id].name
            raise Refusal(
                _("You are the only coordinator of {name}; someone must stay one.").format(
                    name=name
                ),
                _(
                    "Make someone else a coordinator first (`role coordinator @person`), then "
                    "type `me forget` again."
                ),
            )


def _preview(collaboratives: list[Collaborative]) -> Card:
    names = ", ".join(sorted(c.name for c in collaboratives))
    policies = {c.forgotten_text for c in collaboratives}
    words = (
        _(
            "Your written words (proposals, reasons for objections, check-in comments) will "
            "be removed."
        )
        if policies == {REMOVE}
        else _(
            "Your written words (proposals, reasons for objections, check-in comments) will "
            "be replaced by “{marker}”."
        )
        if REMOVE not in policies
        else _(
            "Your written words (proposals, reasons for objections, check-in comments) will "
            "be removed or replaced by “{marker}”, as each collaborative chose."
        )
    )
    lines = [
        _(
            "Concord will forget you in {names}: your name, your accounts on every platform "
            "and your settings."
        ).format(names=names),
        words.format(marker=MARKER),
        _(
            "Votes in closed polls stay counted, linked to nobody, so announced results don't "
            "change; your votes in open polls are taken back. Anonymous votes were never "
            "linked to you, so they stay."
        ),
        _("The decision log keeps its entries but calls you “{former}”.").format(
            former=_(IN_THE_LOG)
        ),
    ]
    return Card(
        blocks=[
            Heading(text=_("Forget you everywhere?")),
            *(Text(text=line) for line in lines),
            Context(text=_("This can't be undone. Type `me forget confirm` to go ahead.")),
        ],
        fallback=_("Forget you everywhere?"),
    )


def _members(session: Session, ids: Collection[int]) -> list[Member]:
    return list(session.exec(select(Member).where(col(Member.id).in_(ids))).all())


def _joined_now(turn: Turn, member: Member) -> bool:
    """Joined by this very command (whoever acts in a linked channel joins): nothing of it
    is older than the command, and refusing rolls the joining back."""
    return member is turn.member and member.created_at == turn.now


def _collaboratives(session: Session, members: list[Member]) -> dict[int, Collaborative]:
    ids = {m.collaborative_id for m in members}
    rows = session.exec(select(Collaborative).where(col(Collaborative.id).in_(ids))).all()
    return {c.id or 0: c for c in rows}


def _by_collaborative(members: list[Member]) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = defaultdict(list)
    for member in members:
        grouped[member.collaborative_id].append(member.id or 0)
    return dict(grouped)


def _accounts(session: Session, member: Member) -> set[Account]:
    rows = session.exec(
        select(Identity.platform, Identity.tenant_id, Identity.user_id).where(
            Identity.member_id == member.id
        )
    ).all()
    return {(p, t, u) for p, t, u in rows}


def _forgotten(members: list[Member], accounts: Collection[Account]) -> Forgotten:
    return Forgotten(
        member_ids=frozenset(m.id or 0 for m in members),
        accounts=frozenset(accounts),
        lanes=frozenset(person_lane(Actor(p, t, u, "")) for p, t, u in accounts),
    )
