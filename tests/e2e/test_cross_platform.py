"""One collaborative in a Slack channel and a Teams channel at once, through both transports.

Slack requests are signed and its Web API is the local stub; Teams activities are
posted to `/api/messages` and its connector is the local stub. Both transports
share one engine (one `EngineRunner`, as `bot.app` composes them) and one
database, and one outbox dispatcher delivers to both — as in a bot process that
serves both platforms.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any, TypeVar

import pytest
from sqlmodel import func, select

from adapters.slack.port import SLACK_LIMITS
from adapters.teams.port import TEAMS_LIMITS
from bot.dispatcher import Dispatcher
from dialogs.core.messages import poll_key
from dialogs.engine import Engine
from dialogs.runner import EngineRunner
from storage.models import Ballot, Channel, Poll
from tests.adapters.teams.harness import TeamsHarness, submit_actions, words
from tests.stand_ins import slack_payloads as slack
from tests.stand_ins import teams_activities as teams
from tests.stand_ins.slack_api import running_slack_api
from tests.stand_ins.slack_app import SlackHarness, all_text, button_values
from tests.stand_ins.teams_connector import running_teams_connector
from tests.support.conversation import counts

SLACK_USERS = [("U0000BEN", "ben"), ("U0000CAR", "carys")]
TEAMS_USERS = [("29:dee", "Dee Sharma"), ("29:eli", "Eli Moss"), ("29:fay", "Fay Lee")]


class BothPlatforms:
    """A Slack harness and a Teams harness on one engine, one dispatcher for both."""

    def __init__(self, slack_app: SlackHarness, teams_app: TeamsHarness) -> None:
        self.slack = slack_app
        self.teams = teams_app
        ports = {"slack": slack_app.transport.port, "teams": teams_app.transport.port}
        self.dispatcher = Dispatcher(
            slack_app.database, slack_app.engine, ports, clock=slack_app.clock
        )

    async def deliver(self) -> None:
        """Drain the outbox once both platforms' update windows have passed."""
        wait = max(SLACK_LIMITS.coalesce_seconds, TEAMS_LIMITS.coalesce_seconds) + 0.1
        self.slack.clock.advance(seconds=wait)
        await self.dispatcher.drain()
        await self.slack.transport.settle()

    async def slack_says(self, text: str, user: tuple[str, str] | None = None) -> str:
        overrides = {"user_id": user[0], "user_name": user[1]} if user else {}
        return all_text(await self.slack.command(text, **overrides))

    async def slack_clicks(self, value: str, user: tuple[str, str]) -> None:
        who = {"id": user[0], "username": user[1], "name": user[1], "team_id": slack.TEAM}
        await self.slack.click(value, user=who)

    async def teams_says(self, text: str, user: tuple[str, str] | None = None) -> None:
        overrides = {"from": _teams_from(user)} if user else {}
        activity = teams.message(self.teams.stub.service_url, text, **overrides)
        response = await self.teams.send(activity)
        assert response.status == 201, await response.text()

    async def teams_clicks(self, data: dict[str, Any], user: tuple[str, str]) -> None:
        activity = teams.submit(self.teams.stub.service_url, data, **{"from": _teams_from(user)})
        response = await self.teams.send(activity)
        assert response.status == 201, await response.text()

    def teams_posts(self) -> list[Any]:
        return self.teams.stub.calls_to("send")

    def teams_channel_posts(self) -> list[Any]:
        return [c for c in self.teams_posts() if c.conversation_id == teams.TEAM_CHANNEL]

    def last_teams_update(self, activity_id: str) -> Any:
        updates = [c for c in self.teams.stub.calls_to("update") if c.activity_id == activity_id]
        assert updates, "the Teams message was never updated"
        return updates[-1]

    def last_slack_update(self, posted: dict[str, Any]) -> dict[str, Any]:
        """The latest `chat.update` of the message `posted` (its `chat.postMessage` args)."""
        ts = next(
            c.response["ts"]
            for c in self.slack.stub.calls_to("chat.postMessage")
            if c.args is posted
        )
        updates = [u for u in self.slack.updates() if u["ts"] == ts]
        assert updates, "the Slack message was never updated"
        return updates[-1]


def _teams_from(user: tuple[str, str]) -> dict[str, str]:
    return {"id": user[0], "name": user[1], "aadObjectId": f"aad-{user[0][3:]}"}


H = TypeVar("H", bound="BothPlatforms")


@asynccontextmanager
async def linked_channels(database, clock, sdk: str, kind: type[H]) -> AsyncIterator[H]:
    """A Slack channel and a Teams channel (its transport on `sdk`) linked to one
    collaborative, both transports sharing one engine runner (as `bot.app` does), driven
    through a `kind` harness."""
    with running_slack_api() as slack_stub, running_teams_connector() as teams_stub:
        runner = EngineRunner(Engine(database, clock=clock))
        async with AsyncExitStack() as stack:
            slack_app = await stack.enter_async_context(
                SlackHarness(database, slack_stub, clock, runner=runner)
            )
            teams_app = await stack.enter_async_context(
                TeamsHarness(database, teams_stub, clock, runner=runner, sdk=sdk)
            )
            harness = kind(slack_app, teams_app)
            await harness.slack_says('setup "Northshire"')
            shown = await harness.slack_says("link")
            code = re.search(r"Link code: ([A-Z0-9]{3}-[A-Z0-9]{3})", shown)
            assert code, shown
            await harness.teams_says(f"link {code.group(1)}")
            yield harness


@pytest.fixture
async def both(database, clock, teams_sdk):
    async with linked_channels(database, clock, teams_sdk, BothPlatforms) as harness:
        await harness.deliver()
        yield harness


def count(database, model, *where) -> int:
    with database.session() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def shown_counts(rendered: str) -> dict[str, str]:
    """The figures a rendered poll message shows (its JSON): each option's bar figure,
    "2 · 40%", and the voter count — the same words on both platforms. The option ahead
    says so in words ("Salad (leading)"), which is not part of its name."""
    bars = re.findall(r"\*?(\w+)(?: \(leading\))?\*?(?:\\n)+[▇▁]+ (\d+ · \d+%)", rendered)
    voters = re.findall(r"\d+ (?:person|people) voted", rendered)
    assert bars and len(voters) == 1, rendered
    return {**dict(bars), "voters": voters[0]}


def test_the_channels_are_linked(both):
    with both.slack.database.session() as session:
        platforms = sorted(session.exec(select(Channel.platform)).all())
    assert platforms == ["slack", "teams"]
    # The Slack channel was told it now also meets in Teams.
    assert "also meets in the teams channel" in all_text(both.slack.posts()[-1])


async def test_a_poll_from_slack_reaches_both_and_both_show_one_tally(both):
    await both.slack_says('poll "Lunch?" "Soup" "Salad"')
    await both.deliver()
    slack_poll = both.slack.posts()[-1]
    teams_poll = both.teams_channel_posts()[-1]
    assert "Lunch?" in all_text(slack_poll) and "Lunch?" in words(teams_poll.card)
    slack_buttons = button_values(slack_poll)
    teams_buttons = submit_actions(teams_poll.card)

    for user in SLACK_USERS:
        await both.slack_clicks(slack_buttons["Soup"], user)
    for user in TEAMS_USERS:
        await both.teams_clicks(teams_buttons["Salad"], user)
    await both.deliver()

    assert count(both.slack.database, Ballot, Ballot.latest) == 5
    slack_now = all_text(both.last_slack_update(slack_poll))
    teams_now = words(both.last_teams_update(teams_poll.response["id"]).card)
    assert shown_counts(slack_now) == shown_counts(teams_now)
    assert shown_counts(teams_now) == {
        "Soup": "2 · 40%",
        "Salad": "3 · 60%",
        "voters": "5 people voted",
    }
    assert result_figures(both.slack.engine, 1) == {"Soup": 2, "Salad": 3}


def result_figures(engine: Engine, poll_id: int) -> dict[str, int]:
    """The tally as the engine renders it now, from the database."""
    with engine.database.session() as session:
        poll = session.get(Poll, poll_id)
        key = poll_key(poll)
    card = engine.render_message(key)
    assert card is not None
    return counts(card)


async def test_a_poll_from_teams_reaches_slack_too(both):
    shown = await both.slack_says(f"role coordinator @{teams.USER_NAME}")
    assert "now a coordinator" in shown
    await both.teams_says('poll "Venue?" "Leeds" "York"')
    await both.deliver()
    assert "Venue?" in all_text(both.slack.posts()[-1])
    assert "Venue?" in words(both.teams_channel_posts()[-1].card)


async def test_one_person_on_both_platforms_votes_once_after_me_link(both):
    await both.slack_says('poll "Lunch?" "Soup" "Salad"')
    await both.deliver()
    slack_poll = both.slack.posts()[-1]
    teams_poll = both.teams_channel_posts()[-1]
    shown = await both.slack_says("me link", SLACK_USERS[0])
    code = re.search(r"Your code: ([A-Z0-9]{3}-[A-Z0-9]{3})", shown)
    assert code, shown

    await both.teams_says(f"me link {code.group(1)}", TEAMS_USERS[0])
    await both.slack_clicks(button_values(slack_poll)["Soup"], SLACK_USERS[0])
    await both.teams_clicks(submit_actions(teams_poll.card)["Salad"], TEAMS_USERS[0])
    await both.deliver()

    assert "now one member" in words([c.body for c in both.teams_posts()])
    assert count(both.slack.database, Ballot, Ballot.latest) == 1
    assert result_figures(both.slack.engine, 1) == {"Soup": 0, "Salad": 1}
    slack_now = all_text(both.last_slack_update(slack_poll))
    teams_now = words(both.last_teams_update(teams_poll.response["id"]).card)
    assert shown_counts(slack_now) == shown_counts(teams_now)
    assert shown_counts(teams_now)["voters"] == "1 person voted"


async def test_an_observers_second_account_stays_an_observer_after_me_link(both):
    """The attack of issue 16: an observer on Slack joins the Teams channel with a second
    account (a member, as newcomers start), joins the accounts, and tries to vote."""
    ben_slack, ben_teams = SLACK_USERS[0], ("29:ben", "Ben Okafor")
    await both.slack_says("help", ben_slack)
    assert "now an observer" in await both.slack_says(f"role observer <@{ben_slack[0]}>")
    await both.slack_says('poll "Lunch?" "Soup" "Salad"')
    await both.deliver()
    teams_poll = both.teams_channel_posts()[-1]
    await both.teams_says("help", ben_teams)
    shown = await both.slack_says("me link", ben_slack)
    code = re.search(r"Your code: ([A-Z0-9]{3}-[A-Z0-9]{3})", shown)
    assert code, shown

    await both.teams_says(f"me link {code.group(1)}", ben_teams)
    await both.teams_clicks(submit_actions(teams_poll.card)["Salad"], ben_teams)
    await both.deliver()

    told = words([c.body for c in both.teams_posts()])
    assert "an observer who sees polls but does not vote" in told
    assert "a role set on purpose isn't changed by joining accounts" in told
    assert "Observers see polls but do not vote." in told
    assert count(both.slack.database, Ballot) == 0
    assert result_figures(both.slack.engine, 1) == {"Soup": 0, "Salad": 0}
