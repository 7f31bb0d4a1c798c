"""`concord verify-log`: check that the decision log is as Concord wrote it.

Each collaborative's chain is walked from its first entry (`storage.ledger.walk`); the
first entry that does not match is named with why, and the exit code is 1. With
`--against FILE`, an exported copy of one collaborative's log (`decisions --export csv`,
kept by a partner organisation) is compared with the database: every entry in the copy
must still be there, at its place, with the same hash.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Mapping
from datetime import UTC
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, select
from sqlmodel import col

from bot.settings import Settings
from storage import ledger
from storage.database import Database
from storage.models import AuditEntry, Collaborative

INTACT, BROKEN, USAGE = 0, 1, 2


def verify_log(settings: Settings, collaborative_id: int | None, against: str | None) -> int:
    """Check every collaborative's chain, or one's; with `against`, an exported copy too.
    Returns 0 when everything matches, 1 when something does not, 2 on a usage error."""
    database = Database(settings.database_url)
    try:
        with database.engine.connect() as connection, connection.begin():
            if against:
                return compare(connection, Path(against), collaborative_id)
            return check_chains(connection, collaborative_id)
    finally:
        database.dispose()


def check_chains(connection: Connection, collaborative_id: int | None) -> int:
    """Walk every collaborative's chain, or one's, and print what each holds."""
    query = select(col(Collaborative.id), col(Collaborative.name)).order_by(col(Collaborative.id))
    if collaborative_id is not None:
        query = query.where(col(Collaborative.id) == collaborative_id)
    collaboratives = connection.execute(query).all()
    if not collaboratives:
        if collaborative_id is not None:
            return _say(f"concord: there is no collaborative {collaborative_id}", USAGE)
        return _say("There are no collaboratives yet.", INTACT)
    outcome = INTACT
    for found_id, name in collaboratives:
        walked = ledger.walk(connection, cast(int, found_id))
        print(f"{name} (collaborative {found_id}): {_verdict(walked)}")
        outcome = BROKEN if walked.broken else outcome
    return outcome


def _verdict(walked: ledger.Walk) -> str:
    if walked.broken:
        return f"BROKEN at {_named(walked.broken.entry)}: {walked.broken.why}."
    if not walked.count:
        return "no entries yet."
    said = f"{walked.count} {'entry' if walked.count == 1 else 'entries'}"
    if walked.redacted:
        numbers = ", ".join(str(seq) for seq in walked.redacted)
        said += f", {len(walked.redacted)} redacted (no. {numbers})"
    return f"{said}; the chain is intact."


def _named(entry: Mapping[str, Any]) -> str:
    """An entry as a person can find it: its number, id, time and headline."""
    headline = f"{entry['actor_name']} {entry['summary']}"
    if len(headline) > 80:
        headline = headline[:79] + "…"
    at = entry["at"].astimezone(UTC)
    return f'entry no. {entry["seq"]} (id {entry["id"]}, {at:%Y-%m-%d %H:%M} UTC, "{headline}")'


def compare(connection: Connection, path: Path, collaborative_id: int | None) -> int:
    """Every entry of an exported CSV copy must be in the database, at its place, with its
    hash; then the database's own chain must hold."""
    try:
        copied = _read_copy(path)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return _say(f"concord: {path}: {getattr(error, 'strerror', None) or error}", USAGE)
    if not copied:
        return _say(f"{path} lists no entries: nothing to compare.", INTACT)
    collaborative_id = collaborative_id or _holder(connection, copied)
    if collaborative_id is None:
        return _say(
            f"None of the entries in {path} is in the database: give --collaborative ID to "
            "say whose log it is a copy of.",
            BROKEN,
        )
    held = _hashes(connection, collaborative_id)
    for seq, hashed in copied:
        if seq not in held:
            return _say(f"Entry no. {seq} of {path} is missing from the database: deleted.", BROKEN)
        if held[seq] != hashed:
            return _say(f"Entry no. {seq} differs from {path}: changed since the export.", BROKEN)
    print(f"The {len(copied)} entries of {path} are in the database as exported.")
    return check_chains(connection, collaborative_id)


def _read_copy(path: Path) -> list[tuple[int, str]]:
    rows = csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8")))
    if not rows.fieldnames or not {"entry", "hash"} <= set(rows.fieldnames):
        raise ValueError("not a decision log exported with hashes (`decisions --export csv`)")
    return [(int(row["entry"]), row["hash"]) for row in rows]


def _holder(connection: Connection, copied: list[tuple[int, str]]) -> int | None:
    """The collaborative whose log holds the copy's entries (the first one still there)."""
    hashes = [hashed for _, hashed in copied[:100]]
    found = connection.execute(
        select(col(AuditEntry.collaborative_id)).where(col(AuditEntry.hash).in_(hashes)).limit(1)
    ).first()
    return found[0] if found else None


def _hashes(connection: Connection, collaborative_id: int) -> dict[int, str]:
    rows = connection.execute(
        select(col(AuditEntry.seq), col(AuditEntry.hash)).where(
            col(AuditEntry.collaborative_id) == collaborative_id
        )
    )
    return {seq: hashed for seq, hashed in rows}


def _say(message: str, code: int) -> int:
    print(message, file=sys.stderr if code == USAGE else sys.stdout)
    return code
