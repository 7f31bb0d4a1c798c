"""Signed Slack vote clicks: 1,000 distinct users each click once, 20 and 50 at a time,
against `concord serve` (POST /slack/events, on SQLite, on PostgreSQL, and as 2 processes
sharing one PostgreSQL) and, in the same run with identical requests, against a bare
slack-bolt app that only acknowledges (bench/bare_slack_app.py). Then the poll-message
updates (`chat.update`) each deployment sent under that load, beside Slack's limits as
Concord declares them (adapters/slack/port.py SLACK_LIMITS).

Every request is a `block_actions` payload signed as Slack signs it (`X-Slack-Signature`,
`X-Slack-Request-Timestamp`), sent by one aiohttp session whose connector allows that
many connections; with 2 processes, click n goes to process n mod 2 over the same
connections. Reports votes per second (acknowledged clicks / wall time), p50/p99 of
request → acknowledgement latency, non-200 answers, and, for Concord, reads the database
afterwards: every voter has exactly one latest ballot on the option they clicked, one
participation, and no ballot history (nobody voted twice), so no vote was lost or doubled.

    .venv/bin/python -m bench.slack_votes [--voters 1000] [--connections 20 50] [--runs 2]
        [--stores sqlite postgresql] [--processes 1 2] [--log-level INFO]
        [--output docs/benchmarks.md]

`--stores` with no store measures the bare app alone; `--processes` says how many
processes share the PostgreSQL database, one deployment (and one schema) each (SQLite
always has one process). It takes about four minutes on two cores (Concord's runs are
most of it).

A local Slack Web API (tests/stand_ins/slack_api.py, in its own process) answers `auth.test` and
records what Concord posts, and when each `chat.update` came and from which bot token
(each deployment has its own, as each workspace install would). Everything listens on
127.0.0.1; PostgreSQL (127.0.0.1:5432, database `test`) gets a schema per deployment,
dropped at the end.
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
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy import Engine, create_engine, text

from adapters.slack.port import SLACK_LIMITS
from bench import load
from bench.load import RECORDING, Seen, Stub
from bench.report import command_line, machine, write_section
from bench.stores import POSTGRES, postgres_schema
from dialogs.core.ports import Limit
from tests.stand_ins import slack_payloads
from tests.stand_ins.slack_signing import signed_headers
from tests.support.paths import REPO
from tests.support.processes import Server, concord_env, free_port, get

ROOT = REPO

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
# The floor of per-click confirmations: the bare app, also answering each clicker privately.
CONFIRMING_NAME = "bare slack-bolt app, confirming each click (floor)"
# Longer than Slack's update window: the last poll update of a burst is held that long
# after the one before, and belongs to the run that caused it.
QUIET_SECONDS = SLACK_LIMITS.coalesce_seconds + 0.5
SETTLE_DEADLINE_SECONDS = 120.0
START_DEADLINE_SECONDS = 30.0
POSTED_DEADLINE_SECONDS = 15.0
# Slack's per-workspace `chat.update` limit as Concord declares it.
UPDATE_LIMIT = next(
    limit for limit in SLACK_LIMITS.limits if "update" in limit.kinds and limit.scope == "tenant"
)
# Two updates of one message arrive at least the coalescing window apart, less the
# jitter of two HTTP calls on a loaded machine.
GAP_TOLERANCE_SECONDS = 0.1

# The Slack Web API stub in a process of its own, so its work never shares the load
# generator's interpreter: GET /calls says how many calls of each method it answered,
# GET /updates each accepted `chat.update` (when, which message, which bot token).
# Response URLs (`/hooks/…`) are answered too, so nothing ever leaves the machine.
SLACK_STUB_APP = (
    RECORDING
    + """
from tests.stand_ins.slack_api import SlackApiStub

class Recording(SlackApiStub):
    def _answer(self, call):
        answer = super()._answer(call)  # raises for a refusal (a message it never posted)
        if call.method == "chat.update" and answer[0] == 200:
            args = call.args
            message = f"{args.get('channel')} {args.get('ts')}"
            record(message, [args.get("text"), args.get("blocks")], call.token or "")
        return answer

stub = Recording()

async def calls(request):
    with stub._lock:
        counts = Counter(c.method + ("" if c.ok else " (refused)") for c in stub.calls)
    return web.json_response(counts)

serve(stub.app(), calls)
"""
)


@dataclass
class Outcome:
    """One load run: what came back and how long each request took."""

    seconds: float
    latencies: list[float]
    statuses: Counter[str] = field(default_factory=Counter)
    cpu_seconds: float = 0.0  # the server's, from the first click until it is quiet again
    # time.monotonic() at the first click, at the last answer, and once the stub was quiet
    span: tuple[float, float, float] = (0.0, 0.0, 0.0)

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


def cpu_seconds(*pids: int) -> float:
    """User + system CPU time the processes have used so far."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def settle(stub: Stub) -> None:
    """Wait until no Slack API call has arrived for a while: the apps have finished the
    work clicks leave behind (private notes, poll updates), so none of it competes with
    the next measurement."""
    load.settle(QUIET_SECONDS, SETTLE_DEADLINE_SECONDS, stub)


@contextmanager
def concord_server(
    folder: Path, database_url: str, stub: str, secret: str, log_level: str, token: str = TOKEN
) -> Iterator[Server]:
    server = Server(
        folder,
        database_url,
        SLACK_SIGNING_SECRET=secret,
        SLACK_BOT_TOKEN=token,
        SLACK_API_URL=f"{stub}/api/",
        CONCORD_TEAMS_LOCAL="true",  # bench/teams_votes.py's cross-platform run posts to Teams
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

    def __init__(self, server: Server, database: Engine, stub: Stub, secret: str) -> None:
        self.events = f"{server.url}/slack/events"
        self.database = database
        self.stub = stub
        self.secret = secret
        self.hooks = f"{stub.url}/hooks"

    def command(self, words: str) -> None:
        status = send_signed(self.events, self.secret, command_body(words, self.hooks))
        if status != 200:
            raise RuntimeError(f"/slack/events answered {words!r} with {status}")

    def setup(self) -> None:
        self.command("help")
        self.command('setup "Bench"')

    def new_poll(self, question: str) -> list[str]:
        """The vote button values of a new single-choice poll, once Slack has the message."""
        posted = self.stub.calls()["chat.postMessage"]
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
        while self.stub.calls()["chat.postMessage"] <= posted:
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
    """An app under load: where its clicks go (one URL per process, the load split over
    them), its processes (for their CPU time), and the bot token it calls Slack with."""

    name: str
    events: tuple[str, ...]
    pids: tuple[int, ...]
    token: str = TOKEN
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


def measure(
    target: Target, secret: str, bodies: list[str], connections: int, stub: Stub
) -> Outcome:
    before = cpu_seconds(*target.pids)
    started = time.monotonic()
    outcome = send_all(target.events, secret, bodies, connections)
    answered = time.monotonic()
    settle(stub)
    outcome.cpu_seconds = cpu_seconds(*target.pids) - before
    outcome.span = (started, answered, time.monotonic())
    return outcome


def deployments(args: argparse.Namespace) -> list[tuple[str, int]]:
    """(store, processes) for each Concord deployment to measure, in order."""
    return [
        (store, processes)
        for store in args.stores
        for processes in ([1] if store == "sqlite" else sorted(set(args.processes)))
    ]


def deployment_name(store: str, processes: int) -> str:
    name = "Concord, SQLite" if store == "sqlite" else "Concord, PostgreSQL"
    return name if processes == 1 else f"{name}, {processes} processes"


@dataclass(frozen=True)
class Session:
    """What one benchmark run measured, and the stub's record of it."""

    rows: list[Row]
    api_calls: Counter[str]
    updates: list[Seen]
    targets: list[Target]


def run(args: argparse.Namespace) -> Session:
    secret = secrets.token_hex(16)
    env = concord_env(SLACK_SIGNING_SECRET=secret, SLACK_BOT_TOKEN=TOKEN)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="concord-bench-")))
        stub_url, _ = stack.enter_context(
            spawned([sys.executable, "-c", SLACK_STUB_APP], "Slack API stub")
        )
        stub = Stub(stub_url, "Slack API stub")
        hooks = f"{stub_url}/hooks"
        bare_name = "bare slack-bolt app (baseline)"
        bare_url, bare_pid = stack.enter_context(
            spawned(
                [sys.executable, str(ROOT / "bench" / "bare_slack_app.py")],
                bare_name,
                env | {"SLACK_API_URL": f"{stub_url}/api/"},
            )
        )
        confirming_url, confirming_pid = stack.enter_context(
            spawned(
                [sys.executable, str(ROOT / "bench" / "bare_slack_app.py"), "--confirm"],
                CONFIRMING_NAME,
                env | {"SLACK_API_URL": f"{stub_url}/api/"},
            )
        )
        targets = [
            Target(bare_name, (f"{bare_url}/slack/events",), (bare_pid,)),
            Target(CONFIRMING_NAME, (f"{confirming_url}/slack/events",), (confirming_pid,)),
        ]
        for store, processes in deployments(args):
            targets.append(
                concord_deployment(stack, folder, store, processes, stub, secret, args.log_level)
            )
        rows = run_matrix(
            targets,
            args,
            voter_ids,
            lambda values, users: bodies_for(values, users, hooks),
            lambda target, bodies, connections: measure(target, secret, bodies, connections, stub),
            lambda: settle(stub),
        )
        return Session(rows, stub.calls(), stub.new_updates(), targets)


def concord_deployment(
    stack: ExitStack,
    folder: Path,
    store: str,
    processes: int,
    stub: Stub,
    secret: str,
    log_level: str,
) -> Target:
    """`processes` × `concord serve` on one fresh database (SQLite: one process only),
    with one signing secret, one bot token of their own and one Slack API stub."""
    name = deployment_name(store, processes)
    tag = f"{store}-{processes}"
    if store == "sqlite":
        url = f"sqlite:///{folder / f'{tag}.db'}"
    else:
        url = stack.enter_context(postgres_url())
    token = f"{TOKEN}-{tag}"
    servers = [
        stack.enter_context(
            concord_server(folder / f"{tag}-{n}", url, stub.url, secret, log_level, token)
        )
        for n in range(processes)
    ]
    database = create_engine(url)
    stack.callback(database.dispose)
    polls = ConcordPolls(servers[0], database, stub, secret)
    polls.setup()
    for server in servers:
        print(f"{name}: serving at {server.url}, pid {server.process.pid}", file=sys.stderr)
    return Target(
        name,
        tuple(f"{server.url}/slack/events" for server in servers),
        tuple(server.process.pid for server in servers),
        token,
        polls,
    )


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


def table(rows: list[Row], one_process: Mapping[str, str] | None = None) -> str:
    """One line per app and connection count; `one_process` maps an app (several
    processes on one database, and the one-process app itself) to the one-process app
    it is compared with, in a "vs 1 process" column."""
    bare = {r.connections: r for r in rows if r.app == rows[0].app}
    found = {(r.app, r.connections): r for r in rows}
    scaled = one_process or {}
    column = "vs 1 process | " if scaled else ""
    lines = [
        f"| app | connections | votes/s | min–max | vs bare | {column}p50 (ms) | p99 (ms) "
        "| server CPU (ms/vote) | errors | lost / doubled |",
        "|---|---:|---:|---:|---:|" + "---:|" * (6 if scaled else 5),
    ]
    for r in rows:
        vs_one = ""
        if scaled:
            single = found.get((scaled.get(r.app, ""), r.connections))
            vs_one = f"{r.ratio(single):.2f}× | " if single else "– | "
        lines.append(
            f"| {r.app} | {r.connections} | {r.votes_per_s():,.0f} | {r.spread()} | "
            f"{r.ratio(bare[r.connections]):.2f}× | {vs_one}{r.p(0.5):.1f} | {r.p(0.99):.1f} | "
            f"{r.cpu_ms():.2f} | {r.errors()} | {r.lost_doubled()} |"
        )
    return "\n".join(lines)


def one_process_of(args: argparse.Namespace) -> dict[str, str]:
    """Each PostgreSQL deployment → the one-process one, when several are measured."""
    counts = sorted(set(args.processes))
    if "postgresql" not in args.stores or len(counts) < 2 or counts[0] != 1:
        return {}
    single = deployment_name("postgresql", 1)
    return {deployment_name("postgresql", n): single for n in counts}


def report(session: Session, args: argparse.Namespace, command: str) -> str:
    runs = f"Medians of {args.runs} runs" if args.runs > 1 else "One run"
    scaled = one_process_of(args)
    several = sorted(set(args.processes) - {1})
    processes = ""
    if "postgresql" in args.stores and several:
        n = str(several[0]) if len(several) == 1 else "N"
        named = f"Concord, PostgreSQL, {n} processes"
        processes = f"""

"{named}" is {n} `concord serve` processes on ports of their own sharing one
PostgreSQL schema (the first migrates it, the others wait and find nothing to do), with
one signing secret, one bot token and one Slack API stub, like replicas behind a load
balancer: click k goes to process k mod {n}, over the same connections in all. Its server
CPU is all its processes'."""
        if scaled:
            processes += """ "vs 1 process" is the median of each run's ratio to
the one-process PostgreSQL deployment's run (a schema of its own) just before it."""
    return f"""{args.voters:,} distinct Slack users each click one vote button once: signed
`block_actions` requests (`X-Slack-Signature` over the body) to POST /slack/events, sent
by one aiohttp session allowed that many connections at a time. Concord runs as `concord
serve` (log level {args.log_level}) with its Slack transport, on a fresh database, against
a local Slack Web API stub; every run votes in a new poll with new users, so each run is
{args.voters:,} first votes. The baseline, measured in the same run with the same requests
just before Concord, is a bare slack-bolt `AsyncApp` served by aiohttp
(`bench/bare_slack_app.py`): the same signature verification and single-workspace
authorization, one action listener that only calls `ack()`, run before the response is
sent as Concord's are (`process_before_response`). Concord also tells each clicker
privately that their vote is stored; so, measured beside it, "{CONFIRMING_NAME}" is the
same bare app sending each clicker a one-line confirmation after acknowledging, with
bolt's `respond()` to the click's `response_url`: what any app confirming votes must
do at least, and the most Concord's ratio could reach without dropping them.{processes}

Votes/s is acknowledged (200) clicks over the wall time; latency is from sending a request
to reading its answer. Server CPU is the user + system time of the app's processes (from
`/proc/<pid>/stat`) from the first click until no Slack API call has come for {QUIET_SECONDS:g} s
(longer than the {SLACK_LIMITS.coalesce_seconds:g} s poll-update window, so the last update
is in it), so it includes the private notes Concord sends after acknowledging, over the
clicks sent; PostgreSQL's own processes are not in it.
{runs}; "vs bare" is the median of each run's ratio to the bare app's run just before it;
errors and lost / doubled are totals over the runs. Lost / doubled is read from Concord's
database after each run: a voter without exactly one latest ballot, on the option they
clicked, is lost; a second ballot row or participation for a voter, or a ballot from
someone who did not click, is doubled.
Target: at least 0.6× the bare app's votes/s on SQLite with p99 ≤ 200 ms, nothing lost
or doubled.
The load generator, the stub and the servers share the machine's cores.

{table(session.rows, scaled)}

- calls the Slack stub answered (Web API methods and response URLs), warm-up included:
  {calls_line(session.api_calls)}
- machine: {machine()}
- command: `{command}`
"""


# Poll-message updates under the load


@dataclass(frozen=True)
class Updates:
    """The `chat.update` calls of one deployment (one bot token) over the whole benchmark."""

    app: str
    clicks: int  # in the measured runs
    load_seconds: float  # first click to last answer, summed over the measured runs
    during: int  # updates while clicks were being answered
    after: int  # updates after the last answer of a run, until the stub was quiet
    total: int  # every update it sent, warm-up included
    busiest: int  # the most in any 1 s
    busiest_limit: int  # the most in any UPDATE_LIMIT.seconds
    shortest_gap: float | None  # between two updates of one message

    def within(self, limit: Limit, window: float) -> bool:
        gap_ok = self.shortest_gap is None or self.shortest_gap >= window - GAP_TOLERANCE_SECONDS
        return self.busiest_limit <= limit.count and gap_ok


def most_within(times: list[float], seconds: float) -> int:
    """The most of the (sorted) `times` in any window of `seconds`."""
    most, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= seconds:
            first += 1
        most = max(most, last - first + 1)
    return most


def shortest_gap(seen: list[Seen]) -> float | None:
    """The shortest time between two consecutive updates of one message."""
    by_message: dict[str, list[float]] = defaultdict(list)
    for update in seen:
        by_message[update.where].append(update.at)
    gaps = [
        later - earlier
        for times in by_message.values()
        for earlier, later in zip(sorted(times), sorted(times)[1:], strict=False)
    ]
    return min(gaps, default=None)


def updates_of(target: Target, rows: list[Row], seen: list[Seen]) -> Updates:
    mine = [u for u in seen if u.who == target.token]
    times = sorted(u.at for u in mine)
    outcomes = [o for r in rows if r.app == target.name for o in r.outcomes]
    spans = [o.span for o in outcomes]
    return Updates(
        app=target.name,
        clicks=sum(o.statuses.total() for o in outcomes),
        load_seconds=sum(answered - started for started, answered, _ in spans),
        during=sum(1 for t in times for s, a, _ in spans if s <= t <= a),
        after=sum(1 for t in times for _, a, q in spans if a < t <= q),
        total=len(times),
        busiest=most_within(times, 1.0),
        busiest_limit=most_within(times, UPDATE_LIMIT.seconds),
        shortest_gap=shortest_gap(mine),
    )


def updates_report(session: Session, args: argparse.Namespace, command: str) -> str:
    window = SLACK_LIMITS.coalesce_seconds
    limit = UPDATE_LIMIT
    per = f"{limit.seconds:g} s"
    lines = [
        "| app | clicks | `chat.update` during the load | per s | after the load | total "
        f"| most in any 1 s | most in any {per} | shortest gap, one message (s) "
        "| within the limits |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for target in session.targets:
        if target.polls is None:
            continue
        u = updates_of(target, session.rows, session.updates)
        rate = u.during / u.load_seconds if u.load_seconds else 0.0
        gap = "–" if u.shortest_gap is None else f"{u.shortest_gap:.2f}"
        lines.append(
            f"| {u.app} | {u.clicks:,} | {u.during} | {rate:.2f} | {u.after} | {u.total} | "
            f"{u.busiest} | {u.busiest_limit} | {gap} | "
            f"{'yes' if u.within(limit, window) else '**no**'} |"
        )
    return f"""The poll-message updates (`chat.update`) each Concord deployment of "Slack vote
clicks" sent while its clicks were being answered ("during the load", and per second of
it) and from its last answer until the stub had been quiet for {QUIET_SECONDS:g} s ("after the
load"), summed over its measured runs ({args.runs} per connection count); "total" counts
the warm-up too. Every run votes in a new poll, a new message, whose first update goes
out at once; later ones wait out the window. Each deployment calls Slack with a bot token
of its own, as one app installed in one workspace, and the stub stamps each update it
accepts with the machine's monotonic clock and the token; "2 processes" is one
deployment. The windows
slide over all of a deployment's updates in the order they came, warm-up included, so a
{per} window can span several of its runs (the other apps' runs come between them).

Slack's limits as Concord declares them (`adapters/slack/port.py`, `SLACK_LIMITS`):
`chat.update` {limit.count} per {per} per workspace (a token bucket kept in the database
and shared by every process: a burst of {limit.count}, then {limit.count} per {per}), and
each poll message re-rendered at most once per {window:g} s per channel, always with the
latest counts. "Within the limits": at most {limit.count} updates in any {per}, and no two
updates of one message closer than {window:g} s (less {GAP_TOLERANCE_SECONDS:g} s for the
jitter of two HTTP calls).

{chr(10).join(lines)}

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
    parser.add_argument(
        "--processes",
        type=int,
        nargs="+",
        default=[1, 2],
        help="how many concord serve processes share one PostgreSQL database (SQLite: 1)",
    )
    args = parser.parse_args()
    session = run(args)
    command = command_line()
    body = report(session, args, command)
    write_section("Slack vote clicks", body, args.output)
    print(body)
    if any(target.polls for target in session.targets):
        body = updates_report(session, args, command)
        write_section("Slack poll-message updates under load", body, args.output)
        print(body)


if __name__ == "__main__":
    main()
