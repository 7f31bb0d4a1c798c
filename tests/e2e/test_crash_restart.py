"""`kill -9` during a burst of signed Slack vote clicks, with a deadline due: nothing
acknowledged is lost or doubled, and the deadline fires once, after the restart.

A real `concord serve` (SQLite, then PostgreSQL) behind a local Slack Web API. Its clock
can't be set from here, so the poll's deadline is moved to a few seconds ahead in the
database, as an operator's `poll extend` would; the process is killed mid-burst, before the
deadline, and the deadline passes while it is down. Waits on the real clock (short).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import text
from sqlmodel import select

from dialogs.core.actions import Vote
from dialogs.core.timers import POLL_CLOSE
from storage.database import Database
from storage.models import Poll, PollOption, Timer
from tests.stand_ins import slack_payloads
from tests.stand_ins.slack_api import running_slack_api
from tests.stand_ins.slack_signing import SECRET, signed_headers
from tests.support.processes import LOCAL, Server
from tests.support.schemas import postgres_url

VOTERS = 240
THREADS = 6
KILL_AFTER = 40  # acknowledged clicks before the kill: mid-burst
DEADLINE_SECONDS = 4.0  # past the kill (40 clicks take well under a second), before the restart
CLOSE_WAIT_SECONDS = 20.0


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'concord.db'}"
        return
    schema = f"{request.getfixturevalue('postgres_schema')}_crash_{secrets.token_hex(3)}"
    with postgres_url(schema) as url:
        yield url


@pytest.fixture
def slack_api():
    with running_slack_api() as stub:
        yield stub


class Slack:
    """Signed requests to one Concord, as Slack sends them, answered through `hooks`."""

    def __init__(self, events: str, hooks: str) -> None:
        self.events = events
        self.hooks = hooks

    def command(self, words: str) -> int:
        form = slack_payloads.slash_command(words, response_url=f"{self.hooks}/commands/1/2")
        return self.send(urlencode(form))

    def vote(self, value: str, user: str) -> int:
        payload = slack_payloads.button_click(
            value,
            user={"id": user, "username": user, "name": user, "team_id": slack_payloads.TEAM},
            response_url=f"{self.hooks}/actions/1/2",
        )
        return self.send(urlencode({"payload": json.dumps(payload)}))

    def send(self, body: str) -> int:
        """The status, or 0 when no answer came (the process was killed)."""
        request = urllib.request.Request(
            self.events, data=body.encode(), headers=signed_headers(body), method="POST"
        )
        try:
            with LOCAL.open(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0


def serve(folder: Path, database_url: str, api: str) -> Server:
    server = Server(
        folder,
        database_url,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_BOT_TOKEN="xoxb-crash-test",
        SLACK_API_URL=f"{api}/api/",
        CONCORD_PLAYGROUND="false",
    )
    server.wait_until_healthy()
    return server


def start_poll(slack: Slack, database: Database) -> tuple[int, list[str]]:
    """A poll whose deadline is DEADLINE_SECONDS away: its id and its vote button values."""
    assert slack.command('setup "Crash test"') == 200
    assert slack.command('poll "Still counted?" "Yes" "No" --closes "in 1 hour"') == 200
    due = datetime.now(UTC) + timedelta(seconds=DEADLINE_SECONDS)
    with database.session() as session:
        poll = session.exec(select(Poll)).one()
        timer = session.exec(
            select(Timer).where(Timer.kind == POLL_CLOSE, Timer.subject_id == poll.id)
        ).one()
        poll.closes_at = timer.due_at = due
        options = session.exec(select(PollOption).where(PollOption.poll_id == poll.id)).all()
        values = [Vote(poll.id, option.id).encode() for option in options]
        return poll.id, values


def burst(slack: Slack, server: Server, values: list[str]) -> dict[str, int]:
    """Every voter clicks once, THREADS at a time; the server is killed mid-burst."""
    acknowledged = Counter[str]()
    lock = threading.Lock()

    def click(n: int) -> tuple[str, int]:
        user = f"UVOTER{n:04d}"
        status = slack.vote(values[n % len(values)], user)
        with lock:
            acknowledged[str(status)] += 1
            if acknowledged["200"] == KILL_AFTER:
                server.process.kill()  # SIGKILL
        return user, status

    with ThreadPoolExecutor(THREADS) as pool:
        return dict(pool.map(click, range(VOTERS)))


def ballots(database: Database, poll: int) -> Counter[str]:
    """How many ballots each Slack user has in the poll."""
    with database.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT i.user_id FROM ballot b JOIN identity i ON i.member_id = b.member_id "
                "WHERE b.poll_id = :p"
            ),
            {"p": poll},
        ).scalars()
        return Counter(rows)


def closes(database: Database, poll: int) -> int:
    with database.engine.connect() as connection:
        details = connection.execute(
            text("SELECT detail FROM auditentry WHERE action = 'poll.close'")
        ).scalars()
        return sum(
            1 for d in details if (json.loads(d) if isinstance(d, str) else d)["poll"] == poll
        )


def test_acknowledged_votes_survive_kill_9_once_and_the_deadline_fires_once(
    database_url, slack_api, tmp_path
):
    database = Database(database_url)
    first = serve(tmp_path / "first", database_url, slack_api.url)
    try:
        slack = Slack(f"{first.url}/slack/events", f"{slack_api.url}/hooks")
        poll, values = start_poll(slack, database)
        answered = burst(slack, first, values)
    finally:
        first.stop()
    assert closes(database, poll) == 0, "the deadline fired before the kill"
    second = serve(tmp_path / "second", database_url, slack_api.url)
    try:
        waited = time.monotonic() + CLOSE_WAIT_SECONDS
        while closes(database, poll) == 0 and time.monotonic() < waited:
            time.sleep(0.2)
        time.sleep(1.5)  # a tick or two more: a second close would show now
        counted = ballots(database, poll)
        fired = closes(database, poll)
    finally:
        second.stop()
        database.dispose()
    acknowledged = [user for user, status in answered.items() if status == 200]
    assert len(acknowledged) >= KILL_AFTER
    assert sum(1 for status in answered.values() if status == 0) > 0, "the kill came too late"
    assert [u for u in acknowledged if counted[u] != 1] == [], "acknowledged votes lost"
    assert [u for u, n in counted.items() if n > 1] == [], "votes counted twice"
    assert fired == 1, f"the deadline fired {fired} times"
