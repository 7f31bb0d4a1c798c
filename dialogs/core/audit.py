"""The decision log, written: one entry per decision, in the transaction that made it.

Every change a partnership would want on record (a poll opened or closed with its exact
figures, a role changed, accounts joined, a purpose adopted) is written here, beside
the change itself, so the log can never say something that did not happen.
`dialogs.collaborative.decisions` reads it back.

Entries are chained by hash (`storage.ledger`), so they are only ever added through
`record` or `write`, which put each at the end of its collaborative's chain, and only ever
changed through `redact`, which keeps the chain verifiable and says the entry was redacted.

The log is the partnership's shared record, so an entry reads in the collaborative's
language (or in Welsh and English when it posts in both), whoever acted: its headline and
details are given as functions that build them (`Wording`), called in each language the
record needs. Entries already written keep the words they were written with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection
from sqlmodel import Session

from dialogs.core.bilingual import shared_text
from storage import ledger
from storage.models import AuditEntry, Collaborative, Member

Wording = Callable[[], str]  # builds an entry's words in the language being spoken


def record(
    session: Session,
    now: datetime,
    collaborative: Collaborative,
    by: Member | None,
    action: str,
    summary: Wording,
    *,
    details: Wording | None = None,
    **detail: Any,
) -> None:
    """An entry in the decision log: `summary` builds its one-line headline, `details` the
    figures and dates behind it; `by` is None when Concord acted on its own (a deadline)."""
    row = entry_row(
        now, collaborative, by, action=action, summary=summary, details=details, detail=detail
    )
    write(session, [row])


def entry_row(
    now: datetime,
    collaborative: Collaborative,
    by: Member | None,
    *,
    summary: Wording,
    details: Wording | None = None,
    **entry: Any,
) -> dict[str, Any]:
    """`record`'s entry as a row's values, for `write` to add many at once; `entry` gives
    its `action` and, if any, `detail` and `actor_name`."""
    return {
        "collaborative_id": cast(int, collaborative.id),
        "at": now,
        "actor_member_id": by.id if by else None,
        "actor_name": by.display_name if by else "Concord",  # i18n: not for readers
        "summary": shared_text(collaborative, summary),
        "details": shared_text(collaborative, details, running=True) if details else "",
        "detail": {},
        **entry,
    }


def write(session: Session | Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Add `entry_row`s to the log, in order, each at the end of its collaborative's chain."""
    connection = session.connection() if isinstance(session, Session) else session
    ledger.append(connection, rows)


def redact(session: Session, entry: AuditEntry, replacements: Mapping[str, Any]) -> None:
    """Replace fields of an entry (`actor_name`, `summary`, `details`, `detail`: a person's
    name when they are forgotten) without breaking the chain: the entry keeps its hash and
    is shown as redacted by `verify-log` and the log's export. (`actor_member_id` is not in
    the hash: set it directly.)"""
    for name, value in ledger.redacted(entry.model_dump(), replacements).items():
        setattr(entry, name, value)
    session.add(entry)
