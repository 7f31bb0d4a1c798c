"""Every table and column is declared in `storage.personal_data`: a table or column added
without saying whether it holds personal data, why and for how long fails here."""

from __future__ import annotations

from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers every table)
from storage.personal_data import TABLES, Kind, personal_columns


def test_every_table_is_declared() -> None:
    assert set(SQLModel.metadata.tables) == set(TABLES)


def test_every_column_is_declared_once() -> None:
    for name, table in SQLModel.metadata.tables.items():
        use = TABLES[name]
        assert set(use.personal).isdisjoint(use.other.split()), name
        assert use.columns() == {column.name for column in table.columns}, name


def test_every_declaration_says_why_and_how_long() -> None:
    for name, use in TABLES.items():
        assert use.purpose and use.kept, name
        assert all(personal.why for personal in use.personal.values()), name


def test_platform_accounts_are_found_where_identities_live() -> None:
    assert ("identity", "user_id") in personal_columns(Kind.ACCOUNT)
    assert ("personsetting", "user_id") in personal_columns(Kind.ACCOUNT)
