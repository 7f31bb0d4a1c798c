"""Shared fixtures: real databases (SQLite and PostgreSQL), a clock, a recording platform.

Database-backed tests run once per backend. PostgreSQL tests get a fresh schema
per test session. Under CI=true a missing PostgreSQL fails the run; elsewhere
those tests skip with the reason.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from storage import migrate
from storage.database import Database
from tests.support.browsers import launched_chromium, playground_server
from tests.support.fakes import FakeClock
from tests.support.teams_sdks import TEAMS_SDKS

POSTGRES_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() == "true"


def _postgres_unavailable() -> str | None:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 — any failure means "not reachable"
        return f"PostgreSQL at {POSTGRES_URL} is not reachable ({type(error).__name__})"
    return None


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    """A schema of our own for this test run, dropped at the end."""
    reason = _postgres_unavailable()
    if reason:
        if IN_CI:
            pytest.fail(f"{reason}; under CI=true the PostgreSQL tests must run.")
        pytest.skip(f"{reason}: skipping the PostgreSQL variant of this test.")
    schema = f"concord_test_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield schema
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def migrated_postgres(postgres_schema: str) -> Iterator[Database]:
    database = Database(POSTGRES_URL, connect_args={"options": f"-csearch_path={postgres_schema}"})
    migrate.upgrade(database)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating each time is slow)."""
    path = tmp_path_factory.mktemp("template") / "concord.db"
    database = Database(f"sqlite:///{path}")
    migrate.upgrade(database)
    database.dispose()  # the last connection to close folds the WAL back into the file
    return path


def _empty_postgres(database: Database) -> Database:
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database: a SQLite file, or PostgreSQL in this run's own schema."""
    if request.param == "postgresql":
        yield _empty_postgres(request.getfixturevalue("migrated_postgres"))
        return
    path = tmp_path / "concord.db"
    shutil.copy(request.getfixturevalue("sqlite_template"), path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


@pytest.fixture
def sqlite_database(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    path = tmp_path / "concord.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


@pytest.fixture(params=TEAMS_SDKS)
def teams_sdk(request: pytest.FixtureRequest) -> str:
    """The Teams transport a Teams test runs on (CONCORD_TEAMS_SDK): each test, on each."""
    return request.param


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))


# How long a browser test's `expect` waits for the page to show something. Playwright's 5 s
# default is a reply on a quiet machine; CI shares two cores with PostgreSQL and Chromium, and
# purpose-round tests lost runs to a form that closed a little later than that.
EXPECT_WAIT_MS = 30_000


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Headless Chromium for the browser tests (tests/browsers.py)."""
    expect.set_options(timeout=EXPECT_WAIT_MS)
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def concord(tmp_path: Path) -> Iterator[str]:
    """`concord serve` with the playground on, on a free loopback port: its URL."""
    with playground_server(tmp_path) as url:
        yield url
