"""A collaborative's language: coordinators choose the default and whether shared messages
go out in Welsh and English (on the record); a shared poll is merged from both.

Conversations at the engine: Asha set up Northshire (Europe/London) in the North channel;
Ben is a member. Only a few messages are in the Welsh catalog yet, so the poll's Welsh
differs from its English in its dates (through Babel) until its words join the catalog.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from dialogs.core.bilingual import merged
from dialogs.core.cards import Actions, Button, Card, Context, Divider, Heading, Text
from storage.models import AuditEntry, Collaborative
from tests.support.conversation import ASHA, BEN, NORTH, Conversation, poll_buttons, text_of

POLL = 'poll "Where do we meet?" "Leeds" "York" --closes friday 17:00'


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.says(ASHA, NORTH, 'setup "Northshire"')
    conversation.says(BEN, NORTH, "help")
    yield conversation
    conversation.close()


def _collaborative(database) -> Collaborative:
    with database.session() as session:
        return session.exec(select(Collaborative)).one()


def _settings_entries(database) -> list[str]:
    with database.session() as session:
        rows = session.exec(select(AuditEntry).where(AuditEntry.action == "settings"))
        return [entry.summary for entry in rows.all()]


def test_language_shows_the_default_and_how_shared_messages_go_out(chat):
    shown = chat.says(BEN, NORTH, "language")
    assert "Shared messages in Northshire are written in English" in shown
    assert "They go out in English only." in shown
    assert "`language default cy|en` and `language shared both|default`" in shown


def test_a_coordinator_sets_the_default_and_both_languages_on_the_record(chat, database):
    shown = chat.says(ASHA, NORTH, "language default cy")
    assert "Shared messages are written in Welsh" in shown
    assert "They go out in Welsh only." in shown
    shown = chat.says(ASHA, NORTH, "language shared both")  # Asha reads the default now
    assert "Maen nhw'n mynd allan yn Gymraeg ac yn Saesneg gyda'i gilydd." in shown
    assert "Mae negeseuon a bostiwyd eisoes yn newid y tro nesaf y cânt eu diweddaru." in shown
    collaborative = _collaborative(database)
    assert (collaborative.language, collaborative.bilingual) == ("cy", True)
    assert _settings_entries(database) == [
        # Each entry reads as the collaborative's record does once the change is made.
        "gosod iaith y negeseuon a rennir: Cymraeg (cyn hyn: Saesneg)",
        "gosod y negeseuon a rennir i fynd allan yn: `both` (cyn hyn: `default`)"
        " / set shared messages to go out in: `both` (was `default`)",
    ]
    chat.says(ASHA, NORTH, "language shared both")
    assert len(_settings_entries(database)) == 2, "the same choice again is not a change"


def test_a_member_may_read_the_setting_but_not_change_it(chat, database):
    shown = chat.says(BEN, NORTH, "language default cy")
    assert "Only a coordinator can change the language of shared messages" in shown
    shown = chat.says(BEN, NORTH, "language shared both")
    assert "Only a coordinator can" in shown
    collaborative = _collaborative(database)
    assert (collaborative.language, collaborative.bilingual) == ("en", False)
    assert _settings_entries(database) == []


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("language default fr", "“fr” is not a language Concord speaks."),
        ("language default welsh", "Type `language default cy` or `language default en`."),
        ("language shared all", "“all” is not a choice here."),
        ("language shared", "`language shared` needs"),
    ],
)
def test_values_concord_cannot_use_are_refused_and_change_nothing(chat, database, typed, said):
    assert said in chat.says(ASHA, NORTH, typed)
    collaborative = _collaborative(database)
    assert (collaborative.language, collaborative.bilingual) == ("en", False)


def test_a_shared_poll_in_the_default_language_welsh(chat):
    chat.says(ASHA, NORTH, "language default cy")
    chat.says(ASHA, NORTH, POLL)
    poll = chat.last_message(NORTH)
    assert poll.language == "cy"
    assert "Gwen 27 Tach 2026 17:00 GMT" in text_of(poll)
    assert "Fri 27 Nov" not in text_of(poll)


def test_a_poll_posted_in_both_languages_keeps_its_options_once(chat):
    chat.says(ASHA, NORTH, "language shared both")
    chat.says(ASHA, NORTH, POLL)
    poll = chat.last_message(NORTH)
    shown = text_of(poll)
    welsh, english = shown.index("Gwen 27 Tach 2026 17:00 GMT"), shown.index("Fri 27 Nov 2026")
    assert welsh < english, "Welsh first, then English"
    assert list(poll_buttons(poll)) == ["Leeds", "York"], "options are the same in both"
    assert shown.count("Where do we meet?") == 1
    vote = poll_buttons(poll)["York"]
    chat.clicks(BEN, NORTH, vote)
    updated = chat.last_message(NORTH)
    assert "Gwen 27 Tach 2026 17:00 GMT" in text_of(updated), "an update is merged too"
    assert "Fri 27 Nov 2026" in text_of(updated)


def test_cards_of_one_shape_merge_text_by_text():
    def card(heading: str, text: str, label: str) -> Card:
        return Card(
            blocks=[
                Heading(text=heading),
                Text(text=text),
                Actions(
                    elements=[
                        Button(label=label, action="vote:1:1"),
                        Button(label="York", action="vote:1:2"),
                    ]
                ),
            ],
            fallback=heading,
        )

    both = merged(
        card("Pôl #1", "Pleidleisiwch erbyn dydd Gwener.", "Ie"),
        card("Poll #1", "Vote by Friday.", "Yes"),
    )
    heading, text, actions = both.blocks
    assert isinstance(heading, Heading) and heading.text == "Pôl #1 / Poll #1"
    assert (
        isinstance(text, Text)
        and text.text == "Pleidleisiwch erbyn dydd Gwener.\n\nVote by Friday."
    )
    assert isinstance(actions, Actions)
    assert [b.label for b in actions.elements if isinstance(b, Button)] == ["Ie / Yes", "York"]
    assert both.fallback == "Pôl #1 / Poll #1"


def test_cards_of_different_shapes_go_welsh_then_a_divider_then_english():
    welsh = Card(blocks=[Text(text="Helo"), Context(text="Diolch")], fallback="Helo")
    english = Card(blocks=[Text(text="Hello")], fallback="Hello")
    both = merged(welsh, english)
    assert [type(b) for b in both.blocks] == [Text, Context, Divider, Text]
    assert both.fallback == "Helo / Hello"
