"""Time comes from an injected clock so tests never sleep."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from zoneinfo import available_timezones

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def is_time_zone(name: str) -> bool:
    """Whether `name` is an IANA time zone ("Europe/London"), checked against the list.

    Never `ZoneInfo(name)` on a name a person typed: "Europe" is a directory
    (IsADirectoryError), "Europe/" and "../etc" are ValueErrors, a long name is an OSError.
    """
    return name in time_zones()


@cache
def time_zones() -> frozenset[str]:
    """Every IANA time zone name this machine knows (read once)."""
    return frozenset(available_timezones())
