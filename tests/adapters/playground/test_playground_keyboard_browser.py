"""The playground with the keyboard alone, in headless Chromium, against `concord serve`.

A person who uses no mouse skips to the message box, starts a poll, a check-in and a
purpose round as the coordinator, then, as a member, votes, answers the check-in and
proposes a statement: Tab, Shift+Tab, Enter, Space and typing only. After each action
the focus stays on what they acted on (or moves to the next sensible place), never on
the page itself, and only the new message is spoken.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.adapters.playground.test_playground_browser import (
    COMMAND_WAIT_MS,
    RIVERSIDE,
    open_playground,
    pane,
)

pytestmark = pytest.mark.browser

QUESTION = "Which shared priority first?"
STATEMENT = "Join up care for frail older people leaving hospital"
MOST_TABS = 400  # every control of the page, with a long history, and some to spare


def tab_to(page: Page, target: Locator, *, backwards: bool = False) -> None:
    """Tab (or Shift+Tab) until `target` has the focus. The target is looked up afresh at
    each step: messages are drawn again whenever anything changes."""
    for _ in range(MOST_TABS):
        if target.evaluate("node => node === document.activeElement", timeout=COMMAND_WAIT_MS):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    pytest.fail(f"{MOST_TABS} presses of Tab never reached {target}")


def focus_is_on_the_page(page: Page) -> bool:
    return page.evaluate("() => document.activeElement === document.body")


def send(page: Page, text: str) -> None:
    """Type a command into the focused message box and press Enter; wait for the answer."""
    box = pane(page, RIVERSIDE).get_by_test_id("command-input")
    expect(box).to_be_focused()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    expect(box).to_be_editable(timeout=COMMAND_WAIT_MS)
    expect(box).to_be_focused()


def become(page: Page, user: str) -> None:
    """Back up from the message box to the person in the sidebar, and press Enter."""
    persona = page.get_by_test_id(f"persona-{user}")
    tab_to(page, persona, backwards=True)
    page.keyboard.press("Enter")
    expect(persona).to_have_attribute("aria-pressed", "true", timeout=COMMAND_WAIT_MS)
    expect(persona).to_be_focused()


def message(page: Page, heading: str | re.Pattern[str]) -> Locator:
    return (
        page.get_by_test_id(f"transcript-{RIVERSIDE}")
        .get_by_test_id("message")
        .filter(has=page.get_by_role("heading", name=heading))
    )


def test_a_member_votes_answers_a_check_in_and_proposes_with_the_keyboard_alone(concord, browser):
    page = open_playground(browser, concord)
    announcer = page.get_by_test_id("announcer")

    # The first Tab reaches the skip link; Enter puts the focus in the message box.
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("skip-link")).to_be_focused()
    expect(page.get_by_test_id("skip-link")).to_have_text("Skip to the message box")
    page.keyboard.press("Enter")

    # As Asha, the coordinator: a poll, a check-in and a purpose round. Each new message is
    # spoken in a few words by the one live region; the history is not live.
    send(page, f'poll "{QUESTION}" "Discharge delays" "Mental health beds"')
    expect(announcer).to_contain_text(QUESTION)
    expect(page.locator("[aria-live]")).to_have_count(1)
    send(page, 'checkin add "every monday 09:00"')
    send(page, "checkin now 1")
    send(page, "purpose start")
    expect(announcer).to_contain_text("Our shared purpose")

    become(page, "ben")

    # Ben votes with Space; the focus stays on the button he pressed, drawn afresh.
    poll = message(page, QUESTION)
    vote = poll.get_by_role("button", name="Discharge delays")
    tab_to(page, vote)
    page.keyboard.press("Space")
    expect(poll.get_by_test_id("result-count").first).to_have_attribute(
        "data-count", "1", timeout=COMMAND_WAIT_MS
    )
    expect(vote).to_be_focused()

    # He answers the check-in's first question with 4, by Enter.
    checkin = message(page, re.compile("check-in", re.IGNORECASE))
    four = checkin.locator("button[data-action]").filter(has_text=re.compile(r"^\s*4\s*$")).first
    tab_to(page, four)
    page.keyboard.press("Enter")
    expect(
        page.get_by_test_id(f"transcript-{RIVERSIDE}").get_by_test_id("reply").last
    ).to_contain_text("4", timeout=COMMAND_WAIT_MS)
    assert not focus_is_on_the_page(page)

    # He proposes a statement: the form opens on its text box, and when it is sent the focus
    # goes back to the button that opened it.
    # Found by the words it shows: its spoken name may say more ("Propose: a statement…").
    propose = message(page, re.compile("^Our shared purpose:")).locator(
        "button[data-action]", has_text=re.compile(r"^\s*Propose\s*$")
    )
    tab_to(page, propose)
    page.keyboard.press("Enter")
    form = pane(page, RIVERSIDE).get_by_test_id("form")
    expect(form.get_by_role("textbox").first).to_be_focused(timeout=COMMAND_WAIT_MS)
    page.keyboard.type(STATEMENT)
    tab_to(page, form.get_by_role("button", name="Propose", exact=True))
    page.keyboard.press("Enter")
    expect(form).to_have_count(0, timeout=COMMAND_WAIT_MS)
    expect(propose).to_be_focused()
    expect(announcer).to_have_text(
        re.compile("^Concord, only to you: Thank you: your proposal is in purpose round #1")
    )
