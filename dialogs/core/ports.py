"""The one outbound port every platform adapter implements.

The outbox dispatcher calls these after the change that caused them is
committed; the engine itself never calls a platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from dialogs.core.cards import Card
from dialogs.core.events import Actor, Place

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
SLACK_LIMITS = DeliveryLimits(
    limits=(
        Limit(1, 1.0, kinds=NEW_MESSAGES),  # chat.postMessage: about one a second per channel
        Limit(50, 60.0, kinds=frozenset({"update"}), scope="tenant"),  # chat.update: Tier 3
    ),
    coalesce_seconds=3.0,
)
TEAMS_LIMITS = DeliveryLimits(
    limits=(Limit(7, 1.0), Limit(1800, 3600.0)),  # per conversation, sends and edits alike
    coalesce_seconds=2.0,
)


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

    async def notify(self, actor: Actor, place: Place | None, card: Card) -> None:
        """Tell one person privately."""
        ...


@runtime_checkable
class PinningPort(Protocol):
    """A platform on which a bot can pin a message it posted (Slack; not Teams)."""

    async def pin(self, place: Place, delivery: dict[str, Any], ref: str) -> None:
        """Pin the message `ref`; a failure is logged, never retried as a new post."""
        ...
