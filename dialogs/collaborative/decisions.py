"""The decision log: the audit trail read back as the collaborative's record."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from sqlmodel import select

from dialogs.commands.syntax import Command
from dialogs.core.cards import Card, Context, Heading, Text
from dialogs.core.turn import Turn
from storage.models import AuditEntry, Collaborative

SHOWN_IN_CHAT = 15
EXPORT_LIMIT = 5000


def decisions(turn: Turn, command: Command) -> None:
    collaborative, _ = turn.in_collaborative()
    export = command.flags.get("export")
    limit = EXPORT_LIMIT if export else SHOWN_IN_CHAT
    entries = list(
        turn.session.exec(
            select(AuditEntry)
            .where(AuditEntry.collaborative_id == collaborative.id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)  # type: ignore[union-attr]
        ).all()
    )
    entries.reverse()
    if export == "csv":
        body = as_csv(collaborative, entries)
    elif export == "md":
        body = as_markdown(collaborative, entries)
    else:
        turn.reply(_as_card(collaborative, entries))
        return
    turn.reply(
        Card(
            blocks=[
                Heading(text=f"Decision log of {collaborative.name} ({export})"),
                Text(text=body),
            ],
            fallback=f"Decision log ({export})",
        )
    )


def _local(collaborative: Collaborative, entry: AuditEntry) -> str:
    return f"{entry.at.astimezone(ZoneInfo(collaborative.timezone)):%Y-%m-%d %H:%M}"


def _as_card(collaborative: Collaborative, entries: list[AuditEntry]) -> Card:
    if not entries:
        lines: list[Text] = [Text(text="Nothing decided yet.")]
    else:
        lines = [
            Text(text=f"{_local(collaborative, e)} · {e.actor_name} {e.summary}") for e in entries
        ]
    return Card(
        blocks=[
            Heading(text=f"Decisions of {collaborative.name}"),
            *lines,
            Context(
                text=f"Latest {SHOWN_IN_CHAT}, times in {collaborative.timezone}. "
                "`decisions --export md` or `--export csv` gives the whole record."
            ),
        ],
        fallback=f"Decisions of {collaborative.name}",
    )


def as_csv(collaborative: Collaborative, entries: list[AuditEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["when", "timezone", "who", "what", "summary"])
    for entry in entries:
        writer.writerow(
            [
                _local(collaborative, entry),
                collaborative.timezone,
                entry.actor_name,
                entry.action,
                entry.summary,
            ]
        )
    return out.getvalue()


def as_markdown(collaborative: Collaborative, entries: list[AuditEntry]) -> str:
    lines = [
        f"# Decisions of {collaborative.name}",
        "",
        f"Times in {collaborative.timezone}.",
        "",
        "| When | Who | What |",
        "| --- | --- | --- |",
    ]
    for entry in entries:
        summary = entry.summary.replace("|", "\\|")
        lines.append(f"| {_local(collaborative, entry)} | {entry.actor_name} | {summary} |")
    return "\n".join(lines) + "\n"
