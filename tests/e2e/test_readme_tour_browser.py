"""README.md's "A tour of the playground", walked in headless Chromium as a person would.

Steps 1–7 are typed and clicked on the page against `concord serve`; then a poll that
ends in a tie, and a poll of 1,000 ballots (written straight to the playground's
database, as that many clicks would) closed and exported on the page, the downloaded
file recounted with `concord recount` to exactly the result announced. What is
asserted is what a person reads on the page. Under CI=true a missing Chromium fails
the run; elsewhere the test skips and says why.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlmodel import select

from storage.database import Database, insert_rows
from storage.models import AuditEntry, Ballot, Member, Participation, Poll
from tests.support.recount import recount

COMMAND_WAIT_MS = 60_000  # the longest an answer from Concord may take on a busy machine

pytestmark = pytest.mark.browser

RIVERSIDE = "riverside-partnership"  # #partnership-riverside, "a Slack channel"
HILLVIEW = "hillview-partnership"  # #partnership-hillview, "a Teams channel"
COLLABORATIVE = "Northshire Provider Collaborative"
QUESTION = "Which shared priority first?"
PROPOSALS = {
    "ben": "Cut waiting times for planned operations across our hospitals",
    "carys": "Join up care for frail older people leaving hospital",
    "dev": "Share our nursing staff so no ward runs short",
}
VOTERS = 1_000
LABELS = ["Beds", "Discharge", "Workforce"]


# One helper per kind of step


def open_playground(browser: Browser, url: str) -> Page:
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    page.on("dialog", lambda dialog: pytest.fail(f"the page ran a script: {dialog.message}"))
    page.goto(f"{url}/playground")
    expect(page.get_by_test_id("persona-asha")).to_be_visible()
    return page


def act_as(page: Page, person: str, channel: str | None = None) -> None:
    """Choose who you are (and, if given, which channel you are looking at)."""
    page.get_by_test_id(f"persona-{person}").click()
    expect(page.get_by_test_id(f"persona-{person}")).to_have_attribute(
        "aria-pressed", "true", timeout=COMMAND_WAIT_MS
    )
    if channel is not None:
        page.get_by_test_id(f"channel-{channel}").click()
        expect(page.get_by_test_id(f"channel-{channel}")).to_have_attribute(
            "aria-pressed", "true", timeout=COMMAND_WAIT_MS
        )


def say(page: Page, channel: str, text: str) -> Locator:
    """Type a command in the channel's box; the private reply it brings (notes it sends
    as well, such as a coordinator's editor, may come after)."""
    replies = read(page, channel).get_by_test_id("reply")
    before = replies.count()
    box = page.get_by_test_id(f"pane-{channel}").get_by_test_id("command-input")
    box.fill(text)
    box.press("Enter")
    # The box stays disabled until Concord answers. The first `purpose next` loads the
    # grouping model, which takes seconds on a busy two-core machine: wait for the answer.
    expect(box).to_be_enabled(timeout=COMMAND_WAIT_MS)
    expect(replies).not_to_have_count(before)
    return replies.nth(before)


def button(message: Locator, words: str) -> Locator:
    """The button that shows exactly `words`. Its accessible name may say more ("Vote for
    Discharge delays in: Which shared priority first?"), so it is found by what it shows."""
    return message.get_by_role("button").filter(has_text=re.compile(rf"^{re.escape(words)}$"))


def click(message: Locator, words: str) -> None:
    button(message, words).click()


def read(page: Page, channel: str) -> Locator:
    """The channel's transcript, as it reads on the page."""
    return page.get_by_test_id(f"transcript-{channel}")


def message(page: Page, channel: str, words: str) -> Locator:
    """The newest channel message (not a private reply) containing `words`."""
    return read(page, channel).get_by_test_id("message").filter(has_text=words).last


def last_reply(page: Page, channel: str) -> Locator:
    return read(page, channel).get_by_test_id("reply").last


def counts(page: Page, channel: str) -> Locator:
    return read(page, channel).get_by_test_id("result-count")


def moves_on(page: Page, stage: str) -> None:
    """The coordinator's `purpose next`; her reply says where the round is now."""
    moved = say(page, RIVERSIDE, "purpose next")
    expect(moved).to_contain_text("Purpose round #1 moved on.")
    expect(moved).to_contain_text(f"Purpose round #1 · {stage}")


def poll_number(reply: Locator) -> int:
    expect(reply).to_contain_text(re.compile(r"Poll #\d+ is open"))
    found = re.search(r"Poll #(\d+) is open", reply.inner_text())
    assert found is not None
    return int(found.group(1))


# The tour


def test_the_readme_tour_of_the_playground_then_a_tie_and_a_recounted_export(
    concord, browser, tmp_path
):
    page = open_playground(browser, concord)

    # 1. As Asha in #partnership-riverside, `help` lists what a coordinator may do.
    act_as(page, "asha", RIVERSIDE)
    helped = say(page, RIVERSIDE, "help")
    expect(helped).to_contain_text(f"You are a coordinator of {COLLABORATIVE}.")
    expect(helped).to_contain_text("Commands you'll use most:")
    for line in ("poll close ID", "purpose start", "role coordinator|member|observer @person"):
        expect(helped).to_contain_text(line)

    # 2. Start a poll.
    opened = say(page, RIVERSIDE, f'poll "{QUESTION}" "Discharge delays" "Mental health beds"')
    expect(opened).to_contain_text("Poll #1 is open")
    expect(opened).to_contain_text("Posted in 2 channels")
    expect(message(page, RIVERSIDE, QUESTION)).to_be_visible()

    # 3. Side by side: the poll is in both channels.
    page.get_by_label("Show every channel of the collaborative side by side").check()
    for channel in (RIVERSIDE, HILLVIEW):
        poll = message(page, channel, QUESTION)
        expect(poll).to_contain_text("Poll #1")
        for option in ("Discharge delays", "Mental health beds"):
            expect(button(poll, option)).to_be_visible()
        expect(button(poll, "Close")).to_have_count(0)

    # 4. Carys votes in #partnership-hillview, then Ben in the other: one tally, both show it.
    act_as(page, "carys", HILLVIEW)
    click(message(page, HILLVIEW, QUESTION), "Discharge delays")
    expect(last_reply(page, HILLVIEW)).to_contain_text("You voted “Discharge delays” in poll #1")
    act_as(page, "ben", RIVERSIDE)
    click(message(page, RIVERSIDE, QUESTION), "Discharge delays")
    expect(last_reply(page, RIVERSIDE)).to_contain_text("You voted “Discharge delays” in poll #1")
    for channel in (RIVERSIDE, HILLVIEW):
        expect(counts(page, channel).first).to_have_text("2 · 100%")
        expect(counts(page, channel).nth(1)).to_have_text("0 · 0%")

    # 5. Elin, an observer, sees the poll and its counts but may not vote.
    act_as(page, "elin", HILLVIEW)
    expect(counts(page, HILLVIEW).first).to_have_text("2 · 100%")
    click(message(page, HILLVIEW, QUESTION), "Mental health beds")
    expect(last_reply(page, HILLVIEW)).to_contain_text("Observers see polls but do not vote.")
    expect(counts(page, HILLVIEW).nth(1)).to_have_text("0 · 0%")

    # 6. Back as Asha: `poll close 1`, then `decisions`.
    act_as(page, "asha", RIVERSIDE)
    closed = say(page, RIVERSIDE, "poll close 1")
    won = "“Discharge delays” won with 2 votes of 2 voters."
    expect(closed).to_contain_text("Poll #1 is closed.")
    expect(closed).to_contain_text(won)
    for channel in (RIVERSIDE, HILLVIEW):
        expect(message(page, channel, "Result of poll #1")).to_contain_text(won)
    log = say(page, RIVERSIDE, "decisions")
    expect(log).to_contain_text(f"Decisions of {COLLABORATIVE}")
    expect(log).to_contain_text(f"Asha Patel closed poll #1: {QUESTION}")
    expect(log).to_contain_text(won)

    # 7. A purpose round: Asha starts it, Ben, Carys and Dev each press Propose, and Asha's
    # `purpose next` groups the proposals and moves on to the adopted purpose.
    started = say(page, RIVERSIDE, "purpose start")
    expect(started).to_contain_text("Purpose round #1 is open")
    invitation = f"Our shared purpose: {COLLABORATIVE}"
    for person, channel in (("ben", RIVERSIDE), ("carys", HILLVIEW), ("dev", HILLVIEW)):
        act_as(page, person, channel)
        click(message(page, channel, invitation), "Propose")
        form = page.get_by_test_id(f"pane-{channel}").get_by_test_id("form")
        form.get_by_label("Your proposal").fill(PROPOSALS[person])
        click(form, "Propose")
        expect(form).to_have_count(0)
        expect(last_reply(page, channel)).to_contain_text("your proposal is in purpose round #1")
    expect(message(page, HILLVIEW, invitation)).to_contain_text("3 proposals so far.")
    act_as(page, "asha", RIVERSIDE)
    moves_on(page, "Proposals grouped; coordinators are reviewing the groups")
    # Three proposals make two themes: fewer than a shortlist, so no dot vote is needed.
    moves_on(page, "Shortlist chosen; coordinators are reviewing the drafts")
    moves_on(page, "Choosing: rank the drafts")
    for person, channel in (("ben", RIVERSIDE), ("carys", HILLVIEW), ("dev", HILLVIEW)):
        act_as(page, person, channel)
        click(message(page, channel, "Rank them, favourite first."), "Rank the options")
        form = page.get_by_test_id(f"pane-{channel}").get_by_test_id("form")
        form.locator("fieldset", has_text="1st choice").locator("input").first.check()
        form.locator("fieldset", has_text="2nd choice").locator("input").last.check()
        click(form, "Vote")
        expect(form).to_have_count(0)
        expect(last_reply(page, channel)).to_contain_text("You ranked")
    act_as(page, "asha", RIVERSIDE)
    moves_on(page, "Consent: can everyone live with the chosen statement?")
    for person, channel in (("ben", RIVERSIDE), ("carys", HILLVIEW), ("dev", HILLVIEW)):
        act_as(page, person, channel)
        click(message(page, channel, "Our purpose: "), "Agree")
        expect(last_reply(page, channel)).to_contain_text("You responded “Agree”")
    act_as(page, "asha", RIVERSIDE)
    moves_on(page, "Adopted")
    adopted = f"The shared purpose of {COLLABORATIVE}"
    for channel in (RIVERSIDE, HILLVIEW):
        expect(message(page, channel, adopted)).to_be_visible()
        expect(message(page, channel, adopted)).to_contain_text("Adopted by consent")
    shown = say(page, HILLVIEW, "purpose show")
    expect(shown.get_by_role("heading", name=adopted)).to_be_visible()
    expect(shown).to_contain_text("Adopted by consent")

    # A tie: two options end level, and the result says so, never that one "won".
    tie_poll = poll_number(say(page, RIVERSIDE, 'poll "Tie or not?" "Beds" "Workforce"'))
    act_as(page, "ben", RIVERSIDE)
    click(message(page, RIVERSIDE, "Tie or not?"), "Beds")
    expect(last_reply(page, RIVERSIDE)).to_contain_text(f"You voted “Beds” in poll #{tie_poll}")
    act_as(page, "carys", HILLVIEW)
    click(message(page, HILLVIEW, "Tie or not?"), "Workforce")
    expect(last_reply(page, HILLVIEW)).to_contain_text(f"You voted “Workforce” in poll #{tie_poll}")
    act_as(page, "asha", RIVERSIDE)
    tie = "Tie between “Beds” and “Workforce”."
    expect(say(page, RIVERSIDE, f"poll close {tie_poll}")).to_contain_text(tie)
    for channel in (RIVERSIDE, HILLVIEW):
        result = message(page, channel, f"Result of poll #{tie_poll}")
        expect(result).to_contain_text(tie)
        expect(result).not_to_contain_text("won")
    expect(say(page, RIVERSIDE, "decisions")).to_contain_text(tie)

    # 1,000 ballots, closed and exported on the page; the download recounts to the result.
    big = poll_number(
        say(page, RIVERSIDE, 'poll "Which site first?" ' + " ".join(f'"{x}"' for x in LABELS))
    )
    a_thousand_ballots(Database(f"sqlite:///{tmp_path / 'concord.db'}"), big)
    closed = say(page, RIVERSIDE, f"poll close {big}")
    announced_line = "“Beds” won with 428 votes of 1000 voters."
    expect(closed).to_contain_text(announced_line)
    expect(message(page, HILLVIEW, f"Result of poll #{big}")).to_contain_text(announced_line)
    expect(say(page, RIVERSIDE, "decisions")).to_contain_text(announced_line)
    exported = say(page, RIVERSIDE, f"poll export {big}")
    expect(exported).to_contain_text(f"Ballots of poll #{big}: 1,000 ballots, CSV")
    expect(exported).to_contain_text(
        f"concord recount ballots-poll-{big}.csv recomputes the result from the file."
    )
    link = exported.get_by_role("link", name=f"Download ballots-poll-{big}.csv")
    with page.expect_download() as downloading:
        link.click()
    saved = tmp_path / "downloads" / downloading.value.suggested_filename
    downloading.value.save_as(saved)
    recounted = json.loads(recount(saved))
    assert recounted["voters"] == VOTERS
    assert recounted["winner"] == "Beds" and recounted["counts"]["Beds"] == 428
    assert recounted == json.loads(announced(tmp_path / "concord.db", big))


def a_thousand_ballots(database: Database, number: int) -> None:
    """1,000 members of the demo collaborative and their ballots in poll `number`,
    written straight to the playground's database, as many clicks would."""
    with database.session() as session:
        poll = session.exec(select(Poll).where(Poll.number == number)).one()
        at = poll.created_at
        members = [
            {
                "collaborative_id": poll.collaborative_id,
                "display_name": f"Voter {n}",
                "created_at": at,
            }
            for n in range(VOTERS)
        ]
        insert_rows(session, Member, members)
        ids = session.exec(select(Member.id).where(Member.display_name.startswith("Voter "))).all()
        insert_rows(
            session,
            Participation,
            [{"poll_id": poll.id, "member_id": i, "first_voted_at": at} for i in ids],
        )
        # Options 0, 1, 2, 0, 1, 2, 0 in turn: 428 for "Beds", 286 for each of the others.
        ballots = [
            {"poll_id": poll.id, "member_id": i, "choices": [n % 7 % 3], "cast_at": at}
            for n, i in enumerate(ids)
        ]
        insert_rows(session, Ballot, ballots)
        session.commit()
    database.dispose()


def announced(path: Path, number: int) -> str:
    """The result recorded in the decision log when poll `number` closed (JSON text)."""
    database = Database(f"sqlite:///{path}")
    with database.session() as session:
        details = session.exec(
            select(AuditEntry.detail).where(AuditEntry.action == "poll.close")
        ).all()
    database.dispose()
    return next(detail["result"] for detail in details if detail["poll"] == number)
