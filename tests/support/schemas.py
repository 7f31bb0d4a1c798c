"""A PostgreSQL schema of its own for code that connects by URL (a `concord serve`
subprocess, `create_app`): created empty, dropped afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_URL


@contextmanager
def postgres_url(schema: str) -> Iterator[str]:
    """A database URL whose connections use `schema` (created now, dropped at the end)."""
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
