"""Settings from the environment and `.env`: every knob the bot has, checked once at start.

Field names are the environment variable names in lower case, so what a reader
sees here is what an operator sets. `load_settings` turns any bad value into a
`ConfigError` whose message is one line naming the variable.
"""

from __future__ import annotations

import os
from importlib.util import find_spec
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from adapters.teams.service_url import is_loopback
from dialogs.core.clock import is_time_zone

SUPPORTED_DATABASES = ("sqlite", "postgresql")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigError(Exception):
    """A setting is missing or wrong; the message is one line an operator can act on."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", env_ignore_empty=True, extra="ignore"
    )

    database_url: str = "sqlite:///./concord.db"

    slack_signing_secret: SecretStr | None = None
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"

    microsoft_app_id: str | None = None
    microsoft_app_password: SecretStr | None = None
    microsoft_app_type: Literal["MultiTenant", "SingleTenant", "UserAssignedMSI"] = "MultiTenant"
    microsoft_app_tenant_id: str | None = None
    # Which SDK serves Teams: the Bot Framework's (archived) or the Microsoft 365 Agents SDK.
    concord_teams_sdk: Literal["botbuilder", "agents"] = "botbuilder"
    # With the Agents SDK, its own variables may name the app instead of MICROSOFT_APP_*
    # (adapters/teams/agents/config.py reads the rest of them from the environment).
    connections__service_connection__settings__clientid: str | None = None

    concord_host: str = "127.0.0.1"
    concord_port: int = Field(default=3978, ge=1, le=65535)
    concord_public_url: str | None = None
    concord_secret_key: SecretStr | None = None
    concord_timezone: str = "Europe/London"
    concord_playground: bool | None = None
    concord_teams_local: bool = False
    concord_log_level: str = "INFO"
    concord_log_format: Literal["json", "text"] = "json"
    concord_header_timeout: float = Field(default=10.0, gt=0)
    concord_body_timeout: float = Field(default=30.0, gt=0)
    concord_max_connections: int = Field(default=1000, ge=1)
    concord_max_connections_per_peer: int = Field(default=50, ge=0)
    # What one person or collaborative may ask for (`dialogs.core.limits`).
    concord_codes_outstanding: int = Field(default=5, ge=1)
    concord_polls_per_coordinator_hour: int = Field(default=20, ge=1)
    concord_polls_per_collaborative_hour: int = Field(default=60, ge=1)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        try:
            backend = make_url(value).get_backend_name()
        except ArgumentError:
            raise ValueError(
                f"{value!r} is not a database URL "
                "(e.g. sqlite:///./concord.db or postgresql+psycopg://user@host/db)"
            ) from None
        if backend not in SUPPORTED_DATABASES:
            raise ValueError(f"{backend!r} is not supported: use sqlite or postgresql")
        return value

    @field_validator("slack_api_url", "concord_public_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} must start with http:// or https://")
        return value

    @field_validator("concord_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        if not is_time_zone(value):
            raise ValueError(f"{value[:80]!r} is not a known time zone (e.g. Europe/London)")
        return value

    @field_validator("concord_log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"{value!r} is not one of {', '.join(LOG_LEVELS)}")
        return level

    @model_validator(mode="after")
    def _tenant_for_single_tenant(self) -> Settings:
        if self.microsoft_app_type == "SingleTenant" and not self.microsoft_app_tenant_id:
            raise ValueError("MICROSOFT_APP_TYPE=SingleTenant needs MICROSOFT_APP_TENANT_ID")
        return self

    @model_validator(mode="after")
    def _agents_sdk_installed(self) -> Settings:
        """The Agents SDK is an extra: asked for without it, say how to install it."""
        if self.concord_teams_sdk == "agents" and find_spec("microsoft_agents") is None:
            raise ValueError(
                "CONCORD_TEAMS_SDK=agents needs the Microsoft 365 Agents SDK: "
                "pip install -e '.[agents]'"
            )
        return self

    @model_validator(mode="after")
    def _one_way_to_name_the_app(self) -> Settings:
        """The Agents SDK's CONNECTIONS__ variables: with that SDK, instead of MICROSOFT_APP_*,
        and in the environment, where the SDK reads them (not in .env)."""
        if not self.connections__service_connection__settings__clientid:
            return self
        name = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID"
        if self.concord_teams_sdk != "agents":
            raise ValueError(f"{name} is read only with CONCORD_TEAMS_SDK=agents")
        if self.microsoft_app_id:
            raise ValueError(f"{name} and MICROSOFT_APP_ID both name the app: set one")
        if name not in os.environ:
            raise ValueError(
                f"{name} and the SDK's other CONNECTIONS__ variables belong in "
                "the environment, not .env"
            )
        return self

    @model_validator(mode="after")
    def _teams_local_stays_local(self) -> Settings:
        """Teams without authentication only for a test client on this machine."""
        if not self.concord_teams_local:
            return self
        why = "CONCORD_TEAMS_LOCAL serves Teams without authentication, to this machine only"
        if self.teams_app_id:
            raise ValueError(f"{why}: unset it, or unset MICROSOFT_APP_ID")
        if self.concord_public_url and not is_loopback(urlsplit(self.concord_public_url).hostname):
            raise ValueError(
                f"{why}: CONCORD_PUBLIC_URL {self.concord_public_url} is not on this machine"
            )
        if not is_loopback(self.concord_host):
            raise ValueError(f"{why}: CONCORD_HOST {self.concord_host} is not a loopback address")
        return self

    @model_validator(mode="after")
    def _slack_can_work(self) -> Settings:
        """Slack settings that could only fail later are refused at start."""
        if self.slack_client_id and not self.slack_client_secret:
            raise ValueError("SLACK_CLIENT_ID needs SLACK_CLIENT_SECRET (Basic Information page)")
        if self.slack_app_token and not (self.slack_bot_token or self.slack_client_id):
            raise ValueError(
                "SLACK_APP_TOKEN (Socket Mode) needs SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and "
                "SLACK_CLIENT_SECRET to install into several workspaces"
            )
        needs_secret = (self.slack_bot_token or self.slack_client_id) and not self.slack_app_token
        if needs_secret and not self.slack_signing_secret:
            raise ValueError(
                "SLACK_SIGNING_SECRET is needed to verify Slack's requests "
                "(or set SLACK_APP_TOKEN to use Socket Mode)"
            )
        if self.slack_client_id and not (self.slack_signing_secret and self.concord_public_url):
            raise ValueError(
                "SLACK_CLIENT_ID (installs into several workspaces) needs SLACK_SIGNING_SECRET "
                "and CONCORD_PUBLIC_URL for /slack/install and /slack/oauth_redirect"
            )
        return self

    @property
    def slack_configured(self) -> bool:
        return any((self.slack_bot_token, self.slack_app_token, self.slack_client_id))

    @property
    def teams_app_id(self) -> str | None:
        """The bot's Microsoft app id, however it is set."""
        return self.microsoft_app_id or self.connections__service_connection__settings__clientid

    @property
    def teams_configured(self) -> bool:
        return self.teams_app_id is not None

    @property
    def teams_served(self) -> bool:
        """`/api/messages` exists: with Microsoft credentials, or in local mode."""
        return self.teams_configured or self.concord_teams_local

    @property
    def listens_locally(self) -> bool:
        return is_loopback(self.concord_host)

    @property
    def playground_enabled(self) -> bool:
        """On when asked for; by default only while no real platform is configured."""
        if self.concord_playground is not None:
            return self.concord_playground
        return not (self.slack_configured or self.teams_configured)

    @property
    def listen_url(self) -> str:
        host = f"[{self.concord_host}]" if ":" in self.concord_host else self.concord_host
        return f"http://{host}:{self.concord_port}"

    def secret_values(self) -> list[str]:
        """Every secret's plain value, so logging can make sure none is ever written out."""
        secrets = [value for value in self.__dict__.values() if isinstance(value, SecretStr)]
        password = make_url(self.database_url).password
        return [s.get_secret_value() for s in secrets] + ([str(password)] if password else [])


def load_settings(**overrides: object) -> Settings:
    """Read the environment and `.env`; raise `ConfigError` with one line on a bad value."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise ConfigError(describe(error)) from None


def describe(error: ValidationError) -> str:
    """The first problem, as `VARIABLE: what is wrong with the value`."""
    first = error.errors()[0]
    if not first["loc"]:
        return first["msg"].removeprefix("Value error, ")
    name = str(first["loc"][0]).upper()
    if first["type"] == "value_error":
        return f"{name}: {first['msg'].removeprefix('Value error, ')}"
    if first["type"] == "literal_error":
        return f"{name}: {first['input']!r} is not one of {first['ctx']['expected']}"
    return f"{name}: {first['input']!r}: {first['msg'][0].lower()}{first['msg'][1:]}"
