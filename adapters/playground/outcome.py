"""What the playground shows the person who acted, straight away (its replies and form).

Shared by the playground (which makes it) and its routes (which turn it into JSON).
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.core.cards import Card, Form, Text
from dialogs.core.events import Actor


@dataclass(frozen=True)
class Outcome:
    """What the person who acted sees straight away."""

    actor: Actor
    replies: list[Card]
    form: Form | None

    @property
    def refused(self) -> bool:
        """A warning in a reply means the engine turned the request down."""
        return any(
            isinstance(block, Text) and block.tone == "warning"
            for card in self.replies
            for block in card.blocks
        )
