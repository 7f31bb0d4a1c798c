"""`retention`: how long written words and closed polls are kept, said plainly, changed by
coordinators only, and never shorter than a poll still running."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from dialogs.collaborative.retention import in_words, months_before
from storage.models import AuditEntry, Collaborative
from tests.support.conversation import ASHA, BEN, NORTH


def periods(database) -> tuple[int, int]:
    with database.session() as session:
        collaborative = session.exec(select(Collaborative)).one()
        return collaborative.retention_free_text_months, collaborative.retention_closed_poll_months


def settings_entries(database) -> list[AuditEntry]:
    with database.session() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == "settings")).all())


def test_retention_shows_the_defaults_and_what_happens_after_them(chat):
    shown = chat.says(BEN, NORTH, "retention")
    assert "How long Northshire keeps people's words and votes" in shown
    assert "Written words (check-in comments, proposals" in shown
    assert ": 2 years (the default); after that, they are replaced with" in shown
    assert "[removed after the retention period]" in shown
    assert "Closed polls' ballots: 6 years (the default); after that, the ballots are " in shown
    assert "the counts, the result and the decision log stay" in shown


def test_a_coordinator_sets_each_period_in_months_or_years_on_the_record(chat, database):
    shown = chat.says(ASHA, NORTH, "retention free-text 12 months")
    assert "Written words (check-in comments" in shown and "are now kept for 1 year." in shown
    assert "Closed polls' ballots are now kept for 7 years." in chat.says(
        ASHA, NORTH, "retention closed-polls 7 years"
    )
    assert periods(database) == (12, 84)
    assert [e.summary for e in settings_entries(database)] == [
        "set how long free-text is kept: 1 year (was 2 years)",
        "set how long closed-polls is kept: 7 years (was 6 years)",
    ]
    assert ": 1 year; after that" in chat.says(BEN, NORTH, "retention")


def test_the_same_period_again_changes_nothing(chat, database):
    assert "already kept for 2 years" in chat.says(ASHA, NORTH, "retention free-text 2 years")
    assert settings_entries(database) == []


def test_a_member_may_read_the_periods_but_not_change_them(chat, database):
    chat.says(BEN, NORTH, "help")
    shown = chat.says(BEN, NORTH, "retention free-text 1 month")
    assert "Only a coordinator can change how long Concord keeps" in shown
    assert periods(database) == (24, 72)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("retention free-text 24", "Say whether 24 is months or years."),
        ("retention free-text 0 months", "can't be kept for no time at all"),
        ("retention free-text 2 weeks", "“2 weeks” is not a period Concord can read."),
        ("retention closed-polls 101 years", "is too long: the most is 100 years."),
        ("retention closed-polls forever", "“forever” is not a period Concord can read."),
        ("retention closed-polls", "`retention closed-polls` needs N."),
        ("retention free-txt 3 months", "Did you mean `retention free-text`?"),
    ],
)
def test_nonsense_is_refused_with_what_to_type_and_changes_nothing(chat, database, typed, said):
    shown = chat.says(ASHA, NORTH, typed)
    assert said in shown
    assert "months" in shown.splitlines()[1] or "Did you mean" in shown
    assert periods(database) == (24, 72)


def test_a_period_shorter_than_an_open_poll_is_refused_naming_the_poll(chat, database):
    chat.says(ASHA, NORTH, 'poll "Which site first?" "North" "South" --closes 20 Nov 2027')
    shown = chat.says(ASHA, NORTH, "retention free-text 6 months")
    assert "Poll #1 “Which site first?” (to Sat 20 Nov 2027" in shown
    assert "runs for 359 days, longer than 6 months" in shown
    assert "Choose at least 1 year, or close the poll first." in shown
    assert periods(database) == (24, 72)
    assert "now kept for 1 year" in chat.says(ASHA, NORTH, "retention free-text 12 months")


def test_a_scheduled_poll_counts_from_its_opening(chat, database):
    chat.says(ASHA, NORTH, 'poll "Later?" "A" "B" --opens 1 Jun 2027 --closes 1 Aug 2027')
    assert "now kept for 3 months" in chat.says(ASHA, NORTH, "retention closed-polls 3 months")
    shown = chat.says(ASHA, NORTH, "retention free-text 1 month")
    assert "Poll #1 “Later?”" in shown and "runs for 61 days" in shown


def test_periods_in_words_and_on_the_calendar():
    assert [in_words(m) for m in (1, 12, 18, 24, 72)] == [
        "1 month",
        "1 year",
        "18 months",
        "2 years",
        "6 years",
    ]
    march = datetime(2027, 3, 31, 9, tzinfo=UTC)
    assert months_before(march, 1) == datetime(2027, 2, 28, 9, tzinfo=UTC)
    assert months_before(march, 13) == datetime(2026, 2, 28, 9, tzinfo=UTC)
    assert months_before(march, 72) == datetime(2021, 3, 31, 9, tzinfo=UTC)


def removed_words_policy(database) -> str:
    with database.session() as session:
        return session.exec(select(Collaborative)).one().forgotten_text


def test_a_coordinator_chooses_what_removed_words_leave_on_the_record(chat, database):
    assert "leave a note in their place (“[removed at the author's request]”" in chat.says(
        BEN, NORTH, "retention"
    )
    shown = chat.says(ASHA, NORTH, "retention removed-words remove")
    assert "From now on, written words removed at their author's request or after their " in shown
    assert "leave nothing in their place" in shown and "Words removed before stay" in shown
    assert removed_words_policy(database) == "remove"
    assert [e.summary for e in settings_entries(database)] == [
        "set what removed written words leave: remove (was replace)"
    ]
    assert "they are removed (a reason an objection needs" in chat.says(BEN, NORTH, "retention")
    assert "already leave nothing" in chat.says(ASHA, NORTH, "retention removed-words REMOVE")
    assert len(settings_entries(database)) == 1


def test_what_removed_words_leave_is_a_coordinators_choice_of_two(chat, database):
    chat.says(BEN, NORTH, "help")
    assert "Only a coordinator can change" in chat.says(
        BEN, NORTH, "retention removed-words remove"
    )
    refused = chat.says(ASHA, NORTH, "retention removed-words shred")
    assert "“shred” is not a choice here." in refused
    assert "`retention removed-words replace` or `retention removed-words remove`" in refused
    assert removed_words_policy(database) == "replace" and settings_entries(database) == []
