"""The outbox dispatcher: delivers committed effects to the platforms.

The engine writes effects to the outbox in the transaction of the change that
caused them; this delivers them afterwards, in order. Live poll updates are
rendered from the latest state at delivery time, and several queued updates of
one message collapse into one, so a burst of votes costs one edit per copy.
Rate limits, leases across processes and backoff build on this seam.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from sqlmodel import Session, select

from dialogs.cards import EFFECT, Card, Effect, Notify, Post, Update
from dialogs.clock import Clock, utc_now
from dialogs.engine import Engine
from dialogs.events import Place
from dialogs.membership import find_channel
from dialogs.ports import DeliveryError, PlatformPort
from storage.database import Database
from storage.models import Channel, Outbox, PostedMessage

log = logging.getLogger(__name__)

BATCH = 200
MAX_ATTEMPTS = 5


def _copy_key(update: Update) -> tuple[str, str]:
    assert update.place is not None
    return update.key, update.place.channel_id


@dataclass(frozen=True)
class _Copy:
    place: Place
    delivery: dict
    ref: str


class Dispatcher:
    def __init__(
        self,
        database: Database,
        engine: Engine,
        platforms: dict[str, PlatformPort],
        clock: Clock = utc_now,
        *,
        interval: float = 2.0,
    ) -> None:
        self.database = database
        self.engine = engine
        self.platforms = platforms
        self.clock = clock
        self.interval = interval
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def drain(self) -> int:
        """Deliver everything pending now; return how many outbox rows were settled."""
        async with self._lock:
            settled, after = 0, 0
            while batch := await asyncio.to_thread(self._pending, after):
                after = batch[-1][0]
                latest_update = {_copy_key(e): i for i, e in batch if isinstance(e, Update)}
                for row_id, effect in batch:
                    if isinstance(effect, Update) and latest_update[_copy_key(effect)] != row_id:
                        await asyncio.to_thread(self._settle, row_id, "coalesced")
                    else:
                        await self._deliver(row_id, effect)
                    settled += 1
            return settled

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-dispatcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
            self._wake.clear()
            try:
                await self.drain()
            except Exception:
                log.exception("outbox drain failed; retrying on the next tick")

    async def _deliver(self, row_id: int, effect: Effect) -> None:
        try:
            if isinstance(effect, Post):
                await self._post(effect)
            elif isinstance(effect, Update):
                await self._update(effect)
            elif isinstance(effect, Notify):
                await self._platform(effect.actor.platform).notify(
                    effect.actor.actor(),
                    effect.place.place() if effect.place else None,
                    effect.card,
                )
        except DeliveryError as error:
            log.warning("delivery failed", extra={"outbox_id": row_id, "error": str(error)})
            await asyncio.to_thread(self._failed, row_id, str(error), error.permanent)
            return
        await asyncio.to_thread(self._settle, row_id, "sent")

    async def _post(self, effect: Post) -> None:
        place = effect.place.place()
        channel = await asyncio.to_thread(self._channel, place)
        if channel is None:
            raise DeliveryError(f"no linked channel {place.channel_id}", permanent=True)
        ref = await self._platform(place.platform).post(place, channel.delivery, effect.card)
        if effect.key:
            await asyncio.to_thread(self._remember, effect.key, channel, ref)

    async def _update(self, effect: Update) -> None:
        card: Card = await asyncio.to_thread(self.engine.render_message, effect.key) or effect.card
        for copy in await asyncio.to_thread(self._copies, effect):
            await self._platform(copy.place.platform).update(
                copy.place, copy.delivery, copy.ref, card
            )

    def _platform(self, name: str) -> PlatformPort:
        platform = self.platforms.get(name)
        if platform is None:
            raise DeliveryError(f"no {name} adapter is configured in this process", permanent=True)
        return platform

    def _pending(self, after: int) -> list[tuple[int, Effect]]:
        with self.database.session() as session:
            rows = session.exec(
                select(Outbox.id, Outbox.effect)
                .where(Outbox.status == "pending", Outbox.id > after)  # type: ignore[operator]
                .order_by(Outbox.id)
                .limit(BATCH)
            ).all()
        return [(row_id, EFFECT.validate_python(effect)) for row_id, effect in rows]

    def _channel(self, place: Place) -> Channel | None:
        with self.database.session() as session:
            return find_channel(session, place)

    def _copies(self, effect: Update) -> list[_Copy]:
        assert effect.place is not None
        with self.database.session() as session:
            rows = session.exec(
                select(PostedMessage, Channel)
                .join(Channel, Channel.id == PostedMessage.channel_id)
                .where(
                    PostedMessage.key == effect.key,
                    Channel.platform == effect.place.platform,
                    Channel.tenant_id == effect.place.tenant_id,
                    Channel.channel_id == effect.place.channel_id,
                )
            ).all()
            return [
                _Copy(Place(c.platform, c.tenant_id, c.channel_id), c.delivery, m.platform_ref)
                for m, c in rows
            ]

    def _remember(self, key: str, channel: Channel, ref: str) -> None:
        now = self.clock()

        def work(session: Session) -> None:
            session.add(
                PostedMessage(
                    key=key, channel_id=channel.id, platform_ref=ref, created_at=now, updated_at=now
                )
            )

        self.database.run(work)

    def _settle(self, row_id: int, status: str) -> None:
        def work(session: Session) -> None:
            row = session.get(Outbox, row_id)
            if row is not None:
                row.status, row.attempts, row.sent_at = status, row.attempts + 1, self.clock()

        self.database.run(work)

    def _failed(self, row_id: int, error: str, permanent: bool) -> None:
        def work(session: Session) -> None:
            row = session.get(Outbox, row_id)
            if row is not None:
                row.attempts += 1
                row.error = error[:500]
                if permanent or row.attempts >= MAX_ATTEMPTS:
                    row.status = "failed"

        self.database.run(work)
