"""Start-up time and idle memory of `concord serve`, against a bare aiohttp app; and its
memory with 10,000 check-in schedules and 1,000 open polls in its database.

Start-up time runs from just before the process is spawned to the first 200 from
/healthz. Idle RSS is VmRSS from /proc/<pid>/status after the server has sat idle
(its scheduler ticking once a second) for a while. `concord serve` is measured three
times per run: on a new SQLite database (migrations and the demo seed run), restarted
on the same one, and started on a copy of a database planted beforehand with one
collaborative, its check-in schedules (active, next run tomorrow) and its open polls
(two options each, closing tomorrow), by tests/support/due_work.py's `plant()`.

    .venv/bin/python -m bench.startup [--runs 5] [--idle 5] [--schedules 10000]
        [--polls 1000] [--output docs/benchmarks.md]

Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.report import command_line, machine, write_section
from storage import migrate
from storage.database import Database
from tests.support.due_work import plant

BARE = "bare aiohttp app (baseline)"
START_DEADLINE_SECONDS = 60.0
POLL_SECONDS = 0.01
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))

BARE_APP = """
import sys
from aiohttp import web

async def healthz(request):
    return web.json_response({"status": "ok"})

app = web.Application()
app.router.add_get("/healthz", healthz)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""


@dataclass(frozen=True)
class Sample:
    startup_ms: float
    rss_mib: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(port: int) -> bool:
    try:
        with LOCAL.open(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
            return response.status == 200
    except (OSError, urllib.error.HTTPError):
        return False


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def measure(command: list[str], port: int, env: dict[str, str], cwd: Path, idle: float) -> Sample:
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while not healthy(port):
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {process.returncode}")
            if time.perf_counter() - started > START_DEADLINE_SECONDS:
                raise RuntimeError(f"{command[0]} did not answer within {START_DEADLINE_SECONDS}s")
            time.sleep(POLL_SECONDS)
        startup_ms = (time.perf_counter() - started) * 1000
        time.sleep(idle)
        return Sample(startup_ms, rss_mib(process.pid))
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)


def concord_env(workdir: Path, port: int, database: str = "concord.db") -> dict[str, str]:
    ours = ("CONCORD_", "SLACK_", "MICROSOFT_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return env | {
        "DATABASE_URL": f"sqlite:///{workdir / database}",
        "CONCORD_HOST": "127.0.0.1",
        "CONCORD_PORT": str(port),
        "CONCORD_LOG_LEVEL": "WARNING",
    }


def planted(path: Path, schedules: int, polls: int) -> None:
    """A migrated SQLite database at `path` with `schedules` check-in schedules and `polls`
    open polls in one collaborative, none of them due before tomorrow."""
    database = Database(f"sqlite:///{path}")
    try:
        migrate.upgrade(database)
        due = (datetime.now(UTC) + timedelta(days=1)).replace(second=0, microsecond=0)
        plant(database, due, schedules, polls)
    finally:
        database.dispose()


def loaded_name(schedules: int, polls: int) -> str:
    return f"concord serve, {schedules:,} check-in schedules and {polls:,} open polls"


def concord_sample(workdir: Path, database: str, idle: float) -> Sample:
    """`concord serve` in `workdir` on the SQLite file `database` there."""
    concord = [str(Path(sys.executable).with_name("concord")), "serve"]
    port = free_port()
    return measure(concord, port, concord_env(workdir, port, database), workdir, idle)


def run(args: argparse.Namespace) -> dict[str, list[Sample]]:
    names = [BARE, "concord serve, new database", "concord serve, restart on it"]
    names.append(loaded_name(args.schedules, args.polls))
    samples: dict[str, list[Sample]] = {name: [] for name in names}
    bare, first, again, loaded = samples.values()
    with tempfile.TemporaryDirectory(prefix="concord-bench-") as folder:
        template = Path(folder) / "planted.db"
        started = time.perf_counter()
        planted(template, args.schedules, args.polls)
        print(f"planted in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        for number in range(1, args.runs + 1):
            workdir = Path(folder) / f"run-{number}"
            workdir.mkdir()
            port = free_port()
            bare_app = [sys.executable, "-c", BARE_APP, str(port)]
            bare.append(measure(bare_app, port, dict(os.environ), workdir, args.idle))
            first.append(concord_sample(workdir, "concord.db", args.idle))
            again.append(concord_sample(workdir, "concord.db", args.idle))
            shutil.copyfile(template, workdir / "planted.db")
            loaded.append(concord_sample(workdir, "planted.db", args.idle))
            print(f"run {number}/{args.runs} done", file=sys.stderr)
    return samples


def table(samples: dict[str, list[Sample]]) -> str:
    bare = samples[BARE]
    bare_startup = statistics.median(s.startup_ms for s in bare)
    bare_rss = statistics.median(s.rss_mib for s in bare)
    lines = [
        "| process | start-up median (ms) | min–max (ms) | vs baseline "
        "| idle RSS median (MiB) | min–max (MiB) | vs baseline |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, runs in samples.items():
        startup = [s.startup_ms for s in runs]
        rss = [s.rss_mib for s in runs]
        lines.append(
            f"| {name} | {statistics.median(startup):.0f} | "
            f"{min(startup):.0f}–{max(startup):.0f} | "
            f"{statistics.median(startup) / bare_startup:.2f}× | {statistics.median(rss):.1f} | "
            f"{min(rss):.1f}–{max(rss):.1f} | {statistics.median(rss) / bare_rss:.2f}× |"
        )
    return "\n".join(lines)


def report(samples: dict[str, list[Sample]], args: argparse.Namespace, command: str) -> str:
    loaded = samples[loaded_name(args.schedules, args.polls)]
    empty = samples["concord serve, restart on it"]
    extra = statistics.median(s.rss_mib for s in loaded) - statistics.median(
        s.rss_mib for s in empty
    )
    runs = f"Medians of {args.runs} runs" if args.runs > 1 else "One run"
    return f"""Start-up is the time from spawning the process to its first `200` from `/healthz`;
idle RSS is `VmRSS` from `/proc/<pid>/status` after {args.idle:g} s idle (the scheduler
ticks once a second meanwhile). {runs}. "New database" includes
creating the SQLite file, running the migrations and seeding the playground's demo;
"restart" starts again on that database. The last row starts on a copy of a migrated
SQLite database planted beforehand (`plant()` in `tests/support/due_work.py`) with one
collaborative, {args.schedules:,} active daily check-in schedules and {args.polls:,} open
single-choice polls (two options and a closing deadline each), none of them due before
tomorrow, so every tick looks for due work among them and finds none; the playground's demo
is seeded into it at start as into the others. The baseline is an aiohttp app that only
answers `/healthz`, started with `python -c`; "vs baseline" is the median over the
baseline's median. Nothing else is stopped while it runs, so min–max shows how much the
machine's other work moved the numbers.

{table(samples)}

- {args.schedules:,} check-in schedules and {args.polls:,} open polls add
  {extra:+.1f} MiB to the idle RSS of `concord serve` restarted on an empty database
- machine: {machine()}
- command: `{command}`
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=5.0, help="seconds idle before RSS")
    parser.add_argument("--schedules", type=int, default=10_000)
    parser.add_argument("--polls", type=int, default=1_000)
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks.md"))
    args = parser.parse_args()
    samples = run(args)
    command = command_line()
    write_section("Start-up time and idle memory", report(samples, args, command), args.output)
    print(table(samples))
    print(f"\nwritten to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
