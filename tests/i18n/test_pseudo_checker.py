"""The pseudo-locale and its checker (tests/support/pseudo.py) catch what they should."""

from __future__ import annotations

from datetime import UTC, datetime

from dialogs.core.cards import Actions, Button, Card, Choice, FieldItem, Fields, Select, Text
from dialogs.core.language import _, ngettext, speaking
from dialogs.core.moments import moment
from tests.support.pseudo import (
    PSEUDO,
    card_texts,
    install_pseudo,
    page_texts,
    platform_texts,
    pseudo,
    untranslated,
)


def test_messages_are_accented_and_wrapped_with_placeholders_and_commands_kept():
    assert pseudo("Help") == "⟦Ĥéĺṕ⟧"
    assert pseudo("Poll {number} closed: type `poll list`") == (
        "⟦Ṕóĺĺ {number} ćĺóśéđ: ťýṕé `poll list`⟧"
    )
    install_pseudo()
    with speaking(PSEUDO):
        assert _("Help") == "⟦Ĥéĺṕ⟧"
        assert ngettext("{count} vote", "{count} votes", 1).format(count=1) == "⟦1 ṽóťé⟧"
        assert ngettext("{count} vote", "{count} votes", 3).format(count=3) == "⟦3 ṽóťéś⟧"
    assert _("Help") == "Help"


def test_words_outside_the_brackets_are_found_and_nothing_else():
    clean = [
        "⟦Ṽóťé⟧",
        "⟦Ṽóťé ƒóŕ ⟦Ŷéś⟧ ńóẃ⟧",  # a translation inside a translation
        "⟦Ṽóťé ƒóŕ Asha Patel⟧ · Northshire",  # a name formatted in, data beside
        "⟦Ćĺóśéś⟧ Fri 4 Dec 2026 17:00 GMT, 42 %, ✅ :warning: <@U0ASHA>",
        "⟦Ŕéśúĺťś ćúť śĥ",  # a translation a length limit cut short
    ]
    assert untranslated(clean, ["Asha Patel", "Northshire"]) == []
    found = untranslated(["Vote now", "⟦Ṽóťé⟧ now!", "⟦Ṽóťé⟧ Asha Patel"], ["Asha"])
    assert [each.words for each in found] == [["Vote", "now"], ["now"], ["Patel"]]


def test_a_cards_shown_words_are_read_and_its_identifiers_are_not():
    card = Card(
        blocks=[
            Text(text="⟦Ŕéáđ⟧ " + moment(datetime(2026, 12, 4, 17, tzinfo=UTC), "Europe/London")),
            Fields(items=[FieldItem(label="⟦Śťáťúś⟧", value="Open")]),
            Actions(
                elements=[
                    Button(label="⟦Ṽóťé⟧", action="vote:1:1"),
                    Select(placeholder="⟦Ćĥóóśé⟧", choices=[Choice(label="⟦Ŷéś⟧", value="yes")]),
                ]
            ),
        ],
        fallback="⟦Ṕóĺĺ⟧",
    )
    assert [each.words for each in untranslated(card_texts(card))] == [["Open"]]


def test_platform_renderings_are_read_where_people_read_them():
    slack = {"text": "⟦Ṕóĺĺ⟧", "blocks": [{"type": "section", "text": {"text": "Closed &amp;"}}]}
    teams = {
        "type": "AdaptiveCard",
        "body": [{"type": "FactSet", "facts": [{"title": "⟦Śťáťúś⟧", "value": "Open"}]}],
        "actions": [{"type": "Action.Submit", "title": "Vote", "data": {"action": "vote"}}],
    }
    assert [each.words for each in untranslated(platform_texts(slack))] == [["Closed"]]
    assert [each.words for each in untranslated(platform_texts(teams))] == [["Open"], ["Vote"]]
    page = '<p>⟦Ṽóťé ƒóŕ <strong>Asha</strong> ńóẃ⟧</p><button aria-label="Vote now">4</button>'
    assert [each.words for each in untranslated(page_texts(page), ["Asha"])] == [["Vote", "now"]]
