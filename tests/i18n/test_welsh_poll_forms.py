"""The poll's forms and dialogs speak Welsh to a person who reads Welsh, and English,
unchanged, to everyone else: the preview and the question coach, templates, editing and
deleting a poll, through the engine."""

from __future__ import annotations

from dialogs.core.language import speaking
from tests.i18n.conftest import ASHA_CY
from tests.support.conversation import ASHA, NORTH, buttons

DOUBLE = 'poll "Is the rota fair and should we extend the clinic?" "Yes" "No"'


def test_the_preview_and_the_coach_speak_welsh(chat):
    with speaking("cy"):
        misread = chat.says(ASHA_CY, NORTH, "poll Where shall we meet Leeds York")
        coached = chat.says(ASHA_CY, NORTH, DOUBLE)
    assert misread.startswith("Gwiriwch y pôl hwn cyn iddo fynd i bob sianel\n")
    assert "Doedd rhai geiriau ddim mewn dyfynodau" in misread
    assert "Mae hwn yn gofyn dau gwestiwn ar unwaith" in coached
    assert "Gofynnwch nhw ar wahân: ‘Is the rota fair?’ a ‘Should we extend the clinic?’" in (
        coached
    )


def test_templates_edits_and_deletions_speak_welsh(chat):
    with speaking("cy"):
        listed = chat.says(ASHA_CY, NORTH, "poll template list")
        chat.says(ASHA_CY, NORTH, 'poll from "Ie / na / ymatal" "Pa ddiwrnod?"')
        posted = chat.last_message(NORTH)
        edited = chat.says(ASHA_CY, NORTH, 'poll edit 1 --question "Pa ddiwrnod yr wythnos?"')
        deleted = chat.says(ASHA_CY, NORTH, "poll delete 1")
    assert listed.startswith("Templedi pôl\nIe / na / ymatal — Un dewis o Ie, Na neu Ymatal")
    assert list(buttons(posted))[:3] == ["Ie", "Na", "Ymatal"]  # found by its Welsh name
    assert edited.startswith(
        "Mae pôl #1 wedi newid\nCwestiwn wedi'i aileirio fel “Pa ddiwrnod yr wythnos?”."
    )
    assert deleted == (
        "Mae pôl #1 wedi'i ddileu\n"
        "Mae ei neges mewn 1 sianel bellach yn dweud ei fod wedi'i ddileu."
    )


def test_english_is_unchanged(chat):
    with speaking("en"):
        coached = chat.says(ASHA, NORTH, DOUBLE)
        listed = chat.says(ASHA, NORTH, "poll template list")
        chat.says(ASHA, NORTH, 'poll from "Yes / no / abstain" "Which day?"')
        edited = chat.says(ASHA, NORTH, 'poll edit 1 --question "Which day of the week?"')
        deleted = chat.says(ASHA, NORTH, "poll delete 1")
    assert "Ask them separately: ‘Is the rota fair?’ and ‘Should we extend the clinic?’" in (
        coached
    )
    assert listed.startswith("Poll templates\nYes / no / abstain — One choice of Yes, No or")
    assert edited.startswith("Poll #1 is changed\nQuestion reworded as “Which day of the week?”.")
    assert deleted == ("Poll #1 is deleted\nIts message in 1 channel now says it was deleted.")
