"""Each check on questions written for these tests, none of them from the labelled sets:
what it catches, what it leaves alone, and that its suggestion is concrete."""

from __future__ import annotations

import pytest

from dialogs.polls.coach import review
from dialogs.polls.coach.ranges import interval

AGREE = ["Agree", "Disagree", "Not sure"]


def labels(question, options=(), kind="poll"):
    return review(kind, question, list(options)).labels


@pytest.mark.parametrize(
    "question",
    [
        "How's the new referral pathway going?",
        "Any comments?",
        "What do people think about the merger?",
        "How was the week?",
        "Is the virtual ward working?",
        "Are we on track with the estates strategy?",
        "How is everything at Northgate?",
        "What are your views on integration?",
        "Tell us about your experience of the new system",
        "How do you rate the partnership?",
        "Blockers?",
        "Rate your week 1-5",
    ],
)
def test_broad_questions_are_vague(question):
    assert labels(question, kind="checkin") == ["vague"]


@pytest.mark.parametrize(
    "question",
    [
        "How's the new referral pathway going since Monday's launch?",
        "How many referrals did the new pathway take last week?",
        "What was the main cause of late TTOs on Ward 4 yesterday, if anything?",
        "Which step of the referral pathway takes longest for your team?",
    ],
)
def test_a_time_a_measure_or_a_choice_makes_a_question_specific(question):
    assert labels(question, kind="checkin") == []


def test_a_terse_question_is_vague_when_answered_in_words_not_when_chosen_from_options():
    assert labels("Blockers?", kind="checkin") == labels("Any thoughts?", kind="checkin")
    assert labels("Venue?", ["Leeds", "York"]) == []
    assert labels("Adopt it?") == []  # a consent poll: consent or object
    assert labels("Thoughts?", ["Good", "OK", "Not great"]) == ["vague"]  # still open


def test_the_vague_suggestion_names_what_the_question_was_about():
    (suggestion,) = review("checkin", "Any feedback on the falls pathway?").suggestions
    assert "‘What one thing most slowed down the falls pathway last week?’" in suggestion


@pytest.mark.parametrize(
    ("question", "first", "second"),
    [
        (
            "Should we pool the budget and hire a shared analyst?",
            "Should we pool the budget?",
            "Should we hire a shared analyst?",
        ),
        (
            "How happy are you with the parking and the canteen at Kingsmead?",
            "How happy are you with the parking at Kingsmead?",
            "How happy are you with the canteen at Kingsmead?",
        ),
        (
            "Did the huddle start on time, and was everyone there?",
            "Did the huddle start on time?",
            "Was everyone there?",
        ),
        ("Who chairs the board? Who takes minutes?", "Who chairs the board?", "Who takes minutes?"),
    ],
)
def test_two_questions_in_one_are_split(question, first, second):
    found = review("poll", question, ["Yes", "No", "Not sure"])
    assert found.labels == ["double"]
    assert found.suggestions == [f"Ask them separately: ‘{first}’ and ‘{second}’"]
    assert found.findings[0].rewrites == (first, second)  # ready to post as two polls


@pytest.mark.parametrize(
    "question",
    [
        "Which day suits the North and South leads for a call?",
        "How many patients needed both physio and OT on Monday?",
        "Should we meet between 2 and 4pm on Thursday?",
        "How well did the rota cover Christmas and New Year?",
        "Should the health and social care teams share one base?",
        "Should we start the pilot in May or wait until June?",
        "Should GPs and community nurses share one care record?",
        "How many patients were admitted and discharged on the same day yesterday?",
        "Would a shared bank of nurses and HCAs help your ward cover nights?",
        "Which referral took longest to chase this week, and why?",
        "Did you get your break on your last shift? If not, what stopped you?",
    ],
)
def test_and_inside_a_name_a_pair_a_group_or_a_follow_up_is_one_question(question):
    assert "double" not in labels(question, ["Yes", "No", "Not sure"])


@pytest.mark.parametrize(
    ("question", "neutral"),
    [
        (
            "Don't you agree the huddle is too long?",
            "Do you agree or disagree that the huddle is too long?",
        ),
        ("Shouldn't we stop the Friday call?", "Should we stop the Friday call, or not?"),
        (
            "The rota is fairer now, isn't it?",
            "Do you agree or disagree that the rota is fairer now?",
        ),
        (
            "Which of our superb new clinics should open first?",
            "Which of our new clinics should open first?",
        ),
        (
            "How much quicker is the new form?",
            "Compared with before, is the new form quicker, slower or about the same?",
        ),
        (
            "Everyone thinks the room is too small - what's your view?",
            "Do you agree or disagree that the room is too small?",
        ),
    ],
)
def test_leading_questions_get_a_neutral_rewording(question, neutral):
    found = review("checkin", question)
    assert "leading" in found.labels
    assert f"‘{neutral}’" in found.suggestions[found.labels.index("leading")]


@pytest.mark.parametrize(
    "question",
    [
        "How easy was it to book a room this week?",
        "Would the evening team prefer handover at 7pm or 8pm?",
        "Do you agree with moving the clinic to Tuesdays?",
        "How satisfied are you with the new rota (1 = not at all, 5 = very)?",
        "What went wrong with the 2pm bed meeting today, if anything?",
        "Given the winter pressures, what one change would help your ward most?",
    ],
)
def test_neutral_questions_are_not_leading(question):
    assert "leading" not in labels(question, kind="checkin")


def test_more_than_seven_options_suggest_a_shortlist_and_seven_do_not():
    eight = [f"Site {letter}" for letter in "ABCDEFGH"]
    assert labels("Which site should go first?", eight) == ["too_many_options"]
    assert labels("Which site should go first?", eight[:7]) == []
    assert "dot vote" in review("poll", "Which site should go first?", eight).suggestions[0]


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (
            ["0–5 days", "5–10 days", "More than 10 days"],
            "‘0–5 days’ and ‘5–10 days’ both include 5",
        ),
        (["Less than 5", "5-10", "10 or more"], "‘5-10’ and ‘10 or more’ both include 10"),
        (
            ["1 to 3 years", "2 to 4 years"],
            "‘1 to 3 years’ and ‘2 to 4 years’ overlap, from 2 to 3",
        ),
        (
            ["Under 30 mins", "30 mins to 1 hour", "About an hour"],
            "‘30 mins to 1 hour’ and ‘About an hour’",
        ),
        (["Before 9am", "Mornings", "Afternoons"], "‘Before 9am’ and ‘Mornings’"),
        (["Daily", "Most days", "Weekly"], "‘Daily’ and ‘Most days’"),
        (["Every visit", "Weekly", "Never"], "‘Every visit’ and ‘Weekly’"),
        (
            ["Therapies", "Occupational therapy", "Nursing"],
            "‘Therapies’ includes ‘Occupational therapy’",
        ),
        (
            ["Pharmacy", "Community pharmacy", "Dentistry"],
            "‘Pharmacy’ includes ‘Community pharmacy’",
        ),
    ],
)
def test_overlapping_options_are_named(options, named):
    found = review("poll", "Which fits best?", options)
    assert found.labels == ["overlapping_options"]
    assert named in found.suggestions[0]


@pytest.mark.parametrize(
    "options",
    [
        ["0–4 days", "5–9 days", "10 or more days"],
        ["Fewer than 10", "10–24", "25–49", "50 or more"],
        ["Before 10am", "10am–12:59pm", "1pm–3:59pm", "4pm or later"],
        ["Daily", "Weekly", "Monthly", "Less often", "Never"],
        ["Always", "Often", "Sometimes", "Rarely", "Never"],
        ["Mon 12pm", "Mon 5pm", "Tue 12pm"],
        ["1–5 June", "8–12 June"],
        ["General surgery", "Oral surgery", "Urology"],
        ["Very well", "Well", "Not well"],
        ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"],
        ["Morning", "Afternoon", "Evening"],
        ["<1 hour", "1-2 hours", ">2 hours"],
        ["£0–£499", "£500–£999", "£1,000 or more"],
        ["09:00", "09:30", "10:00"],
    ],
)
def test_exclusive_options_are_left_alone(options):
    assert labels("Which fits best?", options) == []


def test_a_scale_without_dont_know_gets_a_hint_that_holds_nothing_back():
    found = review("poll", "How many beds were empty at 8am today?", ["0–4", "5–9", "10 or more"])
    assert found.labels == [] and not found.needs_attention
    assert found.suggestions == [
        "Consider adding ‘Don’t know’, so that people who cannot answer needn’t guess."
    ]
    assert review("poll", "Which day?", ["Monday", "Tuesday"]).suggestions == []
    assert review("poll", "How many?", ["0–4", "5 or more", "Not sure"]).suggestions == []


def test_a_checkins_options_are_ignored_and_an_unknown_kind_is_refused():
    assert review("checkin", "Which site first?", [str(n) for n in range(10)]).labels == []
    with pytest.raises(ValueError, match="poll or checkin"):
        review("survey", "Which site first?")


@pytest.mark.parametrize(
    ("option", "lo", "hi"),
    [("20 miles +", 20 * 1.609, float("inf")), ("half a day", 720, 720), ("1-3 hrs", 60, 180)],
)
def test_ranges_are_read_in_their_units(option, lo, hi):
    found = interval(option)
    assert found is not None and (found.lo, found.hi) == pytest.approx((lo, hi))
