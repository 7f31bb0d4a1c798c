"""A theme's title is the phrase its statements share, not one statement cut short."""

from __future__ import annotations

from dialogs.purpose.grouping.cluster import group_title
from dialogs.purpose.grouping.titles import theme_title

ROUND = [
    "Cut elective waiting lists by sharing theatre capacity",
    "Bring elective waiting lists down together instead of competing for surgeons",
    "No patient should wait longer because of which trust they were referred to",
    "One shared patient record that every trust can read",
    "A shared patient record so nobody repeats their story",
    "Recruit nurses together rather than poaching from each other",
    "Keep experienced nurses with a joint retention offer",
    "A joint staff bank for nurses across the patch",
]


def test_the_title_is_the_phrase_the_statements_share():
    assert theme_title(ROUND[:3], 75, ROUND) == "Elective waiting lists"
    assert theme_title(ROUND[3:5], 75, ROUND) == "Shared patient record"


def test_words_common_across_the_round_weigh_less_than_the_theme_s_own():
    # "nurses" is in all three; "joint" in two, and "trust"/"patient" elsewhere in the round.
    title = theme_title(ROUND[5:], 75, ROUND)
    assert title is not None and "nurses" in title.lower()


def test_statements_the_first_phrase_misses_add_a_second_one():
    texts = [
        "Shared patient record for every GP",
        "A shared patient record across hospitals",
        "Cut elective waiting lists together",
        "Elective waiting lists down across trusts",
    ]
    assert theme_title(texts, 75) in (
        "Shared patient record and elective waiting lists",
        "Elective waiting lists and shared patient record",
    )
    assert theme_title(texts, 30) in ("Shared patient record", "Elective waiting lists")


def test_nothing_shared_no_title():
    assert theme_title(["Buy supplies together"], 75) is None
    assert theme_title(["Buy supplies together", "Stop ambulances queuing"], 75) is None
    assert theme_title(["", "?"], 75) is None


def test_case_as_written():
    texts = ["Grow NHS Talent locally", "NHS Talent academy for the region"]
    title = theme_title(texts, 75)
    assert title is not None and "NHS Talent" in title


def test_one_idea_in_several_wordings_is_titled_by_the_idea_itself():
    texts = [
        "Join up care for people who fall between our services",
        "Join up the care for people who fall between our services",
    ]
    assert group_title(texts, 75, texts) is None  # the caller titles it by its statement
    assert group_title(ROUND[3:5], 75, ROUND) == "Shared patient record"
