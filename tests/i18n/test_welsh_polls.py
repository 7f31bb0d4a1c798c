"""Polls speak Welsh to a person who reads Welsh, and English, unchanged, to everyone else:
starting, closing and deciding a poll, and a refusal, through the engine."""

from __future__ import annotations

from dialogs.core.language import speaking
from tests.i18n.conftest import ASHA_CY, BEN_CY
from tests.support.conversation import ASHA, BEN, NORTH, buttons


def test_a_poll_is_started_and_closed_in_welsh(chat):
    with speaking("cy"):
        started = chat.says(
            ASHA_CY, NORTH, 'poll "Pa ddiwrnod?" "Llun" "Mawrth" --closes "in 3 days"'
        )
        closed = chat.says(ASHA_CY, NORTH, "poll close 1")
        again = chat.says(ASHA_CY, NORTH, "poll close 1")
    assert "Mae pôl #1 ar agor" in started
    assert "Wedi'i bostio mewn 1 sianel. Mae'n cau" in started
    assert closed.startswith("Mae pôl #1 ar gau.\nWnaeth neb bleidleisio.")
    assert "Mae pôl #1 eisoes ar gau." in again


def test_an_advisory_vote_is_not_called_a_decision_in_welsh(chat):
    with speaking("cy"):
        chat.says(ASHA_CY, NORTH, 'poll "Pa ddiwrnod?" "Llun" "Mawrth" --mode advisory')
        chat.clicks(BEN_CY, NORTH, buttons(chat.last_message(NORTH))["Llun"])
        closed = chat.says(ASHA_CY, NORTH, "poll close 1")
    assert (
        "Cyngor i'r bartneriaeth: “Llun” ddaeth yn gyntaf gyda 1 bleidlais o 1 pleidleisiwr."
        in closed
    )


def test_english_is_unchanged(chat):
    with speaking("en"):
        started = chat.says(ASHA, NORTH, 'poll "Which day?" "Mon" "Tue" --mode advisory')
        chat.clicks(BEN, NORTH, buttons(chat.last_message(NORTH))["Mon"])
        closed = chat.says(ASHA, NORTH, "poll close 1")
        refused = chat.says(ASHA, NORTH, "poll close 9")
    assert "Poll #1 is open" in started and "Posted in 1 channel." in started
    assert closed == (
        "Poll #1 is closed.\nAdvice to the partnership: “Mon” came first with 1 vote of 1 voters."
    )
    assert refused.startswith("There is no poll #9 here.\nType `poll list` to see the polls.\n")


def test_exported_ballots_are_counted_in_welsh(chat):
    with speaking("cy"):
        chat.says(ASHA_CY, NORTH, 'poll "Pa ddiwrnod?" "Llun" "Mawrth"')
        for voter in (ASHA_CY, BEN_CY):
            chat.clicks(voter, NORTH, buttons(chat.last_message(NORTH))["Llun"])
        chat.says(ASHA_CY, NORTH, "poll close 1")
        said, unused = chat.exports(ASHA_CY, NORTH, "poll export 1")
    assert said.startswith("Pleidleisiau pôl #1: 2 bleidlais, CSV")
