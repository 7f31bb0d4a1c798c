"""A whole purpose round in the playground page, in headless Chromium, against `concord serve`.

The demo collaborative's coordinator (Asha) starts a round in #partnership-riverside;
Ben proposes there while Carys and Dev propose from #partnership-hillview in their
own browser; the coordinator merges and renames a theme in her private editor; the
members dot-vote a shortlist, rank the drafts and consent; and both channels show
the adopted purpose. Everything is typed and clicked on the page as a person would.
Under CI=true a missing Chromium fails the run; elsewhere the test skips and says why.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

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

COLLABORATIVE = "Northshire Provider Collaborative"
ROUND_HEADING = f"Our shared purpose: {COLLABORATIVE}"
ADOPTED_HEADING = f"The shared purpose of {COLLABORATIVE}"
SHORTLIST = 2
# Six statements on three ideas, from Ben (Riverside) and Carys and Dev (Hillview). The two
# on waits are worded far enough apart to start in two themes, which the coordinator merges.
WAITS = "Cut waiting times for planned operations across our hospitals"
WAITS_TOO = "Use spare theatre time in any trust for anyone on a list"
FRAIL = "Join up care for frail older people leaving hospital"
FRAIL_TOO = "Help frail older people get home from hospital sooner"
STAFF = "Share our nursing staff so no ward runs short"
STAFF_TOO = "Share staff across trusts so no ward is short of nurses"
WAITS_TITLE = "Shorter waits for planned operations"
WAITS_DRAFT = "Cut waiting times for planned operations, wherever patients live"
THEMES = re.compile(r"The (\d+) proposals fall into (\d+) themes")


# What a person sees


def transcript(page: Page, channel: str) -> Locator:
    return page.get_by_test_id(f"transcript-{channel}")


def message(page: Page, channel: str, heading: str) -> Locator:
    """The channel messages (not private replies) whose heading is exactly `heading`."""
    return (
        transcript(page, channel)
        .get_by_test_id("message")
        .filter(has=page.get_by_role("heading", name=heading, exact=True))
    )


def round_message(page: Page, channel: str) -> Locator:
    return message(page, channel, ROUND_HEADING)


def stage_line(page: Page, channel: str) -> Locator:
    """The line under the round message's heading that says where the round is."""
    return round_message(page, channel).locator(".block-context").first


def last_reply(page: Page, channel: str) -> Locator:
    """The newest note only the person acting sees, in `channel`."""
    return transcript(page, channel).get_by_test_id("reply").last


def named(label: str) -> re.Pattern[str]:
    """A button's spoken name: its label, then what it acts on ("Agree: your response to…")."""
    return re.compile(rf"^{re.escape(label)}(:| of |$)")


def open_form(page: Page, channel: str, card: Locator, button: str) -> Locator:
    card.get_by_role("button", name=named(button)).click()
    form = pane(page, channel).get_by_test_id("form")
    expect(form).to_be_visible()
    return form


def submit(form: Locator, label: str) -> None:
    form.get_by_role("button", name=label, exact=True).click()


def open_channel(page: Page, channel: str) -> None:
    page.get_by_test_id(f"channel-{channel}").click()
    expect(page.get_by_test_id(f"channel-{channel}")).to_have_attribute(
        "aria-pressed", "true", timeout=COMMAND_WAIT_MS
    )


def propose(page: Page, channel: str, text: str, *, left: int) -> None:
    form = open_form(page, channel, round_message(page, channel), "Propose")
    expect(form).to_contain_text("Propose a purpose")
    form.get_by_label("Your proposal").fill(text)
    submit(form, "Propose")
    expect(form).to_have_count(0)
    expect(last_reply(page, channel)).to_contain_text(
        "Thank you: your proposal is in purpose round #1."
    )
    expect(last_reply(page, channel)).to_contain_text(f"propose {left} more")


def coordinator_moves_on(page: Page, stage: str) -> None:
    """`purpose next` as the coordinator; her reply says where the round is now."""
    type_command(page, RIVERSIDE, "purpose next")
    replies = transcript(page, RIVERSIDE).get_by_test_id("reply")
    # Private notes the move sends (the groups' editor) may come after the reply.
    moved = replies.filter(has_text="Purpose round #1 moved on.").last
    expect(moved).to_contain_text(f"Purpose round #1 · {stage}")


def themes_message(page: Page, channel: str) -> Locator:
    return message(page, channel, "Themes from purpose round #1")


def theme_lines(page: Page, channel: str) -> Locator:
    """The themes message's "n. title (k statements)" lines."""
    return themes_message(page, channel).locator("p.block-text:not(.tone-muted)")


def themes_shown(page: Page, channel: str) -> list[tuple[str, list[str]]]:
    """The themes message as read: each theme's "n. title" line and its statements (a theme
    of one statement is titled by it and shows it once)."""
    lines = themes_message(page, channel).locator("p.block-text")
    texts = lines.all_inner_texts()
    muted = lines.evaluate_all("ps => ps.map(p => p.classList.contains('tone-muted'))")
    themes: list[tuple[str, list[str]]] = []
    for text, is_statements in zip(texts, muted, strict=True):
        if is_statements:
            themes[-1] = (themes[-1][0], text.splitlines())
        else:
            title = re.sub(r" \(\d+ statements?\)$", "", text)
            themes.append((title, [f"• {title.split('. ', 1)[1]}"]))
    return themes


def theme_holding(themes: list[tuple[str, list[str]]], statement: str) -> int:
    """The index of the theme whose statements include `statement`."""
    return next(n for n, (_, inside) in enumerate(themes) if f"• {statement}" in inside)


def test_a_purpose_round_runs_from_proposals_to_an_adopted_purpose_in_both_channels(
    concord, browser, tmp_path
):
    page = open_playground(browser, concord)  # Asha's, then Ben's, browser
    page.get_by_test_id("side-by-side").check()
    open_channel(page, RIVERSIDE)
    hillview = open_playground(browser, concord)  # Carys's and Dev's, in their own channel
    open_channel(hillview, HILLVIEW)

    # The coordinator opens the round; its invitation is in both channels.
    act_as(page, "asha")
    type_command(page, RIVERSIDE, f"purpose start --shortlist {SHORTLIST}")
    expect(last_reply(page, RIVERSIDE)).to_contain_text("Purpose round #1 is open")
    expect(last_reply(page, RIVERSIDE)).to_contain_text("posted in 2 channels")
    for where, channel in ((page, RIVERSIDE), (page, HILLVIEW), (hillview, HILLVIEW)):
        expect(stage_line(where, channel)).to_have_text(
            re.compile(r"^Purpose round #1 · Gathering proposals until \w{3} \d")
        )
        expect(round_message(where, channel)).to_contain_text(
            "Who do we serve together that none of us can serve alone?"
        )
        expect(round_message(where, channel)).to_contain_text("0 proposals so far.")

    # Two proposals each from three people in two channels; the count moves in both.
    act_as(page, "ben")
    propose(page, RIVERSIDE, WAITS, left=2)
    propose(page, RIVERSIDE, FRAIL, left=1)
    act_as(hillview, "carys")
    propose(hillview, HILLVIEW, WAITS_TOO, left=2)
    propose(hillview, HILLVIEW, STAFF, left=1)
    act_as(hillview, "dev")
    propose(hillview, HILLVIEW, FRAIL_TOO, left=2)
    propose(hillview, HILLVIEW, STAFF_TOO, left=1)
    expect(round_message(page, RIVERSIDE)).to_contain_text("6 proposals so far.")
    expect(round_message(hillview, HILLVIEW)).to_contain_text("6 proposals so far.")
    expect(round_message(hillview, HILLVIEW)).to_contain_text("Proposed, by organisation")

    # An observer follows the round but is told, kindly, that she doesn't propose.
    act_as(hillview, "elin")
    round_message(hillview, HILLVIEW).get_by_role("button", name=named("Propose")).click()
    expect(last_reply(hillview, HILLVIEW)).to_contain_text(
        "Observers follow the purpose round but do not propose"
    )
    expect(pane(hillview, HILLVIEW).get_by_test_id("form")).to_have_count(0)

    # Grouping: the themes message in both channels; the editor only for the coordinator.
    act_as(page, "asha")
    coordinator_moves_on(page, "Proposals grouped; coordinators are reviewing the groups")
    for where, channel in ((page, RIVERSIDE), (page, HILLVIEW), (hillview, HILLVIEW)):
        expect(stage_line(where, channel)).to_contain_text(
            "Purpose round #1 · Proposals grouped; coordinators are reviewing the groups"
        )
        expect(themes_message(where, channel)).to_contain_text(STAFF)
    expect(round_message(page, RIVERSIDE)).to_contain_text(THEMES)
    found = THEMES.search(round_message(page, RIVERSIDE).inner_text())
    assert found is not None and found.group(1) == "6"
    themes = themes_shown(page, RIVERSIDE)
    assert len(themes) == int(found.group(2))
    assert sorted(s for _, inside in themes for s in inside) == sorted(
        f"• {s}" for s in (WAITS, FRAIL, WAITS_TOO, STAFF, FRAIL_TOO, STAFF_TOO)
    )
    waits, waits_too = theme_holding(themes, WAITS), theme_holding(themes, WAITS_TOO)
    assert waits != waits_too, f"the two statements on waits should start apart: {themes}"
    # With one theme merged away there must still be more than the shortlist takes.
    assert len(themes) - 1 > SHORTLIST, f"too few themes for a shortlist vote: {themes}"
    editor = (
        transcript(page, RIVERSIDE)
        .get_by_test_id("reply")
        .filter(has=page.get_by_role("heading", name="Adjust the groups of purpose round #1"))
    )
    expect(editor).to_have_count(1)
    act_as(page, "ben")
    expect(editor).to_have_count(0)

    # The coordinator merges the second theme on waits into the first ...
    act_as(page, "asha")
    merge = editor.get_by_test_id("action-choices").nth(waits_too)
    merge.get_by_text("Merge into…").click()  # a fold-out of buttons, never a drop-down
    merge.get_by_role("button", name=f"into {themes[waits][0]}").click()
    expect(round_message(page, RIVERSIDE)).to_contain_text(
        f"The 6 proposals fall into {len(themes) - 1} themes"
    )
    expect(theme_lines(page, HILLVIEW)).to_have_count(len(themes) - 1)
    expect(theme_lines(page, RIVERSIDE)).to_have_count(len(themes) - 1)
    themes = themes_shown(page, RIVERSIDE)
    waits = theme_holding(themes, WAITS)
    assert theme_holding(themes, WAITS_TOO) == waits
    # ... and gives the merged theme a title and a draft that speak for both statements.
    expect(editor).to_have_count(2)  # the editor again, as the merge left the groups
    latest_editor = editor.last
    edit = latest_editor.get_by_role("button", name="Edit").nth(waits)
    edit.click()
    form = pane(page, RIVERSIDE).get_by_test_id("form")
    expect(form).to_contain_text(f"Group {waits + 1}")
    form.get_by_label("Title", exact=True).fill(WAITS_TITLE)
    form.get_by_label("Draft statement", exact=True).fill(WAITS_DRAFT)
    submit(form, "Save")
    expect(form).to_have_count(0)
    expect(themes_message(hillview, HILLVIEW)).to_contain_text(
        f"{waits + 1}. {WAITS_TITLE} (2 statements)"
    )

    # Shortlisting: a dots poll on the themes, voted from both channels.
    coordinator_moves_on(page, "Shortlisting: dot-vote the themes")
    question = f"Which themes should our shared purpose build on? The top {SHORTLIST} go forward."
    for where, channel in ((page, RIVERSIDE), (page, HILLVIEW), (hillview, HILLVIEW)):
        expect(stage_line(where, channel)).to_contain_text("Shortlisting: dot-vote the themes")
        expect(round_message(where, channel)).to_contain_text("Vote in poll #1, posted below.")
        expect(message(where, channel, question)).to_contain_text("spread 3 dots")
    staff_title = themes[theme_holding(themes, STAFF)][0].split(". ", 1)[1]
    frail_title = themes[theme_holding(themes, FRAIL)][0].split(". ", 1)[1]

    def place_dots(where: Page, channel: str, dots: dict[str, str], said: str) -> None:
        form = open_form(where, channel, message(where, channel, question), "Place your dots")
        expect(form).to_contain_text("Poll #1: Spread up to 3 dots")
        for title, count in dots.items():
            form.get_by_label(title).fill(count)  # "Title (optional)"
        submit(form, "Vote")
        expect(form).to_have_count(0)
        expect(last_reply(where, channel)).to_contain_text(said)

    act_as(page, "ben")
    place_dots(page, RIVERSIDE, {WAITS_TITLE: "3"}, f"{WAITS_TITLE}”")  # on “n. title”
    act_as(hillview, "carys")
    place_dots(hillview, HILLVIEW, {staff_title: "3"}, f"{staff_title}”")
    act_as(hillview, "dev")
    place_dots(hillview, HILLVIEW, {staff_title: "2", frail_title: "1"}, f"{frail_title}”")
    expect(round_message(page, RIVERSIDE)).to_contain_text("Voted so far, by organisation")

    # Drafting: the two themes with the most dots go forward with their drafts.
    act_as(page, "asha")
    coordinator_moves_on(page, "Shortlist chosen; coordinators are reviewing the drafts")
    drafting = round_message(hillview, HILLVIEW)
    expect(drafting).to_contain_text("Shortlisted themes and their draft statements:")
    expect(drafting).to_contain_text(f"{WAITS_TITLE} — “{WAITS_DRAFT}”")
    expect(drafting).to_contain_text(staff_title)
    expect(drafting).not_to_contain_text(frail_title)

    # Choosing: a ranked poll on the drafts.
    coordinator_moves_on(page, "Choosing: rank the drafts")
    ranking = "Which draft should be our shared purpose? Rank them, favourite first."
    expect(message(hillview, HILLVIEW, ranking)).to_be_visible()
    expect(stage_line(page, HILLVIEW)).to_contain_text("Choosing: rank the drafts")

    def rank(where: Page, channel: str, favourite_is_waits: bool) -> None:
        form = open_form(where, channel, message(where, channel, ranking), "Rank the options")
        first = form.locator("fieldset", has_text="1st choice").locator("label.choice")
        second = form.locator("fieldset", has_text="2nd choice").locator("label.choice")
        mine, other = (first, second) if favourite_is_waits else (second, first)
        mine.filter(has_text=WAITS_DRAFT).locator("input").check()
        other.filter(has_not_text=WAITS_DRAFT).locator("input").check()
        submit(form, "Vote")
        expect(form).to_have_count(0)
        expect(last_reply(where, channel)).to_contain_text("You ranked")

    act_as(page, "ben")
    rank(page, RIVERSIDE, favourite_is_waits=True)
    act_as(hillview, "carys")
    rank(hillview, HILLVIEW, favourite_is_waits=True)
    act_as(hillview, "dev")
    rank(hillview, HILLVIEW, favourite_is_waits=False)
    expect(message(page, RIVERSIDE, ranking)).to_contain_text("3 people voted")

    # Consent on the chosen draft, with the four buttons.
    act_as(page, "asha")
    coordinator_moves_on(page, "Consent: can everyone live with the chosen statement?")
    consent_question = f"Our purpose: {WAITS_DRAFT}"
    for where, channel in ((page, RIVERSIDE), (page, HILLVIEW), (hillview, HILLVIEW)):
        expect(round_message(where, channel)).to_contain_text(f"“{WAITS_DRAFT}”")
        consent = message(where, channel, consent_question)
        for label in ("Agree", "Can live with it", "Object", "Block"):
            expect(consent.get_by_role("button", name=named(label))).to_be_visible()

    def respond(where: Page, channel: str, stance: str) -> None:
        consent = message(where, channel, consent_question)
        consent.get_by_role("button", name=named(stance)).click()
        expect(last_reply(where, channel)).to_contain_text(f"You responded “{stance}”")

    act_as(page, "ben")
    respond(page, RIVERSIDE, "Agree")
    act_as(hillview, "carys")
    respond(hillview, HILLVIEW, "Can live with it")
    act_as(hillview, "dev")
    respond(hillview, HILLVIEW, "Agree")

    # Adopted: announced in both channels, and `purpose show` shows it to anyone.
    act_as(page, "asha")
    coordinator_moves_on(page, "Adopted")
    for where, channel in ((page, RIVERSIDE), (page, HILLVIEW), (hillview, HILLVIEW)):
        adopted = message(where, channel, ADOPTED_HEADING)
        expect(adopted).to_contain_text(f"“{WAITS_DRAFT}”")
        expect(adopted).to_contain_text("Adopted by consent")
        expect(stage_line(where, channel)).to_have_text("Purpose round #1 · Adopted")
    type_command(hillview, HILLVIEW, "purpose show")
    shown = last_reply(hillview, HILLVIEW)
    expect(shown.get_by_role("heading", name=ADOPTED_HEADING)).to_be_visible()
    expect(shown).to_contain_text(f"“{WAITS_DRAFT}”")

    page.screenshot(path=str(tmp_path / "riverside.png"))
    hillview.screenshot(path=str(tmp_path / "hillview.png"))


def test_a_far_too_long_proposal_comes_back_in_the_form_with_the_error_and_the_text(
    concord, browser
):
    page = open_playground(browser, concord)
    act_as(page, "asha")
    open_channel(page, RIVERSIDE)
    type_command(page, RIVERSIDE, "purpose start")
    expect(stage_line(page, RIVERSIDE)).to_contain_text("Gathering proposals")

    act_as(page, "ben")
    form = open_form(page, RIVERSIDE, round_message(page, RIVERSIDE), "Propose")
    box = form.get_by_label("Your proposal")
    long_text = ("Better care together for every patient we share. " * 41)[:2000]
    assert len(long_text.strip()) == 2000

    # The page itself stops a person at 280 characters ...
    box.fill(long_text)
    expect(box).to_have_value(long_text[:280])

    # ... and where a client lets more through, Concord refuses it and keeps every word.
    box.evaluate("box => box.removeAttribute('maxlength')")
    box.fill(long_text)
    submit(form, "Propose")
    error = form.get_by_test_id("form-error")
    expect(error).to_contain_text("Your proposal is 2,000 characters; the most is 280.")
    expect(form.get_by_label("Your proposal")).to_have_value(long_text)
    expect(round_message(page, RIVERSIDE)).to_contain_text("0 proposals so far.")

    # Cut down to its heart, the same form takes it.
    form.get_by_label("Your proposal").fill("Better care together for every patient we share")
    submit(form, "Propose")
    expect(form).to_have_count(0)
    expect(last_reply(page, RIVERSIDE)).to_contain_text("your proposal is in purpose round #1")
    expect(round_message(page, RIVERSIDE)).to_contain_text("1 proposal so far.")


def test_a_proposal_being_typed_keeps_its_place_when_someone_else_proposes(concord, browser):
    page = open_playground(browser, concord)
    act_as(page, "asha")
    open_channel(page, RIVERSIDE)
    type_command(page, RIVERSIDE, "purpose start")
    act_as(page, "ben")
    form = open_form(page, RIVERSIDE, round_message(page, RIVERSIDE), "Propose")
    box = form.get_by_label("Your proposal")
    box.press_sequentially("Join up care for ")

    # Meanwhile Carys proposes from her own browser, and Ben's page shows it at once ...
    elsewhere = open_playground(browser, concord)
    act_as(elsewhere, "carys")
    open_channel(elsewhere, HILLVIEW)
    propose(elsewhere, HILLVIEW, STAFF, left=2)
    expect(round_message(page, RIVERSIDE)).to_contain_text("1 proposal so far.")

    # ... without taking his cursor: the rest of what he types lands in his proposal.
    expect(box).to_be_focused()
    page.keyboard.type("frail older people leaving hospital")
    expect(box).to_have_value(FRAIL)
    submit(form, "Propose")
    expect(round_message(elsewhere, HILLVIEW)).to_contain_text("2 proposals so far.")
