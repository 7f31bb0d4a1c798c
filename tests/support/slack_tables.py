"""Slack's installations table (slack_sdk's own, outside `SQLModel.metadata`) in a test's
database, made afresh and dropped after: the `database` fixture empties only our tables, so on
PostgreSQL a table a library made would otherwise carry one test's rows into the next."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Table

from adapters.slack.installations import SlackInstallations
from storage.database import Database


@contextmanager
def slack_installations(database: Database) -> Iterator[Table]:
    table = SlackInstallations("sqlite://", client_id="client").installation_store.installations
    table.drop(database.engine, checkfirst=True)
    table.create(database.engine)
    try:
        yield table
    finally:
        table.drop(database.engine)
