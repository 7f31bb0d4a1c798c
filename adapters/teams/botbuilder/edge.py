"""`/api/messages` on botbuilder: `ConcordCloudAdapter` checks and authenticates each
request (`ConfigurationBotFrameworkAuthentication`, single- or multi-tenant, from the
same `TeamsConfig` as the Agents SDK's edge), and hands each turn's activity to the
shared `TeamsBot` as the wire's JSON, with the turn's connector client as a `Connector`.
"""

from __future__ import annotations

from aiohttp import web
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication

from adapters.teams.botbuilder.cloud_adapter import ConcordCloudAdapter
from adapters.teams.botbuilder.port import BotbuilderPort
from adapters.teams.config import TeamsConfig
from adapters.teams.connector import OnActivity
from dialogs.core.clock import Clock


class BotSettings:
    """The configuration object botbuilder's authentication reads (upper-case names)."""

    def __init__(self, config: TeamsConfig) -> None:
        self.APP_ID = config.app_id or ""
        self.APP_PASSWORD = config.app_password or ""
        # Without an app id only MultiTenant means "no authentication" to botbuilder.
        self.APP_TYPE = config.app_type if config.authenticated else "MultiTenant"
        self.APP_TENANTID = config.tenant_id or ""


class BotbuilderEdge:
    def __init__(self, config: TeamsConfig, clock: Clock) -> None:
        authentication = ConfigurationBotFrameworkAuthentication(BotSettings(config))
        self.adapter = ConcordCloudAdapter(authentication, local=config.local)
        self.port = BotbuilderPort(self.adapter, config, clock)

    async def close(self) -> None:
        """botbuilder's kept clients have nothing to close before the process ends."""

    async def process(self, request: web.Request, on_activity: OnActivity) -> web.Response:
        return await self.adapter.serve(request, on_activity)
