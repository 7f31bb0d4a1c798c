"""The playground's language choice in headless Chromium, against `concord serve`: a
labelled list beside the persona picker, sent with what the person types and clicks, and
remembered by the browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.adapters.playground.test_playground_browser import (
    RIVERSIDE,
    open_playground,
    pane,
    type_command,
)

pytestmark = pytest.mark.browser


def _sent_language(page: Page, text: str) -> str:
    with page.expect_request("**/playground/api/command") as sent:
        type_command(page, RIVERSIDE, text)
    return sent.value.post_data_json["language"]


def test_the_chosen_language_goes_with_each_command_and_is_remembered(
    concord: str, browser: Browser
):
    page = open_playground(browser, concord)
    chooser = page.get_by_label("Language · Iaith")
    expect(chooser).to_have_value("en")
    page.get_by_test_id(f"channel-{RIVERSIDE}").click()
    assert _sent_language(page, "help") == "en"

    chooser.select_option(label="Cymraeg")
    assert _sent_language(page, "help") == "cy"
    expect(pane(page, RIVERSIDE).get_by_test_id("command-input")).to_be_enabled()

    page.reload()
    expect(page.get_by_label("Language · Iaith")).to_have_value("cy")
