"""`concord recount` run as an auditor would, on an exported file, beside what Concord
announced when the poll closed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from dialogs.core.ports import ExportFile
from storage.database import Database
from storage.models import AuditEntry


def recounted_and_announced(database: Database, file: ExportFile, folder: Path) -> tuple[str, str]:
    """`concord recount`'s output for `file` saved in `folder`, and the announced result
    of the collaborative's only closed poll (both as JSON text)."""
    path = folder / file.filename
    path.write_bytes(file.content)
    recounted = recount(path)
    with database.session() as session:
        announced = session.exec(
            select(AuditEntry.detail).where(AuditEntry.action == "poll.close")
        ).one()["result"]
    return recounted, announced


def recount(path: Path) -> str:
    """`concord recount path`'s output (the result as JSON text, and a newline)."""
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "recount", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
