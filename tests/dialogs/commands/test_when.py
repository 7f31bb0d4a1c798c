"""Deadlines read the way people write them, in the collaborative's own timezone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialogs.commands.values import GrammarError
from dialogs.commands.when import describe, parse_when

THURSDAY_9AM = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # 09:00 in London (GMT)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("friday 17:00", "Fri 27 Nov 2026 17:00 GMT"),
        ("Friday 5pm", "Fri 27 Nov 2026 17:00 GMT"),
        ("fri 5:30 pm", "Fri 27 Nov 2026 17:30 GMT"),
        ("friday", "Fri 27 Nov 2026 17:00 GMT"),
        ("in 3 days", "Sun 29 Nov 2026 09:00 GMT"),
        ("in 90m", "Thu 26 Nov 2026 10:30 GMT"),
        ("2026-12-01 17:00", "Tue 1 Dec 2026 17:00 GMT"),
        ("2026-12-01", "Tue 1 Dec 2026 17:00 GMT"),
        ("tomorrow noon", "Fri 27 Nov 2026 12:00 GMT"),
        ("today 18:00", "Thu 26 Nov 2026 18:00 GMT"),
        ("at 18:00", "Thu 26 Nov 2026 18:00 GMT"),
        ("thursday 10am", "Thu 26 Nov 2026 10:00 GMT"),
        ("thursday 8am", "Thu 3 Dec 2026 08:00 GMT"),
        ("next thursday 10:00", "Thu 3 Dec 2026 10:00 GMT"),
        ("sunday midnight", "Sun 29 Nov 2026 23:59 GMT"),
    ],
)
def test_deadlines_are_read_in_the_collaboratives_timezone(text, shown):
    assert describe(parse_when(text, THURSDAY_9AM, "Europe/London"), "Europe/London") == shown


def test_the_same_words_mean_local_time_elsewhere():
    moment = parse_when("friday 17:00", THURSDAY_9AM, "America/New_York")
    assert moment == datetime(2026, 11, 27, 22, 0, tzinfo=UTC)


def test_a_time_in_the_skipped_spring_hour_moves_to_just_after_it():
    before_the_change = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    moment = parse_when("2026-03-29 01:30", before_the_change, "Europe/London")
    assert describe(moment, "Europe/London") == "Sun 29 Mar 2026 02:30 BST"


def test_a_time_in_the_repeated_autumn_hour_means_the_first_one():
    moment = parse_when("2026-10-25 01:30", datetime(2026, 10, 24, tzinfo=UTC), "Europe/London")
    assert moment == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert describe(moment, "Europe/London") == "Sun 25 Oct 2026 01:30 BST"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "Say when"),
        ("whenever", "can't read"),
        ("friday 5", "morning or afternoon"),
        ("friday 25:00", "doesn't exist"),
        ("friday 13pm", "doesn't exist"),
        ("2026-02-30", "not a real date"),
        ("2025-01-01 10:00", "already past"),
        ("today 08:00", "already past"),
        ("in soon", "isn't a length of time"),
        ("2028-01-01", "more than a year away"),
    ],
)
def test_unreadable_or_past_deadlines_are_explained(text, problem):
    with pytest.raises(GrammarError) as raised:
        parse_when(text, THURSDAY_9AM, "Europe/London")
    assert problem in raised.value.problem


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("31/12/2026", "Thu 31 Dec 2026 17:00 GMT"),
        ("31/12/2026 09:30", "Thu 31 Dec 2026 09:30 GMT"),
        ("1/12", "Tue 1 Dec 2026 17:00 GMT"),
        ("1 Jan 2027", "Fri 1 Jan 2027 17:00 GMT"),
        ("1 January 2027 noon", "Fri 1 Jan 2027 12:00 GMT"),
        ("3rd dec 5pm", "Thu 3 Dec 2026 17:00 GMT"),
        ("25 nov", "Thu 25 Nov 2027 17:00 GMT"),  # already gone this year: next year's
        ("end of day", "Thu 26 Nov 2026 17:00 GMT"),
    ],
)
def test_uk_dates_and_end_of_day_are_read(text, shown):
    """D-17: a UK/NHS audience writes day first, and says "end of day"."""
    assert describe(parse_when(text, THURSDAY_9AM, "Europe/London"), "Europe/London") == shown


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("yesterday 17:00", "“yesterday 17:00” is already past (Wed 25 Nov 2026 17:00 GMT)."),
        ("31/2/2027", "“31/2/2027” is not a real date."),
        ("12/31/2026", "“12/31/2026” is not a real date."),
    ],
)
def test_a_past_or_impossible_uk_date_is_refused_with_the_reason(text, problem):
    with pytest.raises(GrammarError) as refused:
        parse_when(text, THURSDAY_9AM, "Europe/London")
    assert refused.value.problem == problem
    assert "31/12/2026 17:00" in refused.value.hint
