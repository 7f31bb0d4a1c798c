"""The decision log as a hash chain: any entry edited, deleted or moved in the database
directly, without Concord, shows.

Each collaborative's entries are numbered 1, 2, 3… (`seq`, unique per collaborative) and
each stores `hash`, a SHA-256 over its collaborative, its number, the previous entry's
hash (`prev_hash`; the first entry follows `GENESIS`) and one digest per field of its
content (`FIELDS`). Changing any field changes the entry's hash; deleting or reordering
entries breaks the numbering or the links. `walk` checks a chain and names the first entry
that does not match.

Why a digest per field, each salted: a person who asks to be forgotten must disappear
from old entries too, yet the chain must still verify afterwards. So an entry can be
redacted (`redacted`): the fields replaced keep their original digests in `seal`, and the
entry's hash, computed over digests, is unchanged. Each field's digest is an HMAC under a
salt of its own, derived from the entry's random `salt`; redaction drops that salt, keeping
only the salts of the fields left as they were, so the digest that remains of a forgotten
name cannot be used to confirm a guess at it. `seal` also says, openly, which fields were
redacted (verification and the export show it) and holds a plain hash of what each now
says instead, so words put in a redacted field by hand afterwards show as well.

What this does and does not prove: the chain catches an edit made by hand in the database.
Someone able to rewrite the whole chain with this code could make it consistent again; an
exported copy kept by a partner organisation (`decisions --export csv`, checked with
`concord verify-log --against FILE`) catches that too, and catches the latest entries
being deleted, which the chain alone cannot see.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlmodel import col

from storage.models import AuditEntry
from storage.numbering import lock_collaborative

GENESIS = "0" * 64
VERSION = 1
# The content each entry's hash covers, field by field: what the record says. The link to
# the acting member (`actor_member_id`) is left out: Concord moves it when two members'
# accounts are joined and drops it when a person is forgotten, and `actor_name` says who.
FIELDS = ("at", "actor_name", "action", "summary", "details", "detail")
# The fields a redaction may replace: those that can name a person.
REDACTABLE = ("actor_name", "summary", "details", "detail")
_COLUMNS = ("id", "collaborative_id", "seq", "prev_hash", "hash", "salt", "seal", *FIELDS)


def append(connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert `rows` (entries' values, without the chain's columns) at the end of their
    collaboratives' chains, in the order given.

    Each collaborative's row is locked first (in id order, so two writers never wait for
    each other in a circle) and its chain's last entry read after the lock is granted: two
    processes writing to one collaborative at once take turns instead of both following the
    same entry (the unique `seq` would refuse the second anyway).
    """
    if not rows:
        return
    tails = {}
    for collaborative_id in sorted({row["collaborative_id"] for row in rows}):
        lock_collaborative(connection, collaborative_id)
        tails[collaborative_id] = _tail(connection, collaborative_id)
    chained = []
    for row in rows:
        seq, prev_hash = tails[row["collaborative_id"]]
        entry = {**row, "seq": seq + 1, "prev_hash": prev_hash, "salt": new_salt()}
        entry["hash"] = entry_hash(entry)
        tails[row["collaborative_id"]] = (entry["seq"], entry["hash"])
        chained.append(entry)
    connection.execute(insert(AuditEntry), chained)


def new_salt() -> str:
    """A new entry's salt: 128 random bits, as hex."""
    return secrets.token_hex(16)


def _tail(connection: Connection, collaborative_id: int) -> tuple[int, str]:
    last = connection.execute(
        select(col(AuditEntry.seq), col(AuditEntry.hash))
        .where(col(AuditEntry.collaborative_id) == collaborative_id)
        .order_by(col(AuditEntry.seq).desc())
        .limit(1)
    ).first()
    return (last[0], last[1]) if last else (0, GENESIS)


def entry_hash(entry: Mapping[str, Any]) -> str:
    """The hash an entry should have, from its content (or its sealed digests) and place."""
    content = {
        "v": VERSION,
        "collaborative": entry["collaborative_id"],
        "seq": entry["seq"],
        "prev": entry["prev_hash"],
        "fields": _digests(entry),
    }
    return hashlib.sha256(_canonical(content)).hexdigest()


def redacted(entry: Mapping[str, Any], replacements: Mapping[str, Any]) -> dict[str, Any]:
    """The column values that replace fields of `entry` while its hash stays the same: the
    new values, the digests of the fields replaced kept in `seal`, the salts of the others.

    A field redacted before keeps the digest of what it first said. An entry changed by
    hand keeps failing: what is sealed is the digest of the value it holds now.
    """
    unknown = sorted(set(replacements) - set(REDACTABLE))
    if unknown:
        raise ValueError(f"only {', '.join(REDACTABLE)} can be redacted, not {unknown}")
    digests = _digests(entry)
    seal = entry.get("seal") or {}
    sealed = {**seal.get("digests", {})}
    sealed.update({name: digests[name] for name in replacements if name not in sealed})
    salts = {name: _salt(entry, name) for name in FIELDS if name not in sealed}
    now_says = {**seal.get("replaced", {})}
    now_says.update({name: _plain(name, {name: value}) for name, value in replacements.items()})
    return {
        **replacements,
        "salt": None,
        "seal": {"digests": sealed, "salts": salts, "replaced": now_says},
    }


def redacted_fields(entry: Mapping[str, Any]) -> list[str]:
    """The fields of `entry` replaced since it was written, in `FIELDS` order."""
    sealed = (entry.get("seal") or {}).get("digests", {})
    return [name for name in FIELDS if name in sealed]


def _digests(entry: Mapping[str, Any]) -> dict[str, str]:
    sealed = (entry.get("seal") or {}).get("digests", {})
    return {
        name: sealed.get(name) or _digest(_salt(entry, name), _value(entry, name))
        for name in FIELDS
    }


def _salt(entry: Mapping[str, Any], name: str) -> str:
    if entry.get("salt") is None:
        return str(entry["seal"]["salts"][name])
    key = bytes.fromhex(entry["salt"])
    return hmac.new(key, name.encode(), hashlib.sha256).hexdigest()


def _plain(name: str, entry: Mapping[str, Any]) -> str:
    """What a redacted field says now, hashed unsalted: the words put in its place name
    nobody, and an edit by hand of them shows."""
    return hashlib.sha256(_canonical(_value(entry, name))).hexdigest()


def _digest(salt: str, value: Any) -> str:
    return hmac.new(bytes.fromhex(salt), _canonical(value), hashlib.sha256).hexdigest()


def _value(entry: Mapping[str, Any], name: str) -> Any:
    """A field as the database gives it back: times in UTC to the microsecond, JSON as
    JSON reads it (tuples as lists, keys as strings)."""
    value: Any = entry.get(name)
    if name == "at":
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if name == "detail":
        return json.loads(json.dumps(value or {}))
    if name in ("details", "summary"):
        return value or ""
    return value


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class Break:
    """The first entry of a chain that does not match, and why."""

    entry: Mapping[str, Any]
    why: str


@dataclass
class Walk:
    """What `walk` found in one collaborative's chain."""

    count: int = 0
    redacted: list[int] = field(default_factory=list)  # the numbers of entries redacted
    broken: Break | None = None


def walk(connection: Connection, collaborative_id: int) -> Walk:
    """Check one collaborative's chain from its first entry; stop at the first that does
    not match."""

    def every_hash() -> set[str]:
        return {entry["hash"] for entry in _entries(connection, collaborative_id)}

    return check(_entries(connection, collaborative_id), every_hash)


def _entries(connection: Connection, collaborative_id: int) -> Iterable[Mapping[str, Any]]:
    columns = [AuditEntry.__table__.c[name] for name in _COLUMNS]  # type: ignore[attr-defined]
    rows = connection.execute(
        select(*columns)
        .where(col(AuditEntry.collaborative_id) == collaborative_id)
        .order_by(col(AuditEntry.seq))
    )
    return (dict(row._mapping) for row in rows)


def check(
    entries: Iterable[Mapping[str, Any]], every_hash: Callable[[], set[str]] | None = None
) -> Walk:
    """`walk` over entries already read, in `seq` order; `every_hash()` gives the chain's
    stored hashes, asked only to tell an entry moved from one whose predecessor is gone."""
    found = Walk()
    prev_hash = GENESIS
    for entry in entries:
        found.count += 1
        why = _mismatch(entry, found.count, prev_hash, every_hash)
        if why:
            found.broken = Break(entry, why)
            return found
        if redacted_fields(entry):
            found.redacted.append(entry["seq"])
        prev_hash = entry["hash"]
    return found


def _mismatch(
    entry: Mapping[str, Any],
    seq: int,
    prev_hash: str,
    every_hash: Callable[[], set[str]] | None,
) -> str:
    if entry["seq"] < seq:
        return f"it is out of order: numbered {entry['seq']} where no. {seq} belongs"
    if entry["seq"] != seq:
        if entry["seq"] == seq + 1:
            return f"the entry before it (no. {seq}) is missing: deleted"
        return f"the entries before it (nos. {seq} to {entry['seq'] - 1}) are missing: deleted"
    if entry["prev_hash"] != prev_hash:
        if every_hash and entry["prev_hash"] in every_hash():
            return "it is out of order: it was written after an entry now placed later"
        return "it no longer follows the entry before it: that entry was replaced or removed"
    if entry_hash(entry) != entry["hash"]:
        return "its content was changed after it was written"
    replaced = (entry.get("seal") or {}).get("replaced", {})
    if any(_plain(name, entry) != said for name, said in replaced.items()):
        return "its redacted content was changed after the redaction"
    return ""
