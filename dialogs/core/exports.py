"""Files made for one person (a poll's ballots, the decision log), never chat text.

`offer` keeps the file exactly as it was made, under an unguessable token (the
chart links' mechanism), and answers with a card that says what the file is and
carries a `Download` block; each platform delivers it its own way (an upload, a
link). `found` reads a token back: the file until it expires, then `EXPIRED`.
Each `offer` deletes the files a week past their expiry: then a link finds nothing.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from dialogs.core.cards import Block, Card, Context, Download, Heading
from dialogs.core.language import _, ngettext
from dialogs.core.ports import EXPIRED, ExportFile, Found
from dialogs.core.turn import Turn
from storage.models import Export

LASTS = timedelta(hours=24)
# An expired file is deleted a week on; until then its link says it expired (410).
KEPT_EXPIRED = timedelta(days=7)
URL_PREFIX = "/exports/"
# Formats by their own names, the same in every language.
_KINDS = {
    "text/csv": "CSV",
    "text/markdown": "Markdown",  # i18n: not for readers
    "application/json": "JSON",
}


def offer(
    turn: Turn, file: ExportFile, what: str, *, counted: str, hint: str | None = None
) -> None:
    """Keep `file` for the acting member and tell them: "`what`: `counted`, CSV, 12 KB"."""
    collaborative, member = turn.in_collaborative()
    turn.session.exec(delete(Export).where(col(Export.expires_at) <= turn.now - KEPT_EXPIRED))
    token = secrets.token_urlsafe(24)
    assert collaborative.id is not None and member.id is not None
    turn.session.add(
        Export(
            token=token,
            collaborative_id=collaborative.id,
            member_id=member.id,
            filename=file.filename,
            media_type=file.media_type,
            content=file.content,
            created_at=turn.now,
            expires_at=turn.now + LASTS,
        )
    )
    heading = _("{what}: {counted}, {kind}, {size}").format(
        what=what, counted=counted, kind=_kind(file), size=size_text(len(file.content))
    )
    blocks: list[Block] = [
        Heading(text=heading),
        Download(
            filename=file.filename,
            media_type=file.media_type,
            url=URL_PREFIX + token,
            size=len(file.content),
        ),
        Context(
            text=ngettext(
                "The link expires in {count} hour; ask again for a new one.",
                "The link expires in {count} hours; ask again for a new one.",
                _hours(LASTS),
            ).format(count=_hours(LASTS))
        ),
    ]
    if hint:
        blocks.append(Context(text=hint))
    turn.reply(Card(blocks=blocks, fallback=heading))


def found(session: Session, token: str, now: datetime) -> Found:
    export = session.exec(select(Export).where(Export.token == token)).first()
    if export is None:
        return None
    if export.expires_at <= now:
        return EXPIRED
    return ExportFile(export.filename, export.media_type, export.content)


def size_text(size: int) -> str:
    """A byte count as people read it: "812 bytes", "312 KB", "1.4 MB"."""
    if size < 1000:
        return ngettext("{count} byte", "{count} bytes", size).format(count=size)
    if size < 1_000_000:
        return _("{size} KB").format(size=f"{size / 1000:,.0f}")
    return _("{size} MB").format(size=f"{size / 1_000_000:,.1f}")


def _kind(file: ExportFile) -> str:
    return _KINDS.get(file.media_type) or file.filename.rsplit(".", 1)[-1].upper()


def _hours(span: timedelta) -> int:
    return int(span.total_seconds() // 3600)
