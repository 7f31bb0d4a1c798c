"""`me export`: everything Concord holds about the person who asks, as one JSON file.

UK GDPR gives a person the right to a copy of their data (a subject-access request). The
file covers every collaborative the person belongs to, found from their accounts
(`person_rows.keys_of`), and every table `storage.personal_data` declares personal: each
table is one section, with the declaration's own words for what it is for and how long it
is kept, and the person's rows as stored. Rows refer to collaboratives, organisations,
polls and people by number; `lookup` names them, so the file reads on its own.

Votes in anonymous polls are not in it: they carry no member, so nothing links them to
anyone. A download of an earlier file is listed, not repeated (it is a copy of the rest).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from dialogs.collaborative import person_rows
from dialogs.collaborative.person_rows import PersonKeys, Row
from dialogs.commands.syntax import Command
from dialogs.core import exports
from dialogs.core.language import N_, _, ngettext
from dialogs.core.ports import ExportFile
from dialogs.core.turn import Turn
from storage.models import (
    CheckinRun,
    CheckinSchedule,
    Collaborative,
    Member,
    Organisation,
    Poll,
    PollOption,
)
from storage.personal_data import LIBRARY_TABLES, Kind

FILENAME = "concord-my-data.json"
MEDIA_TYPE = "application/json"
# Never written out: codes and download addresses that would let the file's reader act.
SECRET = frozenset({"code_hash", "token", "chart_token"})
_PLAIN = ("_id", "_name", "_at")  # what a library's row may show: never tokens or addresses
# What the reply card calls each section, counted (then `.format(count=n)`); a table without
# one here is called by its name.
LABELS: dict[str, Callable[[int], str]] = {
    "collaborative": lambda n: ngettext(
        "{count} collaborative you decide for", "{count} collaboratives you decide for", n
    ),
    "member": lambda n: ngettext("{count} membership", "{count} memberships", n),
    "identity": lambda n: ngettext("{count} account", "{count} accounts", n),
    "linkcode": lambda n: ngettext("{count} link code made", "{count} link codes made", n),
    "personsetting": lambda n: ngettext(
        "{count} account's settings", "{count} accounts' settings", n
    ),
    "checkinschedule": lambda n: ngettext("{count} check-in set up", "{count} check-ins set up", n),
    "checkinanswer": lambda n: ngettext("{count} check-in answer", "{count} check-in answers", n),
    "checkinprompt": lambda n: ngettext("{count} check-in prompt", "{count} check-in prompts", n),
    "outbox": lambda n: ngettext(
        "{count} message waiting to be sent", "{count} messages waiting to be sent", n
    ),
    "deliverylane": lambda n: ngettext(
        "{count} private delivery queue", "{count} private delivery queues", n
    ),
    "deputy": lambda n: ngettext("{count} deputy arrangement", "{count} deputy arrangements", n),
    "poll": lambda n: ngettext("{count} poll started", "{count} polls started", n),
    "polldraft": lambda n: ngettext("{count} poll draft", "{count} poll drafts", n),
    "ballot": lambda n: ngettext("{count} ballot", "{count} ballots", n),
    "participation": lambda n: ngettext("{count} poll voted in", "{count} polls voted in", n),
    "pollremindermute": lambda n: ngettext("{count} muted reminder", "{count} muted reminders", n),
    "auditentry": lambda n: ngettext(
        "{count} decision-log entry", "{count} decision-log entries", n
    ),
    "export": lambda n: ngettext("{count} earlier file", "{count} earlier files", n),
    "playgroundmessage": lambda n: ngettext(
        "{count} playground message", "{count} playground messages", n
    ),
    "review": lambda n: ngettext("{count} review", "{count} reviews", n),
    "purposeround": lambda n: ngettext(
        "{count} purpose round started", "{count} purpose rounds started", n
    ),
    "proposal": lambda n: ngettext("{count} proposal", "{count} proposals", n),
    "pollseries": lambda n: ngettext(
        "{count} recurring poll set up", "{count} recurring polls set up", n
    ),
    "slack_installations": lambda n: ngettext(
        "{count} installation of Concord you made", "{count} installations you made", n
    ),
}

README = N_(
    """\
This file holds everything Concord keeps about you, in every collaborative you belong to,
as it was at {made} (UTC). Concord found you by your accounts ({accounts}) and the
memberships they belong to.

"tables" has one section per table of Concord's database that can hold personal data.
Each section says what the table is for ("what") and how long its rows are kept ("kept"),
then lists your rows exactly as they are stored ("rows"); times are in UTC. A table where
Concord holds nothing about you has no rows. "counts" says how many rows each section has.
Rows refer to collaboratives, organisations, people, polls and check-ins by number:
"lookup" gives their names, each poll's question and options (a ballot's choices point at
its poll's options by position, counting from 0) and each check-in's questions (so does
an answer's "question").

Sections:
{sections}

Decision-log entries are those you made and those that name you. Votes in anonymous polls
are not here: they were never linked to you, so nobody, Concord included, can tell which
are yours ("participation" says only that you voted). Files made for you earlier are
listed but not repeated.

To ask Concord to remove what it holds about you, type `me forget` in a channel of a
collaborative you belong to.
"""
)


def me_export(turn: Turn, command: Command) -> None:
    __, member = turn.in_collaborative()
    keys = person_rows.keys_of(turn.session, member)
    document = gather(turn.session, keys, turn.now)
    body = json.dumps(document, indent=2, ensure_ascii=False, default=_plain)
    counts: dict[str, int] = document["counts"]
    held = {table: n for table, n in counts.items() if n}
    exports.offer(
        turn,
        ExportFile(FILENAME, MEDIA_TYPE, body.encode()),
        _("What Concord holds about you"),
        counted=_counted(
            sum(held.values()), lambda n: ngettext("{count} record", "{count} records", n)
        ),
        hint=_contents(held, len(keys.collaborative_ids)),
    )


def gather(session: Session, keys: PersonKeys, now: datetime) -> dict[str, Any]:
    """The whole document: README, counts, one section per personal table, and names."""
    tables: dict[str, Any] = {}
    for name in person_rows.personal_tables():
        use = person_rows.declared(name)
        rows = [_shown(name, row) for row in person_rows.rows_of(session, keys, name)]
        tables[name] = {"what": use.purpose, "kept": use.kept, "rows": rows}
    accounts = ", ".join(f"{p} {u}" for p, __, u in sorted(keys.accounts)) or _("none")
    return {
        "README": _(README)
        .format(
            made=f"{now:%Y-%m-%d %H:%M}",
            accounts=accounts,
            sections="\n".join(f"- {name}: {section['what']}" for name, section in tables.items()),
        )
        .splitlines(),
        "made_at": now,
        "counts": {name: len(section["rows"]) for name, section in tables.items()},
        "tables": tables,
        "lookup": _lookup(session, tables),
    }


def _shown(table: str, row: Row) -> Row:
    """A row as written out: secrets left out, a stored file described rather than copied.
    Of a library's table (a Slack installation), only names, ids and times: never its tokens."""
    shown = {k: v for k, v in row.items() if k not in SECRET}
    if table in LIBRARY_TABLES:
        personal = LIBRARY_TABLES[table].personal
        shown = {k: v for k, v in shown.items() if k in personal or k == "id" or k.endswith(_PLAIN)}
    for column, value in shown.items():
        if isinstance(value, bytes):
            shown[column] = _("a file of {size}, not repeated here").format(
                size=exports.size_text(len(value))
            )
    return shown


def _lookup(session: Session, tables: dict[str, Any]) -> dict[str, Any]:
    """Names for the numbers the rows refer to: collaboratives, organisations, members (the
    person's own, and those their rows name), polls and check-in occurrences."""
    ids: dict[str, set[int]] = {"collaborative_id": set(), "organisation_id": set()}
    ids |= {"poll_id": set(), "run_id": set(), "member": set()}
    for name, section in tables.items():
        personal = person_rows.declared(name).personal
        people = {c for c, p in personal.items() if p.kind is Kind.PERSON}
        for row in section["rows"]:
            for column, found in ids.items():
                found.update([row[column]] if row.get(column) is not None else [])
            ids["member"].update(row[c] for c in people if row[c] is not None)
    ids["member"].update(row["id"] for row in tables["member"]["rows"])
    polls = session.exec(select(Poll).where(col(Poll.id).in_(ids["poll_id"]))).all()
    runs = session.exec(
        select(CheckinRun, CheckinSchedule)
        .join(CheckinSchedule, col(CheckinRun.schedule_id) == CheckinSchedule.id)
        .where(col(CheckinRun.id).in_(ids["run_id"]))
    ).all()
    ids["collaborative_id"].update(p.collaborative_id for p in polls)
    ids["collaborative_id"].update(schedule.collaborative_id for __, schedule in runs)
    return {
        "collaboratives": _named(
            session, Collaborative.id, Collaborative.name, ids["collaborative_id"]
        ),
        "organisations": _named(
            session, Organisation.id, Organisation.name, ids["organisation_id"]
        ),
        "members": _named(session, Member.id, Member.display_name, ids["member"]),
        "polls": {poll.id: _poll(session, poll) for poll in polls},
        "checkin_runs": {run.id: _checkin(run, schedule) for run, schedule in runs},
    }


def _named(session: Session, key: Any, name: Any, wanted: set[int]) -> dict[int, str]:
    """{id: name} of the `wanted` rows of one table."""
    return dict(session.exec(select(key, name).where(key.in_(wanted))).all())


def _poll(session: Session, poll: Poll) -> Row:
    options = session.exec(
        select(PollOption.label)
        .where(PollOption.poll_id == poll.id)
        .order_by(col(PollOption.position))
    ).all()
    return {
        "collaborative_id": poll.collaborative_id,
        "number": poll.number,
        "question": poll.question,
        "options": list(options),
    }


def _checkin(run: CheckinRun, schedule: CheckinSchedule) -> Row:
    """A check-in occurrence: an answer's `question` counts from 0 in `questions`."""
    return {
        "collaborative_id": schedule.collaborative_id,
        "checkin": schedule.number,
        "occurrence": run.occurrence_key,
        "questions": [question["text"] for question in schedule.questions],
    }


def _contents(held: dict[str, int], collaboratives: int) -> str:
    """ "From 2 collaboratives: 2 memberships, 3 accounts, 5 ballots, …" for the reply card."""
    parts = [
        _counted(count, LABELS[table]) if table in LABELS else f"{count:,} {table}"
        for table, count in held.items()
    ]
    where = _counted(
        collaboratives, lambda n: ngettext("{count} collaborative", "{count} collaboratives", n)
    )
    return _("From {collaboratives}: {parts}. Type `me forget` to have it removed.").format(
        collaboratives=where, parts=", ".join(parts)
    )


def _counted(count: int, said: Callable[[int], str]) -> str:
    """`count` in the words `said` chooses for it, with a thousands separator: "1,200 ballots"."""
    return said(count).format(count=f"{count:,}")


def _plain(value: object) -> str:
    """What JSON cannot hold itself: times as ISO 8601."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")
