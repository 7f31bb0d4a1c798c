"""Apply Alembic migrations to a database (at start-up, and by `concord db upgrade`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from storage.database import Database

MIGRATIONS = Path(__file__).parent / "migrations"


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
