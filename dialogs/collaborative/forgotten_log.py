"""The decision log after a person is forgotten: every entry stays, naming them only as
"a former member".

The log is the partnership's record, and a poll's announced result in it is what an auditor
recounts from the ballots export. So a forgotten person's names and account ids are
replaced anywhere in an entry but in that result, which names no one; there, only the
reasons they gave when objecting in that very poll are replaced, exactly as their ballots
were (`dialogs.polls.forgetting`), so the recount still matches. Words they wrote
elsewhere (a proposal, a comment) are not searched for here: the same words may be the
group's own (an adopted statement, an option), which the log must keep.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlmodel import Session, col, or_, select

from dialogs.core import audit
from dialogs.core.language import N_
from storage.forget import MARKER, Redaction
from storage.models import AuditEntry

IN_THE_LOG = N_("a former member")  # how the decision log and other copies name them
RESULT = "result"  # an entry's announced result (`tally.dumps`), recounted by auditors


@dataclass(frozen=True)
class LogRewrite:
    """What a forgotten person's names and ids become, and the reasons each poll's result
    quotes from them (by collaborative and poll number)."""

    names: dict[str, str]
    reasons: Mapping[tuple[int, int], Collection[str]]

    def for_entry(self, entry: AuditEntry) -> tuple[Redaction, Redaction]:
        """For the entry's words, and for its announced result."""
        said = self.reasons.get((entry.collaborative_id, entry.detail.get("poll", 0)), ())
        theirs = {reason: MARKER for reason in said}
        return Redaction(self.names | theirs), Redaction(theirs)

    def anywhere(self) -> Redaction:
        every = {reason for said in self.reasons.values() for reason in said}
        return Redaction(self.names | dict.fromkeys(every, MARKER))


def rewrite_log(
    session: Session, collaboratives: Collection[int], ids: Collection[int], rewrite: LogRewrite
) -> None:
    """Rewrite the entries of these collaboratives that were by or quote the person."""
    for entry in _log_quoting(session, collaboratives, ids, rewrite.anywhere()):
        _redact_audit_entry(session, entry, rewrite)


def names_in_log(session: Session, ids: Collection[int]) -> set[str]:
    """The names the log gave the person when they acted (they may have been renamed)."""
    return set(
        session.exec(
            select(AuditEntry.actor_name).where(col(AuditEntry.actor_member_id).in_(ids))
        ).all()
    )


def _redact_audit_entry(session: Session, entry: AuditEntry, replacements: LogRewrite) -> None:
    """The one place a decision-log entry is rewritten when a person is forgotten: through
    `audit.redact`, so the entry keeps its place in the hash chain and shows as redacted."""
    words, result = replacements.for_entry(entry)
    actor = words.text(entry.actor_name)
    detail = words.json({k: v for k, v in entry.detail.items() if k != RESULT})
    if isinstance(announced := entry.detail.get(RESULT), str):
        detail[RESULT] = result.text(announced)
    rewritten = {
        "actor_name": actor[:1].upper() + actor[1:],
        "summary": words.text(entry.summary),
        "details": words.text(entry.details),
        "detail": detail,
    }
    changed = {name: value for name, value in rewritten.items() if value != getattr(entry, name)}
    if changed:
        audit.redact(session, entry, changed)


def _log_quoting(
    session: Session, collaboratives: Collection[int], ids: Collection[int], pieces: Redaction
) -> list[AuditEntry]:
    quoted = or_(
        col(AuditEntry.actor_member_id).in_(ids),
        *(
            pieces.quoted_in(column)
            for column in (
                AuditEntry.actor_name,
                AuditEntry.summary,
                AuditEntry.details,
                AuditEntry.detail,
            )
        ),
    )
    return list(
        session.exec(
            select(AuditEntry)
            .where(col(AuditEntry.collaborative_id).in_(collaboratives), quoted)
            .order_by(col(AuditEntry.id))
        ).all()
    )
