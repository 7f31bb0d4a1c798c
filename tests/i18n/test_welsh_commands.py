"""The commands' help and refusals, and the home card, in Welsh for a Welsh speaker, and word
for word as before in English.

Each person here says their platform speaks Welsh ("cy-GB"), and the turns run inside
`speaking("cy")` as well, so Welsh comes out whether the engine takes the language from the
platform or from the work around it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest

from dialogs.commands.recurrence import describe_rule, parse_recurrence
from dialogs.core.events import Actor, Place
from dialogs.core.language import speaking
from tests.support.conversation import ASHA, BEN, NORTH, Conversation, channel, text_of

ELIN = replace(BEN, locale="cy-GB")
ASHA_IN_WELSH = replace(ASHA, locale="cy-GB")
ELSEWHERE = channel("elsewhere")
RECURRING = (
    "every monday and friday 10:00",
    "every 2 weeks on friday 10:00",
    "first monday of the month 09:00",
)


@pytest.fixture
def chat(database, clock) -> Iterator[Conversation]:
    """Northshire, set up by Asha in North; Ben (Elin, when she speaks Welsh) joins there."""
    conversation = Conversation(database, clock)
    conversation.says(ASHA, NORTH, 'setup "Northshire"')
    conversation.says(BEN, NORTH, "help")
    yield conversation
    conversation.close()


def _in_welsh(chat: Conversation, *typed: tuple[Actor, Place, str]) -> str:
    """What the people read after typing each line, all of it in one text."""
    with speaking("cy"):
        return "\n".join(chat.says(actor, place, text) for actor, place, text in typed)


def _missing(shown: str, *expected: str) -> list[str]:
    return [sentence for sentence in expected if sentence not in shown]


def test_help_outside_a_collaborative_is_in_welsh(chat):
    shown = _in_welsh(chat, (ELIN, ELSEWHERE, "help all"))
    assert not _missing(
        shown,
        "Beth gallwch chi ei wneud yma",
        "Nid yw'r sianel hon yn rhan o gydweithrediaeth eto.",
        '`setup "Enw\'r gydweithrediaeth" [--timezone Europe/London]` — '
        "dechrau cydweithrediaeth yn y sianel hon",
    )


def test_a_members_help_says_their_role_and_commands_in_welsh(chat):
    shown = _in_welsh(chat, (ELIN, NORTH, "help"))
    assert not _missing(
        shown,
        "Beth sy'n aros amdanoch chi",
        "Rydych chi'n aelod yn Northshire.",
        "Rydych chi'n gyfredol: does dim byd ar agor yn aros amdanoch chi yma.",
        "Y gorchmynion y byddwch chi'n eu defnyddio fwyaf:",
        "`poll list` — rhestru'r polau",
    )


def test_mistyped_and_impossible_commands_are_refused_in_welsh(chat):
    shown = _in_welsh(
        chat,
        (ASHA_IN_WELSH, NORTH, "poll clsoe 1"),
        (ASHA_IN_WELSH, NORTH, 'poll "Lunch?" "Soup" "Salad" --closes yesterday'),
        (ELIN, NORTH, "settings governance joint"),
    )
    assert not _missing(
        shown,
        "Nid yw `poll` yn gwneud `poll clsoe`.",
        "Oeddech chi'n golygu `poll close`? I ofyn cwestiwn, rhowch ef rhwng dyfynodau.",
        "Fe deipioch chi: poll clsoe 1",
        "“yesterday”: mae'r amser hwn wedi mynd heibio (",
        "Dim ond cydlynydd sy'n gallu ",
        "rydych chi'n aelod yn Northshire.",
        "Gofynnwch i gydlynydd ei wneud (teipiwch `org list` i weld pwy ydyn nhw).",
    )


def test_a_command_mistyped_by_someone_who_chose_welsh_is_refused_in_welsh(chat):
    chat.says(BEN, NORTH, "me language cy")  # his platform says nothing of his language

    shown = chat.says(BEN, NORTH, "poll clsoe 1")

    assert not _missing(shown, "Nid yw `poll` yn gwneud `poll clsoe`.", "Fe deipioch chi:")


def test_a_channel_linked_by_an_english_speaker_is_announced_in_the_collaboratives_welsh(chat):
    chat.says(ASHA, NORTH, "language default cy")
    code = chat.says(ASHA_IN_WELSH, NORTH, "link").split("`link ")[1].split("`")[0]

    chat.says(replace(ASHA, locale="en-GB"), channel("south"), f"link {code}")

    notice = text_of(chat.last_message(NORTH))
    assert "Mae'r gydweithrediaeth hon bellach" in notice, notice


def test_english_is_word_for_word_as_before(chat):
    with speaking("en"):
        shown = chat.says(BEN, NORTH, "help") + chat.says(ASHA, NORTH, "poll clsoe 1")
    assert not _missing(
        shown,
        "You are a member of Northshire.",
        "`poll list` — list the polls",
        "`poll clsoe` is not something `poll` does.",
        "Did you mean `poll close`? To ask a question, put it in quotes.",
    )


def test_a_repeating_time_reads_in_welsh_and_as_before_in_english():
    rules = [parse_recurrence(text, date(2026, 12, 6)) for text in RECURRING]
    with speaking("cy"):
        welsh = [describe_rule(rule) for rule in rules]
    with speaking("en"):
        english = [describe_rule(rule) for rule in rules]
    assert welsh == [
        "bob dydd Llun a dydd Gwener am 10:00",
        "bob 2 wythnos, dydd Gwener am 10:00, gan ddechrau Gwen 11 Rhag",
        "y dydd Llun cyntaf o bob mis am 09:00",
    ]
    assert english == [
        "every Monday and Friday at 10:00",
        "every 2 weeks on Fridays at 10:00, from Fri 11 Dec",
        "the 1st Monday of each month at 09:00",
    ]
