"""What an operator's log shows at INFO: no line a second from the scheduler's clock, no
start-up chatter, and no line for each time an open playground page asks for its state."""

from __future__ import annotations

import logging

import pytest

from bot.logging import APSCHEDULER_RUNS, QUIET_AT_INFO, AccessLogger, configure_logging
from tests.adapters.playground.test_playground_http import serving


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name in QUIET_AT_INFO:
        logging.getLogger(name).setLevel(logging.NOTSET)


@pytest.mark.parametrize(
    "name", [APSCHEDULER_RUNS, "apscheduler.scheduler", "alembic.runtime.migration"]
)
def test_chatter_stays_out_of_the_info_log_but_its_warnings_do_not(restore_logging, name):
    configure_logging("INFO", "json")
    chatty = logging.getLogger(name)

    assert not chatty.isEnabledFor(logging.INFO)
    assert chatty.isEnabledFor(logging.WARNING)


def test_at_debug_the_tickers_runs_are_logged_too(restore_logging):
    configure_logging("DEBUG", "text")

    assert logging.getLogger(APSCHEDULER_RUNS).isEnabledFor(logging.INFO)


async def test_an_open_playground_page_asking_for_its_state_leaves_no_info_line(
    sqlite_database, clock, caplog
):
    caplog.set_level(logging.INFO, logger="aiohttp.access")
    async with serving(sqlite_database, clock, access_log_class=AccessLogger) as client:
        for _ in range(3):
            assert (await client.get("/playground/api/state?user=asha")).status == 200
        assert (await client.get("/playground")).status == 200
        assert (await client.get("/playground/api/state?user=<b>")).status == 400

    lines = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert lines == ["GET /playground 200", "GET /playground/api/state 400"]
