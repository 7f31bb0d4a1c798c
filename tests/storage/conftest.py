"""Fixtures of the storage tests: new databases of their own, for backups and restores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.storage.backups import NewDatabase, new_databases


@pytest.fixture(scope="session")
def postgres_databases(
    postgres_schema: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[NewDatabase]:
    """A maker of new PostgreSQL databases (`postgres_schema` skips without PostgreSQL)."""
    with new_databases("postgresql", tmp_path_factory.mktemp("postgres")) as new:
        yield new


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[NewDatabase]:
    """A maker of new, blank databases' URLs, on each backend in turn."""
    if request.param == "postgresql":
        yield request.getfixturevalue("postgres_databases")
        return
    with new_databases("sqlite", tmp_path) as new:
        yield new
