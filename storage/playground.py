"""The playground's transcript: every message it showed in a channel, and every note it
showed one person, so a restart shows them again; and the erasure that starts its demo
afresh. Cards are opaque JSON here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.database import Database
from storage.erase import collaboratives_only_on, erase_collaboratives
from storage.models import PlaygroundMessage


class PlaygroundStore:
    def __init__(self, database: Database) -> None:
        self._database = database

    def messages(self) -> list[PlaygroundMessage]:
        """Every message kept, oldest first."""
        with self._database.session() as session:
            return list(session.exec(select(PlaygroundMessage).order_by(col(PlaygroundMessage.id))))

    def save(
        self,
        ref: str,
        channel_id: str | None,
        user_id: str | None,
        card: dict[str, Any],
        at: datetime,
    ) -> int:
        """Keep a new message, or the new card of the message `ref`; its place in the order."""

        def work(session: Session) -> int:
            query = select(PlaygroundMessage).where(PlaygroundMessage.ref == ref)
            row = session.exec(query).first()
            if row is None:
                row = PlaygroundMessage(
                    ref=ref, channel_id=channel_id, user_id=user_id, card=card, at=at
                )
            row.card = card
            session.add(row)
            session.flush()
            assert row.id is not None
            return row.id

        return self._database.run(work)

    def clear(self) -> None:
        self._database.run(lambda session: session.execute(delete(PlaygroundMessage)))

    def erase(self, platform: str, tenant_id: str) -> None:
        """Forget the transcript, and every collaborative that lives only on this tenant."""

        def work(session: Session) -> None:
            erase_collaboratives(session, collaboratives_only_on(session, platform, tenant_id))
            session.execute(delete(PlaygroundMessage))

        self._database.run(work)
