"""Two real bot processes on one PostgreSQL race for the same due work: each happens once.

This is the one test that waits on the real clock: the processes tick on their
own APScheduler jobs.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, func, text
from sqlmodel import select

from storage import migrate
from storage.database import Database
from storage.models import AuditEntry, CheckinRun, Timer
from tests.conftest import POSTGRES_URL
from tests.support.due_work import plant
from tests.support.processes import Server

pytestmark = pytest.mark.postgres

SCHEDULES = 300
POLLS = 300
DEADLINE_SECONDS = 90


@pytest.fixture
def shared_postgres(postgres_schema):
    """A schema of its own (other tests empty theirs between tests)."""
    schema = f"{postgres_schema}_race"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    database = Database(url)
    migrate.upgrade(database)
    yield url, database
    database.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_two_processes_do_each_check_in_and_deadline_exactly_once(shared_postgres, tmp_path):
    url, database = shared_postgres
    # Due at the start of this minute: already due, and well within the grace window.
    plant(database, datetime.now(UTC).replace(second=0, microsecond=0), SCHEDULES, POLLS)
    servers = [Server(tmp_path / f"p{i}", url, CONCORD_PLAYGROUND="false") for i in (1, 2)]
    try:
        for server in servers:
            server.wait_until_healthy()
        deadline = time.monotonic() + DEADLINE_SECONDS
        # Wait for the ticks' own log lines too: the servers are killed, and a tick that
        # committed the last of the work may still be finishing (digests, prompts) unlogged.
        while time.monotonic() < deadline and not (
            _all_done(database) and _fired(servers) >= SCHEDULES + POLLS
        ):
            time.sleep(0.5)
    finally:
        for server in servers:
            server.stop()
    assert _all_done(database), "the processes did not finish the due work in time"
    with database.session() as session:
        runs = session.exec(select(CheckinRun.schedule_id, CheckinRun.occurrence_key)).all()
        closes = session.exec(
            select(AuditEntry.detail).where(AuditEntry.action == "poll.close")
        ).all()
    assert len(runs) == SCHEDULES and len(set(runs)) == SCHEDULES
    assert sorted(Counter(d["poll"] for d in closes).values()) == [1] * POLLS
    assert _fired(servers) == SCHEDULES + POLLS, "every occurrence fired once across both processes"
    for server in servers:
        assert not [e for e in server.log() if e["level"] == "ERROR"], server.errors()[-2000:]


def _all_done(database: Database) -> bool:
    with database.session() as session:
        runs = session.exec(select(func.count()).select_from(CheckinRun)).one()
        pending = session.exec(
            select(func.count())
            .select_from(Timer)
            .where(Timer.status == "pending", Timer.kind == "poll.close")
        ).one()
    return runs >= SCHEDULES and pending == 0


def _fired(servers: list[Server]) -> int:
    """What the processes' tick log lines say they fired, all together."""
    return sum(
        entry.get("fired", 0)
        for server in servers
        for entry in server.log()
        if entry.get("msg") == "tick"
    )
