"""Welsh comes out of purpose rounds and check-ins: a coordinator whose platform speaks Welsh
starts a round, reads where it is and its refusals, schedules a check-in (Concord's own
questions asked in Welsh), lists, runs and stops it. The same commands in English read
exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dialogs.core.language import speaking
from tests.i18n.conftest import ASHA_CY, BEN_CY
from tests.support.conversation import ASHA, NORTH, SOUTH, Conversation


@pytest.fixture
def chat(database, clock) -> Iterator[Conversation]:
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    yield conversation
    conversation.close()


def test_a_welsh_coordinator_starts_a_purpose_round_and_reads_where_it_is(chat):
    with speaking("cy"):
        chat.says(ASHA_CY, NORTH, "language default cy")  # the channels ask the prompts
        shown = chat.says(ASHA_CY, NORTH, "purpose start")
        assert "Mae rownd diben #1 ar agor" in shown
        assert "Mae'r gwahoddiad wedi'i bostio mewn 2 sianel; gall aelodau gynnig tan" in shown
        assert "Pwy ydyn ni'n eu gwasanaethu gyda'n gilydd" in shown  # Concord's own prompt
        shown = chat.says(ASHA_CY, NORTH, "purpose status")
        assert "Ein diben cyffredin: Northshire Provider Collaborative" in shown
        assert "Rownd diben #1 · Casglu cynigion tan" in shown
        assert "Helpwch ni i ddweud beth yw diben y bartneriaeth hon. Meddyliwch am:" in shown
        assert "0 cynnig hyd yma." in shown
        refused = chat.says(ASHA_CY, SOUTH, "purpose start")
        assert "Mae rownd diben #1 eisoes ar waith (Casglu cynigion tan" in refused
        shown = chat.says(BEN_CY, NORTH, "purpose show")
        assert "Does gan Northshire Provider Collaborative ddim diben cyffredin" in shown


def test_a_welsh_coordinator_schedules_runs_and_stops_a_check_in(chat):
    with speaking("cy"):
        chat.says(ASHA_CY, NORTH, "language default cy")  # the channels ask the questions
        shown = chat.says(ASHA_CY, NORTH, 'checkin add "every monday 09:00"')
        assert "Gwiriad #1 wedi'i drefnu" in shown
        assert "atebion ar agor am 24 awr. Mae'r cyntaf" in shown
        assert "1. Pa mor hyderus ydych chi y bydd partneriaid yn cyflawni" in shown
        shown = chat.says(ASHA_CY, NORTH, "checkin list")
        assert "Gwiriadau yn Northshire Provider Collaborative" in shown
        assert "atebion ar agor 24 awr" in shown
        shown = chat.says(ASHA_CY, NORTH, "checkin now 1")
        assert "Mae gwiriad #1 ar agor nawr" in shown
        assert "Mae atebion yn cael eu derbyn tan" in shown
        shown = chat.says(ASHA_CY, NORTH, "checkin stop 1")
        assert "Mae gwiriad #1 wedi'i atal." in shown
        assert "Mae atebion a chrynodebau blaenorol yn cael eu cadw." in shown
        assert "Does dim gwiriad #7 yma." in chat.says(ASHA_CY, NORTH, "checkin stop 7")


def test_the_same_commands_in_english_read_as_they_always_have(chat):
    with speaking("en"):
        shown = chat.says(ASHA, NORTH, "purpose start")
        assert "Purpose round #1 is open" in shown
        assert "The invitation is posted in 2 channels; members propose until" in shown
        assert "Who do we serve together that none of us can serve alone?" in shown
        shown = chat.says(ASHA, NORTH, "purpose status")
        assert "Purpose round #1 · Gathering proposals until" in shown
        assert "0 proposals so far." in shown
        shown = chat.says(ASHA, NORTH, 'checkin add "every monday 09:00"')
        assert "Check-in #1 scheduled" in shown
        assert "answers open for 24 hours. The first is" in shown
        assert "1. How confident are you that partners will deliver" in shown
        assert "Check-in #1 is stopped." in chat.says(ASHA, NORTH, "checkin stop 1")
