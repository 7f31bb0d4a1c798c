"""Helpers the platform vote benchmarks share (bench/slack_votes.py, bench/teams_votes.py):
sending one request per voter from one aiohttp session (to one app, or spread over the
processes of one), waiting for an app's after-work to stop, one blocking GET or POST,
a stub platform that records the updates it accepts, and reading Concord's database for
each voter's latest ballot.

Nothing here knows a platform: the caller says how each request's headers are made,
what to count while waiting, how its stub records an update, and which platform's
identities to read.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

import aiohttp
from sqlalchemy import Engine, text

# Loopback only, and never through a proxy from the developer's environment.
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))
REQUEST_TIMEOUT_SECONDS = 30.0


class Recording(Protocol):
    """Where a load run's results go (bench/slack_votes.py's `Outcome` is one)."""

    seconds: float
    latencies: list[float]
    statuses: Counter[str]


R = TypeVar("R", bound=Recording)
Headers = Callable[[str], dict[str, str]]


async def send_all_async(
    urls: str | Sequence[str], bodies: list[str], connections: int, headers_for: Headers, outcome: R
) -> R:
    """POST every body once, `connections` at a time over one session; each request's
    headers are made just before it is sent (a signature's timestamp stays fresh). Given
    several URLs (the processes of one app), body n goes to URL n mod their number: the
    load is split evenly, over the same `connections` in all."""
    targets = [urls] if isinstance(urls, str) else list(urls)
    pending = enumerate(bodies)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def sender() -> None:
            for n, body in pending:
                url = targets[n % len(targets)]
                headers = headers_for(body)
                started = time.perf_counter()
                try:
                    async with session.post(url, data=body, headers=headers) as response:
                        await response.read()
                        status = str(response.status)
                except (aiohttp.ClientError, TimeoutError) as error:
                    status = type(error).__name__
                outcome.latencies.append(time.perf_counter() - started)
                outcome.statuses[status] += 1

        started = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(connections)))
        outcome.seconds = time.perf_counter() - started
    return outcome


def send_all(
    urls: str | Sequence[str], bodies: list[str], connections: int, headers_for: Headers, outcome: R
) -> R:
    return asyncio.run(send_all_async(urls, bodies, connections, headers_for, outcome))


def post(url: str, body: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """One blocking POST on loopback: the status and the body, whatever the status."""
    return _open(urllib.request.Request(url, data=body.encode(), headers=headers, method="POST"))


def get(url: str) -> tuple[int, bytes]:
    """One blocking GET on loopback: the status and the body, whatever the status."""
    return _open(urllib.request.Request(url))


def _open(request: urllib.request.Request) -> tuple[int, bytes]:
    try:
        with LOCAL.open(request, timeout=REQUEST_TIMEOUT_SECONDS) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_quiet(count: Callable[[], int], quiet_seconds: float, deadline_seconds: float) -> None:
    """Wait until `count()` has not changed for `quiet_seconds` (or the deadline passes)."""
    deadline = time.monotonic() + deadline_seconds
    seen, quiet_since = count(), time.monotonic()
    while time.monotonic() - quiet_since < quiet_seconds and time.monotonic() < deadline:
        time.sleep(0.1)
        now = count()
        if now != seen:
            seen, quiet_since = now, time.monotonic()


# A stub platform runs in a process of its own: RECORDING, then the platform's part, which
# calls `record(where, content, who)` for every live update it accepts and `serve(app,
# calls)`. `record` stamps the update with time.monotonic() (CLOCK_MONOTONIC: the same
# clock in every process on this machine, so the load generator can compare) and keeps
# the voter totals the message shows ("12 people voted"). GET /calls counts calls by
# kind; GET /updates?after=N lists the updates from the Nth on.
RECORDING = """
import json, re, sys, time
from collections import Counter
from aiohttp import web

TOTAL = re.compile(r"(\\d[\\d,]*) (?:person|people) voted")
updates = []

def record(where, content, who=""):
    shown = json.dumps(content, ensure_ascii=False)
    totals = [int(t.replace(",", "")) for t in TOTAL.findall(shown)]
    updates.append({"at": time.monotonic(), "where": where, "who": who, "totals": totals})

async def recorded(request):
    after = int(request.query.get("after", "0"))
    return web.json_response({"updates": updates[after:], "next": len(updates)})

async def healthz(request):
    return web.json_response({"status": "ok"})

def serve(app, calls):
    app.router.add_get("/calls", calls)
    app.router.add_get("/updates", recorded)
    app.router.add_get("/healthz", healthz)
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""


@dataclass(frozen=True)
class Seen:
    """A live update a stub accepted: when (monotonic seconds), the totals it showed,
    which message (`where`) and whose (`who`: for Slack, the bot token that sent it)."""

    at: float
    totals: tuple[int, ...]
    where: str = ""
    who: str = ""


class Stub:
    """A stub process's GET /calls and GET /updates."""

    def __init__(self, url: str, name: str) -> None:
        self.url = url
        self.name = name
        self._next = 0

    def calls(self) -> Counter[str]:
        status, body = get(f"{self.url}/calls")
        if status != 200:
            raise RuntimeError(f"the {self.name} answered /calls with {status}")
        return Counter(json.loads(body))

    def total(self) -> int:
        return self.calls().total()

    def new_updates(self) -> list[Seen]:
        """The updates accepted since the last call."""
        status, body = get(f"{self.url}/updates?after={self._next}")
        if status != 200:
            raise RuntimeError(f"the {self.name} answered /updates with {status}")
        answer = json.loads(body)
        self._next = answer["next"]
        return [
            Seen(u["at"], tuple(u["totals"]), u.get("where", ""), u.get("who", ""))
            for u in answer["updates"]
        ]


def settle(quiet_seconds: float, deadline_seconds: float, *stubs: Stub) -> None:
    """Wait until no stub has had a call for `quiet_seconds`: the work the clicks left
    behind (private notes, the last live update of a burst) is done."""
    wait_quiet(lambda: sum(stub.total() for stub in stubs), quiet_seconds, deadline_seconds)


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank value below `fraction` of the way through the sorted values."""
    ordered = sorted(values)
    return ordered[int(fraction * (len(ordered) - 1))]


@dataclass(frozen=True)
class Ballots:
    """One poll's ballots as the database holds them, against what each voter clicked."""

    lost: int  # voters without exactly one latest ballot on the option they clicked
    doubled: int  # extra ballot rows or participations, or ballots nobody clicked
    counts: tuple[int, ...]  # latest ballots per option, in the poll's option order


def latest_ballots(
    database: Engine, poll_id: int, clicked: dict[str, int], platform: str, options: int
) -> Ballots:
    """Each voter's (by their `identity.user_id` on `platform`) latest ballot in the poll
    against `clicked[user]`, the index of the option they clicked."""
    with database.connect() as connection:
        positions = dict(
            connection.execute(
                text("SELECT position, id FROM polloption WHERE poll_id = :p"), {"p": poll_id}
            ).all()
        )
        index = {position: i for i, position in enumerate(sorted(positions))}
        ballots = connection.execute(
            text(
                "SELECT i.user_id, b.choices, b.latest FROM ballot b "
                "JOIN identity i ON i.member_id = b.member_id "
                "WHERE b.poll_id = :p AND i.platform = :platform"
            ),
            {"p": poll_id, "platform": platform},
        ).all()
        participations = connection.execute(
            text(
                "SELECT i.user_id, count(*) FROM participation p "
                "JOIN identity i ON i.member_id = p.member_id "
                "WHERE p.poll_id = :p AND i.platform = :platform GROUP BY i.user_id"
            ),
            {"p": poll_id, "platform": platform},
        ).all()
    latest: dict[str, list[int]] = {}
    rows = Counter[str]()
    for user, choices, is_latest in ballots:
        rows[user] += 1
        if is_latest:
            chosen = json.loads(choices) if isinstance(choices, str) else choices
            latest.setdefault(user, []).extend(index[p] for p in chosen)
    counts = Counter(option for chosen in latest.values() for option in chosen)
    lost = sum(1 for user, option in clicked.items() if latest.get(user) != [option])
    doubled = sum(n - 1 for n in rows.values()) + sum(n - 1 for _, n in participations)
    doubled += sum(1 for user in rows if user not in clicked)
    return Ballots(lost, doubled, tuple(counts[i] for i in range(options)))
