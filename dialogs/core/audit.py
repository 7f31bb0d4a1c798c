"""The decision log, written: one entry per decision, in the transaction that made it.

Every change a partnership would want on record (a poll opened or closed with its exact
figures, a role changed, accounts joined, a purpose adopted) is written here, beside
the change itself, so the log can never say something that did not happen.
`dialogs.collaborative.decisions` reads it back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlmodel import Session

from storage.models import AuditEntry, Collaborative, Member


def record(
    session: Session,
    now: datetime,
    collaborative: Collaborative,
    by: Member | None,
    action: str,
    summary: str,
    *,
    details: str = "",
    **detail: Any,
) -> None:
    """An entry in the decision log: `summary` is its one-line headline, `details` the
    figures and dates behind it; `by` is None when Concord acted on its own (a deadline)."""
    row = entry_row(
        now, collaborative, by, action=action, summary=summary, details=details, detail=detail
    )
    session.add(AuditEntry(**row))


def entry_row(
    now: datetime, collaborative: Collaborative, by: Member | None, **entry: Any
) -> dict[str, Any]:
    """`record`'s entry as a row's values, for a statement that writes many at once;
    `entry` gives its `action`, `summary` and, if any, `details` and `detail`."""
    return {
        "collaborative_id": cast(int, collaborative.id),
        "at": now,
        "actor_member_id": by.id if by else None,
        "actor_name": by.display_name if by else "Concord",
        "details": "",
        "detail": {},
        **entry,
    }
