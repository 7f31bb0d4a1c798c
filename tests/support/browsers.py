"""Headless Debian Chromium for the browser tests, and `concord serve` with the playground.

The fixtures in tests/conftest.py use these. Chromium is never downloaded; the flags keep
it from reaching the internet at start (and it runs as root here, so without a sandbox).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from tests.support.installed_clients import require
from tests.support.processes import Server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
]


@contextmanager
def launched_chromium() -> Iterator[Browser]:
    """Chromium, or a failure under CI=true (a skip elsewhere) when it isn't installed."""
    missing = None if CHROMIUM.exists() else f"{CHROMIUM} is missing"
    require(missing, "install it with `apt-get install chromium`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@contextmanager
def playground_server(folder: Path) -> Iterator[str]:
    """`concord serve` with the playground on, on a free loopback port: its URL."""
    server = Server(folder, CONCORD_PLAYGROUND="true")
    try:
        server.wait_until_healthy()
        yield server.url
    finally:
        server.stop()
