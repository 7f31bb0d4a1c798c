"""Erasing collaboratives whole: every row that hangs from them, found through foreign keys.

Tables are visited in dependency order; a row is erased when any of its foreign keys
points at an erased row. The rows go in the reverse order, children before parents, in
the caller's transaction, so the database's foreign keys hold at every step.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Select, Table, delete, or_, select
from sqlmodel import Session, SQLModel, col

from storage.models import Channel

COLLABORATIVES = "collaborative"  # the table every erased row hangs from


def collaboratives_only_on(session: Session, platform: str, tenant_id: str) -> list[int]:
    """The collaboratives all of whose channels are on this platform tenant."""
    elsewhere = select(col(Channel.collaborative_id)).where(
        or_(col(Channel.platform) != platform, col(Channel.tenant_id) != tenant_id)
    )
    query = (
        select(col(Channel.collaborative_id))
        .where(col(Channel.platform) == platform, col(Channel.tenant_id) == tenant_id)
        .where(col(Channel.collaborative_id).not_in(elsewhere))
        .distinct()
    )
    return list(session.execute(query).scalars())


def erase_collaboratives(session: Session, ids: Collection[int]) -> None:
    table = SQLModel.metadata.tables[COLLABORATIVES]
    erased: dict[Table, Select] = {table: select(table.c.id).where(table.c.id.in_(ids))}
    for table in SQLModel.metadata.sorted_tables:
        if table not in erased and (rows := _hanging_from(table, erased)) is not None:
            erased[table] = rows
    for table, rows in reversed(erased.items()):
        (key,) = table.primary_key.columns
        session.execute(delete(table).where(key.in_(rows)))


def _hanging_from(table: Table, erased: dict[Table, Select]) -> Select | None:
    """The keys of `table`'s rows that point at an erased row; None when none can."""
    links = [fk for fk in table.foreign_keys if fk.column.table in erased]
    if not links:
        return None
    (key,) = table.primary_key.columns
    return select(key).where(or_(*(fk.parent.in_(erased[fk.column.table]) for fk in links)))
