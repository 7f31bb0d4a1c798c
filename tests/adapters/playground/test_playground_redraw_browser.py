"""Clicks that straddle a redraw, in headless Chromium, against `concord serve`.

Ben presses the mouse on a poll's button; before he lets go, Carys votes in her own channel,
so the poll's card in front of him changes its counts. When he lets go, his click is counted
once, the button he pressed keeps the focus, and only his own confirmation is spoken. And
while his vote is on its way, the button stays busy through the redraw, so clicking it again
sends nothing more. The page updates a changed card in place: a button drawn afresh between
the press and the release of a click lost the click, and a fresh copy was no longer busy.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect

from tests.adapters.playground import test_playground_browser as playground

pytestmark = pytest.mark.browser

CHOSEN, OTHER = "Discharge delays", "Mental health beds"


def ben_sees_a_poll(browser: Browser, url: str) -> Page:
    """Asha starts a poll in Riverside's channel; the page then acts as Ben."""
    page = playground.open_playground(browser, url)
    playground.act_as(page, "asha")
    page.get_by_test_id(f"channel-{playground.RIVERSIDE}").click()
    playground.type_command(
        page, playground.RIVERSIDE, f'poll "{playground.QUESTION}" "{CHOSEN}" "{OTHER}"'
    )
    playground.act_as(page, "ben")
    return page


def option_button(page: Page, option: str) -> Locator:
    # Found by the words it shows: its spoken name may say more.
    return playground.pane(page, playground.RIVERSIDE).locator(
        "button[data-action]", has_text=option
    )


def count_of(page: Page, option: str) -> Locator:
    poll = page.get_by_test_id(f"transcript-{playground.RIVERSIDE}").get_by_test_id("message")
    return poll.get_by_test_id("result-bar").filter(has_text=option).get_by_test_id("result-count")


def centre(button: Locator) -> tuple[float, float]:
    box = button.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def point_at(page: Page, button: Locator) -> None:
    page.mouse.move(*centre(button))


def vote_elsewhere(page: Page, url: str, action: str) -> None:
    """Carys votes from her own channel through the API, as another browser would."""
    answer = page.request.post(
        f"{url}/playground/api/action",
        data={"user": "carys", "channel": playground.HILLVIEW, "action": action, "values": {}},
    )
    assert answer.ok, answer.text()


def test_a_click_whose_card_is_redrawn_between_press_and_release_counts_once(concord, browser):
    page = ben_sees_a_poll(browser, concord)
    chosen = option_button(page, CHOSEN)
    expect(chosen).to_be_visible()

    # The mouse goes down on Ben's choice and stays down while Carys's vote is drawn.
    point_at(page, chosen)
    page.mouse.down()
    expect(chosen).to_be_focused()
    vote_elsewhere(page, concord, option_button(page, OTHER).get_attribute("data-action") or "")
    expect(count_of(page, OTHER)).to_have_attribute(
        "data-count", "1", timeout=playground.COMMAND_WAIT_MS
    )
    # The card grew ("Mental health beds (leading)" takes two lines): Ben's hand follows the
    # button before he lets go.
    point_at(page, chosen)
    page.mouse.up()

    # One vote for his choice, one confirmation, the focus where he left it.
    expect(count_of(page, CHOSEN)).to_have_attribute(
        "data-count", "1", timeout=playground.COMMAND_WAIT_MS
    )
    replies = page.get_by_test_id(f"transcript-{playground.RIVERSIDE}").get_by_test_id("reply")
    expect(replies.filter(has_text=f"You voted “{CHOSEN}”")).to_have_count(1)
    expect(replies.filter(has_text="already voted")).to_have_count(0)
    expect(chosen).to_be_focused()
    expect(page.get_by_test_id("announcer")).to_contain_text(f"You voted “{CHOSEN}”")
    expect(page.locator("[aria-live]")).to_have_count(1)


def test_a_button_busy_with_its_vote_stays_busy_when_its_card_is_redrawn(concord, browser):
    page = ben_sees_a_poll(browser, concord)
    chosen = option_button(page, CHOSEN)

    # Ben's vote is held on its way to Concord while Carys's vote redraws the card.
    held: list[Route] = []
    page.route("**/playground/api/action", lambda route: held.append(route))
    chosen.click()
    vote_elsewhere(page, concord, option_button(page, OTHER).get_attribute("data-action") or "")
    expect(count_of(page, OTHER)).to_have_attribute(
        "data-count", "1", timeout=playground.COMMAND_WAIT_MS
    )

    # He clicks again, impatient: nothing more is sent, and his one vote is counted once.
    page.mouse.click(*centre(chosen))
    held[0].continue_()
    expect(count_of(page, CHOSEN)).to_have_attribute(
        "data-count", "1", timeout=playground.COMMAND_WAIT_MS
    )
    expect(chosen).not_to_have_attribute("aria-disabled", "true")
    assert len(held) == 1, "the second click sent a second vote"
    replies = page.get_by_test_id(f"transcript-{playground.RIVERSIDE}").get_by_test_id("reply")
    expect(replies.filter(has_text="already voted")).to_have_count(0)
    expect(chosen).to_be_focused()
