"""Scheduled polls: 10,000 polls scheduled to open at one instant, opened by 2 `concord
serve` processes sharing one PostgreSQL, beside 5,000 check-ins due at once on the same
processes in the same run.

Each poll is a `poll.open` timer (scheduled polls: `Poll.status` "scheduled" becomes
"open" and the poll is posted in every linked channel). Reports claims per second from
the due instant to the last timer done, the lag from due to done at p50/p99, and checks
that every poll opened and none was posted twice.

    .venv/bin/python -m bench.scheduled_polls [--polls 10000] [--output docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlmodel import col, func, select

from bench.report import BENCHMARKS, command_line, machine, write_section
from bench.scheduler import (
    Result,
    due_soon,
    fresh_schema,
    header,
    row,
    served,
    serving,
    summary,
)
from storage.database import Database
from storage.models import Outbox, Poll, Timer
from tests.support.due_work import plant_scheduled_polls

PROCESSES = 2
CHECKINS = 5000


def opened(polls: int, workdir: Path) -> Result:
    with fresh_schema() as (database, url):
        with serving(PROCESSES, url, workdir):
            due = due_soon()
            plant_scheduled_polls(database, due, polls)
            while _pending(database):
                time.sleep(0.2)
        with database.session() as session:
            done = session.exec(select(Timer.done_at).where(Timer.kind == "poll.open")).all()
            statuses = Counter(session.exec(select(Poll.status)).all())
            keys = session.exec(
                select(Outbox.lane, Outbox.message_key).where(
                    col(Outbox.message_key).startswith("poll")
                )
            ).all()
    assert statuses == {"open": polls}, f"not every poll opened: {statuses}"
    assert all(when is not None for when in done)
    return summary(
        [(when - due).total_seconds() for when in done if when is not None],
        len(keys) - len(set(keys)),
    )


def _pending(database: Database) -> int:
    with database.session() as session:
        return session.exec(
            select(func.count()).select_from(Timer).where(Timer.status == "pending")
        ).one()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polls", type=int, default=10000)
    parser.add_argument("--output", type=Path, default=BENCHMARKS)
    args = parser.parse_args()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        checkins = served(PROCESSES, CHECKINS, Path(folder))
        polls = opened(args.polls, Path(folder))
    body = "\n".join(
        [
            f"{args.polls:,} polls scheduled to open at one instant (a `poll.open` timer "
            f"each), opened by {PROCESSES} `concord serve` processes sharing one PostgreSQL: "
            "each opening marks the poll open and writes its post to the outbox. Beside it, "
            f"same run, same processes' settings: {CHECKINS:,} check-ins due at one instant "
            "(the baseline of the ratio). Lag is due → done.",
            "",
            *header("check-ins"),
            row(f"{CHECKINS:,} check-ins, {PROCESSES} processes", checkins, checkins),
            row(f"{args.polls:,} scheduled polls, {PROCESSES} processes", polls, checkins),
            "",
            f"- machine: {machine()}; load average at start {load[0]:.1f}, {load[1]:.1f}",
            f"- command: `{command_line()}`",
        ]
    )
    write_section("Scheduled polls", body, args.output)
    print(body)


if __name__ == "__main__":
    main()
