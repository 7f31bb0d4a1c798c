"""Migration 0025 on a database already in use: collaboratives keep writing in English, one
language at a time, and nobody has chosen a language or had one reported yet."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from storage import migrate
from storage.database import Database
from storage.models import Collaborative, PersonSetting
from tests.storage.migrated import BACKENDS, add_northshire, database_at

NOW = "2026-12-06 09:00:00"


@pytest.fixture(params=BACKENDS)
def at_0024(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database migrated as far as 0024, holding Northshire and Asha's settings row."""
    for database in database_at(request.param, tmp_path, "0024"):
        with database.engine.begin() as connection:
            add_northshire(connection, NOW, ("Asha",))
            connection.execute(
                text(
                    "INSERT INTO personsetting (platform, tenant_id, user_id, timezone, digest, "
                    "updated_at) VALUES ('slack', 'T1', 'U1', 'Europe/London', 'weekly', :now)"
                ),
                {"now": NOW},
            )
        yield database


def test_collaboratives_stay_english_and_nobody_has_a_language_yet(at_0024):
    migrate.upgrade(at_0024)
    with at_0024.session() as session:
        collaborative = session.exec(select(Collaborative)).one()
        assert (collaborative.language, collaborative.bilingual) == ("en", False)
        setting = session.exec(select(PersonSetting)).one()
        assert (setting.language, setting.platform_language) == (None, None)
        assert setting.timezone == "Europe/London"
