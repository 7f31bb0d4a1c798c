"""Each Slack person's time zone and language, from their profile (`users.info`), kept a while.

The engine shows a private reply in its reader's zone and language, and remembers what a
platform reports (`Actor.timezone`, `Actor.locale`). Slack sends neither with a command or
a click, so Concord asks `users.info` (with `include_locale`: `tz` and `locale`, "cy-GB")
— but never while someone waits for an answer: the first time a person acts, their
profile is looked up in the background and their next act carries it. An answer
is kept for `KEEP_SECONDS` (a person who travels is seen again the next day); a refusal
for `RETRY_SECONDS`, so one missing profile costs one call an hour. When Slack rate limits
a workspace (`users.info` is Tier 4), no more look-ups are made there until its
`Retry-After` has passed (at least `PAUSE_SECONDS`): the profile can wait, votes can't.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import NamedTuple

from dialogs.core.events import ActionInvoked, CommandIssued
from dialogs.core.ports import DeliveryError

log = logging.getLogger(__name__)

KEEP_SECONDS = 24 * 3600
RETRY_SECONDS = 3600
PAUSE_SECONDS = 60.0
MOST_KEPT = 100_000  # people; past it the oldest half is forgotten


class Profile(NamedTuple):
    """What Concord reads of a Slack profile: its `tz` and `locale`, each "" when missing."""

    zone: str = ""
    locale: str = ""


NOBODY = Profile()
Lookup = Callable[[str, str], Awaitable[Profile]]  # (team id, user id) → the profile


class SlackProfiles:
    """The zones and languages of the Slack people Concord has seen, looked up in the
    background."""

    def __init__(self, lookup: Lookup, clock: Callable[[], float] = time.monotonic) -> None:
        self._lookup = lookup
        self._clock = clock
        self._kept: dict[tuple[str, str], tuple[Profile, float]] = {}  # profile, until
        self._paused: dict[str, float] = {}  # team: no look-ups there until then
        self._asking: dict[tuple[str, str], asyncio.Task[None]] = {}

    def carried(self, event: CommandIssued | ActionInvoked) -> CommandIssued | ActionInvoked:
        """`event` with its person's zone and language, when known; else as it is, and
        looked up."""
        profile = self.profile(event.actor.tenant_id, event.actor.user_id)
        if profile == NOBODY:
            return event
        actor = replace(event.actor, timezone=profile.zone, locale=profile.locale)
        return replace(event, actor=actor)

    def profile(self, team_id: str, user_id: str) -> Profile:
        """The person's profile if known and fresh; else the last one known (or nothing),
        and a look-up started."""
        key = (team_id, user_id)
        now = self._clock()
        kept = self._kept.get(key)
        if kept is not None and kept[1] > now:
            return kept[0]
        if key not in self._asking and self._paused.get(team_id, 0.0) <= now:
            task = asyncio.get_running_loop().create_task(self._ask(key))
            self._asking[key] = task
            task.add_done_callback(lambda _: self._asking.pop(key, None))
        return kept[0] if kept is not None else NOBODY

    async def settle(self) -> None:
        """Wait for the look-ups under way (tests, and a tidy shutdown)."""
        if self._asking:
            await asyncio.wait(list(self._asking.values()), timeout=5)

    async def _ask(self, key: tuple[str, str]) -> None:
        team_id, user_id = key
        try:
            profile = await self._lookup(team_id, user_id)
        except DeliveryError as error:
            limited = "rate limited" in str(error)  # i18n: not for readers (the port's words)
            if error.retry_after is not None or limited:
                pause = max(PAUSE_SECONDS, error.retry_after or 0.0)
                self._paused[team_id] = self._clock() + pause
                log.info("users.info rate limited", extra={"team": team_id, "pause": pause})
                return
            self._keep(key, NOBODY, RETRY_SECONDS)
            log.info("users.info refused", extra={"team": team_id, "why": str(error)[:200]})
            return
        self._keep(key, profile, KEEP_SECONDS)

    def _keep(self, key: tuple[str, str], profile: Profile, seconds: float) -> None:
        if len(self._kept) >= MOST_KEPT:
            for old in list(self._kept)[: MOST_KEPT // 2]:
                del self._kept[old]
        self._kept[key] = (profile, self._clock() + seconds)
