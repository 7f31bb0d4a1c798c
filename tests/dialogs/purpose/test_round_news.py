"""Issue 15, item 9: the purpose round tells people what is happening (D-5, D-9, D-11).

Each stage change posts a fresh message in every linked channel, saying what happened, what
happens next and by when; `purpose status` says what `purpose next` will really do; a small
round still groups statements that say the same thing in other words.
"""

from __future__ import annotations

import pytest

from dialogs.purpose.grouping import cluster
from tests.dialogs.purpose.test_purpose_rounds import (
    MEMBERS,
    act,
    gather_from_everyone,
    groups,
    poll_of_round,
    propose,
)
from tests.support.conversation import ASHA, BEN, CARYS, DEE, NORTH, SOUTH, Conversation, text_of


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    for who in (BEN, CARYS, DEE):
        conversation.says(who, NORTH, "help")
    yield conversation
    conversation.close()


def newest(chat: Conversation, place=NORTH) -> str:
    return text_of(chat.last_message(place))


SMALL_ROUND = [
    (BEN, "Shorter waits for planned operations"),
    (BEN, "Join up care for people who fall between our services"),
    (BEN, "Recruit and keep nurses together instead of competing for them"),
    (CARYS, "Shorter waits for planned operations."),
    (CARYS, "Support unpaid carers with one named contact"),
    (DEE, "Keep frail older people well at home, out of hospital"),
    (DEE, "Use our shared data to find the communities who miss out"),
]


@pytest.mark.parametrize(
    ("mode", "paraphrase"),
    [
        ("semantic", "One shared waiting list for planned surgery"),
        ("lexical", "Cut the waiting lists for planned operations across our trusts"),
    ],
)
def test_a_small_round_groups_statements_that_say_the_same_in_other_words(
    chat, monkeypatch, mode, paraphrase
):
    """D-11: eight proposals from three people, two of them one wish in other words."""
    monkeypatch.setattr(cluster, "grouping_mode", lambda: mode)
    chat.says(ASHA, NORTH, "purpose start")
    for who, text in [*SMALL_ROUND, (CARYS, paraphrase)]:
        propose(chat, who, text)
    chat.says(ASHA, NORTH, "purpose next")
    themes = next(c for c in chat.messages(SOUTH) if c.fallback.startswith("Themes from"))
    lines = text_of(themes).splitlines()
    together = next(i for i, line in enumerate(lines) if "(3 statements)" in line)
    assert "• Shorter waits for planned operations" in lines[together + 1 :]
    assert f"• {paraphrase}" in lines[together + 1 :]
    assert len(groups(chat)) < 7
    # A theme of one statement shows it once, not as its title and again as a bullet.
    nurses = "Recruit and keep nurses together instead of competing for them"
    assert text_of(themes).count(nurses) == 1 and "(1 statement)" not in text_of(themes)


def test_closing_gathering_posts_what_happened_and_what_comes_next_everywhere(chat):
    chat.says(ASHA, NORTH, "purpose start")
    for who, text in SMALL_ROUND:
        propose(chat, who, text)
    chat.says(ASHA, NORTH, "purpose next")
    found = len(groups(chat))
    for place in (NORTH, SOUTH):
        news = next(c for c in chat.messages(place) if c.fallback.startswith("Proposals are"))
        assert text_of(news) == (
            f"Proposals are closed: 7 statements from 3 people, grouped into {found} themes, "
            "listed below.\nNext: coordinators may adjust the themes until Fri 27 Nov 2026 "
            "09:00 GMT; then all of them go forward (the shortlist takes up to 5)."
        )


def test_a_tie_for_the_last_place_on_the_shortlist_is_explained(chat):
    """D-5: six themes went forward though the poll said five, and nothing said why."""
    chat.says(ASHA, NORTH, "purpose start --shortlist 5")
    gather_from_everyone(chat)
    chat.says(ASHA, NORTH, "purpose next")
    chat.says(ASHA, NORTH, "purpose next")
    assert "Next: spread your 3 dots over the themes you want in poll #1 (just above) by" in (
        newest(chat, SOUTH)
    )
    poll = poll_of_round(chat)
    ballots = [{"dots0": "3"}, {"dots1": "3"}, {"dots2": "3"}, {"dots3": "2", "dots4": "1"}]
    ballots.append({"dots5": "1"})
    for who, values in zip(MEMBERS, ballots, strict=False):
        act(chat, who, f"submit:ballot:{poll.id}", values)
    chat.says(ASHA, NORTH, "purpose next")
    said = newest(chat, SOUTH)
    assert "The shortlist is chosen: 6 themes go forward: 1. " in said
    assert "6 themes go forward, not 5: themes 5 and 6 tied for the last place on 1 dot each." in (
        said
    )
    assert "Next: coordinators may edit the draft statements until" in said
    assert [g.position for g in groups(chat) if g.shortlisted] == [1, 2, 3, 4, 5, 6]


def test_status_and_next_agree_right_after_the_ranking_opens(chat, clock):
    """D-9: status said "closes the ranking now" while `purpose next` refused."""
    chat.says(ASHA, NORTH, "purpose start --shortlist 2")
    gather_from_everyone(chat)
    for _ in range(2):
        chat.says(ASHA, NORTH, "purpose next")
    poll = poll_of_round(chat)
    act(chat, MEMBERS[0], f"submit:ballot:{poll.id}", {"dots0": "3"})
    chat.says(ASHA, NORTH, "purpose next")  # shortlist closed: drafting
    chat.says(ASHA, NORTH, "purpose next")  # the ranking opens, nobody has voted
    assert "The drafts are ready: 2 draft statements to rank." in newest(chat)
    leaves_open = "Poll #2 has only just opened and nobody has voted yet, so `purpose next` "
    assert leaves_open in chat.says(ASHA, NORTH, "purpose status")
    assert "closes the ranking now" not in chat.says(ASHA, NORTH, "purpose status")
    assert leaves_open in chat.says(ASHA, NORTH, "purpose next")
    clock.advance(minutes=1)
    assert "`purpose next` closes the ranking now." in chat.says(ASHA, NORTH, "purpose status")
    chat.says(ASHA, NORTH, "purpose next")
    said = newest(chat, SOUTH)
    assert said.startswith("Nobody ranked the drafts, so the first listed goes forward: “")
    assert "Next: say whether you can live with it in poll #3 (just above) by" in said


def test_members_hear_that_consent_failed_and_that_a_revision_is_out(chat):
    chat.says(ASHA, NORTH, "purpose start")
    propose(chat, BEN, "Join up care for people who fall between our services")
    for _ in range(3):
        chat.says(ASHA, NORTH, "purpose next")
    assert newest(chat).startswith(
        "The shortlist has one draft statement: “Join up care for people who fall between"
    )
    consent = poll_of_round(chat)
    act(
        chat,
        CARYS,
        f"submit:consent:{consent.id}:object",
        {"harm": "Too vague", "resolve": "Name a service"},
    )
    chat.says(ASHA, NORTH, "purpose next")
    assert newest(chat, SOUTH) == (
        "Poll #1 didn't reach consent on “Join up care for people who fall between our "
        "services”.\nNext: coordinators revise the statement (revision 1 of at most 3) and ask "
        "for consent again."
    )
    revised = "Join up care for people who fall between our services, in every town"
    chat.says(ASHA, NORTH, "purpose next")
    act(chat, ASHA, "submit:revision:1", {"statement": revised})
    assert newest(chat, SOUTH).startswith(
        f"Coordinators revised the statement (revision 1): “{revised}”."
    )
