"""The Welsh catalog holds every message the code marks, translated, with the same placeholders."""

from __future__ import annotations

import re

from babel.messages.catalog import Message as Entry

from dialogs.core import language
from dialogs.core.language import _, ngettext, speaking
from tests.i18n.messages import extracted, welsh

PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _forms(entry: Entry) -> list[str]:
    return list(entry.string) if isinstance(entry.string, tuple | list) else [entry.string]


def test_every_marked_message_has_a_welsh_translation():
    catalog = welsh()
    missing = [
        f"{where}: {message!r}" for message, where in extracted().items() if message not in catalog
    ]
    assert not missing, "messages with no Welsh entry (add them to dialogs/locale/cy/):\n" + (
        "\n".join(missing)
    )


def test_no_welsh_entry_is_fuzzy_or_empty():
    unfinished = [
        repr(entry.id)
        for entry in welsh()
        if entry.id and (entry.fuzzy or not all(form.strip() for form in _forms(entry)))
    ]
    assert not unfinished, "fuzzy or untranslated Welsh entries:\n" + "\n".join(unfinished)


def test_welsh_counted_messages_have_all_six_forms():
    short = [repr(entry.id) for entry in welsh() if entry.pluralizable and len(_forms(entry)) != 6]
    assert not short, "Welsh has six plural forms; these have fewer:\n" + "\n".join(short)


def test_translations_keep_the_placeholders():
    wrong = []
    for entry in welsh():
        ids = entry.id if isinstance(entry.id, tuple | list) else [entry.id]
        wanted = set().union(*(set(PLACEHOLDER.findall(text)) for text in ids))
        for form in _forms(entry):
            if set(PLACEHOLDER.findall(form)) - wanted or (
                not entry.pluralizable and set(PLACEHOLDER.findall(form)) != wanted
            ):
                wrong.append(f"{entry.id!r} -> {form!r}")
    assert not wrong, "placeholders changed in translation:\n" + "\n".join(wrong)


def test_english_is_the_source_and_welsh_comes_from_the_catalog():
    with speaking("en"):
        assert _("Help") == "Help"
    with speaking("cy"):
        assert _("Help") == "Cymorth"
        assert ngettext("{count} vote", "{count} votes", 2).format(count=2) == "2 bleidlais"
        assert ngettext("{count} vote", "{count} votes", 1).format(count=1) == "1 bleidlais"
    assert language.current() == "en"


def test_platform_locales_choose_a_language_we_speak():
    assert language.from_locale("cy-GB") == "cy"
    assert language.from_locale("cy_GB") == "cy"
    assert language.from_locale("en-US") == "en"
    assert language.from_locale("fr-FR") is None
    assert language.from_locale("") is None
