"""Backing up a running database, and restoring a backup onto an empty one.

SQLite is copied through its online backup API in one step: one read transaction, so
the copy is the database as of one instant, while writers go on (WAL lets them). The
copy is a plain SQLite file, and restoring copies it back the same way. PostgreSQL is
left to its own tools (`storage/pg_backup.py`): `pg_dump` reads one snapshot too.

A restore goes only onto a database that holds no rows, so it can never mix two
partnerships' records or overwrite one; it refuses a backup whose schema is newer than
this code's migrations (it could not be read correctly), and brings an older one up to
date.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import make_url

from storage import migrate, pg_backup
from storage.database import Database
from storage.pg_backup import BackupError

__all__ = ["BackupError", "Restored", "backup", "restore"]

SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_TIMEOUT_S = 30
REVISIONS = "alembic_version"


@dataclass(frozen=True)
class Restored:
    """What a restore did: the backup's schema revision, the one now in place, the rows."""

    revision: str
    upgraded_to: str | None
    rows: int
    tables: int


def backup(url: str, file: Path) -> str:
    """Write a consistent copy of the database at `url` to `file` (which must not exist);
    return the copy's schema revision."""
    sqlite = make_url(url).get_backend_name() == "sqlite"
    with _written(file) as partial:
        if sqlite:
            _copy_live_sqlite(_sqlite_file(url), partial)
        else:
            pg_backup.dump(url, partial)
        revision = _revision(partial, sqlite=sqlite)
        if revision is None:
            raise BackupError(
                "the database at DATABASE_URL has no Concord schema: check DATABASE_URL"
            )
    return revision


@contextmanager
def _written(file: Path) -> Iterator[Path]:
    """A file to write the backup into, moved to `file` only once it is whole. A backup
    holds people's data: only its owner may read it, from the first byte written."""
    if file.exists():
        raise BackupError(f"{file} already exists: a backup is never written over a file")
    partial = file.with_name(f".{file.name}.partial")
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        partial.chmod(0o600)  # even if an interrupted backup left one behind
        yield partial
        partial.rename(file)
    except OSError as error:
        raise BackupError(f"cannot write {file}: {error.strerror or error}") from None
    finally:
        partial.unlink(missing_ok=True)


def _copy_live_sqlite(source: Path, copy: Path) -> None:
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    try:
        with (
            closing(sqlite3.connect(source, timeout=SQLITE_TIMEOUT_S)) as live,
            closing(sqlite3.connect(copy)) as copied,
        ):
            live.backup(copied)  # every page in one step: one read transaction, one instant
            copied.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    except sqlite3.Error as error:
        raise BackupError(f"cannot copy {source}: {error}") from None


def restore(url: str, file: Path) -> Restored:
    """Restore `file` onto the empty database at `url`, then upgrade it to this code's schema."""
    sqlite = make_url(url).get_backend_name() == "sqlite"
    _refuse_kind(file, sqlite)
    if sqlite and _sqlite_file(url).resolve() == file.resolve():
        raise BackupError(f"{file} is the database DATABASE_URL names: restore into a new one")
    revision = _revision(file, sqlite=sqlite)
    if revision is None:
        raise BackupError(f"{file} is not a Concord backup (it has no schema revision)")
    _known(revision)
    database = Database(url)
    try:
        with database.engine.begin() as connection:
            _refuse_rows(connection, lock=not sqlite)
            if not sqlite:
                _drop_empty_tables(connection)
        if sqlite:
            database.dispose()  # no connection of ours holds the file while it is replaced
            _copy_sqlite(file, _sqlite_file(url))
        else:
            pg_backup.load(url, file)
        migrate.upgrade(database)
        with database.engine.connect() as connection:
            tables, rows = _rows(connection)
    finally:
        database.dispose()
    head = _scripts().get_current_head()
    return Restored(revision, head if head != revision else None, rows, tables)


def _refuse_kind(file: Path, sqlite: bool) -> None:
    """Refuse a file that no backup made, or one made from the other kind of database."""
    try:
        with file.open("rb") as opened:
            start = opened.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"{file}: {error.strerror or error}") from None
    kind = "sqlite" if start == SQLITE_MAGIC else "postgresql" if pg_backup.is_dump(start) else ""
    if not kind:
        raise BackupError(f"{file} is not a Concord backup (neither SQLite nor a pg_dump archive)")
    if (kind == "sqlite") != sqlite:
        target = "SQLite" if sqlite else "PostgreSQL"
        made = "SQLite" if kind == "sqlite" else "PostgreSQL"
        raise BackupError(
            f"{file} is a {made} backup but DATABASE_URL names a {target} database: "
            f"restore it into {made}"
        )


def _sqlite_file(url: str) -> Path:
    name = make_url(url).database
    if not name or name == ":memory:":
        raise BackupError("DATABASE_URL names an in-memory SQLite database: nothing to keep")
    return Path(name)


def _revision(file: Path, *, sqlite: bool) -> str | None:
    """The schema revision a backup is at, read without changing the file; None if none."""
    if not sqlite:
        return pg_backup.revision(file)
    try:
        with closing(sqlite3.connect(f"{file.absolute().as_uri()}?mode=ro", uri=True)) as copy:
            rows = copy.execute(f"SELECT version_num FROM {REVISIONS}").fetchall()
    except sqlite3.DatabaseError:
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


def _copy_sqlite(file: Path, target: Path) -> None:
    try:
        with (
            closing(sqlite3.connect(f"{file.absolute().as_uri()}?mode=ro", uri=True)) as copy,
            closing(sqlite3.connect(target, timeout=SQLITE_TIMEOUT_S)) as restored,
        ):
            copy.backup(restored)
    except sqlite3.Error as error:
        raise BackupError(f"cannot restore into {target}: {error}") from None


def _scripts() -> ScriptDirectory:
    return ScriptDirectory(str(migrate.MIGRATIONS))


def _known(revision: str) -> None:
    """Refuse a backup made by a newer Concord: this code cannot read what it does not know."""
    scripts = _scripts()
    if revision not in {script.revision for script in scripts.walk_revisions()}:
        raise BackupError(
            f"the backup is at revision {revision}, this Concord knows up to "
            f"{scripts.get_current_head()}: upgrade Concord first"
        )


def _refuse_rows(connection: Connection, *, lock: bool) -> None:
    """Refuse a target that holds anything; with `lock`, nobody can add a row until commit."""
    names = [name for name in inspect(connection).get_table_names() if name != REVISIONS]
    quoted = ", ".join(f'"{name}"' for name in names)
    if lock and names:
        connection.execute(text(f"LOCK TABLE {quoted} IN ACCESS EXCLUSIVE MODE"))
    holding = [name for name in names if _has_rows(connection, name)]
    if holding:
        raise BackupError(
            "the database at DATABASE_URL is not empty (rows in "
            f"{', '.join(sorted(holding))}): restore only onto an empty database"
        )


def _has_rows(connection: Connection, table: str) -> bool:
    return connection.execute(text(f'SELECT 1 FROM "{table}" LIMIT 1')).first() is not None


def _drop_empty_tables(connection: Connection) -> None:
    """An empty but migrated PostgreSQL (Concord started on it once) gives way to the
    backup's tables; `_refuse_rows` has locked them and found them empty."""
    for name in inspect(connection).get_table_names():
        connection.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))


def _rows(connection: Connection) -> tuple[int, int]:
    """How many tables the restored database has, and how many rows in all (for the report)."""
    names = [name for name in inspect(connection).get_table_names() if name != REVISIONS]
    rows = sum(
        connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in names
    )
    return len(names), rows
