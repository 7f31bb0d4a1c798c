"""`docs/data.md` is generated from the declarations and the models: the committed copy must
be what `concord data-map` prints, and the map must show every table and personal column."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, Text
from sqlmodel import SQLModel

from storage.data_map import COMMAND, data_map, declared, default, period
from storage.personal_data import CLOSED_POLLS, FREE_TEXT, LIBRARY_TABLES, TABLES, TableUse

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "data.md"


def test_the_committed_document_is_current() -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == data_map(), (
        f"docs/data.md is out of date: run `{COMMAND}` "
        "(from a checkout: PYTHONPATH=. .venv/bin/python -m bot data-map > docs/data.md)"
    )


def test_every_table_and_personal_column_is_shown() -> None:
    document = data_map()
    for name, use in [*TABLES.items(), *LIBRARY_TABLES.items()]:
        assert f"`{name}`: {use.purpose}. Kept: {use.kept}." in document or (
            f"### `{name}`: {use.purpose}\n\nKept: {use.kept}." in document
        ), name
        for column, personal in use.personal.items():
            row = f"| `{column}` | {personal.kind.name.lower()} | {personal.why} |"
            assert row in document, (name, column)


def test_personal_columns_follow_the_tables_own_order() -> None:
    columns = {name: cols for name, _, cols in declared(SQLModel.metadata, TABLES)}
    assert columns["checkinanswer"] == ["member_id", "value", "text"]
    assert columns["channel"] == []


def test_the_retention_defaults_are_the_models() -> None:
    free_text = period(default("retention_free_text_months"))
    closed_polls = period(default("retention_closed_poll_months"))
    assert (free_text, closed_polls) == ("24 months", "6 years")
    assert f"default {free_text}" in FREE_TEXT and f"default {closed_polls}" in CLOSED_POLLS
    document = data_map()
    assert f"poll drafts): {free_text} by default" in document
    assert f"{closed_polls} after the close by default" in document
    assert 'replaced by "[removed at the author\'s request]"' in document


@pytest.mark.parametrize(
    ("months", "said"),
    [
        (1, "1 month"),
        (6, "6 months"),
        (12, "12 months"),
        (24, "24 months"),
        (36, "3 years"),
        (40, "40 months"),
        (72, "6 years"),
    ],
)
def test_periods_are_said_as_people_say_them(months: int, said: str) -> None:
    assert period(months) == said


def test_an_undeclared_table_or_column_is_refused_not_left_out() -> None:
    metadata = MetaData()
    Table("note", metadata, Column("id", Integer, primary_key=True), Column("body", Text))
    with pytest.raises(
        ValueError, match="tables the schema and storage/personal_data.py do not share: note"
    ):
        data_map(metadata, {})
    with pytest.raises(ValueError, match="note: columns not declared as they are: body"):
        data_map(metadata, {"note": TableUse("notes", "for ever", other="id")})


def test_concord_data_map_needs_no_settings_or_database(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CONCORD_", "SLACK_"))}
    environment |= {"DATABASE_URL": "nonsense://", "CONCORD_PORT": "not a port"}
    environment["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "data-map"],
        capture_output=True,
        cwd=tmp_path,
        env=environment,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout.decode("utf-8") == DOCUMENT.read_text(encoding="utf-8")
