"""Concord's Teams settings as the Agents SDK's connection configuration.

The SDK reads its credentials as "connections" (`AgentAuthConfiguration`), one named
SERVICE_CONNECTION for the bot itself. By default it is made from the same settings as
botbuilder's (`TeamsConfig`):

- MICROSOFT_APP_TYPE=MultiTenant: a client secret, tokens from the Bot Framework's own
  tenant (`botframework.com`), as botbuilder gets them;
- SingleTenant: a client secret, tokens from MICROSOFT_APP_TENANT_ID;
- UserAssignedMSI: the managed identity whose client id is MICROSOFT_APP_ID.

Issuers are checked (`VALIDATE_ISSUER`), as botbuilder checks them: a token must come from
the Bot Framework or the configured tenant. Without an app id (local mode) nothing is
checked: the configuration allows anonymous requests.

Alternatively the SDK's own variables, `CONNECTIONS__SERVICE_CONNECTION__SETTINGS__…`
(CLIENTID, CLIENTSECRET, TENANTID, AUTHTYPE, CERTPFXFILE, …), configure it as the SDK's
documentation describes, e.g. for a certificate; `connection_manager` reads them from the
environment whenever CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID is set.
"""

from __future__ import annotations

from collections.abc import Mapping

from microsoft_agents.activity import load_configuration_from_env
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.core import AgentAuthConfiguration, AuthTypes

from adapters.teams.config import TeamsConfig

SERVICE_CONNECTION = "SERVICE_CONNECTION"
CLIENT_ID_VARIABLE = f"CONNECTIONS__{SERVICE_CONNECTION}__SETTINGS__CLIENTID"
# The tenant a multi-tenant bot's tokens come from, as botbuilder asks for them.
BOT_FRAMEWORK_TENANT = "botframework.com"


def auth_configuration(config: TeamsConfig) -> AgentAuthConfiguration:
    """The SERVICE_CONNECTION the SDK needs for `config`."""
    if not config.authenticated:
        return AgentAuthConfiguration(anonymous_allowed=True)
    managed = config.app_type == "UserAssignedMSI"
    single = config.app_type == "SingleTenant"
    return AgentAuthConfiguration(
        auth_type=AuthTypes.user_managed_identity if managed else AuthTypes.client_secret,
        client_id=config.app_id,
        client_secret=None if managed else config.app_password,
        tenant_id=config.tenant_id if single else BOT_FRAMEWORK_TENANT,
        connection_name=SERVICE_CONNECTION,
        validate_issuer=True,
    )


def connection_manager(config: TeamsConfig, environ: Mapping[str, str]) -> MsalConnectionManager:
    """The SDK's connections: its own CONNECTIONS__ variables when set, else `config`'s."""
    if environ.get(CLIENT_ID_VARIABLE):
        return MsalConnectionManager(**load_configuration_from_env(environ))
    return MsalConnectionManager(
        connections_configurations={SERVICE_CONNECTION: auth_configuration(config)}
    )
