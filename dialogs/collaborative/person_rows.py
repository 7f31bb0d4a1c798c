"""Which rows of the database are one person's: the scan behind `me export`.

A person is every member linked to their accounts, across collaboratives: the accounts of
the member who asks, the members those accounts are, those members' other accounts (a
`me link` in one collaborative joins a Teams account to a Slack one), and so on until
nothing new is found. Which columns can point at a person is not repeated here: it is read
from `storage.personal_data.TABLES`, so a table declared there is searched here.

How a column points at a person depends on its kind: a PERSON column holds a member id; an
ACCOUNT column an account, written as the platform knows it (`ACCOUNT_MATCH`); the member
table is the person itself; and a decision-log entry is theirs when they acted, when its
figures name them by member id, or when its words name them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, MetaData, Table, false, inspect, or_, tuple_
from sqlmodel import Session, SQLModel, col, select

from dialogs.core.effects import person_lane
from dialogs.core.events import Actor
from storage.models import AuditEntry, Identity, Member
from storage.personal_data import LIBRARY_TABLES, TABLES, Kind, TableUse

Row = dict[str, Any]
Account = tuple[str, str, str]  # (platform, tenant id, user id)


@dataclass(frozen=True)
class PersonKeys:
    """What identifies one person anywhere in the database."""

    member_ids: frozenset[int]
    accounts: frozenset[Account]
    names: frozenset[str]
    collaborative_ids: frozenset[int]

    def lanes(self) -> list[str]:
        """Their private-message lanes, as the outbox names them."""
        return sorted(person_lane(Actor(*account, "")) for account in self.accounts)


def keys_of(session: Session, member: Member) -> PersonKeys:
    """The person `member` is, in every collaborative (see the module docstring)."""
    assert member.id is not None
    member_ids = {member.id}
    while True:
        accounts = _accounts_of(session, member_ids)
        more = _members_of(session, accounts) - member_ids
        if not more:
            break
        member_ids |= more
    members = session.exec(select(Member).where(col(Member.id).in_(member_ids))).all()
    return PersonKeys(
        frozenset(member_ids),
        frozenset(accounts),
        frozenset(m.display_name for m in members),
        frozenset(m.collaborative_id for m in members),
    )


def _accounts_of(session: Session, member_ids: set[int]) -> set[Account]:
    found = session.exec(
        select(Identity.platform, Identity.tenant_id, Identity.user_id).where(
            col(Identity.member_id).in_(member_ids)
        )
    )
    return {(platform, tenant, user) for platform, tenant, user in found}


def _members_of(session: Session, accounts: set[Account]) -> set[int]:
    account = tuple_(Identity.platform, Identity.tenant_id, Identity.user_id)
    if not accounts:
        return set()
    return set(session.exec(select(Identity.member_id).where(account.in_(accounts))).all())


def personal_tables() -> list[str]:
    """Every table declared to hold personal data, ours and then libraries', in the
    declaration's order."""
    return [name for name, use in {**TABLES, **LIBRARY_TABLES}.items() if use.personal]


def declared(table_name: str) -> TableUse:
    return TABLES.get(table_name) or LIBRARY_TABLES[table_name]


def rows_of(session: Session, keys: PersonKeys, table_name: str) -> list[Row]:
    """The person's rows of one table, in the table's own order, as stored."""
    table = _table(session, table_name)
    if table is None:
        return []
    condition = or_(false(), *_links(table, keys))
    log = table_name == AuditEntry.__tablename__
    if log:  # read whole logs of their collaboratives: words and figures name people too
        condition = or_(condition, col(AuditEntry.collaborative_id).in_(keys.collaborative_ids))
    query = table.select().where(condition).order_by(*table.primary_key.columns)
    rows = [dict(row._mapping) for row in session.execute(query)]
    if log:
        rows = [row for row in rows if _names_them(row, keys)]
    return rows


def _table(session: Session, name: str) -> Table | None:
    """One of our models' tables, or a library's as the database has it (a library makes
    its tables when first used: until then, there is nothing in them to find)."""
    if name in SQLModel.metadata.tables:
        return SQLModel.metadata.tables[name]
    connection = session.connection()
    if not inspect(connection).has_table(name):
        return None
    return Table(name, MetaData(), autoload_with=connection)


def _links(table: Table, keys: PersonKeys) -> list[ColumnElement[bool]]:
    """The conditions under which a row of `table` is the person's."""
    links: list[ColumnElement[bool]] = []
    if table.name == Member.__tablename__:
        links.append(table.c.id.in_(keys.member_ids))
    for column, personal in declared(table.name).personal.items():
        if personal.kind is Kind.PERSON:
            links.append(table.c[column].in_(keys.member_ids))
        elif personal.kind is Kind.ACCOUNT:
            links.append(ACCOUNT_MATCH[column](table, keys))
    return links


def _platform_account(table: Table, keys: PersonKeys) -> ColumnElement[bool]:
    """`user_id` beside `platform` and `tenant_id`, or alone: the playground's transcript,
    which is never kept beside Slack or Teams, so any of the person's user ids is theirs."""
    if "platform" in table.c:
        return tuple_(table.c.platform, table.c.tenant_id, table.c.user_id).in_(keys.accounts)
    return table.c.user_id.in_({user for _, _, user in keys.accounts})


ACCOUNT_MATCH: dict[str, Callable[[Table, PersonKeys], ColumnElement[bool]]] = {
    "user_id": _platform_account,
    "lane": lambda table, keys: table.c.lane.in_(keys.lanes()),
}


def _names_them(entry: Row, keys: PersonKeys) -> bool:
    """A decision-log entry is the person's if they acted, or its figures or words name them."""
    if entry["actor_member_id"] in keys.member_ids:
        return True
    detail = entry["detail"] or {}
    if any(k.endswith("member_id") and v in keys.member_ids for k, v in detail.items()):
        return True
    words = f"{entry['actor_name']}\n{entry['summary']}\n{entry['details']}"
    return any(name and name in words for name in keys.names)
