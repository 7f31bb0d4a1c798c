"""Pacing deliveries: token buckets for platform rate limits, and backoff after failures.

Pure functions of the time they are given, so every process can keep a
bucket's state in the database and tests can move time by hand.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

BACKOFF_BASE_SECONDS = 1.0
BACKOFF_CAP_SECONDS = 300.0
JITTER = 0.2
_RNG = random.Random()


@dataclass(frozen=True)
class Bucket:
    """`tokens` left at `at`; refills at `count / seconds` a second, never beyond `count`."""

    count: int
    seconds: float
    tokens: float
    at: datetime

    @classmethod
    def full(cls, count: int, seconds: float, now: datetime) -> Bucket:
        return cls(count, seconds, float(count), now)

    @classmethod
    def restore(cls, count: int, seconds: float, state: dict[str, Any], now: datetime) -> Bucket:
        """A bucket from its stored state, or a full one when there is none yet."""
        if not state:
            return cls.full(count, seconds, now)
        return cls(count, seconds, float(state["tokens"]), datetime.fromisoformat(state["at"]))

    def state(self) -> dict[str, Any]:
        return {"tokens": self.tokens, "at": self.at.isoformat()}

    def level(self, now: datetime) -> float:
        """Tokens available at `now` (a clock that stepped back refills nothing)."""
        elapsed = max(0.0, (now - self.at).total_seconds())
        return min(float(self.count), self.tokens + elapsed * self.count / self.seconds)

    def wait(self, now: datetime) -> float:
        """Seconds from `now` until a token is available; 0 when one is."""
        missing = 1.0 - self.level(now)
        return max(0.0, missing * self.seconds / self.count)

    def take(self, now: datetime) -> Bucket:
        """The bucket after one call at `now`; call only when `wait(now)` is 0."""
        return Bucket(self.count, self.seconds, self.level(now) - 1.0, now)


def backoff(failures: int, rng: random.Random = _RNG) -> float:
    """Seconds to wait after the `failures`-th failure in a row: 1, 2, 4 … capped, ±20 %."""
    exponent = min(max(failures - 1, 0), 30)
    delay = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**exponent)
    return delay * rng.uniform(1 - JITTER, 1 + JITTER)
