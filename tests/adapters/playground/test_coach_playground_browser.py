"""The question coach in a real browser: a vague poll typed in the playground is held in its
author's private preview with the coach's finding, and Post anyway posts it to every channel."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.adapters.playground.test_playground_browser import (
    COMMAND_WAIT_MS,
    HILLVIEW,
    RIVERSIDE,
    act_as,
    open_playground,
    pane,
    type_command,
)

pytestmark = pytest.mark.browser

VAGUE = "How are things going with the partnership?"


def test_a_vague_poll_is_held_with_its_finding_and_posted_anyway(concord, browser, tmp_path):
    page = open_playground(browser, concord)
    act_as(page, "asha")
    page.get_by_test_id(f"channel-{RIVERSIDE}").click()
    type_command(page, RIVERSIDE, f'poll "{VAGUE}" "Well" "Badly" "Don\'t know"')
    mine = page.get_by_test_id(f"transcript-{RIVERSIDE}")
    expect(mine).to_contain_text("The question is too broad to answer concretely.")
    expect(mine).to_contain_text("Name what, when or who, for example:")
    page.get_by_test_id("side-by-side").check()
    expect(page.get_by_test_id(f"transcript-{HILLVIEW}")).not_to_contain_text(VAGUE)
    page.screenshot(path=str(tmp_path / "held.png"))

    pane(page, RIVERSIDE).get_by_role("button", name="Post anyway").click()
    expect(page.get_by_test_id(f"transcript-{HILLVIEW}")).to_contain_text(
        VAGUE, timeout=COMMAND_WAIT_MS
    )
    expect(pane(page, HILLVIEW).get_by_role("button", name="Well")).to_be_visible()
    page.screenshot(path=str(tmp_path / "posted.png"))
