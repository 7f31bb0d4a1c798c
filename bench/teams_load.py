"""What the Teams benchmarks share (bench/teams_votes.py, bench/teams_cross.py): the Bot
Connector stub in a process of its own, the activities Teams sends for a typed command and
an `Action.Execute` vote, polls in one Teams channel of a running Concord, and `concord
serve` with Teams alone in local mode, on either transport.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text

from adapters.teams.port import TEAMS_LIMITS
from bench.load import RECORDING, Stub, latest_ballots, post
from bench.load import settle as load_settle
from bench.slack_votes import OPTIONS, SHARES, Check, Outcome, expected_counts
from tests.stand_ins import teams_activities as teams
from tests.support.processes import Server

# Longer than Teams' 2 s update window: the last live update of a burst is held that
# long after the one before, and belongs to the run that caused it.
QUIET_SECONDS = TEAMS_LIMITS.coalesce_seconds + 0.5
SETTLE_DEADLINE_SECONDS = 120.0
POSTED_DEADLINE_SECONDS = 15.0
JSON = {"Content-Type": "application/json"}

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
def teams_server(
    folder: Path, database_url: str, log_level: str, sdk: str = "botbuilder"
) -> Iterator[Server]:
    """`concord serve` with Teams only, on the transport `sdk` (CONCORD_TEAMS_SDK), in local
    mode: no Slack settings, no Microsoft app id."""
    server = Server(
        folder,
        database_url,
        CONCORD_TEAMS_SDK=sdk,
        CONCORD_TEAMS_LOCAL="true",
        CONCORD_PLAYGROUND="false",
        CONCORD_LOG_LEVEL=log_level,
    )
    try:
        server.wait_until_healthy()
        yield server
    finally:
        server.stop()


def teams_server_name(sdk: str) -> str:
    """Concord as the reports name it on the transport `sdk`."""
    return "Concord on the Agents SDK" if sdk == "agents" else "Concord on botbuilder"
