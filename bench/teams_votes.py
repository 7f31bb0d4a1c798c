"""Teams vote submits on both Teams transports: 1,000 distinct Teams users each click one
vote button once, 20 and 50 at a time, against `concord serve` (POST /api/messages, on
SQLite and on PostgreSQL) with CONCORD_TEAMS_SDK=botbuilder and with
CONCORD_TEAMS_SDK=agents, and, in the same run with identical requests, against a bare
botbuilder bot (bench/bare_teams_bot.py) and a bare Microsoft 365 Agents SDK bot
(bench/bare_agents_bot.py) that only answer. Then the cross-platform live-update latency
(bench/teams_cross.py).

Every vote is the activity Teams sends for an `Action.Execute` click in a channel: an
`adaptiveCard/action` invoke whose `action.data` is the button's data (`{"action":
"vote:<poll>:<option>", "view": "poll:<poll>"}`), from a user of its own
(tests/stand_ins/teams_activities.py builds it). The bare bots answer each with an empty
HTTP 200 invoke response. Concord runs with no MICROSOFT_APP_ID and
CONCORD_TEAMS_LOCAL=true, so it checks no token and calls only a `serviceUrl` on this
machine; the activities' `serviceUrl` is a local Bot Connector
(tests/stand_ins/teams_connector.py, in its own process), which answers Concord's private
notes (a 1:1 chat opened, then a message), posts and live updates. Reports votes per second
(2xx answers / wall time), p50/p99 of request → answer latency, non-2xx answers, server CPU
per vote, the connector calls each app made during the votes (per vote, and the live
updates apart) and whether Concord meets issue 17's target against the bare bot of its own
SDK, and reads the database afterwards as bench/slack_votes.py does: every voter has
exactly one latest ballot, on the option they clicked, and one participation.

    .venv/bin/python -m bench.teams_votes [--voters 1000] [--connections 20 50] [--runs 2]
        [--stores sqlite postgresql] [--sdks botbuilder agents] [--cross-votes 30]
        [--log-level INFO] [--output docs/benchmarks.md]

`--stores` with no store measures the bare bots alone; `--cross-votes 0` skips the
cross-platform part. Everything listens on 127.0.0.1; PostgreSQL (127.0.0.1:5432,
database `test`) gets a schema of its own for each Concord, dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine

from bench.load import Stub, send_all
from bench.report import command_line, machine, write_section
from bench.slack_votes import (
    SHARES,
    Row,
    calls_line,
    cpu_seconds,
    postgres_url,
    run_matrix,
    spawned,
    table,
    vote_arguments,
)
from bench.teams_cross import cross_report, run_cross
from bench.teams_load import (
    QUIET_SECONDS,
    TEAMS_STUB_APP,
    TeamsOutcome,
    TeamsPolls,
    aad_ids,
    no_headers,
    settle,
    teams_server,
    teams_server_name,
    vote_activity,
)

SDKS = ("botbuilder", "agents")
# Each transport's baseline: the bare bot on the same SDK, and the module that serves it.
BARE_BOTS = {
    "botbuilder": ("bare botbuilder bot", "bench.bare_teams_bot"),
    "agents": ("bare Agents SDK bot", "bench.bare_agents_bot"),
}
STORE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True)
class Target:
    name: str
    sdk: str
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


def targets_on(
    sdk: str, stack: ExitStack, folder: Path, args: argparse.Namespace, stub: Stub
) -> list[Target]:
    """The bare bot of `sdk`, then Concord on `sdk` with each store, each on a fresh
    database, serving and set up."""
    bare_name, module = BARE_BOTS[sdk]
    bare_url, bare_pid = stack.enter_context(spawned([sys.executable, "-m", module], bare_name))
    targets = [Target(bare_name, sdk, f"{bare_url}/api/messages", bare_pid)]
    for store in args.stores:
        if store == "sqlite":
            url = f"sqlite:///{folder / f'concord-{sdk}.db'}"
        else:
            url = stack.enter_context(postgres_url())
        name = f"{teams_server_name(sdk)}, {STORE_NAMES[store]}"
        server = stack.enter_context(
            teams_server(folder / f"{store}-{sdk}", url, args.log_level, sdk)
        )
        database = create_engine(url)
        stack.callback(database.dispose)
        polls = TeamsPolls(server.url, database, stub)
        polls.setup()
        targets.append(Target(name, sdk, polls.messages, server.process.pid, polls))
        print(f"{name}: serving at {server.url}, pid {server.process.pid}", file=sys.stderr)
    return targets


def run_votes(args: argparse.Namespace) -> tuple[dict[str, list[Row]], Counter[str]]:
    """Every app on every transport in one run: each SDK's rows, its bare bot's first."""
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="concord-bench-")))
        stub_url, _ = stack.enter_context(
            spawned([sys.executable, "-c", TEAMS_STUB_APP], "Bot Connector stub")
        )
        stub = Stub(stub_url, "Bot Connector stub")
        service_url = f"{stub_url}/"
        targets = [t for sdk in args.sdks for t in targets_on(sdk, stack, folder, args, stub)]
        rows = run_matrix(
            targets,
            args,
            aad_ids,
            lambda values, users: bodies_for(service_url, values, users),
            lambda target, bodies, connections: measure(target, bodies, connections, stub),
            lambda: settle(stub),
        )
        calls = stub.calls()
    sdk_of = {t.name: t.sdk for t in targets}
    return {sdk: [r for r in rows if sdk_of[r.app] == sdk] for sdk in args.sdks}, calls


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
    """For each Concord row: the target met against the bare bot of its SDK (the first of
    `rows`), or what misses it."""
    bare = {r.connections: r for r in rows if r.app == rows[0].app}
    lines = []
    for r in rows:
        if r is bare[r.connections]:
            continue
        misses = []
        ratio = r.ratio(bare[r.connections])
        if ratio < TARGET_RATIO:
            misses.append(f"{ratio:.2f}× the {rows[0].app}")
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


def across_transports(by_sdk: dict[str, list[Row]]) -> str:
    """Each agents row against the botbuilder row of the same app and connections: the
    median of each run's votes/s ratio, and CPU per vote side by side."""
    if set(by_sdk) != set(SDKS):
        return "(one transport measured: nothing to compare)"
    twins = {(_kind(r.app), r.connections): r for r in by_sdk["botbuilder"]}
    lines = [
        "| app | connections | votes/s agents ÷ botbuilder | CPU ms/vote botbuilder → agents |",
        "|---|---:|---:|---:|",
    ]
    for r in by_sdk["agents"]:
        twin = twins[(_kind(r.app), r.connections)]
        lines.append(
            f"| {_kind(r.app)} | {r.connections} | {r.ratio(twin):.2f}× | "
            f"{twin.cpu_ms():.2f} → {r.cpu_ms():.2f} |"
        )
    return "\n".join(lines)


def _kind(app: str) -> str:
    """What an app is whichever SDK it runs on: "bare bot", or "Concord, SQLite"."""
    return "bare bot" if app.startswith("bare ") else "Concord, " + app.rpartition(", ")[2]


def sdk_sections(by_sdk: dict[str, list[Row]], runs: str) -> str:
    parts = []
    for sdk, rows in by_sdk.items():
        parts.append(f"""**{teams_server_name(sdk)}** (CONCORD_TEAMS_SDK={sdk}), against the
{rows[0].app}:

{table(rows)}

Connector calls each app made from its first vote until the stub was quiet
({runs.lower()}); every call but the live updates counts per vote.

{calls_table(rows)}

{target_lines(rows)}
""")
    return "\n".join(parts)


def votes_report(
    by_sdk: dict[str, list[Row]], calls: Counter[str], args: argparse.Namespace, command: str
) -> str:
    runs = f"Medians of {args.runs} runs" if args.runs > 1 else "One run"
    return f"""Target (issue 17, and issue 23 for the second transport): Concord's invoke votes
at least {TARGET_RATIO:.1f}× the votes/s of the bare bot on the same SDK in the same run,
at 20 and at 50 connections, with p99 ≤ {TARGET_P99_MS:g} ms, 0 errors, 0 lost and 0
doubled, and no connector call per vote.

{args.voters:,} distinct Teams users each click one vote button once: the
`adaptiveCard/action` invoke Teams sends for an `Action.Execute` click in a team channel
(`value.action.data: {{"action": "vote:<poll>:<option>", "view": "poll:<poll>"}}`, each
from its own `from.id` and `aadObjectId`) to POST /api/messages, sent by one aiohttp
session allowed that many connections at a time. Concord runs as `concord serve` (log
level {args.log_level}, `CONCORD_PLAYGROUND=false`, no Slack settings, no
`MICROSOFT_APP_ID`, `CONCORD_TEAMS_LOCAL=true`: no token is checked), once per transport
(`CONCORD_TEAMS_SDK`) and store, each on a fresh database; the activities' `serviceUrl` is
one local Bot Connector stub in its own process. Every run votes in a new poll with new
users, so each run is {args.voters:,} first votes. Each vote is committed before it is
answered, and answered in the invoke response itself (what Teams shows the voter), with no
message to the voter's 1:1 chat; the live update of the channel's poll message goes
through the outbox, at most one per 2 s, and is not a call per vote.

The baselines, measured in the same run with the same requests just before Concord on
their SDK, are two bots that only answer: each answers an invoke with an empty HTTP 200
invoke response and does nothing else.
- The bare botbuilder bot (`bench/bare_teams_bot.py`): botbuilder's `CloudAdapter` behind
  a plain aiohttp app, with the `ConfigurationBotFrameworkAuthentication` Concord builds
  without an app id. botbuilder's `CloudAdapter` makes a connector client and a user-token
  client for every turn, each an msrest client whose configuration builds a
  `ClientRetryPolicy` (999 status codes, each looked up in a 500-item list): about 7 ms of
  CPU a turn (a micro-benchmark of the two `create` calls: 6.7–7.1 ms, against 0.04 ms for
  the kept clients), which the bare bot pays and Concord, which makes them once per Bot
  Connector, does not.
- The bare Agents SDK bot (`bench/bare_agents_bot.py`): the Microsoft 365 Agents SDK's
  aiohttp hosting as its samples serve it — its `jwt_authorization_middleware` with an
  `AgentAuthConfiguration` that allows anonymous requests (no app id), its `CloudAdapter`
  over an `MsalConnectionManager`, `start_agent_process`. It too makes a user-token client
  for every turn (and logs a warning each time that it has no app id).

Votes/s is 2xx answers over the wall time; latency is from sending a request to reading
its answer. Server CPU is the user + system time of the app's process (from
`/proc/<pid>/stat`) from its first vote until the connector stub has had no call for
{QUIET_SECONDS:g} s (longer than Teams' 2 s update window, so the last live update is in
it), over the votes sent; PostgreSQL's own processes are not in it.
{runs}; "vs bare" is the median of each run's ratio to the bare bot of the same SDK, run
just before it; errors and lost / doubled are totals over the runs. Lost / doubled is read
from Concord's database after each run: a voter without exactly one latest ballot, on the
option they clicked, is lost; a second ballot row or participation for a voter, or a
ballot from someone who did not click, is doubled.
The load generator, the stub and the servers share the machine's cores, with whatever
else runs on it (the load average below): a bare bot is one thread, and on a busy
machine gets less of it than Concord, whose database work runs in worker threads.

{sdk_sections(by_sdk, runs)}
The two transports side by side (each agents row over the botbuilder row of the same
app; {runs.lower()}):

{across_transports(by_sdk)}

- calls the Bot Connector stub answered, warm-up included: {calls_line(calls)}
- load average (1, 5, 15 min) when the votes ended, this benchmark's own processes
  included: {", ".join(f"{n:.1f}" for n in os.getloadavg())}
- machine: {machine()}
- command: `{command}`
"""


def main() -> None:
    parser = vote_arguments(__doc__.splitlines()[0])
    parser.add_argument("--sdks", nargs="+", choices=SDKS, default=list(SDKS))
    parser.add_argument("--cross-votes", type=int, default=30, help="0 skips the cross part")
    args = parser.parse_args()
    command = command_line()
    if args.voters > 0:
        by_sdk, calls = run_votes(args)
        body = votes_report(by_sdk, calls, args, command)
        write_section("Teams vote submits", body, args.output)
        print(body)
    if args.cross_votes > 0:
        modes = run_cross(args)
        body = cross_report(modes, args, command)
        write_section("Cross-platform live updates", body, args.output)
        print(body)


if __name__ == "__main__":
    main()
