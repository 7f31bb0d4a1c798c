"""End to end with Microsoft's Teams test client, in headless Chromium.

`concord serve` (no Microsoft app id: loopback only, no JWT), on each Teams transport
(CONCORD_TEAMS_SDK), talks to Microsoft's Agents Playground
(`tests.stand_ins.teams_playground`), which emulates Teams and the Bot Framework
connector; Playwright drives the playground's web UI. In its personal
chat: the install greets, text commands set up a collaborative and open a poll,
a click on the Adaptive Card's button (an `Action.Execute`) votes and turns that card
into the voter's own, the outbox updates it in place, and a check-in started now
arrives proactively. Under CI=true a missing
Chromium or playground fails the run; elsewhere the test skips and says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.stand_ins.teams_playground import require_playground, running_playground
from tests.support.processes import Server

pytestmark = pytest.mark.browser

# The greeting waits for the playground to connect to Concord; the rest is one turn each,
# except a poll card's update, which the outbox coalesces (a 2 s window for Teams).
GREETING_TIMEOUT_MS = 30_000
REPLY_TIMEOUT_MS = 10_000
UPDATE_TIMEOUT_MS = 20_000
# The playground's page loads fonts and telemetry from Microsoft's servers: not in a test.
ELSEWHERE = re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)(:\d+)?/)")


@pytest.fixture
def playground(tmp_path: Path, teams_sdk: str) -> Iterator[str]:
    """Concord serving Teams in local mode (no app id) on `teams_sdk`, and the playground
    pointed at it: its UI."""
    require_playground()
    server = Server(
        tmp_path / "concord",
        CONCORD_PLAYGROUND="false",
        CONCORD_TEAMS_LOCAL="true",
        CONCORD_TEAMS_SDK=teams_sdk,
    )
    try:
        server.wait_until_healthy()
        with running_playground(tmp_path / "playground", f"{server.url}/api/messages") as url:
            yield url
    finally:
        server.stop()


def say(page: Page, text: str) -> None:
    """Type `text` into the chat's box (a Lexical editor) and send it."""
    box = page.locator('[contenteditable="true"][data-lexical-editor="true"]')
    box.click()
    box.press_sequentially(text)
    expect(box).to_have_text(text)
    box.press("Enter")
    expect(box).to_have_text("")


def cards(page: Page, heading: str) -> Locator:
    """The Adaptive Cards in the conversation whose heading is exactly `heading`."""
    return page.locator(".ac-adaptiveCard").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )


def test_a_poll_and_a_checkin_in_microsofts_teams_test_client(playground, browser, tmp_path):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.route(ELSEWHERE, lambda route: route.abort())
    page.goto(playground)

    # Opening the personal chat installs Concord (conversationUpdate, installationUpdate):
    # one greeting.
    expect(cards(page, "Hello, I'm Concord")).to_have_count(1, timeout=GREETING_TIMEOUT_MS)

    # Concord treats a personal chat like a channel: set up, then a poll by text.
    say(page, 'setup "North"')
    expect(cards(page, "North is set up")).to_have_count(1, timeout=REPLY_TIMEOUT_MS)
    say(page, 'poll "Lunch?" "Soup" "Salad"')
    poll = cards(page, "Lunch?")
    expect(poll).to_have_count(1, timeout=REPLY_TIMEOUT_MS)
    expect(poll).to_contain_text("0 people voted")

    # A vote by the card's button, an Action.Execute: the playground sends the invoke and
    # shows the card Concord answers in place of the one pressed, the voter's own (what
    # Concord says to them on top, the poll with their vote under it); no chat message.
    messages = page.locator(".ac-adaptiveCard").count()
    poll.get_by_role("button", name="Soup", exact=True).click()
    voted = page.locator(".ac-adaptiveCard", has_text="You voted “Soup” in poll #1")
    expect(voted).to_have_count(1, timeout=REPLY_TIMEOUT_MS)
    expect(voted).to_contain_text("Lunch?")
    expect(voted).to_contain_text("1 person voted")
    expect(page.locator(".ac-adaptiveCard")).to_have_count(messages)
    # The outbox then updates the same card for everyone (no second copy).
    expect(poll).to_contain_text("1 person voted", timeout=UPDATE_TIMEOUT_MS)
    expect(poll).to_contain_text("1 · 100%")
    expect(poll).to_contain_text("0 · 0%")
    expect(poll).to_have_count(1)

    # A check-in, started now, is posted proactively through the stored reference.
    say(page, 'checkin add "every day 09:00"')
    expect(cards(page, "Check-in #1 scheduled")).to_have_count(1, timeout=REPLY_TIMEOUT_MS)
    say(page, "checkin now 1")
    checkin = cards(page, "Check-in #1")
    expect(checkin).to_have_count(1, timeout=UPDATE_TIMEOUT_MS)
    expect(checkin).to_contain_text("0 answered")
    expect(checkin.get_by_role("button", name="5", exact=True)).to_have_count(2)
    expect(checkin.get_by_role("button", name="Answer privately")).to_be_visible()

    page.screenshot(path=str(tmp_path / "teams-playground.png"))
