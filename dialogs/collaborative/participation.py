"""Who took part, by organisation, without naming anyone.

A count under three could point at a person (two people from a small trust
answered: which two?), so such counts are shown only as "fewer than 3".
Check-in summaries and purpose rounds both show participation this way.

*Turnout* ("Riverside Trust 4 of 9 · Northshire Community 2 of 6") is the same rule
with the number who could have taken part beside each count: members who are not
observers (observers are not expected to vote or answer), and those who gave no
organisation counted apart. A group of fewer than three such members shows no count.
Exact counts are for non-anonymous polls, whose voters coordinators may list anyway;
where people are promised they can't be picked out (anonymous polls, check-ins) a count
under three, none included, is "fewer than 3": "none" turning into "fewer than 3" would
say from where the first answer just came.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from dialogs.core.cards import FieldItem
from dialogs.core.language import N_, _
from storage.models import Member, Organisation

SMALLEST_GROUP = 3  # the one small-group rule; poll results import it from here


def small_group() -> str:
    """What a group too small to show says instead of its count."""
    return _("not shown (fewer than {smallest} members)").format(smallest=SMALLEST_GROUP)


def shown_count(count: int) -> str:
    """`count` as shown: the number, "none", or "fewer than 3" for a group too small to show."""
    if count >= SMALLEST_GROUP:
        return str(count)
    return _("none") if not count else _("fewer than {smallest}").format(smallest=SMALLEST_GROUP)


def by_organisation(
    session: Session, collaborative_id: int, counted: Mapping[int | None, int]
) -> list[FieldItem]:
    """One line per organisation (and one for people who gave none, when any took part).

    `counted` maps an organisation id (None: no organisation given) to how many took
    part; each line also says how many members could have.
    """
    organisations = session.exec(
        select(Organisation)
        .where(Organisation.collaborative_id == collaborative_id)
        .order_by(Organisation.name)
    ).all()
    members = _members_by_organisation(session, collaborative_id)
    items = []
    for organisation in [*organisations, None]:
        key = organisation.id if organisation else None
        count = counted.get(key, 0)
        if organisation is None and not count:
            continue
        label = organisation.name if organisation else _("No organisation given")
        items.append(FieldItem(label=label, value=_shown_of_members(count, members.get(key, 0))))
    return items


def _shown_of_members(count: int, members: int) -> str:
    """ "4 of 9", "none of 2", "no members"; a small group's count is not shown, and never as the
    nonsense "fewer than 3 of 2"."""
    if not members:
        return _("no members")
    if count and members < SMALLEST_GROUP:
        return small_group()
    return _("{count} of {members}").format(count=shown_count(count), members=members)


def _members_by_organisation(session: Session, collaborative_id: int) -> dict[int | None, int]:
    return dict(
        session.exec(
            select(Member.organisation_id, func.count())
            .where(Member.collaborative_id == collaborative_id, Member.role != "observer")
            .group_by(Member.organisation_id)
        ).all()
    )


@dataclass(frozen=True)
class Turnout:
    """One group's turnout: `took_part` of the `could` members who might have."""

    label: str
    took_part: int
    could: int


NO_ORGANISATION = N_("no organisation given")
TURNOUT_CHARACTERS = 1500  # a Slack context element holds 3,000; leave room to escape


def turnout(session: Session, collaborative_id: int, took_part: Any) -> list[Turnout]:
    """Each organisation's turnout, by name, then the group apart (see the module docstring).

    `took_part` is a SQL select of the member ids who took part. One grouped query counts
    both figures (one round trip: half the time of two on PostgreSQL), so the live poll
    card stays cheap to redraw."""
    rows = session.exec(
        select(
            Organisation.name,
            func.count(),
            func.sum(case((col(Member.id).in_(took_part), 1), else_=0)),
        )
        .select_from(Member)
        .join(Organisation, col(Organisation.id) == col(Member.organisation_id), isouter=True)
        .where(Member.collaborative_id == collaborative_id, Member.role != "observer")
        .group_by(col(Organisation.id), col(Organisation.name))
    ).all()
    named = sorted((name, int(took or 0), could) for name, could, took in rows if name)
    apart = [
        Turnout(_(NO_ORGANISATION), int(took or 0), could) for name, could, took in rows if not name
    ]
    return [Turnout(*row) for row in named] + apart


def turnout_line(groups: Sequence[Turnout], *, exact: bool) -> str | None:
    """ "Turnout: Riverside Trust 4 of 9 · …", or None when nobody could take part. With
    `exact` False, counts under three are not given (see the module docstring)."""
    shown = [f"{group.label} {_turnout_count(group, exact=exact)}" for group in groups]
    if not shown:
        return None
    kept: list[str] = []
    for part in shown:
        if sum(map(len, kept)) + 3 * len(kept) + len(part) > TURNOUT_CHARACTERS:
            break
        kept.append(part)
    if len(kept) < len(shown):
        kept.append(_("and {count} more").format(count=len(shown) - len(kept)))
    return _("Turnout: {groups}").format(groups=" · ".join(kept))


def _turnout_count(group: Turnout, *, exact: bool) -> str:
    """As `_shown_of_members`, but a small group never shows even "none": its change from
    "none" would say when one of two or so people took part."""
    if group.could < SMALLEST_GROUP:
        return small_group()
    if exact:
        return _("{count} of {members}").format(count=group.took_part, members=group.could)
    if not group.took_part:  # likewise "none": its change would date the first answer
        return _("{count} of {members}").format(
            count=_("fewer than {smallest}").format(smallest=SMALLEST_GROUP), members=group.could
        )
    return _shown_of_members(group.took_part, group.could)
