"""Buttons that ask first, in the playground: the page's own dialog asks the question, with
the card's words for going on and for leaving things as they are.

The render test checks what the server sends (every word escaped, as attributes the
page reads as text); the browser test, in headless Chromium against `concord serve`,
checks what a person sees and that "Not yet" and "Keep it open" change nothing.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from adapters.playground.render import render_block
from dialogs.core.cards import Actions, Button, Confirm
from tests.adapters.playground.test_playground_browser import (
    RIVERSIDE,
    act_as,
    counts_in,
    open_playground,
    pane,
    type_command,
)
from tests.adapters.playground.test_playground_render import HOSTILE, parsed


@pytest.mark.parametrize("typed", HOSTILE)
def test_the_question_rides_on_the_button_as_escaped_text(typed):
    asked = Confirm(title=f"Vote “{typed}”?", text=typed, yes="Cast my vote", no=typed)
    html = render_block(Actions(elements=[Button(label=typed, action="vote:1:1", confirm=asked)]))

    tags = parsed(html)
    assert tags.tags == ["div", "button"]
    assert dict(tags.attributes[1:]) == {
        "type": "button",
        "class": "btn btn-default",
        "data-action": "vote:1:1",
        "data-confirm-title": f"Vote “{typed}”?",
        "data-confirm-text": typed,
        "data-confirm-yes": "Cast my vote",
        "data-confirm-no": typed,
    }


def test_a_button_that_does_not_ask_carries_no_question():
    html = render_block(Actions(elements=[Button(label="Soup", action="vote:1:1")]))

    assert "data-confirm" not in html


def dialog(page: Page):  # noqa: ANN201 — a Playwright Locator
    return page.get_by_test_id("confirm")


@pytest.mark.browser
def test_an_anonymous_vote_and_a_close_each_ask_first_and_no_changes_nothing(concord, browser):
    page = open_playground(browser, concord)
    act_as(page, "asha")
    page.get_by_test_id(f"channel-{RIVERSIDE}").click()
    type_command(page, RIVERSIDE, 'poll "Secret?" "Yes" "No" --anonymous --results live')
    transcript = page.get_by_test_id(f"transcript-{RIVERSIDE}")
    expect(transcript).to_contain_text("Poll #1 is open")
    expect(pane(page, RIVERSIDE).get_by_role("button", name="Close poll")).to_have_count(1)

    act_as(page, "ben")
    pane(page, RIVERSIDE).get_by_role("button", name="Yes").click()
    expect(dialog(page)).to_contain_text("Vote “Yes”?")
    expect(dialog(page)).to_contain_text("once cast, your vote can't be changed")
    dialog(page).get_by_role("button", name="Not yet").click()
    expect(dialog(page)).to_have_count(0)
    type_command(page, RIVERSIDE, "poll list")
    expect(transcript).to_contain_text("#1 · single · open · 0 voted · Secret?")

    pane(page, RIVERSIDE).get_by_role("button", name="Yes").click()
    dialog(page).get_by_role("button", name="Cast my vote").click()
    expect(transcript).to_contain_text(
        "Your anonymous vote in poll #1 is recorded — you voted “Yes”"
    )
    expect(counts_in(page, RIVERSIDE).first).to_have_attribute("data-count", "1")
    expect(pane(page, RIVERSIDE).get_by_role("button", name="Close poll")).to_have_count(0)

    act_as(page, "asha")
    close = pane(page, RIVERSIDE).get_by_role("button", name="Close poll #1")
    close.click()
    expect(dialog(page)).to_contain_text("Close poll #1 now?")
    dialog(page).get_by_role("button", name="Keep it open").click()
    type_command(page, RIVERSIDE, "poll list")
    expect(transcript).to_contain_text("#1 · single · open · 1 voted · Secret?")

    close.click()
    dialog(page).get_by_role("button", name="Close it").click()
    expect(transcript).to_contain_text("Result of poll #1")
