"""`concord backup FILE` and `concord restore FILE` as an operator types them: one sentence
on success, one line on stderr and exit status 2 on anything the operator must fix."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.engine import make_url

from bot.cli import main
from tests.storage.backups import HEAD, migrated
from tests.support.conversation import ASHA, NORTH, Conversation


@pytest.fixture
def operator(monkeypatch, tmp_path):
    """Settings from the environment only: no .env file where the commands run."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONCORD_LOG_LEVEL", "WARNING")
    return monkeypatch


def shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def test_backup_then_restore_say_what_they_did(operator, new_database, tmp_path, capsys, clock):
    source = migrated(new_database())
    chat = Conversation(source, clock)
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    chat.close()
    source.dispose()
    file = tmp_path / "concord.backup"
    operator.setenv("DATABASE_URL", source.url)
    assert main(["backup", str(file)]) == 0
    said = capsys.readouterr()
    assert (said.out, said.err) == (
        f"Backed up the database at {shown(source.url)} (schema revision {HEAD}) to {file}, "
        f"{file.stat().st_size:,} bytes. Restore it onto an empty database with: "
        f"concord restore {file}\n",
        "",
    )
    assert file.stat().st_mode & 0o777 == 0o600, "a backup holds people's data: owner only"
    target = new_database()
    operator.setenv("DATABASE_URL", target)
    assert main(["restore", str(file)]) == 0
    said = capsys.readouterr()
    assert said.out.startswith(
        f"Restored {file} (schema revision {HEAD}) into the database at {shown(target)}: "
    )
    assert re.search(r": [1-9][\d,]* rows in \d+ tables\.\n$", said.out)
    assert main(["restore", str(file)]) == 2, "the target holds rows now"
    said = capsys.readouterr()
    assert said.out == ""
    assert said.err.startswith("concord: the database at DATABASE_URL is not empty (rows in ")
    assert said.err.count("\n") == 1


def test_a_missing_pg_dump_gets_the_recipe_to_run_by_hand(operator, tmp_path, capsys):
    operator.setattr("storage.pg_backup.shutil.which", lambda _tool: None)
    operator.setenv("DATABASE_URL", "postgresql+psycopg://concord:secret@db.example/concord")
    assert main(["backup", str(tmp_path / "concord.dump")]) == 2
    said = capsys.readouterr()
    assert said.err == (
        "concord: pg_dump is not installed here (PostgreSQL's client tools); "
        "pg_dump --format=custom --file=FILE 'postgresql://USER@HOST:5432/DATABASE' "
        "(and to restore: pg_restore --no-owner --no-privileges --single-transaction "
        "--exit-on-error --dbname='postgresql://USER@HOST:5432/EMPTY_DATABASE' FILE)\n"
    )
    assert not (tmp_path / "concord.dump").exists()


def test_a_backup_that_is_not_there_is_one_line(operator, tmp_path, capsys):
    operator.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'concord.db'}")
    assert main(["restore", str(tmp_path / "missing.backup")]) == 2
    assert capsys.readouterr().err == (
        f"concord: {tmp_path / 'missing.backup'}: No such file or directory\n"
    )
