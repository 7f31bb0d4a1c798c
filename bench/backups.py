"""Backups while votes go on: how long `concord backup` and `concord restore` take on a
database of 20,000 votes, and what a backup does to the votes cast while it runs.

Each backend gets a database of its own (pg_dump copies a whole database), filled through
the engine: new voters in batches of 50, as the runner stores clicks. Then single votes
through `Engine.handle`, timed one by one, in rounds: alone, then while backups run in
another thread. Baselines, in the same run: the database's bytes copied as a file
(SQLite) or a bare `pg_dump` (PostgreSQL) for the backup; the votes cast alone for the
votes during the backup.

    .venv/bin/python -m bench.backups [--votes 20000] [--output docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.report import BENCHMARKS, command_line, machine, write_section
from bench.stores import POSTGRES
from dialogs.core.events import ActionInvoked, Actor, CommandIssued, Place
from dialogs.engine import Engine
from storage import migrate
from storage.backup import backup, restore
from storage.database import Database

PLACE = Place("playground", "bench", "backups")
BATCH = 50
ROUNDS = 4
BLOCK = 50
RUNS = 3


@contextmanager
def new_url(backend: str, folder: Path) -> Iterator[str]:
    """A new, blank database's URL on `backend`, dropped (PostgreSQL) when the block ends."""
    name = f"concord_bench_{secrets.token_hex(4)}"
    if backend == "SQLite":
        yield f"sqlite:///{folder / f'{name}.db'}"
        return
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Voting:
    """New voters, one after another, through the engine; each vote's wall time kept in
    the list the caller gives, so votes cast alone and during backups interleave."""

    def __init__(self, engine: Engine, first: int) -> None:
        self.engine = engine
        self.next = first

    def vote(self, seconds: list[float]) -> None:
        actor = Actor("playground", "bench", f"v{self.next}", f"Voter {self.next}")
        started = time.perf_counter()
        self.engine.handle(ActionInvoked(actor, PLACE, f"vote:1:{self.next % 3 + 1}"))
        seconds.append(time.perf_counter() - started)
        self.next += 1


def filled(url: str, votes: int) -> tuple[Database, Engine]:
    database = Database(url)
    migrate.upgrade(database)
    engine = Engine(database)
    coordinator = Actor("playground", "bench", "coordinator", "Coordinator")
    engine.handle(CommandIssued(coordinator, PLACE, 'setup "Bench"'))
    engine.handle(CommandIssued(coordinator, PLACE, 'poll "Which?" "A" "B" "C"'))
    for first in range(0, votes, BATCH):
        engine.handle_all(
            [
                ActionInvoked(
                    Actor("playground", "bench", f"v{n}", f"Voter {n}"), PLACE, "vote:1:1"
                )
                for n in range(first, min(first + BATCH, votes))
            ]
        )
    return database, engine


def baseline_copy(url: str, file: Path) -> None:
    """The database's bytes copied without the backup's guarantees or checks."""
    file.unlink(missing_ok=True)
    if url.startswith("sqlite"):
        shutil.copyfile(str(make_url(url).database), file)
        return
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run(["pg_dump", "--format=custom", f"--file={file}", libpq], check=True)


def median_seconds(work: Callable[[int], object], runs: int = RUNS) -> float:
    """The median wall time of `work(run)` over `runs` runs."""
    seconds = []
    for run in range(runs):
        started = time.perf_counter()
        work(run)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def backed_up_while_voting(
    url: str, voting: Voting, seconds: list[float], votes: int, folder: Path
) -> list[float]:
    """Cast `votes` one after another while backups run back to back in another thread;
    return each whole backup's seconds."""
    took: list[float] = []
    done = threading.Event()

    def run() -> None:
        while not done.is_set():
            started = time.perf_counter()
            backup(url, folder / f"{secrets.token_hex(4)}.backup")
            took.append(time.perf_counter() - started)

    thread = threading.Thread(target=run)
    thread.start()
    for _ in range(votes):
        voting.vote(seconds)
    done.set()
    thread.join()
    return took


def _ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:.1f} / {p95(seconds):.1f}"


def p95(seconds: list[float]) -> float:
    """The 95th percentile, in milliseconds."""
    return (statistics.quantiles(seconds, n=20)[-1] if len(seconds) > 1 else seconds[0]) * 1000


def measure(backend: str, votes: int, folder: Path) -> str:
    with new_url(backend, folder) as url, new_url(backend, folder) as target:
        database, engine = filled(url, votes)
        base = median_seconds(lambda _: baseline_copy(url, folder / "plain.copy"))
        alone_backup = median_seconds(lambda run: backup(url, folder / f"{backend}{run}.backup"))
        voting = Voting(engine, votes)
        alone: list[float] = []
        during: list[float] = []
        backups: list[float] = []
        for _ in range(ROUNDS):  # interleaved, so the machine's other load falls on both
            for _ in range(BLOCK):
                voting.vote(alone)
            backups += backed_up_while_voting(url, voting, during, BLOCK, folder)
        file = folder / f"{backend}0.backup"
        started = time.perf_counter()
        restore(target, file)
        restored = time.perf_counter() - started
        database.dispose()
    return (
        f"| {backend} | {file.stat().st_size / 2**20:.1f} | {alone_backup:.2f} | {base:.2f} "
        f"| {alone_backup / base:.1f}× | {statistics.median(backups):.2f} | {restored:.2f} "
        f"| {_ms(during)} | {_ms(alone)} | {p95(during) / p95(alone):.1f}× |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=20_000)
    parser.add_argument("--output", type=Path, default=BENCHMARKS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="concord-bench-") as folder:
        rows = [measure(backend, args.votes, Path(folder)) for backend in ("SQLite", "PostgreSQL")]
    for row in rows:
        print(row, file=sys.stderr)
    body = "\n".join(
        [
            f"A database of {args.votes:,} votes (members, identities, ballots, participation), "
            "filled through the engine. `backup` is `concord backup`'s work, alone (median of "
            f"{RUNS}) and while votes go one after another through `Engine.handle` "
            "(median of the backups run back to back meanwhile); its baseline is the same "
            "bytes copied as a plain file (SQLite) or a bare `pg_dump` (PostgreSQL), alone. "
            f"{ROUNDS} rounds of {BLOCK} votes with no backup running and {BLOCK} during "
            "backups: each vote's wall time, median / 95th percentile, and the ratio of "
            "the 95th percentiles. `restore` is `concord restore` into a new "
            "database, schema check and row count included. The backups run back to back "
            "there, the worst case: a nightly backup slows votes for its own duration only. "
            "A plain copy is the floor, not an alternative: taken while votes are written, "
            "it can hold half of one.",
            "",
            "| database | backup, MiB | backup alone, s | plain copy, s (baseline) | ratio "
            "| backup under votes, s | restore, s | vote during backups, ms "
            "| vote alone, ms (baseline) | ratio |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
            f"- machine: {machine()}",
            f"- command: `{command_line()}`",
        ]
    )
    write_section("Backups while votes go on (issue 20)", body, args.output)
    print(body)


if __name__ == "__main__":
    main()
