"""Teams end to end: a stand-in Bot Connector for Concord's Teams transport to answer through."""

from __future__ import annotations

import pytest

from tests.stand_ins.teams_connector import running_teams_connector


@pytest.fixture
def stub():
    with running_teams_connector() as running:
        yield running
