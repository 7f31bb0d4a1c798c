"""The playground page checked by axe-core at each state of the README's tour, and at 320 px.

Deque's axe-core (the npm package `make test` installs into .cache/axe-core/) runs in
headless Chromium against `concord serve`, after each step a person takes in the tour:
help, a poll opened, the channels side by side, a vote, an observer's refusal, the poll
form, a check-in, a purpose round's proposal form and the proposal in, the poll closed and
the decision log. No state may have a serious or critical violation of WCAG 2.2 AA. At
320 CSS px wide (a phone, or 1280 px at 400 % zoom) and at 200 % zoom the page never scrolls
sideways, and the skip link brings the message box into view.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.adapters.playground.test_playground_browser import (
    COMMAND_WAIT_MS,
    HILLVIEW,
    RIVERSIDE,
    act_as,
    open_playground,
    pane,
    type_command,
)
from tests.support.axe import axe_violations, grave, readable

pytestmark = pytest.mark.browser

QUESTION = "Which shared priority first?"
NARROW = {"width": 320, "height": 640}
ZOOMED_200 = {"width": 640, "height": 450}


def assert_accessible(page: Page, state: str) -> None:
    """No serious or critical axe-core violation on the page as it stands."""
    found = grave(axe_violations(page))
    assert not found, readable(found, state)


def assert_no_sideways_scroll(page: Page, state: str) -> None:
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None
    assert width <= viewport["width"], (
        f"the page {state} is {width} px wide in a {viewport['width']} px viewport"
    )


def message_with(page: Page, channel: str, text: str):  # noqa: ANN201 — a Playwright Locator
    return (
        page.get_by_test_id(f"transcript-{channel}").get_by_test_id("message").filter(has_text=text)
    )


def test_every_state_of_the_tour_has_no_serious_axe_violation(concord, browser):
    page = open_playground(browser, concord)
    assert_accessible(page, "on opening")

    act_as(page, "asha")
    page.get_by_test_id(f"channel-{RIVERSIDE}").click()
    type_command(page, RIVERSIDE, "help")
    expect(page.get_by_test_id(f"transcript-{RIVERSIDE}")).to_contain_text("coordinator")
    assert_accessible(page, "after help")

    type_command(page, RIVERSIDE, f'poll "{QUESTION}" "Discharge delays" "Mental health beds"')
    expect(message_with(page, RIVERSIDE, QUESTION)).to_have_count(1)
    assert_accessible(page, "with an open poll")

    page.get_by_test_id("side-by-side").check()
    expect(message_with(page, HILLVIEW, QUESTION)).to_have_count(1)
    assert_accessible(page, "side by side")

    act_as(page, "carys")
    pane(page, HILLVIEW).get_by_role("button", name="Discharge delays").first.click()
    counts = page.get_by_test_id(f"transcript-{HILLVIEW}").get_by_test_id("result-count")
    expect(counts.first).to_have_attribute("data-count", "1", timeout=COMMAND_WAIT_MS)
    assert_accessible(page, "after a vote")

    act_as(page, "elin")
    pane(page, RIVERSIDE).get_by_role("button", name="Mental health beds").first.click()
    replies = page.get_by_test_id(f"transcript-{RIVERSIDE}").get_by_test_id("reply")
    expect(replies).not_to_have_count(0)
    assert_accessible(page, "after an observer's refusal")

    act_as(page, "asha")
    type_command(page, RIVERSIDE, "poll")
    expect(pane(page, RIVERSIDE).get_by_test_id("form")).to_be_visible()
    assert_accessible(page, "with the poll form open")
    pane(page, RIVERSIDE).get_by_role("button", name="Cancel").click()

    type_command(page, RIVERSIDE, 'checkin add "every monday 09:00"')
    type_command(page, RIVERSIDE, "checkin now 1")
    expect(page.get_by_test_id(f"transcript-{RIVERSIDE}")).to_contain_text("How confident")
    assert_accessible(page, "with a check-in")

    type_command(page, RIVERSIDE, "purpose start")
    round_message = (
        page.get_by_test_id(f"transcript-{RIVERSIDE}")
        .get_by_test_id("message")
        .filter(has=page.get_by_role("heading", name=re.compile("^Our shared purpose:")))
    )
    expect(round_message).to_have_count(1)
    act_as(page, "ben")
    round_message.get_by_role("button", name="Propose").first.click()
    form = pane(page, RIVERSIDE).get_by_test_id("form")
    expect(form).to_be_visible()
    assert_accessible(page, "with the proposal form open")
    form.get_by_role("textbox").first.fill("Join up care for frail older people")
    form.get_by_role("button", name="Propose").click()
    expect(form).to_have_count(0, timeout=COMMAND_WAIT_MS)
    assert_accessible(page, "after a proposal")

    act_as(page, "asha")
    type_command(page, RIVERSIDE, "poll close 1")
    type_command(page, RIVERSIDE, "decisions")
    expect(page.get_by_test_id(f"transcript-{RIVERSIDE}")).to_contain_text("Result of poll #1")
    assert_accessible(page, "after the poll closed and the decision log")


def test_at_320_px_wide_the_page_reflows_without_sideways_scrolling(concord, browser: Browser):
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    page.goto(f"{concord}/playground")
    expect(page.get_by_test_id("persona-asha")).to_be_visible()
    assert_no_sideways_scroll(page, "on opening")

    act_as(page, "asha")
    page.get_by_test_id(f"channel-{RIVERSIDE}").click()
    type_command(page, RIVERSIDE, f'poll "{QUESTION}" "Discharge delays" "Mental health beds"')
    type_command(page, RIVERSIDE, 'checkin add "every monday 09:00"')
    type_command(page, RIVERSIDE, "checkin now 1")
    expect(page.get_by_test_id(f"transcript-{RIVERSIDE}")).to_contain_text("How confident")
    type_command(page, RIVERSIDE, "poll")
    expect(pane(page, RIVERSIDE).get_by_test_id("form")).to_be_visible()
    assert_no_sideways_scroll(page, "with a poll, a check-in and the poll form")
    assert_accessible(page, "at 320 px wide")

    # A 1280 × 900 window at 200 % zoom lays the page out in 640 × 450 CSS px.
    page.set_viewport_size(ZOOMED_200)
    assert_no_sideways_scroll(page, "at 200 % zoom")
    page.get_by_test_id("skip-link").focus()
    page.keyboard.press("Enter")
    box = pane(page, RIVERSIDE).get_by_test_id("command-input")
    expect(box).to_be_focused()
    expect(box).to_be_in_viewport()
