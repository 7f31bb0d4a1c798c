"""Workspaces that installed Concord through Slack's OAuth flow, kept in our own database.

slack_sdk's SQLAlchemy stores hold the installations (`slack_installations`,
`slack_bots`) and the OAuth `state` values (`slack_oauth_states`) in the same
database as everything else, through an asyncio engine on the same URL (aiosqlite for
SQLite, psycopg's async mode for PostgreSQL). Their tables are slack_sdk's own, so
they are created by the store at start-up (`CREATE TABLE IF NOT EXISTS`), not by our
migrations.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import delete, desc, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

STATE_EXPIRY_SECONDS = 600
ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+psycopg"}


def async_url(database_url: str) -> str:
    """`DATABASE_URL` with the asyncio driver for its backend."""
    url = make_url(database_url)
    return url.set(drivername=ASYNC_DRIVERS[url.get_backend_name()]).render_as_string(
        hide_password=False
    )


class SlackInstallations:
    """The installation and OAuth state stores, and each workspace's bot token."""

    def __init__(self, database_url: str, client_id: str) -> None:
        connect_args = {"timeout": 30} if database_url.startswith("sqlite") else {}
        self.engine: AsyncEngine = create_async_engine(
            async_url(database_url), connect_args=connect_args
        )
        self.installation_store = AsyncSQLAlchemyInstallationStore(
            client_id=client_id, engine=self.engine
        )
        self.state_store = AsyncSQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_EXPIRY_SECONDS, engine=self.engine
        )

    async def prepare(self) -> None:
        await self.installation_store.create_tables()
        await self.state_store.create_tables()

    async def bot_token(self, team_id: str) -> str | None:
        """The newest bot token installed for the workspace `team_id`, if any.

        Looked up by workspace alone: an Enterprise Grid workspace's install also
        carries the org's id, which the places we deliver to do not.
        """
        bots = self.installation_store.bots
        query = (
            select(bots.c.bot_token)
            .where(
                bots.c.client_id == self.installation_store.client_id,
                bots.c.team_id == team_id,
                bots.c.bot_token.is_not(None),
            )
            .order_by(desc(bots.c.installed_at))
            .limit(1)
        )
        async with self.engine.connect() as connection:
            return (await connection.execute(query)).scalar()

    async def forget(self, team_id: str) -> None:
        """Delete every installation and bot token of the workspace (it uninstalled us)."""
        store = self.installation_store
        async with self.engine.begin() as connection:
            for table in (store.bots, store.installations):
                await connection.execute(
                    delete(table).where(
                        table.c.client_id == store.client_id, table.c.team_id == team_id
                    )
                )

    async def close(self) -> None:
        await self.engine.dispose()
