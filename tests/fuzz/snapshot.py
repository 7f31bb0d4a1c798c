"""What a database holds, in a form two moments can be compared by: every table's row count
and a hash of its rows."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from sqlalchemy import Engine, inspect, text

Snapshot = dict[str, tuple[int, str]]


def snapshot(engine: Engine, ignored: frozenset[str] = frozenset()) -> Snapshot:
    """Every table but `ignored`: (rows, SHA-256 of the rows in a stable order)."""
    tables = [t for t in _tables(engine) if t not in ignored]
    held: Snapshot = {}
    with engine.connect() as connection:
        for table in tables:
            rows = sorted(
                repr(tuple(row)) for row in connection.execute(text(f'SELECT * FROM "{table}"'))
            )
            digest = hashlib.sha256("\n".join(rows).encode("utf-8", "surrogatepass")).hexdigest()
            held[table] = (len(rows), digest)
    return held


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """The tables whose rows differ (or that appeared or went)."""
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


@lru_cache(maxsize=8)
def _tables(engine: Engine) -> tuple[str, ...]:
    """The tables, read once per engine (the app has made them all by the time it serves)."""
    return tuple(inspect(engine).get_table_names())
