"""The two ports between the engine and the platforms.

Outbound, `PlatformPort`: what every platform adapter implements. The outbox
dispatcher calls it after the change that caused the call is committed; the engine
itself never calls a platform. Inbound, `Concord`: the one face of the engine that
adapters (and `bot/`) use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from dialogs.core.cards import Card, Effect
from dialogs.core.charts import Chart
from dialogs.core.events import Actor, Event, Place

NEW_MESSAGES = frozenset({"post", "notify"})
EVERY_CALL = frozenset({"post", "update", "notify"})


@dataclass(frozen=True)
class Limit:
    """`count` calls every `seconds` for the effect `kinds` listed, kept as a token bucket.

    The bucket holds `count` tokens and refills at `count / seconds`: a burst of
    `count`, then that rate sustained. `scope` says who shares it: one lane (a
    channel, or one person's private messages) or a whole tenant (a Slack
    workspace, a Teams tenant).
    """

    count: int
    seconds: float
    kinds: frozenset[str] = EVERY_CALL
    scope: Literal["lane", "tenant"] = "lane"

    @property
    def name(self) -> str:
        return f"{'+'.join(sorted(self.kinds))}:{self.count}/{self.seconds:g}s"


@dataclass(frozen=True)
class DeliveryLimits:
    """What a platform tolerates: call rates, and how often one message may be re-rendered."""

    limits: tuple[Limit, ...] = ()
    coalesce_seconds: float = 0.0


NO_LIMITS = DeliveryLimits()


@dataclass(frozen=True)
class Limits:
    """What one person or collaborative may ask of Concord (checked in `dialogs.core.limits`)."""

    codes_outstanding: int = 5  # unused, unexpired `link` / `me link` codes per person
    polls_per_coordinator_hour: int = 20
    polls_per_collaborative_hour: int = 60


DEFAULT_LIMITS = Limits()


class DeliveryError(Exception):
    """A platform refused or failed a delivery. `retry_after` is in seconds, when it said."""

    def __init__(
        self, message: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


class PlatformPort(Protocol):
    platform: str
    limits: DeliveryLimits

    async def post(self, place: Place, delivery: dict[str, Any], card: Card) -> str:
        """Post a new message; return the platform's reference for later updates."""
        ...

    async def update(self, place: Place, delivery: dict[str, Any], ref: str, card: Card) -> None:
        """Replace the message `ref` with `card`."""
        ...

    async def notify(
        self, actor: Actor, place: Place | None, delivery: dict[str, Any], card: Card
    ) -> None:
        """Tell one person privately. `delivery` is the channel's stored one, else the
        tenant's newest, else empty: a way in for platforms that need one (Teams)."""
        ...


@runtime_checkable
class PinningPort(Protocol):
    """A platform on which a bot can pin a message it posted (Slack; not Teams)."""

    async def pin(self, place: Place, delivery: dict[str, Any], ref: str) -> None:
        """Pin the message `ref`; a failure is logged, never retried as a new post."""
        ...


@dataclass(frozen=True)
class ExportFile:
    """A file as it was made for one person: what a download link or an upload delivers."""

    filename: str
    media_type: str
    content: bytes


EXPIRED: Literal["expired"] = "expired"
# What a download token finds: the file, the word that it has expired, or nothing.
Found = ExportFile | Literal["expired"] | None


@dataclass(frozen=True)
class Person:
    """Someone Concord knows on a platform, as they are in the first collaborative they joined."""

    user_id: str
    name: str
    role: str
    organisation: str
    collaborative: str


class Concord(Protocol):
    """The inbound port: all an adapter (and `bot/`) may ask of the engine.

    `EngineRunner` implements it; every call runs off the event loop.
    """

    @property
    def votes_recorded(self) -> int:
        """Votes committed since this process started (for `/metrics`)."""
        ...

    async def handle(self, event: Event, *, event_id: str | None = None) -> list[Effect]:
        """Handle one event; return what to show the person who acted."""
        ...

    async def home(self, actor: Actor) -> Card:
        """What is waiting for this person in every collaborative they belong to."""
        ...

    async def render_view(self, key: str, viewer: Actor) -> Card | None:
        """The keyed message `key` as `viewer` sees it (their choice, their controls);
        None for a key that names nothing."""
        ...

    async def reader_language(self, actor: Actor, place: Place | None = None) -> str:
        """The language `actor` reads in at `place` ("cy", "en": `dialogs.core.readers`), for
        what an adapter says to them before or outside a turn (a click it can't read)."""
        ...

    async def channel_seen(self, place: Place, delivery: dict[str, Any]) -> None:
        """An adapter saw this conversation: keep `delivery` (opaque to the engine) if its
        channel is linked. Joining one is the `Installed` event, which also greets."""
        ...

    async def tenant_removed(self, platform: str, tenant_id: str) -> int:
        """A workspace removed Concord: drop what can no longer reach it; return how many."""
        ...

    async def chart(self, token: str) -> Chart | None:
        """The data of the chart `token` names, if it may be shown."""
        ...

    async def export_file(self, token: str) -> Found:
        """The file `token` names while it lasts; `EXPIRED` after; None for any other token."""
        ...

    async def prepare(self) -> None:
        """Work worth starting before anyone waits for it."""
        ...

    async def people(self, platform: str, tenant_id: str) -> list[Person]:
        """Who Concord knows on this platform tenant, oldest first."""
        ...

    async def channel_links(
        self, platform: str, tenant_id: str, channel_ids: Iterable[str]
    ) -> dict[str, str]:
        """The name of the collaborative each of these channels belongs to, by channel id."""
        ...
