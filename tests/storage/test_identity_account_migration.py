"""Migration 0020 on a database already in use: the people already there keep their
memberships, and a person's every membership is found from one account through the new
index."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from dialogs.collaborative.people import linked_identities
from storage import migrate
from tests.storage.migrated import BACKENDS, database_at

NOW = "2026-11-26 09:00:00"


@pytest.mark.parametrize("backend", BACKENDS)
def test_people_already_members_are_found_from_either_account(backend, tmp_path: Path):
    for database in database_at(backend, tmp_path, "0016"):
        with database.engine.begin() as connection:
            for statement in (
                "INSERT INTO collaborative (id, name, timezone, require_organisation, "
                "newcomer_role, created_at) VALUES (1, 'Northshire', 'Europe/London', false, "
                "'member', :now), (2, 'Southvale', 'Europe/London', false, 'member', :now)",
                "INSERT INTO member (id, collaborative_id, display_name, role, role_chosen, "
                "reminders_muted, created_at) VALUES (1, 1, 'Ben', 'member', false, false, :now), "
                "(2, 2, 'Ben', 'member', false, false, :now)",
                # Ben: Slack and Teams (linked) in Northshire, Teams alone in Southvale.
                "INSERT INTO identity (collaborative_id, member_id, platform, tenant_id, user_id) "
                "VALUES (1, 1, 'slack', 'T1', 'U0BEN'), (1, 1, 'teams', 't-1', '29:ben'), "
                "(2, 2, 'teams', 't-1', '29:ben')",
            ):
                connection.execute(text(statement), {"now": NOW})

        migrate.upgrade(database)

        indexes = inspect(database.engine).get_indexes("identity")
        assert {"ix_identity_account"} <= {index["name"] for index in indexes}
        with database.session() as session:
            found = linked_identities(session, ("slack", "T1", "U0BEN"))
        assert sorted((i.collaborative_id, i.platform) for i in found) == [
            (1, "slack"),
            (1, "teams"),
            (2, "teams"),
        ]
