"""`poll waiting ID`: a coordinator's private list of who hasn't voted yet.

It names the members who may vote and haven't, to the coordinator who asks alone (never
in a channel), grouped by organisation with the coordinator's own first, so each can nudge
their own people. It is refused for anonymous polls, where nobody may learn who has voted,
and to anyone but a coordinator. Observers are not expected to vote, so they are not listed.
"""

from __future__ import annotations

from itertools import groupby

from sqlmodel import Session, col, select

from dialogs.commands.syntax import Command
from dialogs.core.cards import Block, Card, Context, Heading, Text
from dialogs.core.language import N_, _, ngettext
from dialogs.core.turn import Refusal, Turn
from dialogs.polls.lifecycle import poll_by_number
from storage.models import Member, Organisation, Participation, Poll

NAMES_CHARACTERS = 2500  # a Slack section's text holds 3,000; leave room to escape
NO_ORGANISATION = N_("No organisation given")


def waiting(turn: Turn, command: Command) -> None:
    """`poll waiting ID`: who hasn't voted yet, privately to the coordinator who asks."""
    collaborative, coordinator = turn.require_coordinator(N_("see who hasn't voted yet"))
    poll = poll_by_number(turn.session, collaborative, command.args["id"])
    number = poll.number
    if poll.settings.get("anonymous"):
        raise Refusal(
            _(
                "Poll #{number} is anonymous: nobody, coordinators included, may see who "
                "has voted, so there is no list of who hasn't."
            ).format(number=number),
            _("`poll remind {number}` reminds them privately without naming anyone.").format(
                number=number
            ),
        )
    if poll.status != "open":
        raise Refusal(
            _("Poll #{number} is closed, so nobody is waiting to vote.").format(number=number),
            _("See the result with `poll results {number}`.").format(number=number),
        )
    groups = _waiting_by_organisation(turn.session, poll, coordinator.organisation_id)
    heading = _("Who hasn't voted yet in poll #{number}").format(number=number)
    if not groups:
        turn.say(heading, _("Everyone who may vote has voted."))
        return
    people = sum(len(names) for unused, names in groups)
    about = ngettext(
        "{count} person · only you can see this list · "
        "`poll remind {number}` reminds them all privately",
        "{count} people · only you can see this list · "
        "`poll remind {number}` reminds them all privately",
        people,
    )
    blocks: list[Block] = [
        Heading(text=heading),
        Context(text=about.format(count=people, number=number)),
    ]
    blocks += [Text(text=_names_line(label, names)) for label, names in groups]
    turn.reply(Card(blocks=blocks, fallback=heading))


def _waiting_by_organisation(
    session: Session, poll: Poll, first: int | None
) -> list[tuple[str, list[str]]]:
    """(organisation, names) of members who may vote and haven't: the organisation `first`
    leads, then the others by name, then those who gave none."""
    rows = session.exec(
        select(Member.organisation_id, Organisation.name, Member.display_name)
        .join(Organisation, col(Organisation.id) == col(Member.organisation_id), isouter=True)
        .where(
            Member.collaborative_id == poll.collaborative_id,
            Member.role != "observer",
            col(Member.id).not_in(
                select(Participation.member_id).where(Participation.poll_id == poll.id)
            ),
        )
    ).all()

    def order(row: tuple[int | None, str | None, str]) -> tuple[int, str, str]:
        organisation_id, name, person = row
        rank = 0 if organisation_id is not None and organisation_id == first else 1
        return (rank if name is not None else 2, (name or "").casefold(), person.casefold())

    return [
        (name or _(NO_ORGANISATION), [row[2] for row in members])
        for (unused, name), members in groupby(sorted(rows, key=order), key=lambda r: r[:2])
    ]


def _names_line(label: str, names: list[str]) -> str:
    """ "Riverside Trust (3): Ann, Bo, Cy", shortened to fit one platform text block."""
    kept: list[str] = []
    for name in names:
        if sum(map(len, kept)) + 2 * len(kept) + len(name) > NAMES_CHARACTERS:
            break
        kept.append(name)
    if len(kept) == len(names):
        return f"{label} ({len(names)}): {', '.join(kept)}"
    return _("{label} ({total}): {names} and {count} more").format(
        label=label, total=len(names), names=", ".join(kept), count=len(names) - len(kept)
    )
