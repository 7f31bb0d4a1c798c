"""Apply Alembic migrations to a database (at start-up, and by `concord db upgrade`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from storage.database import Database

MIGRATIONS = Path(__file__).parent / "migrations"
# Tables that live in our database but whose schema is another library's: slack_sdk's
# OAuth stores create and own `slack_installations`, `slack_bots` and `slack_oauth_states`.
FOREIGN_TABLE_PREFIXES = ("slack_",)
# Several processes starting at once against one fresh PostgreSQL would all create the
# tables; the first to take this lock migrates, the others then find nothing to do.
MIGRATION_LOCK = 0x636F6E636F7264  # "concord"


def owned_by_us(name: str | None, kind: str, _parent: object = None) -> bool:
    """Alembic's `include_name` filter: compare and migrate only our own tables."""
    return not (kind == "table" and name is not None and name.startswith(FOREIGN_TABLE_PREFIXES))


def alembic_config(connection: object) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(database: Database) -> None:
    """Bring the schema up to the newest migration; a no-op when it already is."""
    with database.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        command.upgrade(alembic_config(connection), "head")


def revision(database: Database, message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    with database.engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)
