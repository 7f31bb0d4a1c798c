"""The poll form's deadline in a real browser: Chromium's own date and time picker
(`<input type=datetime-local>`) fills the deadline, read in the collaborative's zone."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.adapters.playground.test_playground_browser import (
    RIVERSIDE,
    act_as,
    open_playground,
    pane,
    type_command,
)

pytestmark = pytest.mark.browser


def next_first_of_july() -> date:
    """A summer day within the year ahead (the server runs on the real clock)."""
    today = date.today()
    return date(today.year + (today.month >= 7), 7, 1)


def test_a_deadline_picked_in_the_form_is_echoed_in_summer_time(concord, browser):
    day = next_first_of_july()
    page = open_playground(browser, concord, timezone_id="Europe/London")  # a reader in London
    act_as(page, "asha")
    page.get_by_test_id(f"channel-{RIVERSIDE}").click()
    type_command(page, RIVERSIDE, "poll")
    form = pane(page, RIVERSIDE).get_by_test_id("form")
    form.get_by_label("Question", exact=True).fill("Which first?")
    form.get_by_label("Options, one per line").fill("Beds\nWorkforce")
    picker = form.get_by_label("Closes (Europe/London time)")
    expect(picker).to_have_attribute("type", "datetime-local")
    picker.fill(f"{day:%Y-%m-%d}T17:00")
    form.get_by_role("button", name="Start poll").click()
    expect(page.get_by_test_id(f"transcript-{RIVERSIDE}")).to_contain_text(
        f"{day:%a} {day.day} {day:%b %Y} 17:00 BST"
    )
