"""What an operator's log shows at INFO: no line a second from the scheduler's clock."""

from __future__ import annotations

import logging

import pytest

from bot.logging import APSCHEDULER_RUNS, configure_logging


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger(APSCHEDULER_RUNS).setLevel(logging.NOTSET)


def test_the_tickers_runs_stay_out_of_the_info_log_but_its_warnings_do_not(restore_logging):
    configure_logging("INFO", "json")
    runs = logging.getLogger(APSCHEDULER_RUNS)

    assert not runs.isEnabledFor(logging.INFO)
    assert runs.isEnabledFor(logging.WARNING)


def test_at_debug_the_tickers_runs_are_logged_too(restore_logging):
    configure_logging("DEBUG", "text")

    assert logging.getLogger(APSCHEDULER_RUNS).isEnabledFor(logging.INFO)
