"""Inbound, platform-neutral events: what an adapter hands the engine."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_COMMAND_LENGTH = 4000  # the longest command text the engine reads; adapters check it first


@dataclass(frozen=True)
class Actor:
    """A person as one platform knows them.

    `tenant_id` is the conversation's tenant (Teams) or workspace (Slack), which keys
    their identity; `home_tenant_id` is the person's own one when the platform says it
    differs (a Teams shared channel, a Slack Connect channel), else "".
    `timezone` is the IANA zone the platform reports for the person (Slack's `users.info`
    `tz`, Teams' `localTimezone`), else "": the engine remembers it for showing times.
    `locale` is the language the platform says the person uses (Slack's `users.info`
    `locale`, Teams' `activity.locale`, the playground's choice: "cy-GB", "en-GB"), else "".
    """

    platform: str
    tenant_id: str
    user_id: str
    display_name: str
    home_tenant_id: str = ""
    timezone: str = ""
    locale: str = ""

    @property
    def home(self) -> str:
        """The tenant or workspace the person belongs to."""
        return self.home_tenant_id or self.tenant_id


@dataclass(frozen=True)
class Place:
    """Where something was said: a channel (optionally a thread) on one platform."""

    platform: str
    tenant_id: str
    channel_id: str
    thread_id: str | None = None


@dataclass(frozen=True)
class CommandIssued:
    actor: Actor
    place: Place
    text: str


@dataclass(frozen=True)
class ActionInvoked:
    """A button click, a select choice or a form submission.

    `action` and `form_values` come straight from the platform payload and are
    untrusted: the engine re-checks everything they name against the database.
    """

    actor: Actor
    place: Place
    action: str
    form_values: dict[str, str | list[str]] = field(default_factory=dict)
    origin: str | None = None


@dataclass(frozen=True)
class Installed:
    """Concord was added to a conversation, or saw one again: `delivery` is what the
    adapter needs to post there later (opaque to the engine; empty if nothing), `locale`
    the language of the client that added it ("cy-GB"; "" when the platform doesn't say)."""

    place: Place
    delivery: dict[str, object] = field(default_factory=dict)
    locale: str = ""


Event = CommandIssued | ActionInvoked | Installed
