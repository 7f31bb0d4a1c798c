"""The playground page in headless Chromium, against `concord serve` running for real.

A visitor sets up a collaborative in #sandbox; then, in the demo, a coordinator
starts a poll, two people from two trusts vote in their own channels, and
both channels show the same live counts. Under CI=true a missing Chromium
fails the run; elsewhere the test skips and says why.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

COMMAND_WAIT_MS = 60_000  # the longest an answer from Concord may take on a busy machine

pytestmark = pytest.mark.browser

QUESTION = "Which shared priority first?"
RIVERSIDE = "riverside-partnership"
HILLVIEW = "hillview-partnership"


def open_playground(browser: Browser, url: str, timezone_id: str | None = None) -> Page:
    """The playground in a browser, in the machine's time zone unless `timezone_id` says
    (the page shows each moment in the browser's zone)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, timezone_id=timezone_id)
    page = context.new_page()
    page.on("dialog", lambda dialog: pytest.fail(f"the page ran a script: {dialog.message}"))
    page.goto(f"{url}/playground")
    expect(page.get_by_test_id("persona-asha")).to_be_visible()
    return page


def act_as(page: Page, user: str) -> None:
    page.get_by_test_id(f"persona-{user}").click()
    expect(page.get_by_test_id(f"persona-{user}")).to_have_attribute(
        "aria-pressed", "true", timeout=COMMAND_WAIT_MS
    )


def pane(page: Page, channel: str):  # noqa: ANN201 — a Playwright Locator
    return page.get_by_test_id(f"pane-{channel}")


def type_command(page: Page, channel: str, text: str) -> None:
    box = pane(page, channel).get_by_test_id("command-input")
    box.fill(text)
    box.press("Enter")
    # The box stays disabled until Concord answers. The first `purpose next` loads the
    # grouping model, which takes seconds on a busy two-core machine: wait for the answer.
    expect(box).to_be_enabled(timeout=COMMAND_WAIT_MS)


def counts_in(page: Page, channel: str):  # noqa: ANN201 — a Playwright Locator
    return page.get_by_test_id(f"transcript-{channel}").get_by_test_id("result-count")


def test_a_poll_updates_live_in_both_trusts_channels(concord, browser, tmp_path):
    page = open_playground(browser, concord)

    # A visitor tries Concord from scratch in the unlinked #sandbox.
    page.get_by_test_id("newcomer-name").fill("Priya Shah")
    page.get_by_test_id("newcomer-name").press("Enter")
    page.get_by_test_id("channel-sandbox").click()
    type_command(page, "sandbox", 'setup "My collaborative"')
    expect(page.get_by_test_id("transcript-sandbox")).to_contain_text("My collaborative is set up")
    expect(page.get_by_test_id("channel-sandbox")).to_contain_text("My collaborative")

    # In the demo, a member's refused command keeps what they typed; hostile text stays text.
    act_as(page, "ben")
    page.get_by_test_id(f"channel-{RIVERSIDE}").click()
    refused = 'org add "<img src=x onerror=alert(1)>"'
    type_command(page, RIVERSIDE, refused)
    expect(page.get_by_test_id(f"transcript-{RIVERSIDE}")).to_contain_text("Only a coordinator")
    expect(page.get_by_test_id(f"transcript-{RIVERSIDE}")).to_contain_text(
        "<img src=x onerror=alert(1)>"
    )
    expect(pane(page, RIVERSIDE).get_by_test_id("command-input")).to_have_value(refused)

    # Someone from Hillview watches their own channel in another browser.
    watcher = open_playground(browser, concord)
    act_as(watcher, "dev")
    watcher.get_by_test_id(f"channel-{HILLVIEW}").click()

    # The coordinator starts a poll; both channels of the collaborative show it side by side.
    act_as(page, "asha")
    type_command(page, RIVERSIDE, f'poll "{QUESTION}" "Discharge delays" "Mental health beds"')
    page.get_by_test_id("side-by-side").check()
    for channel in (RIVERSIDE, HILLVIEW):
        expect(page.get_by_test_id(f"transcript-{channel}")).to_contain_text(QUESTION)
    expect(watcher.get_by_test_id(f"transcript-{HILLVIEW}")).to_contain_text(QUESTION)

    act_as(page, "ben")
    pane(page, RIVERSIDE).get_by_role("button", name="Discharge delays").click()
    expect(counts_in(watcher, HILLVIEW).first).to_have_attribute("data-count", "1")

    act_as(page, "carys")
    pane(page, HILLVIEW).get_by_role("button", name="Discharge delays").click()

    for channel in (RIVERSIDE, HILLVIEW):
        expect(counts_in(page, channel).first).to_have_text("2 · 100%")
        expect(counts_in(page, channel).nth(1)).to_have_text("0 · 0%")
    expect(counts_in(watcher, HILLVIEW).first).to_have_attribute("data-count", "2")

    page.screenshot(path=str(tmp_path / "playground.png"))
    watcher.screenshot(path=str(tmp_path / "watcher.png"))


def test_a_ranked_vote_is_cast_through_the_form_its_button_opens(concord, browser):
    page = open_playground(browser, concord)
    act_as(page, "asha")
    page.get_by_test_id(f"channel-{RIVERSIDE}").click()
    type_command(page, RIVERSIDE, 'poll "Which first?" "Beds" "Workforce" "Data" --type ranked')
    act_as(page, "ben")
    pane(page, RIVERSIDE).get_by_role("button", name="Rank the options").click()
    first = pane(page, RIVERSIDE).locator("fieldset", has_text="1st choice")
    first.get_by_label("Workforce").check()
    pane(page, RIVERSIDE).locator("fieldset", has_text="2nd choice").get_by_label("Beds").check()
    pane(page, RIVERSIDE).get_by_role("button", name="Vote").click()
    expect(page.get_by_test_id(f"transcript-{RIVERSIDE}")).to_contain_text(
        "You ranked “Workforce” 1st, “Beds” 2nd"
    )
    expect(page.get_by_test_id(f"transcript-{RIVERSIDE}")).to_contain_text(
        "1 person voted · after 1 round of instant run-off"
    )


def test_a_deadline_shows_in_the_browsers_zone_with_the_collaboratives_beside_it(concord, browser):
    context = browser.new_context(timezone_id="America/New_York", locale="en-GB")
    page = context.new_page()
    page.goto(f"{concord}/playground")
    act_as(page, "asha")
    page.get_by_test_id(f"channel-{RIVERSIDE}").click()
    type_command(page, RIVERSIDE, 'poll "Lunch at noon?" "Yes" "No" --closes friday 17:00')
    deadline = page.get_by_test_id(f"transcript-{RIVERSIDE}").locator("time[data-moment]").first
    expect(deadline).to_have_text(re.compile(r"^\w{3} \d{1,2} \w{3} \d{4} 1[1-3]:00 GMT-[45]$"))
    expect(deadline).to_have_attribute("title", re.compile(r"17:00 (GMT|BST)$"))
