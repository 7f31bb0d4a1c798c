"""Apply Alembic migrations to a database (at start-up, and by `concord db upgrade`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from storage.database import Database

MIGRATIONS = Path(__file__).parent / "migrations"
# Tables that live in our database but whose schema is another library's: slack_sdk's
# OAuth stores create and own `slack_installations`, `slack_bots` and `slack_oauth_states`.
FOREIGN_TABLE_PREFIXES = ("slack_",)


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
        command.upgrade(alembic_config(connection), "head")


def revision(database: Database, message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    with database.engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)
