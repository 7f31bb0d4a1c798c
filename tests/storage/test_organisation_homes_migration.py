"""Migration 0012 on a database already in use: organisations and members stay as they
were, and each collaborative can then recognise its own tenants, the same tenant
mapped in two collaboratives without a clash."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage import migrate
from storage.database import Database
from tests.storage.migrated import BACKENDS, database_at

NOW = "2026-11-26 09:00:00"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


@pytest.fixture(params=BACKENDS)
def at_0011(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database migrated only as far as 0011."""
    yield from database_at(request.param, tmp_path, "0011")


def _home(collaborative: int, organisation: int) -> dict[str, object]:
    return {"c": collaborative, "o": organisation, "tenant": TENANT, "now": NOW}


INSERT_HOME = text(
    "INSERT INTO organisationhome (collaborative_id, organisation_id, platform, tenant_id, "
    "created_at) VALUES (:c, :o, 'teams', :tenant, :now)"
)


def test_existing_organisations_keep_their_members_and_gain_homes_per_collaborative(at_0011):
    with at_0011.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO collaborative (id, name, timezone, require_organisation, "
                "created_at, newcomer_role) VALUES (:id, :name, 'Europe/London', false, :now, "
                "'member')"
            ),
            [
                {"id": 1, "name": "Northshire", "now": NOW},
                {"id": 2, "name": "Southdale", "now": NOW},
            ],
        )
        connection.execute(
            text(
                "INSERT INTO organisation (id, collaborative_id, name, name_key, created_at) "
                "VALUES (:id, :c, :name, :key, :now)"
            ),
            [
                {"id": 1, "c": 1, "name": "NHS Trust A", "key": "nhs trust a", "now": NOW},
                {"id": 2, "c": 2, "name": "Council B", "key": "council b", "now": NOW},
            ],
        )
        connection.execute(
            text(
                "INSERT INTO member (id, collaborative_id, display_name, organisation_id, role, "
                "role_chosen, reminders_muted, created_at) "
                "VALUES (1, 1, 'Asha', 1, 'coordinator', true, false, :now)"
            ),
            {"now": NOW},
        )

    migrate.upgrade(at_0011)

    with at_0011.engine.begin() as connection:
        connection.execute(INSERT_HOME, [_home(1, 1), _home(2, 2)])
    with at_0011.engine.connect() as connection:
        member = connection.execute(text("SELECT organisation_id FROM member")).scalar()
        homes = connection.execute(
            text("SELECT collaborative_id, organisation_id FROM organisationhome ORDER BY 1")
        ).all()
    assert member == 1
    assert [tuple(row) for row in homes] == [(1, 1), (2, 2)]
    with pytest.raises(IntegrityError), at_0011.engine.begin() as connection:
        # one organisation per tenant, in each collaborative
        connection.execute(INSERT_HOME, _home(1, 1))
