"""The Teams fixtures: the local Bot Connector stub, and Concord's Teams transport in front
of it in local mode (CONCORD_TEAMS_LOCAL), on each SDK (`teams_sdk`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from tests.adapters.teams.harness import TeamsHarness
from tests.stand_ins.teams_connector import running_teams_connector


@pytest.fixture
def stub():
    with running_teams_connector() as running:
        yield running


@pytest.fixture
def teams_harness(database, stub, clock, teams_sdk) -> Callable[..., TeamsHarness]:
    """A `TeamsHarness` on this test's database, stub, clock and SDK; keywords are its
    `TeamsConfig` (an `app_id` turns local mode off)."""
    return partial(TeamsHarness, database, stub, clock, sdk=teams_sdk)


@pytest.fixture
async def teams_app(teams_harness):
    async with teams_harness() as harness:
        yield harness
