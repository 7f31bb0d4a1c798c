"""Teams vote submits: 1,000 distinct Teams users each click one vote button once, 20 and
50 at a time, against `concord serve` (POST /api/messages, on SQLite and on PostgreSQL)
and, in the same run with identical requests, against a bare botbuilder bot that only
answers (bench/bare_teams_bot.py). Then the cross-platform live-update latency: one
collaborative spanning a Slack channel and a Teams channel, one vote at a time, timed
until both channels' poll messages show the new total.

Every vote is the activity Teams sends for an `Action.Execute` click in a channel: an
`adaptiveCard/action` invoke whose `action.data` is the button's data (`{"action":
"vote:<poll>:<option>", "view": "poll:<poll>"}`), from a user of its own
(tests/stand_ins/teams_activities.py builds it). The bare bot answers each with an empty
HTTP 200 invoke response. Concord runs with no MICROSOFT_APP_ID and
CONCORD_TEAMS_LOCAL=true, so it checks no token and calls only a `serviceUrl` on this
machine; the activities' `serviceUrl` is a local Bot Connector
(tests/stand_ins/teams_connector.py, in its own process), which answers Concord's private
notes (a 1:1 chat opened, then a message), posts and live updates. Reports votes per second
(2xx answers / wall time), p50/p99 of request → answer latency, non-2xx answers, server CPU
per vote, the connector calls each app made during the votes (per vote, and the live
updates apart) and whether Concord meets issue 17's target, and reads the database
afterwards as bench/slack_votes.py does: every voter has exactly one latest ballot, on
the option they clicked, and one participation.

    .venv/bin/python -m bench.teams_votes [--voters 1000] [--connections 20 50] [--runs 2]
        [--stores sqlite postgresql] [--cross-votes 30] [--log-level INFO]
        [--output docs/benchmarks.md]

`--stores` with no store measures the bare bot alone; `--cross-votes 0` skips the
cross-platform part. Everything listens on 127.0.0.1; PostgreSQL (127.0.0.1:5432,
database `test`) gets a schema of its own, dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from adapters.slack.port import SLACK_LIMITS
from adapters.teams.port import TEAMS_LIMITS
from bench.load import RECORDING, Seen, Stub, latest_ballots, percentile, post, send_all
from bench.load import settle as load_settle
from bench.report import command_line, machine, write_section
from bench.slack_votes import (
    OPTIONS,
    SHARES,
    SLACK_STUB_APP,
    Check,
    ConcordPolls,
    Outcome,
    Row,
    calls_line,
    command_body,
    concord_server,
    cpu_seconds,
    expected_counts,
    postgres_url,
    run_matrix,
    spawned,
    table,
    vote_arguments,
    vote_body,
)
from tests.stand_ins import teams_activities as teams
from tests.stand_ins.slack_signing import signed_headers
from tests.support.paths import REPO
from tests.support.processes import Server

ROOT = REPO

# Longer than Teams' 2 s update window: the last live update of a burst is held that
# long after the one before, and belongs to the run that caused it.
QUIET_SECONDS = TEAMS_LIMITS.coalesce_seconds + 0.5
SETTLE_DEADLINE_SECONDS = 120.0
POSTED_DEADLINE_SECONDS = 15.0
UPDATED_DEADLINE_SECONDS = 20.0
POLL_INTERVAL_SECONDS = 0.01
SPACING_MARGIN_SECONDS = 0.5  # "spaced" votes: this long past Slack's update window
JSON = {"Content-Type": "application/json"}
LINK_CODE = re.compile(r"Link code: ([A-Z0-9]{3}-[A-Z0-9]{3})")

# The Bot Connector stub in a process of its own (bench/load.py's RECORDING: GET /calls,
# GET /updates); the Slack one is bench/slack_votes.py's.
TEAMS_STUB_APP = (
    RECORDING
    + """
from tests.stand_ins.teams_connector import TeamsConnectorStub

class Connector(TeamsConnectorStub):
    def _answer(self, request, call, answer):
        response = super()._answer(request, call, answer)
        if call.kind == "update" and call.ok:
            record(call.conversation_id, call.body)
        return response

stub = Connector()

def kind(call):
    private = " (1:1 chat)" if call.conversation_id.startswith("a:chat-") else ""
    return call.kind + private + ("" if call.ok else " (refused)")

async def calls(request):
    with stub._lock:
        return web.json_response(Counter(kind(call) for call in stub.calls))

serve(stub.app(), calls)
"""
)


@dataclass
class TeamsOutcome(Outcome):
    """A load run, where any 2xx is an answered vote, and the connector calls the app made
    from its first vote until it was quiet again, by kind (`TEAMS_STUB_APP`'s `kind`)."""

    connector_calls: Counter[str] = field(default_factory=Counter)

    @property
    def acknowledged(self) -> int:
        return sum(n for status, n in self.statuses.items() if status.startswith("2"))

    @property
    def updates(self) -> int:
        """The live updates of the poll message: at most one per 2 s, not one per vote."""
        return self.connector_calls["update"]

    @property
    def calls_per_vote(self) -> float:
        """Every other connector call (a post, a 1:1 chat opened, a note sent) per vote."""
        others = self.connector_calls.total() - self.updates
        return others / sum(self.statuses.values())


def settle(*stubs: Stub) -> None:
    """Wait until no stub has had a call for longer than Teams' update window."""
    load_settle(QUIET_SECONDS, SETTLE_DEADLINE_SECONDS, *stubs)


def wait_until(ready: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + POSTED_DEADLINE_SECONDS
    while not ready():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not happen within {POSTED_DEADLINE_SECONDS}s")
        time.sleep(0.05)


# Activities, as Teams sends them


def aad_id(prefix: str, n: int) -> str:
    """An Entra object id, as Teams sends it in `from.aadObjectId`: voter n of a run."""
    return f"{n:08d}-0000-4000-8000-{prefix.encode().hex()[-12:]:0>12}"


def aad_ids(prefix: str, voters: int) -> list[str]:
    return [aad_id(prefix, n) for n in range(voters)]


def vote_activity(service_url: str, value: str, aad: str) -> str:
    """The `adaptiveCard/action` invoke of voter `aad` clicking the button `value`
    ("vote:<poll>:<option>"), which asks for that poll's view back."""
    person = {"id": f"29:bench-{aad}", "name": f"Voter {aad[:8]}", "aadObjectId": aad}
    poll_id = value.split(":")[1]
    data = {"action": value, "view": f"poll:{poll_id}"}
    return json.dumps(teams.execute(service_url, data, **{"from": person}))


def no_headers(body: str) -> dict[str, str]:
    return JSON


class TeamsPolls:
    """Polls in one Teams channel of a running Concord, and what its database holds."""

    def __init__(self, concord_url: str, database: Engine, stub: Stub) -> None:
        self.messages = f"{concord_url}/api/messages"
        self.database = database
        self.stub = stub
        self.service_url = f"{stub.url}/"

    def say(self, words: str) -> None:
        activity = json.dumps(teams.message(self.service_url, words))
        status, body = post(self.messages, activity, JSON)
        if status != 201:
            raise RuntimeError(f"/api/messages answered {words!r} with {status}: {body[:200]!r}")

    def setup(self) -> None:
        self.say('setup "Bench"')

    def new_poll(self, question: str) -> list[str]:
        """The vote button values of a new single-choice poll, once Teams has the message."""
        posted = self.stub.calls()["send"]
        self.say(f'poll "{question}" ' + " ".join(f'"{o}"' for o in OPTIONS))
        values = poll_values(self.database, question)
        wait_until(lambda: self.stub.calls()["send"] > posted, f"posting {question!r} to Teams")
        return values

    def check(self, values: list[str], users: list[str]) -> Check:
        clicked = {user: SHARES[n % len(SHARES)] for n, user in enumerate(users)}
        poll_id = int(values[0].split(":")[1])
        found = latest_ballots(self.database, poll_id, clicked, "teams", len(OPTIONS))
        return Check(found.lost, found.doubled, found.counts, expected_counts(len(users)))


def poll_values(database: Engine, question: str) -> list[str]:
    with database.connect() as connection:
        poll_id = connection.execute(
            text("SELECT id FROM poll WHERE question = :q"), {"q": question}
        ).scalar_one()
        option_ids = connection.execute(
            text("SELECT id FROM polloption WHERE poll_id = :p ORDER BY position"),
            {"p": poll_id},
        ).scalars()
        return [f"vote:{poll_id}:{option}" for option in option_ids]


@contextmanager
def teams_server(folder: Path, database_url: str, log_level: str) -> Iterator[Server]:
    """`concord serve` with Teams only, in local mode: no Slack settings, no Microsoft app id."""
    server = Server(
        folder,
        database_url,
        CONCORD_TEAMS_LOCAL="true",
        CONCORD_PLAYGROUND="false",
        CONCORD_LOG_LEVEL=log_level,
    )
    try:
        server.wait_until_healthy()
        yield server
    finally:
        server.stop()


# The load


@dataclass(frozen=True)
class Target:
    name: str
    messages: str
    pid: int
    polls: TeamsPolls | None = None


def bodies_for(service_url: str, values: list[str], users: list[str]) -> list[str]:
    return [
        vote_activity(service_url, values[SHARES[n % len(SHARES)]], user)
        for n, user in enumerate(users)
    ]


def measure(target: Target, bodies: list[str], connections: int, stub: Stub) -> TeamsOutcome:
    calls_before = stub.calls()
    before = cpu_seconds(target.pid)
    outcome = send_all(target.messages, bodies, connections, no_headers, TeamsOutcome(0.0, []))
    settle(stub)
    outcome.cpu_seconds = cpu_seconds(target.pid) - before
    outcome.connector_calls = stub.calls() - calls_before
    return outcome


def run_votes(args: argparse.Namespace) -> tuple[list[Row], Counter[str]]:
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="concord-bench-")))
        stub_url, _ = stack.enter_context(
            spawned([sys.executable, "-c", TEAMS_STUB_APP], "Bot Connector stub")
        )
        stub = Stub(stub_url, "Bot Connector stub")
        service_url = f"{stub_url}/"
        bare_name = "bare botbuilder bot (baseline)"
        bare_url, bare_pid = stack.enter_context(
            spawned([sys.executable, str(ROOT / "bench" / "bare_teams_bot.py")], bare_name)
        )
        targets = [Target(bare_name, f"{bare_url}/api/messages", bare_pid)]
        for store in args.stores:
            if store == "sqlite":
                url, name = f"sqlite:///{folder / 'concord.db'}", "Concord, SQLite"
            else:
                url, name = stack.enter_context(postgres_url()), "Concord, PostgreSQL"
            server = stack.enter_context(teams_server(folder / store, url, args.log_level))
            database = create_engine(url)
            stack.callback(database.dispose)
            polls = TeamsPolls(server.url, database, stub)
            polls.setup()
            targets.append(Target(name, polls.messages, server.process.pid, polls))
            print(f"{name}: serving at {server.url}, pid {server.process.pid}", file=sys.stderr)
        rows = run_matrix(
            targets,
            args,
            aad_ids,
            lambda values, users: bodies_for(service_url, values, users),
            lambda target, bodies, connections: measure(target, bodies, connections, stub),
            lambda: settle(stub),
        )
        calls = stub.calls()
    return rows, calls


# Cross-platform: one vote at a time, until both channels show it


@dataclass(frozen=True)
class Sample:
    """One vote: seconds from sending it to its answer and to each channel's update."""

    platform: str
    answered: float
    slack: float | None
    teams: float | None

    @property
    def both(self) -> float | None:
        if self.slack is None or self.teams is None:
            return None
        return max(self.slack, self.teams)


@dataclass
class Mode:
    name: str
    pause: str
    samples: list[Sample] = field(default_factory=list)

    def p(self, pick: Callable[[Sample], float | None], fraction: float) -> str:
        values = [v for v in map(pick, self.samples) if v is not None]
        return f"{percentile(values, fraction) * 1000:,.0f}" if values else "–"

    def missed(self) -> int:
        return sum(1 for s in self.samples if s.both is None)


class CrossPlatform:
    """A collaborative over a Slack channel and a Teams channel of one Concord."""

    def __init__(
        self, slack: ConcordPolls, teams_polls: TeamsPolls, slack_stub: Stub, teams_stub: Stub
    ) -> None:
        self.slack = slack
        self.teams = teams_polls
        self.slack_stub = slack_stub
        self.teams_stub = teams_stub

    def link(self) -> None:
        """`link` in Slack (the code is in the command's ephemeral answer), then
        `link CODE` in the Teams channel."""
        self.slack.setup()
        body = command_body("link", self.slack.hooks)
        status, answer = post(
            self.slack.events, body, signed_headers(body, secret=self.slack.secret)
        )
        found = LINK_CODE.search(answer.decode())
        if status != 200 or found is None:
            raise RuntimeError(f"`link` in Slack answered {status}: {answer[:300]!r}")
        self.teams.say(f"link {found.group(1)}")
        with self.teams.database.connect() as connection:
            linked = connection.execute(
                text("SELECT count(DISTINCT platform) FROM channel WHERE collaborative_id = 1")
            ).scalar_one()
        if linked != 2:
            raise RuntimeError("the Teams channel did not join the Slack channel's collaborative")

    def new_poll(self, question: str) -> list[str]:
        """A poll typed in Slack, once both channels have its message."""
        settle(self.slack_stub, self.teams_stub)
        posted = self.teams_stub.calls()["send"]
        values = self.slack.new_poll(question)
        wait_until(lambda: self.teams_stub.calls()["send"] > posted, f"posting {question!r}")
        return values

    def vote(self, n: int, values: list[str], tag: str) -> Sample:
        """Vote n (the poll's nth voter), by a new person on Slack (even n) or Teams (odd)."""
        value = values[SHARES[n % len(SHARES)]]
        self.slack_stub.new_updates()
        self.teams_stub.new_updates()
        if n % 2 == 0:
            platform, url = "Slack", self.slack.events
            body = vote_body(value, f"UX{tag}{n:04d}", self.slack.hooks)
            headers = signed_headers(body, secret=self.slack.secret)
        else:
            platform, url = "Teams", self.teams.messages
            body, headers = vote_activity(self.teams.service_url, value, aad_id(tag, n)), JSON
        total = n + 1
        started = time.monotonic()
        status, _ = post(url, body, headers)
        answered = time.monotonic() - started
        if status >= 300:
            raise RuntimeError(f"the {platform} vote was answered {status}")
        slack_at = teams_at = None
        deadline = started + UPDATED_DEADLINE_SECONDS
        while (slack_at is None or teams_at is None) and time.monotonic() < deadline:
            slack_at = slack_at or _showing(self.slack_stub.new_updates(), total)
            teams_at = teams_at or _showing(self.teams_stub.new_updates(), total)
            time.sleep(POLL_INTERVAL_SECONDS)
        return Sample(
            platform,
            answered,
            None if slack_at is None else slack_at - started,
            None if teams_at is None else teams_at - started,
        )


def _showing(updates: list[Seen], total: int) -> float | None:
    return next((u.at for u in updates if total in u.totals), None)


def run_cross(args: argparse.Namespace) -> list[Mode]:
    secret = secrets.token_hex(16)
    spacing = SLACK_LIMITS.coalesce_seconds + SPACING_MARGIN_SECONDS
    modes = [
        Mode("back to back", "the next vote as soon as both updates have arrived"),
        Mode("spaced", f"{spacing:g} s after the previous vote's last update"),
    ]
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="concord-bench-")))
        slack_url, _ = stack.enter_context(
            spawned([sys.executable, "-c", SLACK_STUB_APP], "Slack API stub")
        )
        teams_url, _ = stack.enter_context(
            spawned([sys.executable, "-c", TEAMS_STUB_APP], "Bot Connector stub")
        )
        slack_stub, teams_stub = Stub(slack_url, "Slack API stub"), Stub(teams_url, "connector")
        url = f"sqlite:///{folder / 'cross.db'}"
        server = stack.enter_context(
            concord_server(folder / "cross", url, slack_url, secret, args.log_level)
        )
        database = create_engine(url)
        stack.callback(database.dispose)
        cross = CrossPlatform(
            ConcordPolls(server, database, slack_stub, secret),
            TeamsPolls(server.url, database, teams_stub),
            slack_stub,
            teams_stub,
        )
        cross.link()
        for number, mode in enumerate(modes):
            values = cross.new_poll(f"Both? ({mode.name})")
            time.sleep(spacing)  # the post is the message's first render: its window passes
            last = time.monotonic()
            for n in range(args.cross_votes):
                if mode.name == "spaced":
                    time.sleep(max(0.0, last + spacing - time.monotonic()))
                sample = cross.vote(n, values, f"X{number}")
                mode.samples.append(sample)
                last = time.monotonic()
                print(
                    f"{mode.name}: vote {n + 1} on {sample.platform}: answered "
                    f"{sample.answered * 1000:.0f} ms, Slack {_ms(sample.slack)}, "
                    f"Teams {_ms(sample.teams)}",
                    file=sys.stderr,
                )
    return modes


def _ms(seconds: float | None) -> str:
    return "not updated" if seconds is None else f"{seconds * 1000:.0f} ms"


# The report


# Issue 17's target for Concord's invoke votes, against the bare bot of the same run.
TARGET_RATIO = 1.0
TARGET_P99_MS = 300.0


def teams_outcomes(row: Row) -> list[TeamsOutcome]:
    return [o for o in row.outcomes if isinstance(o, TeamsOutcome)]


def calls_table(rows: list[Row]) -> str:
    """Each app's connector calls during its votes: per vote, and the live updates apart."""
    lines = [
        "| app | connections | connector calls per vote | live updates per run |",
        "|---|---:|---:|---:|",
    ]
    for r in rows:
        outcomes = teams_outcomes(r)
        per_vote = statistics.median(o.calls_per_vote for o in outcomes)
        updates = statistics.median(o.updates for o in outcomes)
        lines.append(f"| {r.app} | {r.connections} | {per_vote:.2f} | {updates:g} |")
    return "\n".join(lines)


def target_lines(rows: list[Row]) -> str:
    """For each Concord row: the target met, or what misses it."""
    bare = {r.connections: r for r in rows if r.app == rows[0].app}
    lines = []
    for r in rows:
        if r is bare[r.connections]:
            continue
        misses = []
        ratio = r.ratio(bare[r.connections])
        if ratio < TARGET_RATIO:
            misses.append(f"{ratio:.2f}× the bare bot")
        if r.p(0.99) > TARGET_P99_MS:
            misses.append(f"p99 {r.p(0.99):,.0f} ms")
        if r.errors() or r.lost_doubled() != "0 / 0":
            misses.append(f"{r.errors()} errors, lost / doubled {r.lost_doubled()}")
        calls = statistics.median(o.calls_per_vote for o in teams_outcomes(r))
        if calls:
            misses.append(f"{calls:.2f} connector calls per vote")
        verdict = "met" if not misses else "not met: " + ", ".join(misses)
        lines.append(f"- {r.app}, {r.connections} connections: {verdict}")
    return "\n".join(lines)


def votes_report(
    rows: list[Row], calls: Counter[str], args: argparse.Namespace, command: str
) -> str:
    runs = f"Medians of {args.runs} runs" if args.runs > 1 else "One run"
    return f"""Target (issue 17): Concord's invoke votes at least {TARGET_RATIO:.1f}× the bare
botbuilder bot's votes/s in the same run, at 20 and at 50 connections, with p99 ≤
{TARGET_P99_MS:g} ms, 0 errors, 0 lost and 0 doubled, and no connector call per vote.

{args.voters:,} distinct Teams users each click one vote button once: the
`adaptiveCard/action` invoke Teams sends for an `Action.Execute` click in a team channel
(`value.action.data: {{"action": "vote:<poll>:<option>", "view": "poll:<poll>"}}`, each
from its own `from.id` and `aadObjectId`) to POST /api/messages, sent by one aiohttp
session allowed that many connections at a time. Concord runs as `concord serve` (log
level {args.log_level}, `CONCORD_PLAYGROUND=false`, no Slack settings, no
`MICROSOFT_APP_ID`, `CONCORD_TEAMS_LOCAL=true`: botbuilder checks no token) on a fresh
database; the activities' `serviceUrl` is a local Bot Connector stub in its own process.
Every run votes in a new poll with new users, so each run is {args.voters:,} first votes.
Each vote is committed before it is answered, and answered in the invoke response itself
(what Teams shows the voter), with no message to the voter's 1:1 chat; the live update
of the channel's poll message goes through the outbox, at most one per 2 s, and is not a
call per vote.
The baseline, measured in the same run with the same requests just before Concord, is a
bare botbuilder `CloudAdapter` behind a plain aiohttp app (`bench/bare_teams_bot.py`):
the same `ConfigurationBotFrameworkAuthentication` without an app id, a bot whose
`on_turn` answers an invoke with an empty HTTP 200 invoke response and does nothing else.
botbuilder's `CloudAdapter` makes a connector client and a user-token client for every
turn, each an msrest client whose configuration builds a `ClientRetryPolicy` (999 status
codes, each looked up in a 500-item list): about 7 ms of CPU a turn here (a
micro-benchmark of the two `create` calls: 6.7–7.1 ms, against 0.04 ms for the kept
clients), which the bare bot pays and Concord, which makes them once per Bot Connector
(`adapters/teams/botbuilder/connectors.py`), does not.

Votes/s is 2xx answers over the wall time; latency is from sending a request to reading
its answer. Server CPU is the user + system time of the app's process (from
`/proc/<pid>/stat`) from its first vote until the connector stub has had no call for
{QUIET_SECONDS:g} s (longer than Teams' 2 s update window, so the last live update is in
it), over the votes sent; PostgreSQL's own processes are not in it.
{runs}; "vs bare" is the median of each run's ratio to the bare bot's run just before it;
errors and lost / doubled are totals over the runs. Lost / doubled is read from Concord's
database after each run: a voter without exactly one latest ballot, on the option they
clicked, is lost; a second ballot row or participation for a voter, or a ballot from
someone who did not click, is doubled.
The load generator, the stub and the servers share the machine's cores, with whatever
else runs on it (the load average below): the bare bot is one thread, and on a busy
machine gets less of it than Concord, whose database work runs in worker threads.

{table(rows)}

Connector calls each app made from its first vote until the stub was quiet
({runs.lower()}); every call but the live updates counts per vote.

{calls_table(rows)}

{target_lines(rows)}

- calls the Bot Connector stub answered, warm-up included: {calls_line(calls)}
- load average (1, 5, 15 min) when the votes ended, this benchmark's own processes
  included: {", ".join(f"{n:.1f}" for n in os.getloadavg())}
- machine: {machine()}
- command: `{command}`
"""


def cross_report(modes: list[Mode], args: argparse.Namespace, command: str) -> str:
    lines = [
        "| mode | votes | vote → Slack updated p50 / p99 (ms) | vote → Teams updated p50 / p99 "
        "(ms) | vote → both updated p50 / p99 (ms) | vote answered p50 (ms) | not updated |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for m in modes:
        lines.append(
            f"| {m.name} | {len(m.samples)} | {m.p(lambda s: s.slack, 0.5)} / "
            f"{m.p(lambda s: s.slack, 0.99)} | {m.p(lambda s: s.teams, 0.5)} / "
            f"{m.p(lambda s: s.teams, 0.99)} | {m.p(lambda s: s.both, 0.5)} / "
            f"{m.p(lambda s: s.both, 0.99)} | {m.p(lambda s: s.answered, 0.5)} | {m.missed()} |"
        )
    pauses = "; ".join(f"{m.name}: {m.pause}" for m in modes)
    slack_window, teams_window = SLACK_LIMITS.coalesce_seconds, TEAMS_LIMITS.coalesce_seconds
    spacing = slack_window + SPACING_MARGIN_SECONDS
    return f"""One collaborative spanning a Slack channel and a Teams channel of one `concord
serve` (SQLite, log level {args.log_level}; Slack configured with a signing secret and
`SLACK_BOT_TOKEN` against a local Slack Web API stub, Teams with no app id against a local
Bot Connector stub, each stub in its own process): `setup` and `link` typed in Slack, the
code from `link`'s answer typed as `link CODE` in the Teams channel, then one
single-choice poll typed in Slack and posted to both channels. {args.cross_votes} votes, one
at a time, each by a new person, alternately a signed Slack click and a Teams
`Action.Execute` invoke. Each is timed from sending it until the Slack stub has
accepted a `chat.update` and the connector stub a PUT of the poll message that shows the
new total ("N people voted"); the stubs stamp each update as it arrives with the
machine's monotonic clock, which the load generator reads too, so polling them adds
nothing to the figures. A new poll for each mode; {pauses}. With {args.cross_votes} votes
p99 is the second-slowest.

Concord coalesces live updates: a message rendered less than its platform's window ago
({slack_window:g} s for Slack, whose `chat.update` is rate-limited per workspace;
{teams_window:g} s for Teams, per message) is updated only once that window has passed,
with every vote that came meanwhile. Back to back, each vote goes just after the Slack
message's last render, so the Slack side waits out nearly all of its {slack_window:g} s and
"both" is that window; the Teams message was last rendered about {slack_window:g} s before,
longer than its {teams_window:g} s window, so it is mostly updated at once. Spaced further
apart than both windows (and the first vote of each poll, {spacing:g} s after the poll was
posted), nothing waits, and the figures are the path itself: the vote's commit, the
outbox dispatcher waking, one claim, the render and the two platform calls.

{chr(10).join(lines)}

- machine: {machine()}
- command: `{command}`
"""


def main() -> None:
    parser = vote_arguments(__doc__.splitlines()[0])
    parser.add_argument("--cross-votes", type=int, default=30, help="0 skips the cross part")
    args = parser.parse_args()
    command = command_line()
    if args.voters > 0:
        rows, calls = run_votes(args)
        body = votes_report(rows, calls, args, command)
        write_section("Teams vote submits", body, args.output)
        print(body)
    if args.cross_votes > 0:
        modes = run_cross(args)
        body = cross_report(modes, args, command)
        write_section("Cross-platform live updates", body, args.output)
        print(body)


if __name__ == "__main__":
    main()
