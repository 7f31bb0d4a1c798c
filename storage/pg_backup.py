"""PostgreSQL backups through PostgreSQL's own tools: `pg_dump` and `pg_restore`.

`pg_dump` reads the whole database in one repeatable-read snapshot while the bot goes on
writing, and its custom format is what `pg_restore` reads back. The password never goes
on a command line (other users of the machine can read those): it is handed over in
`PGPASSWORD`. Where the tools are missing, the error is the recipe to run by hand.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

DUMP_MAGIC = b"PGDMP"
RECIPE = (
    "pg_dump --format=custom --file=FILE 'postgresql://USER@HOST:5432/DATABASE' "
    "(and to restore: pg_restore --no-owner --no-privileges --single-transaction "
    "--exit-on-error --dbname='postgresql://USER@HOST:5432/EMPTY_DATABASE' FILE)"
)


class BackupError(Exception):
    """A backup or restore cannot go ahead; the message is one line an operator can act on."""


def is_dump(start: bytes) -> bool:
    return start.startswith(DUMP_MAGIC)


def dump(url: str, file: Path) -> None:
    """`pg_dump` the database at `url` into `file`."""
    _run("pg_dump", "--format=custom", f"--file={file}", f"--dbname={_libpq(url)}", url=url)


def load(url: str, file: Path) -> None:
    """`pg_restore` `file` into the database at `url`: in one transaction, so a failure
    leaves the database as it was. Ownership is left to whoever restores."""
    _run(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={_libpq(url)}",
        str(file),
        url=url,
    )


def revision(file: Path) -> str | None:
    """The schema revision in a dump: the one row of its `alembic_version` table."""
    listing = _run(
        "pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(file), url=None
    )
    lines = listing.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("COPY ")]
    rows = lines[starts[0] + 1 : lines.index("\\.", starts[0])] if starts else []
    return rows[0].strip() if len(rows) == 1 else None


def _run(tool: str, *arguments: str, url: str | None) -> str:
    """Run a PostgreSQL client tool; its first line of complaint becomes the error."""
    found = shutil.which(tool)
    if not found:
        raise BackupError(f"{tool} is not installed here (PostgreSQL's client tools); {RECIPE}")
    environment = dict(os.environ)
    if url and (password := make_url(url).password):
        environment["PGPASSWORD"] = str(password)
    finished = subprocess.run(
        [found, *arguments], capture_output=True, text=True, env=environment, check=False
    )
    if finished.returncode != 0:
        complaint = (finished.stderr.strip().splitlines() or ["no message"])[0]
        raise BackupError(f"{tool} failed: {complaint.removeprefix(f'{tool}: ')}")
    return finished.stdout


def _libpq(url: str) -> str:
    """The URL as libpq reads it: no SQLAlchemy driver name, and no password."""
    parsed = make_url(url).set(drivername="postgresql", password=None)
    return parsed.render_as_string(hide_password=False)
