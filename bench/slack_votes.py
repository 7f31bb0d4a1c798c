"""Signed Slack vote clicks: 1,000 distinct users each click once, 20 and 50 at a time,
against `concord serve` (POST /slack/events, on SQLite and on PostgreSQL) and, in the
same run with identical requests, against a bare slack-bolt app that only acknowledges
(bench/bare_slack_app.py).

Every request is a `block_actions` payload signed as Slack signs it (`X-Slack-Signature`,
`X-Slack-Request-Timestamp`), sent by one aiohttp session whose connector allows that
many connections. Reports votes per second (acknowledged clicks / wall time), p50/p99 of
request → acknowledgement latency, non-200 answers, and, for Concord, reads the database
afterwards: every voter has exactly one latest ballot on the option they clicked, one
participation, and no ballot history (nobody voted twice), so no vote was lost or doubled.

    .venv/bin/python bench/slack_votes.py [--voters 1000] [--connections 20 50] [--runs 2]
        [--stores sqlite postgresql] [--log-level INFO] [--output docs/benchmarks.md]

`--stores` with no store measures the bare app alone. It takes about three minutes on
two cores (Concord's runs are most of it).

A local Slack Web API (tests/slack_api.py, in its own process) answers `auth.test` and
records what Concord posts. Everything listens on 127.0.0.1; PostgreSQL (127.0.0.1:5432,
database `test`) gets a schema of its own, dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import load
from report import machine, write_section  # bench/ is on sys.path when a script runs
from sqlalchemy import Engine, create_engine, text
from stores import POSTGRES, postgres_schema

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import slack_payloads  # noqa: E402
from tests.processes import Server, concord_env, free_port, get  # noqa: E402
from tests.slack_signing import signed_headers  # noqa: E402

TOKEN = "xoxb-bench"
TEAM = slack_payloads.TEAM
CHANNEL = slack_payloads.CHANNEL
COORDINATOR = slack_payloads.USER
OPTIONS = ("A", "B", "C", "D")
# Voter n clicks option SHARES[n % 10]: 40% A, 30% B, 20% C, 10% D, so a vote counted
# under the wrong option shows in the per-option counts.
SHARES = (0, 0, 0, 0, 1, 1, 1, 2, 2, 3)
# Button values for the bare app when no Concord runs (it never reads them).
NO_POLL = [f"vote:1:{n}" for n in range(1, len(OPTIONS) + 1)]
WARM_UP_VOTERS = 100
QUIET_SECONDS = 1.0
SETTLE_DEADLINE_SECONDS = 120.0
START_DEADLINE_SECONDS = 30.0
POSTED_DEADLINE_SECONDS = 15.0

# The Slack Web API stub in a process of its own, so its work never shares the load
# generator's interpreter; GET /calls says how many calls of each method it answered.
# Response URLs (`/hooks/…`) are answered too, so nothing ever leaves the machine.
STUB_APP = """
import sys
from collections import Counter
from aiohttp import web
from tests.slack_api import SlackApiStub

stub = SlackApiStub()

async def calls(request):
    counts = Counter(call.method + ("" if call.ok else " (refused)") for call in stub.calls)
    return web.json_response(counts)

async def healthz(request):
    return web.json_response({"status": "ok"})

app = stub.app()
app.router.add_get("/calls", calls)
app.router.add_get("/healthz", healthz)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""


@dataclass
class Outcome:
    """One load run: what came back and how long each request took."""

    seconds: float
    latencies: list[float]
    statuses: Counter[str] = field(default_factory=Counter)
    cpu_seconds: float = 0.0  # the server's, from the first click until it is quiet again

    @property
    def acknowledged(self) -> int:
        return self.statuses["200"]

    @property
    def errors(self) -> int:
        return sum(self.statuses.values()) - self.acknowledged

    @property
    def votes_per_s(self) -> float:
        return self.acknowledged / self.seconds

    @property
    def cpu_ms_per_vote(self) -> float:
        return self.cpu_seconds * 1000 / sum(self.statuses.values())

    def percentile_ms(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[int(fraction * (len(ordered) - 1))] * 1000


@dataclass(frozen=True)
class Check:
    """What the database holds for one run's poll, against what was sent."""

    lost: int
    doubled: int
    counts: tuple[int, ...]
    expected: tuple[int, ...]


# Signed requests, as Slack sends them


def command_body(command: str, hooks: str) -> str:
    form = slack_payloads.slash_command(command, response_url=f"{hooks}/commands/1234/5678")
    return urllib.parse.urlencode(form)


def vote_body(value: str, user_id: str, hooks: str) -> str:
    payload = slack_payloads.button_click(
        value,
        user={"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": TEAM},
        response_url=f"{hooks}/actions/{TEAM}/1234/abcd",
    )
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


def send_signed(url: str, secret: str, body: str) -> int:
    return load.post(url, body, signed_headers(body, secret=secret))[0]


# The load


def send_all(url: str, secret: str, bodies: list[str], connections: int) -> Outcome:
    def signed(body: str) -> dict[str, str]:
        return signed_headers(body, secret=secret)

    return load.send_all(url, bodies, connections, signed, Outcome(0.0, []))


def voter_ids(prefix: str, voters: int) -> list[str]:
    return [f"U{prefix}{n:05d}" for n in range(voters)]


def expected_counts(voters: int) -> tuple[int, ...]:
    shares = Counter(SHARES[n % len(SHARES)] for n in range(voters))
    return tuple(shares[i] for i in range(len(OPTIONS)))


# Processes


def wait_healthy(url: str, process: subprocess.Popen[bytes], name: str) -> None:
    deadline = time.monotonic() + START_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            if get(f"{url}/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{name} did not answer /healthz within {START_DEADLINE_SECONDS}s")


@contextmanager
def spawned(
    command: list[str], name: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, int]]:
    """A process serving on a free loopback port (its last argument); yields URL and pid."""
    port = free_port()
    process = subprocess.Popen(
        [*command, str(port)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, name)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=15)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settle(stub: str) -> None:
    """Wait until no Slack API call has arrived for a while: the apps have finished the
    work clicks leave behind (private notes, poll updates), so none of it competes with
    the next measurement."""
    deadline = time.monotonic() + SETTLE_DEADLINE_SECONDS
    seen, quiet_since = stub_calls(stub).total(), time.monotonic()
    while time.monotonic() - quiet_since < QUIET_SECONDS and time.monotonic() < deadline:
        time.sleep(0.1)
        now = stub_calls(stub).total()
        if now != seen:
            seen, quiet_since = now, time.monotonic()


def stub_calls(stub: str) -> Counter[str]:
    status, body = get(f"{stub}/calls")
    if status != 200:
        raise RuntimeError(f"the Slack API stub answered /calls with {status}")
    return Counter(json.loads(body))


@contextmanager
def concord_server(
    folder: Path, database_url: str, stub: str, secret: str, log_level: str
) -> Iterator[Server]:
    server = Server(
        folder,
        database_url,
        SLACK_SIGNING_SECRET=secret,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_API_URL=f"{stub}/api/",
        CONCORD_PLAYGROUND="false",
        CONCORD_LOG_LEVEL=log_level,
    )
    try:
        server.wait_until_healthy()
        yield server
    finally:
        server.stop()


@contextmanager
def postgres_url() -> Iterator[str]:
    with postgres_schema(POSTGRES) as schema:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"


# Concord: a collaborative in one channel, one fresh poll per run, the database's word


class ConcordPolls:
    """Polls in one Slack channel of a running Concord, and what its database holds."""

    def __init__(self, server: Server, database: Engine, stub: str, secret: str) -> None:
        self.events = f"{server.url}/slack/events"
        self.database = database
        self.stub = stub
        self.secret = secret
        self.hooks = f"{stub}/hooks"

    def command(self, words: str) -> None:
        status = send_signed(self.events, self.secret, command_body(words, self.hooks))
        if status != 200:
            raise RuntimeError(f"/slack/events answered {words!r} with {status}")

    def setup(self) -> None:
        self.command("help")
        self.command('setup "Bench"')

    def new_poll(self, question: str) -> list[str]:
        """The vote button values of a new single-choice poll, once Slack has the message."""
        posted = stub_calls(self.stub)["chat.postMessage"]
        self.command(f'poll "{question}" ' + " ".join(f'"{o}"' for o in OPTIONS))
        with self.database.connect() as connection:
            poll_id = connection.execute(
                text("SELECT id FROM poll WHERE question = :q"), {"q": question}
            ).scalar_one()
            option_ids = connection.execute(
                text("SELECT id FROM polloption WHERE poll_id = :p ORDER BY position"),
                {"p": poll_id},
            ).scalars()
            values = [f"vote:{poll_id}:{option}" for option in option_ids]
        deadline = time.monotonic() + POSTED_DEADLINE_SECONDS
        while stub_calls(self.stub)["chat.postMessage"] <= posted:
            if time.monotonic() > deadline:
                raise RuntimeError(f"poll {question!r} was not posted to the Slack API stub")
            time.sleep(0.05)
        return values

    def check(self, values: list[str], users: list[str]) -> Check:
        """Each user's latest ballot against the option they clicked."""
        poll_id = int(values[0].split(":")[1])
        clicked = {user: SHARES[n % len(SHARES)] for n, user in enumerate(users)}
        found = load.latest_ballots(self.database, poll_id, clicked, "slack", len(OPTIONS))
        return Check(
            lost=found.lost,
            doubled=found.doubled,
            counts=found.counts,
            expected=expected_counts(len(users)),
        )


# Runs


@dataclass(frozen=True)
class Target:
    """An app under load: where its clicks go, and its process (for its CPU time)."""

    name: str
    events: str
    pid: int
    polls: ConcordPolls | None = None


@dataclass
class Row:
    app: str
    connections: int
    outcomes: list[Outcome] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    def votes_per_s(self) -> float:
        return statistics.median(o.votes_per_s for o in self.outcomes)

    def spread(self) -> str:
        rates = [o.votes_per_s for o in self.outcomes]
        return f"{min(rates):,.0f}–{max(rates):,.0f}"

    def ratio(self, bare: Row) -> float:
        """The median of each run's votes/s over the bare app's, measured just before it."""
        pairs = zip(self.outcomes, bare.outcomes, strict=True)
        return statistics.median(mine.votes_per_s / its.votes_per_s for mine, its in pairs)

    def p(self, fraction: float) -> float:
        return statistics.median(o.percentile_ms(fraction) for o in self.outcomes)

    def cpu_ms(self) -> float:
        return statistics.median(o.cpu_ms_per_vote for o in self.outcomes)

    def errors(self) -> int:
        return sum(o.errors for o in self.outcomes)

    def lost_doubled(self) -> str:
        if not self.checks:
            return "–"
        lost = sum(c.lost for c in self.checks)
        doubled = sum(c.doubled for c in self.checks)
        wrong = "" if all(c.counts == c.expected for c in self.checks) else ", counts differ"
        return f"{lost} / {doubled}{wrong}"


def bodies_for(values: list[str], users: list[str], hooks: str) -> list[str]:
    return [vote_body(values[SHARES[n % len(SHARES)]], u, hooks) for n, u in enumerate(users)]


def measure(target: Target, secret: str, bodies: list[str], connections: int, stub: str) -> Outcome:
    before = cpu_seconds(target.pid)
    outcome = send_all(target.events, secret, bodies, connections)
    settle(stub)
    outcome.cpu_seconds = cpu_seconds(target.pid) - before
    return outcome


def run(args: argparse.Namespace) -> tuple[list[Row], Counter[str]]:
    secret = secrets.token_hex(16)
    env = concord_env(SLACK_SIGNING_SECRET=secret, SLACK_BOT_TOKEN=TOKEN)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="concord-bench-")))
        stub, _ = stack.enter_context(spawned([sys.executable, "-c", STUB_APP], "Slack API stub"))
        hooks = f"{stub}/hooks"
        bare_name = "bare slack-bolt app (baseline)"
        bare_url, bare_pid = stack.enter_context(
            spawned(
                [sys.executable, str(ROOT / "bench" / "bare_slack_app.py")],
                bare_name,
                env | {"SLACK_API_URL": f"{stub}/api/"},
            )
        )
        targets = [Target(bare_name, f"{bare_url}/slack/events", bare_pid)]
        for store in args.stores:
            if store == "sqlite":
                url, name = f"sqlite:///{folder / 'concord.db'}", "Concord, SQLite"
            else:
                url, name = stack.enter_context(postgres_url()), "Concord, PostgreSQL"
            server = stack.enter_context(
                concord_server(folder / store, url, stub, secret, args.log_level)
            )
            database = create_engine(url)
            stack.callback(database.dispose)
            polls = ConcordPolls(server, database, stub, secret)
            polls.setup()
            targets.append(Target(name, polls.events, server.process.pid, polls))
            print(f"{name}: serving at {server.url}, pid {server.process.pid}", file=sys.stderr)
        rows = run_matrix(
            targets,
            args,
            voter_ids,
            lambda values, users: bodies_for(values, users, hooks),
            lambda target, bodies, connections: measure(target, secret, bodies, connections, stub),
            lambda: settle(stub),
        )
        api_calls = stub_calls(stub)
    return rows, api_calls


class LoadTarget(Protocol):
    """An app a benchmark loads: its name and, for Concord, the polls it votes in."""

    name: str

    @property
    def polls(self) -> Any: ...


T = TypeVar("T", bound=LoadTarget)


def run_matrix(
    targets: list[T],
    args: argparse.Namespace,
    ids_for: Callable[[str, int], list[str]],
    bodies_for: Callable[[list[str], list[str]], list[str]],
    measure: Callable[[T, list[str], int], Outcome],
    settle: Callable[[], None],
) -> list[Row]:
    """Every target at every connection count, `args.runs` times, each run fresh voters in
    a fresh poll (the bare app gets the same requests as the first Concord); after a
    warm-up of each app (connections, first-use code paths)."""
    rows = {(t.name, c): Row(t.name, c) for c in args.connections for t in targets}
    warm_up = ids_for("W", WARM_UP_VOTERS)
    for target in targets:
        values = target.polls.new_poll("Warm-up?") if target.polls else NO_POLL
        measure(target, bodies_for(values, warm_up), 10)
    settle()
    for number in range(1, args.runs + 1):
        for connections in args.connections:
            prefix = f"R{number:02d}C{connections:03d}"
            users = ids_for(prefix, args.voters)
            polls_of = {t.name: t.polls.new_poll(f"Which? ({prefix})") for t in targets if t.polls}
            baseline = next(iter(polls_of.values()), NO_POLL)
            settle()
            for target in targets:
                values = polls_of.get(target.name, baseline)
                row = rows[(target.name, connections)]
                row.outcomes.append(measure(target, bodies_for(values, users), connections))
                if target.polls:
                    row.checks.append(target.polls.check(values, users))
                _progress(row)
    return list(rows.values())


def _progress(row: Row) -> None:
    outcome = row.outcomes[-1]
    check = f", {row.checks[-1]}" if row.checks else ""
    print(
        f"{row.app}, {row.connections} connections: {outcome.votes_per_s:,.0f} votes/s, "
        f"p50 {outcome.percentile_ms(0.5):.1f} ms, p99 {outcome.percentile_ms(0.99):.1f} ms, "
        f"server CPU {outcome.cpu_ms_per_vote:.2f} ms/vote, "
        f"statuses {dict(outcome.statuses)}{check}",
        file=sys.stderr,
    )


def table(rows: list[Row]) -> str:
    bare = {r.connections: r for r in rows if r.app == rows[0].app}
    lines = [
        "| app | connections | votes/s | min–max | vs bare | p50 (ms) | p99 (ms) "
        "| server CPU (ms/vote) | errors | lost / doubled |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.app} | {r.connections} | {r.votes_per_s():,.0f} | {r.spread()} | "
            f"{r.ratio(bare[r.connections]):.2f}× | {r.p(0.5):.1f} | {r.p(0.99):.1f} | "
            f"{r.cpu_ms():.2f} | {r.errors()} | {r.lost_doubled()} |"
        )
    return "\n".join(lines)


def report(rows: list[Row], api_calls: Counter[str], args: argparse.Namespace, command: str) -> str:
    runs = f"Medians of {args.runs} runs" if args.runs > 1 else "One run"
    return f"""{args.voters:,} distinct Slack users each click one vote button once: signed
`block_actions` requests (`X-Slack-Signature` over the body) to POST /slack/events, sent
by one aiohttp session allowed that many connections at a time. Concord runs as `concord
serve` (log level {args.log_level}) with its Slack transport, on a fresh database, against
a local Slack Web API stub; every run votes in a new poll with new users, so each run is
{args.voters:,} first votes. The baseline, measured in the same run with the same requests
just before Concord, is a bare slack-bolt `AsyncApp` served by aiohttp
(`bench/bare_slack_app.py`): the same signature verification and single-workspace
authorization, one action listener that only calls `ack()`, run before the response is
sent as Concord's are (`process_before_response`).

Votes/s is acknowledged (200) clicks over the wall time; latency is from sending a request
to reading its answer. Server CPU is the user + system time of the app's process (from
`/proc/<pid>/stat`) from its first click until no Slack API call has come for a second,
so it includes the private notes Concord sends after acknowledging, over the clicks sent;
PostgreSQL's own processes are not in it.
{runs}; "vs bare" is the median of each run's ratio to the bare app's run just before it;
errors and lost / doubled are totals over the runs. Lost / doubled is read from Concord's
database after each run: a voter without exactly one latest ballot, on the option they
clicked, is lost; a second ballot row or participation for a voter, or a ballot from
someone who did not click, is doubled.
Target: at least 0.5× the bare app's votes/s, p99 ≤ 250 ms, nothing lost or doubled.
The load generator, the stub and the servers share the machine's cores.

{table(rows)}

- calls the Slack stub answered (Web API methods and response URLs), warm-up included:
  {calls_line(api_calls)}
- machine: {machine()}
- command: `{command}`
"""


def calls_line(calls: Counter[str]) -> str:
    """What a stub answered, as one line: `method` count, …"""
    return ", ".join(f"`{method}` {count:,}" for method, count in sorted(calls.items()))


def vote_arguments(description: str) -> argparse.ArgumentParser:
    """The options every vote benchmark takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--connections", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument(
        "--stores", nargs="*", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"]
    )
    parser.add_argument("--log-level", default="INFO", help="CONCORD_LOG_LEVEL of concord serve")
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks.md"))
    return parser


def main() -> None:
    parser = vote_arguments(__doc__.splitlines()[0])
    args = parser.parse_args()
    rows, api_calls = run(args)
    command = " ".join([".venv/bin/python", "bench/slack_votes.py", *sys.argv[1:]])
    body = report(rows, api_calls, args, command)
    write_section("Slack vote clicks", body, args.output)
    print(body)


if __name__ == "__main__":
    main()
