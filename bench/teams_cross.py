"""Cross-platform live updates: one collaborative spanning a Slack channel and a Teams
channel of one `concord serve`, one vote at a time, timed until both channels' poll
messages show the new total. Run by bench/teams_votes.py (`--cross-votes`), which writes
its section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from adapters.slack.port import SLACK_LIMITS
from adapters.teams.port import TEAMS_LIMITS
from bench.load import Seen, Stub, percentile, post
from bench.report import machine
from bench.slack_votes import (
    SHARES,
    SLACK_STUB_APP,
    ConcordPolls,
    command_body,
    concord_server,
    spawned,
    vote_body,
)
from bench.teams_load import (
    JSON,
    TEAMS_STUB_APP,
    TeamsPolls,
    aad_id,
    settle,
    vote_activity,
    wait_until,
)
from tests.stand_ins.slack_signing import signed_headers

UPDATED_DEADLINE_SECONDS = 20.0
POLL_INTERVAL_SECONDS = 0.01
SPACING_MARGIN_SECONDS = 0.5  # "spaced" votes: this long past Slack's update window
LINK_CODE = re.compile(r"Link code: ([A-Z0-9]{3}-[A-Z0-9]{3})")


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
