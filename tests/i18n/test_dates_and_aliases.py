"""Dates follow the reader's language (Babel's names for days and months); the Welsh words
people type for the commonest commands are read as those commands; Teams shows a card's
moments in the card's language."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from adapters.teams.render import render_card, summary
from dialogs.commands.parser import parse
from dialogs.core.cards import Card, Text
from dialogs.core.language import speaking
from dialogs.core.moments import describe, moment

FRIDAY = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)
SUMMER = datetime(2026, 9, 4, 16, 0, tzinfo=UTC)


def test_english_dates_read_exactly_as_before():
    assert describe(FRIDAY, "Europe/London") == "Fri 4 Dec 2026 17:00 GMT"
    assert describe(SUMMER, "Europe/London", "en") == "Fri 4 Sep 2026 17:00 BST"
    assert describe(FRIDAY, "Europe/Paris", "en") == "Fri 4 Dec 2026 18:00 CET"


def test_welsh_dates_use_welsh_days_and_months():
    assert describe(FRIDAY, "Europe/London", "cy") == "Gwen 4 Rhag 2026 17:00 GMT"
    assert describe(SUMMER, "Europe/London", "cy") == "Gwen 4 Medi 2026 17:00 BST"
    with speaking("cy"):
        assert describe(FRIDAY, "Europe/London") == "Gwen 4 Rhag 2026 17:00 GMT"
        assert "Gwen 4 Rhag 2026 17:00 GMT" in moment(FRIDAY, "Europe/London"), "the fallback"


def test_teams_shows_a_cards_moments_in_its_language_and_zone():
    said = f"Closes {moment(FRIDAY, 'Europe/London')}"
    welsh = Card(blocks=[Text(text=said)], fallback=said, zone="Europe/Paris", language="cy")
    assert "Gwen 4 Rhag 2026 18:00 CET" in json.dumps(render_card(welsh), ensure_ascii=False)
    assert summary(welsh) == "Closes Gwen 4 Rhag 2026 18:00 CET"
    english = welsh.model_copy(update={"language": "en"})
    assert "Fri 4 Dec 2026 18:00 CET" in json.dumps(render_card(english))


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("cymorth", "help"),
        ("Cymorth all", "help"),
        ('pôl "Ble?" "Caerdydd" "Abertawe"', "poll"),
        ('pol "Ble?" "Caerdydd" "Abertawe"', "poll"),
        ('PÔL "Ble?" "Caerdydd" "Abertawe"', "poll"),
        ('po\u0302l "Ble?" "Caerdydd" "Abertawe"', "poll"),  # ô typed as o and a circumflex
        ("pôl list", "poll.list"),
        ("pol close 2", "poll.close"),
        ("/concord cymorth", "help"),
    ],
)
def test_welsh_aliases_are_read_as_the_commands_they_name(typed, command):
    parsed = parse(typed)
    assert parsed.name == command
    assert parsed.text == typed


def test_an_alias_keeps_the_rest_of_the_command():
    parsed = parse('pôl "Ble?" "Caerdydd" "Abertawe" --closes friday')
    assert parsed.args["question"] == "Ble?"
    assert parsed.args["options"] == ["Caerdydd", "Abertawe"]
    assert parsed.flags["closes"] == "friday"
    assert parse("cymorth all").args["topic"] == "all"


def test_a_quoted_welsh_word_is_only_text():
    parsed = parse('poll "pôl" "Ie" "Na"')
    assert parsed.args["question"] == "pôl"
