"""The decision log: the audit trail read back as the collaborative's record.

`decisions` shows what the partnership decided (results, an adopted purpose, who holds
which role, which channels and organisations belong, check-ins agreed or stopped), so
the steps of a process (each stage of a purpose round, a poll opening, an option added)
never push a real decision out of its latest view; `decisions --all` shows every entry,
and an export is always the whole record.
"""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from dialogs.commands.syntax import Command
from dialogs.core import exports
from dialogs.core.cards import Card, Context, Heading, Text
from dialogs.core.language import _, ngettext
from dialogs.core.ports import ExportFile
from dialogs.core.spreadsheet import neutral
from dialogs.core.turn import Turn
from storage import ledger
from storage.models import AuditEntry, Collaborative

SHOWN_IN_CHAT = 15
# The entries that record a decision; every other entry is a step of a process.
DECISIONS = (
    "setup",
    "link",
    "org.add",
    "org.home",
    "org.unmap",
    "role",
    "settings",
    "poll.close",
    "poll.reopen",
    "purpose.adopt",
    "checkin.add",
    "checkin.stop",
    "poll.decide",
    "poll.org-decision",
    "review",
)


def decisions(turn: Turn, command: Command) -> None:
    collaborative, __ = turn.in_collaborative()
    export = command.flags.get("export")
    everything = bool(export or command.flags.get("all"))
    query = select(AuditEntry).where(AuditEntry.collaborative_id == collaborative.id)
    if not everything:
        query = query.where(col(AuditEntry.action).in_(DECISIONS))
    if export:
        # In the chain's order, so a copy can be checked entry by entry.
        entries = list(turn.session.exec(query.order_by(col(AuditEntry.seq))).all())
        _offer(turn, collaborative, entries, export)
        return
    latest = query.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
    entries = list(turn.session.exec(latest.limit(SHOWN_IN_CHAT)).all())
    entries.reverse()
    turn.reply(_as_card(collaborative, entries, everything=everything))


def _offer(turn: Turn, collaborative: Collaborative, entries: list[AuditEntry], kind: str) -> None:
    """The whole record as a file (`csv` or `md`), never as chat text a platform may cut."""
    body = as_csv(collaborative, entries) if kind == "csv" else as_markdown(collaborative, entries)
    media_type = "text/csv" if kind == "csv" else "text/markdown"
    exports.offer(
        turn,
        ExportFile(f"decisions.{kind}", media_type, body.encode()),
        _("Decision log of {name}").format(name=collaborative.name),
        counted=ngettext("{count} entry", "{count} entries", len(entries)).format(
            count=f"{len(entries):,}"
        ),
    )


def _local(collaborative: Collaborative, entry: AuditEntry) -> str:
    return f"{entry.at.astimezone(ZoneInfo(collaborative.timezone)):%Y-%m-%d %H:%M}"


def _as_card(collaborative: Collaborative, entries: list[AuditEntry], *, everything: bool) -> Card:
    if not entries:
        lines: list[Text | Context] = [
            Text(text=_("Nothing recorded yet.") if everything else _("Nothing decided yet."))
        ]
    else:
        lines = [block for entry in entries for block in _entry_blocks(collaborative, entry)]
    title = (_("Every step recorded by {name}") if everything else _("Decisions of {name}")).format(
        name=collaborative.name
    )
    other = (
        _("`decisions` shows the decisions alone")
        if everything
        else _("`decisions --all` adds every step of polls and purpose rounds")
    )
    return Card(
        blocks=[
            Heading(text=title),
            *lines,
            Context(
                text=_(
                    "Latest {count}, times in {zone}. {other}; `decisions --export md` or "
                    "`--export csv` gives the whole record."
                ).format(count=SHOWN_IN_CHAT, zone=collaborative.timezone, other=other)
            ),
        ],
        fallback=title,
    )


def _entry_blocks(collaborative: Collaborative, entry: AuditEntry) -> list[Text | Context]:
    """One entry: its headline, then its details (figures, dates) in small print."""
    headline = Text(text=f"{_local(collaborative, entry)} · {entry.actor_name} {entry.summary}")
    return [headline, Context(text=entry.details)] if entry.details else [headline]


def as_csv(collaborative: Collaborative, entries: list[AuditEntry]) -> str:
    """The log as CSV; names and text are cells no spreadsheet runs as formulas."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["when", "timezone", "who", "what", "summary", "details", *_CHAIN_COLUMNS])
    for entry in entries:
        writer.writerow(
            [
                _local(collaborative, entry),
                collaborative.timezone,
                neutral(entry.actor_name),
                entry.action,
                neutral(entry.summary),
                neutral(entry.details),
                *_chain_cells(entry),
            ]
        )
    return out.getvalue()


# Each entry's place and hashes: a partner organisation keeps the file and checks it
# later with `concord verify-log --against FILE`.
_CHAIN_COLUMNS = ("entry", "hash", "previous hash", "redacted")  # i18n: not for readers


def _chain_cells(entry: AuditEntry) -> list[str]:
    redacted = " ".join(ledger.redacted_fields(entry.model_dump()))
    return [str(entry.seq), entry.hash, entry.prev_hash, redacted]


def as_markdown(collaborative: Collaborative, entries: list[AuditEntry]) -> str:
    lines = [
        "# " + _("Decisions of {name}").format(name=collaborative.name),
        "",
        _("Times in {zone}.").format(zone=collaborative.timezone),
        "",
        "| {} | {} | {} | {} |".format(_("When"), _("Who"), _("What"), _("Details")),
        "| --- | --- | --- | --- |",
    ]
    for entry in entries:
        what, details = (text.replace("|", "\\|") for text in (entry.summary, entry.details))
        lines.append(
            f"| {_local(collaborative, entry)} | {entry.actor_name} | {what} | {details} |"
        )
    return "\n".join([*lines, *_chain_section(entries)]) + "\n"


def _chain_section(entries: list[AuditEntry]) -> list[str]:
    """The entries' hashes, in the chain's order, after the table people read."""
    lines = [
        "",
        "## " + _("Hash chain"),
        "",
        _(
            "Each entry's hash covers its content and the hash before it. The CSV export "
            "carries the same; `concord verify-log --against FILE` compares a kept copy with "
            "the record."
        ),
        "",
        "| {} | {} | {} | {} |".format(_("Entry"), _("Hash"), _("Previous hash"), _("Redacted")),
        "| --- | --- | --- | --- |",
    ]
    for entry in entries:
        number, hashed, previous, redacted = _chain_cells(entry)
        lines.append(f"| {number} | `{hashed}` | `{previous}` | {redacted} |")
    return lines
