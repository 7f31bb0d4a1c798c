"""The one outbound port every platform adapter implements.

The outbox dispatcher calls these after the change that caused them is
committed; the engine itself never calls a platform.
"""

from __future__ import annotations

from typing import Any, Protocol

from dialogs.cards import Card
from dialogs.events import Actor, Place


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

    async def post(self, place: Place, delivery: dict[str, Any], card: Card) -> str:
        """Post a new message; return the platform's reference for later updates."""
        ...

    async def update(self, place: Place, delivery: dict[str, Any], ref: str, card: Card) -> None:
        """Replace the message `ref` with `card`."""
        ...

    async def notify(self, actor: Actor, place: Place | None, card: Card) -> None:
        """Tell one person privately."""
        ...
