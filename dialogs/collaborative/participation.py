"""Who took part, by organisation, without naming anyone.

A count under three could point at a person (two people from a small trust
answered: which two?), so such counts are shown only as "fewer than 3".
Check-in summaries and purpose rounds both show participation this way.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, func, select

from dialogs.core.cards import FieldItem
from storage.models import Member, Organisation

SMALLEST_GROUP = 3  # the one small-group rule; poll results import it from here


def shown_count(count: int) -> str:
    """`count` as shown: the number, "none", or "fewer than 3" for a group too small to show."""
    return (
        str(count)
        if count >= SMALLEST_GROUP
        else ("none" if not count else f"fewer than {SMALLEST_GROUP}")
    )


def by_organisation(
    session: Session,
    collaborative_id: int,
    counted: Mapping[int | None, int],
    *,
    of_members: bool = False,
) -> list[FieldItem]:
    """One line per organisation (and one for people who gave none, when any took part).

    `counted` maps an organisation id (None: no organisation given) to how many took
    part; with `of_members`, each line also says how many members could have.
    """
    organisations = session.exec(
        select(Organisation)
        .where(Organisation.collaborative_id == collaborative_id)
        .order_by(Organisation.name)
    ).all()
    members = _members_by_organisation(session, collaborative_id) if of_members else {}
    items = []
    for organisation in [*organisations, None]:
        key = organisation.id if organisation else None
        count = counted.get(key, 0)
        if organisation is None and not count:
            continue
        shown = _shown_of_members(count, members.get(key, 0)) if of_members else shown_count(count)
        label = organisation.name if organisation else "No organisation given"
        items.append(FieldItem(label=label, value=shown))
    return items


def _shown_of_members(count: int, members: int) -> str:
    """ "4 of 9", "none of 2", "no members"; a small group's count is not shown, and never as the
    nonsense "fewer than 3 of 2"."""
    if not members:
        return "no members"
    if count and members < SMALLEST_GROUP:
        return f"not shown (fewer than {SMALLEST_GROUP} members)"
    return f"{shown_count(count)} of {members}"


def _members_by_organisation(session: Session, collaborative_id: int) -> dict[int | None, int]:
    return dict(
        session.exec(
            select(Member.organisation_id, func.count())
            .where(Member.collaborative_id == collaborative_id, Member.role != "observer")
            .group_by(Member.organisation_id)
        ).all()
    )
