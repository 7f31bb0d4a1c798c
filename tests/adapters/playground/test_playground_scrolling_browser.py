"""The playground page keeps the newest message in view, unless the person scrolled up to
read; says the times as the UK writes them; and starts the demo afresh when asked twice."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.adapters.playground.test_playground_browser import (
    RIVERSIDE,
    act_as,
    open_playground,
    pane,
    type_command,
)

pytestmark = pytest.mark.browser

POLL = 'poll "Which shared priority first?" "Discharge delays" "Mental health beds"'


def asha_with_a_long_transcript(browser: Browser, url: str) -> Page:
    """Asha in Riverside, having asked for `help all` three times (private and long)."""
    page = open_playground(browser, url)
    act_as(page, "asha")
    page.get_by_test_id(f"channel-{RIVERSIDE}").click()
    for _ in range(3):
        type_command(page, RIVERSIDE, "help all")
    return page


def transcript(page: Page):  # noqa: ANN201 — a Playwright Locator
    return page.get_by_test_id(f"transcript-{RIVERSIDE}")


def gap_below(page: Page) -> float:
    """How far the transcript's end is below what the person sees, in pixels."""
    return transcript(page).evaluate("l => l.scrollHeight - l.scrollTop - l.clientHeight")


def shows_the_end(page: Page) -> None:
    page.wait_for_function(
        "l => l.scrollHeight - l.scrollTop - l.clientHeight < 2",
        arg=transcript(page).element_handle(),
    )
    expect(transcript(page).locator("li.entry").last).to_be_in_viewport()


def charts_loaded(page: Page) -> None:
    page.wait_for_function(
        "l => [...l.querySelectorAll('img')].every(i => i.complete && i.naturalHeight > 0)",
        arg=transcript(page).element_handle(),
    )


def test_the_newest_message_stays_in_view_through_charts_and_switching_people(concord, browser):
    page = asha_with_a_long_transcript(browser, concord)
    type_command(page, RIVERSIDE, POLL)
    act_as(page, "ben")
    pane(page, RIVERSIDE).get_by_role("button", name="Discharge delays").click()
    expect(transcript(page)).to_contain_text("You voted")
    act_as(page, "asha")  # her private replies come back into the pane
    shows_the_end(page)

    type_command(page, RIVERSIDE, "poll close 1")  # the result's chart loads after it lands
    expect(transcript(page)).to_contain_text("Result")
    charts_loaded(page)
    shows_the_end(page)
    type_command(page, RIVERSIDE, "decisions")
    expect(transcript(page).locator("li.entry").last).to_contain_text("Decision")
    charts_loaded(page)
    shows_the_end(page)
    expect(pane(page, RIVERSIDE).get_by_test_id("new-messages")).to_be_hidden()


def test_someone_who_scrolled_up_is_not_yanked_and_is_told_of_new_messages(concord, browser):
    page = asha_with_a_long_transcript(browser, concord)
    shows_the_end(page)

    transcript(page).hover()
    page.mouse.wheel(0, -600)
    page.wait_for_function(
        "l => l.scrollHeight - l.scrollTop - l.clientHeight > 300",
        arg=transcript(page).element_handle(),
    )
    reading_at = transcript(page).evaluate("l => l.scrollTop")

    colleague = open_playground(browser, concord)  # Asha, in another window, starts a poll
    act_as(colleague, "asha")
    type_command(colleague, RIVERSIDE, POLL)

    news = pane(page, RIVERSIDE).get_by_test_id("new-messages")
    expect(news).to_be_visible()
    expect(news).to_have_text("New messages ↓")
    assert transcript(page).evaluate("l => l.scrollTop") == reading_at
    assert gap_below(page) > 300

    news.click()
    shows_the_end(page)
    expect(transcript(page).locator("li.entry").last).to_contain_text(
        "Which shared priority first?"
    )
    expect(news).to_be_hidden()


def test_times_are_shown_as_the_uk_writes_them(concord, browser):
    page = browser.new_context(locale="en-US", timezone_id="America/New_York").new_page()
    page.goto(f"{concord}/playground")
    act_as(page, "asha")
    page.get_by_test_id(f"channel-{RIVERSIDE}").click()
    type_command(page, RIVERSIDE, "help")

    shown = transcript(page).locator("time").last
    expect(shown).to_have_text(re.compile(r"^([01]\d|2[0-3]):[0-5]\d$"))  # "14:05", no "PM"


def test_the_demo_is_reset_only_after_the_person_confirms(concord, browser):
    page = open_playground(browser, concord)
    act_as(page, "asha")
    page.get_by_test_id(f"channel-{RIVERSIDE}").click()
    type_command(page, RIVERSIDE, POLL)
    page.get_by_test_id("channel-sandbox").click()
    type_command(page, "sandbox", 'setup "My collaborative"')
    expect(page.get_by_test_id("channel-sandbox")).to_contain_text("My collaborative")

    page.get_by_test_id("reset-demo").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("start the demo afresh?")
    page.get_by_test_id("reset-cancel").click()
    expect(page.get_by_test_id("channel-sandbox")).to_contain_text("My collaborative")
    expect(page.get_by_test_id("reset-demo")).to_be_visible()

    page.get_by_test_id("reset-demo").click()
    page.get_by_test_id("reset-confirm").click()

    expect(page.get_by_test_id("channel-sandbox")).to_contain_text("not linked yet")
    expect(page.get_by_test_id("transcript-sandbox")).to_have_text("No messages yet.")
    page.get_by_test_id(f"channel-{RIVERSIDE}").click()
    expect(transcript(page)).to_have_text("No messages yet.")
    expect(page.get_by_test_id(f"channel-{RIVERSIDE}")).to_contain_text(
        "Northshire Provider Collaborative"
    )
