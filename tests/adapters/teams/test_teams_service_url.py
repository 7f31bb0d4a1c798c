"""Concord calls only the `serviceUrl`s it means to (issue 16, item 1: request forgery).

An activity's `serviceUrl` is where Concord sends its answer, so a sender who could
choose it freely could make Concord call any host. `http://other:P\\@127.0.0.1:Q/` was
the way in: `urllib.parse` reads 127.0.0.1 (this machine), while the connector's HTTP
client (msrest → requests → urllib3) connects to `other`. Here the "other host" is a
listener of the test's own that counts every connection made to it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
from sqlmodel import select

from adapters.teams.service_url import problem
from dialogs.core.events import Actor, Place
from dialogs.core.ports import DeliveryError
from storage.models import Channel
from tests.adapters.teams.harness import count
from tests.stand_ins import teams_activities as teams


class OtherHost:
    """A TCP listener on this machine that counts connections and closes each at once."""

    def __init__(self) -> None:
        self.connections = 0
        self.port = 0

    async def _accepted(self, _: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        writer.close()


@pytest.fixture
async def other_host() -> AsyncIterator[OtherHost]:
    other = OtherHost()
    server = await asyncio.start_server(other._accepted, "127.0.0.1", 0)
    other.port = server.sockets[0].getsockname()[1]
    async with server:
        yield other


def forged(other: OtherHost, service_url: str) -> str:
    """`service_url` as `urllib.parse` reads it, `other` as the HTTP client does."""
    return service_url.replace("://", f"://127.0.0.1:{other.port}\\@", 1)


async def test_a_backslash_before_at_is_refused_and_the_other_host_never_called(
    teams_app, other_host, caplog
):
    url = forged(other_host, teams_app.stub.service_url)

    with caplog.at_level(logging.INFO, logger="adapters.teams.requests"):
        response = await teams_app.send(teams.message(url, "help", "personal"))
        await asyncio.sleep(0.2)  # a connection under way would have arrived by now

    assert response.status == 400
    assert "serviceUrl is refused: it has a backslash" in (await response.json())["error"]
    assert other_host.connections == 0
    assert teams_app.stub.calls == []
    refusals = [r for r in caplog.records if r.getMessage() == "Teams serviceUrl refused"]
    assert len(refusals) == 1 and not refusals[0].exc_info


async def test_a_forged_service_url_stores_nothing(teams_app, other_host):
    url = forged(other_host, teams_app.stub.service_url)

    response = await teams_app.send(teams.message(url, 'setup "North"'))

    assert response.status == 400
    assert count(teams_app.database, Channel) == 0
    assert other_host.connections == 0


async def test_a_stored_reference_with_a_forged_service_url_is_never_called(teams_app, other_host):
    await teams_app.say('setup "North"')
    with teams_app.database.session() as session:
        delivery = session.exec(select(Channel)).one().delivery
    delivery = {**delivery, "serviceUrl": forged(other_host, delivery["serviceUrl"])}
    place = Place("teams", teams.TENANT, teams.TEAM_CHANNEL)
    actor = Actor("teams", teams.TENANT, teams.USER_AAD, teams.USER_NAME)
    calls_before = len(teams_app.stub.calls)

    with pytest.raises(DeliveryError) as raised:
        await teams_app.transport.port.post(place, delivery, teams_app.engine.home(actor))

    assert raised.value.permanent
    assert "serviceUrl is refused: it has a backslash" in str(raised.value)
    await asyncio.sleep(0.2)
    assert other_host.connections == 0
    assert len(teams_app.stub.calls) == calls_before


async def test_a_stored_reference_elsewhere_is_never_called_in_local_mode(teams_app):
    await teams_app.say('setup "North"')
    with teams_app.database.session() as session:
        delivery = session.exec(select(Channel)).one().delivery
    delivery = {**delivery, "serviceUrl": "https://smba.trafficmanager.net/emea/"}
    actor = Actor("teams", teams.TENANT, teams.USER_AAD, teams.USER_NAME)

    with pytest.raises(DeliveryError, match="only calls this machine") as raised:
        await teams_app.transport.port.notify(actor, None, delivery, teams_app.engine.home(actor))
    assert raised.value.permanent


# The check itself


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:3978/",
        "http://localhost:56000/_connector",
        "http://[::1]:8080/",
        "http://[0:0::1]:8080/",  # yarl writes it ::1: the same address
        "https://127.0.0.1/",
    ],
)
def test_this_machine_is_called_in_local_mode(url):
    assert problem(url, local=True) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://smba.trafficmanager.net/emea/",
        "https://smba.trafficmanager.net/amer/",
        "https://smba.infra.gcc.teams.microsoft.com/gcc/",
    ],
)
def test_teams_service_urls_are_called_with_credentials(url):
    assert problem(url, local=False) is None


@pytest.mark.parametrize(
    ("url", "local", "why"),
    [
        ("http://other-host:81\\@127.0.0.1:82/", True, "backslash"),
        ("http://127.0.0.1:82\\/", True, "backslash"),
        ("http://evil.example@127.0.0.1:82/", True, "user name or password"),
        ("http://127.0.0.1:82@evil.example/", False, "user name or password"),
        ("https://smba.trafficmanager.net/emea/#@evil.example/", False, "user name"),
        ("http://127.0.0.1:82/ ", True, "whitespace or control"),
        ("http://127.0.0.1\t:82/", True, "whitespace or control"),
        ("http://127.0.0.1:82/\x00", True, "whitespace or control"),
        ("http://ex\u00e4mple.org/", False, "beyond ASCII"),
        ("http://127.0.0.1\uff0e1/", True, "beyond ASCII"),
        ("ftp://127.0.0.1/", True, "not an http or https URL"),
        ("file:///etc/passwd", True, "not an http or https URL"),
        ("//127.0.0.1:82/", True, "not an http or https URL"),
        ("http://127.0.0.1:82/?next=x", True, "query or fragment"),
        ("http://127.0.0.1:99999/", True, "cannot be read"),
        ("http://127.0.0.1:+82/", True, "cannot be read"),  # yarl reads port 82
        ("http://[::1/", True, "cannot be read"),
        ("http:///v3", True, "not a host name"),
        ("https://a_b.example/", False, "not a host name"),
        ("https://%31%32%37.0.0.1/", False, "parsers disagree"),  # urllib3: 127.0.0.1
        ("http://[::1%25lo]:82/", True, "parsers disagree"),  # zone ids read apart
        ("http://127.1:82/", True, "only calls this machine"),  # not a written IPv4 address
        ("http://10.0.0.5:82/", True, "only calls this machine"),
        ("https://smba.trafficmanager.net/emea/", True, "only calls this machine"),
        ("http://smba.trafficmanager.net/emea/", False, "must be https"),
    ],
)
def test_a_service_url_in_doubt_is_refused_saying_why(url, local, why):
    found = problem(url, local=local)
    assert found is not None and why in found, found


async def test_a_service_url_where_nothing_answers_costs_one_line_not_a_traceback(
    teams_app, other_host, caplog
):
    """A local serviceUrl whose connector hangs up: the turn is still answered (201), and
    the private reply that could not go out is one warning line."""
    caplog.set_level(logging.INFO)
    url = f"http://127.0.0.1:{other_host.port}/"

    response = await teams_app.send(teams.message(url, "help"))

    assert response.status == 201
    assert other_host.connections >= 1
    lost = [r for r in caplog.records if r.getMessage() == "a private reply could not be delivered"]
    assert [r.levelname for r in lost] == ["WARNING"]
    assert [r for r in caplog.records if r.exc_info] == []
