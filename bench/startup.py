"""Start-up time and idle memory of `concord serve`, against a bare aiohttp app.

Start-up time runs from just before the process is spawned to the first 200 from
/healthz. Idle RSS is VmRSS from /proc/<pid>/status after the server has sat idle
for a while. `concord serve` is measured twice per run: on a new SQLite database
(migrations and the demo seed run) and restarted on the same one.

    .venv/bin/python bench/startup.py [--runs 5] [--output docs/benchmarks.md]

Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import os
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
from pathlib import Path

from report import machine, write_section  # bench/ is on sys.path when a script runs

IDLE_SECONDS = 2.0
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


def measure(command: list[str], port: int, env: dict[str, str], cwd: Path) -> Sample:
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
        time.sleep(IDLE_SECONDS)
        return Sample(startup_ms, rss_mib(process.pid))
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)


def concord_env(workdir: Path, port: int) -> dict[str, str]:
    ours = ("CONCORD_", "SLACK_", "MICROSOFT_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return env | {
        "DATABASE_URL": f"sqlite:///{workdir / 'concord.db'}",
        "CONCORD_HOST": "127.0.0.1",
        "CONCORD_PORT": str(port),
        "CONCORD_LOG_LEVEL": "WARNING",
    }


def run(runs: int) -> dict[str, list[Sample]]:
    concord = [str(Path(sys.executable).with_name("concord")), "serve"]
    samples: dict[str, list[Sample]] = {
        "bare aiohttp app (baseline)": [],
        "concord serve, new database": [],
        "concord serve, restart on it": [],
    }
    bare, first, again = samples.values()
    for number in range(1, runs + 1):
        with tempfile.TemporaryDirectory(prefix="concord-bench-") as folder:
            workdir = Path(folder)
            port = free_port()
            bare.append(
                measure(
                    [sys.executable, "-c", BARE_APP, str(port)], port, dict(os.environ), workdir
                )
            )
            port = free_port()
            first.append(measure(concord, port, concord_env(workdir, port), workdir))
            port = free_port()
            again.append(measure(concord, port, concord_env(workdir, port), workdir))
        print(f"run {number}/{runs} done", file=sys.stderr)
    return samples


def table(samples: dict[str, list[Sample]]) -> str:
    lines = [
        "| process | start-up median (ms) | min–max (ms) | idle RSS median (MiB) |",
        "|---|---:|---:|---:|",
    ]
    for name, runs in samples.items():
        startup = [s.startup_ms for s in runs]
        rss = statistics.median(s.rss_mib for s in runs)
        lines.append(
            f"| {name} | {statistics.median(startup):.0f} | "
            f"{min(startup):.0f}–{max(startup):.0f} | {rss:.1f} |"
        )
    return "\n".join(lines)


def report(samples: dict[str, list[Sample]], runs: int, command: str) -> str:
    return f"""Start-up is the time from spawning the process to its first `200` from `/healthz`;
idle RSS is `VmRSS` from `/proc/<pid>/status` after {IDLE_SECONDS:.0f} s idle. Medians of
{runs} runs. "New database" includes creating the SQLite file, running the migrations and
seeding the playground's demo; "restart" starts again on that database. The baseline is
an aiohttp app that only answers `/healthz`, started with `python -c`. Nothing else is
stopped while it runs, so min–max shows how much the machine's other work moved the numbers.

{table(samples)}

- machine: {machine()}
- command: `{command}`
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks.md"))
    args = parser.parse_args()
    samples = run(args.runs)
    command = " ".join([".venv/bin/python", "bench/startup.py", *sys.argv[1:]])
    write_section("Start-up time and idle memory", report(samples, args.runs, command), args.output)
    print(table(samples))
    print(f"\nwritten to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
