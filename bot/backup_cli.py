"""`concord backup FILE` and `concord restore FILE`: what the operator reads.

The work is `storage/backup.py`'s; this says what happened in one sentence, or why not
in one line on stderr with exit code 2, as every operator error of `concord` does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.settings import Settings
from storage.backup import BackupError, backup, restore

EXIT_USAGE = 2
COMMANDS = {
    "backup": "copy the database, while the bot runs, to a new FILE",
    "restore": "restore a backup FILE onto an empty database",
}


def run(command: str, file: str, settings: Settings) -> int:
    """Back up to, or restore from, `file` with the database `settings` name."""
    shown = make_url(settings.database_url).render_as_string(hide_password=True)
    path = Path(file)
    try:
        if command == "backup":
            revision = backup(settings.database_url, path)
            print(
                f"Backed up the database at {shown} (schema revision {revision}) to {file}, "
                f"{path.stat().st_size:,} bytes. Restore it onto an empty database with: "
                f"concord restore {file}"
            )
            return 0
        restored = restore(settings.database_url, path)
    except BackupError as error:
        print(f"concord: {error}", file=sys.stderr, flush=True)
        return EXIT_USAGE
    upgraded = f", upgraded to {restored.upgraded_to}" if restored.upgraded_to else ""
    print(
        f"Restored {file} (schema revision {restored.revision}{upgraded}) into the database "
        f"at {shown}: {restored.rows:,} rows in {restored.tables} tables."
    )
    return 0
