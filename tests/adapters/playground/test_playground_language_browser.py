"""The playground's language choice in headless Chromium, against `concord serve`: a
labelled list beside the persona picker, sent with what the person types and clicks,
remembered by the browser, and turning the page's own words Welsh or English at once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.adapters.playground.test_playground_browser import (
    RIVERSIDE,
    open_playground,
    pane,
    type_command,
)
from tests.support.axe import axe_violations, grave, readable

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


def test_choosing_cymraeg_turns_the_pages_own_words_welsh_and_keeps_what_was_typed(
    concord: str, browser: Browser
):
    page = open_playground(browser, concord)
    page.get_by_test_id(f"channel-{RIVERSIDE}").click()
    box = pane(page, RIVERSIDE).get_by_test_id("command-input")
    expect(box).to_have_attribute("placeholder", "Type a command, then Enter")
    box.fill("poll list")

    page.get_by_label("Language · Iaith").select_option(label="Cymraeg")

    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_test_id("skip-link")).to_have_text("Neidio i'r blwch neges")
    expect(page.get_by_role("heading", name="Gweithredu fel")).to_be_visible()
    expect(page.get_by_role("button", name="Ailosod y demo…")).to_be_visible()
    expect(box).to_have_attribute("placeholder", "Teipiwch orchymyn, yna Enter")
    expect(pane(page, RIVERSIDE).get_by_role("button", name="Anfon")).to_be_visible()
    expect(page.get_by_label(re.compile("^Neges i .* fel Asha Patel$"))).to_have_value("poll list")
    expect(page).to_have_title("Maes chwarae Concord")
    found = grave(axe_violations(page))
    assert not found, readable(found, "in Welsh")

    page.reload()  # the server sends the page in Welsh now
    expect(page.get_by_test_id("skip-link")).to_have_text("Neidio i'r blwch neges")
    page.get_by_label("Language · Iaith").select_option(label="English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("skip-link")).to_have_text("Skip to the message box")
    expect(page.get_by_role("heading", name="Act as")).to_be_visible()
    expect(page.get_by_label(re.compile("^Message .* as Asha Patel$"))).to_be_visible()
