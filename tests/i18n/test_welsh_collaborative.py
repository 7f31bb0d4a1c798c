"""Welsh comes out of the collaborative's commands: setting one up, its organisations, a
person's time zone and the retention periods, read by someone whose platform speaks Welsh.
The same commands in English read exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dialogs.core.language import speaking
from tests.i18n.conftest import ASHA_CY, BEN_CY
from tests.support.conversation import ASHA, NORTH, Conversation


@pytest.fixture
def chat(database, clock) -> Iterator[Conversation]:
    conversation = Conversation(database, clock)
    yield conversation
    conversation.close()


def test_a_welsh_speaker_sets_up_a_collaborative_and_lists_its_organisations(chat):
    with speaking("cy"):
        shown = chat.says(ASHA_CY, NORTH, 'setup "Gogledd Cymru"')
        assert "Mae Gogledd Cymru wedi'i sefydlu" in shown
        assert "Chi yw ei chydlynydd cyntaf. Mae amseroedd yn cael eu dangos yn Europe/London." in (
            shown
        )
        shown = chat.says(ASHA_CY, NORTH, 'org add "Bwrdd Iechyd"')
        assert "Wedi ychwanegu Bwrdd Iechyd" in shown
        assert 'Gall unrhyw un arall ymuno ag ef drwy deipio `org join "Bwrdd Iechyd"`.' in shown
        shown = chat.says(BEN_CY, NORTH, 'org join "Cyngor"')
        assert "Does dim sefydliad o'r enw Cyngor yma." in shown
        assert "Y sefydliadau yw: Bwrdd Iechyd." in shown
        shown = chat.says(ASHA_CY, NORTH, "org list")
        assert "Sefydliadau yn Gogledd Cymru" in shown
        assert "Bwrdd Iechyd (0): neb eto" in shown
        assert "Ddim mewn sefydliad eto (1): Asha Patel (cydlynydd)" in shown


def test_a_welsh_speaker_reads_their_time_zone_and_the_retention_periods(chat):
    with speaking("cy"):
        chat.says(ASHA_CY, NORTH, 'setup "Gogledd Cymru"')
        shown = chat.says(ASHA_CY, NORTH, "me timezone")
        assert "Eich cylchfa amser yw Europe/London" in shown
        assert "Dyma gylchfa'r gydweithrediaeth" in shown
        shown = chat.says(ASHA_CY, NORTH, "retention")
        assert "Am faint mae Gogledd Cymru yn cadw geiriau a phleidleisiau pobl" in shown
        assert "Pleidleisiau polau sydd ar gau: 6 blynedd (y rhagosodiad); ar ôl hynny," in shown
        shown = chat.says(ASHA_CY, NORTH, "retention closed-polls 1 year")
        assert (
            "Pleidleisiau polau sydd ar gau: maen nhw bellach yn cael eu cadw am 1 flwyddyn."
            in (shown)
        )


def test_the_same_commands_in_english_read_as_they_always_have(chat):
    with speaking("en"):
        shown = chat.says(ASHA, NORTH, 'setup "North Wales"')
        assert "North Wales is set up" in shown
        assert "You are its first coordinator. Times are shown in Europe/London." in shown
        chat.says(ASHA, NORTH, 'org add "Health Board"')
        shown = chat.says(ASHA, NORTH, "org list")
        assert "Health Board (0): nobody yet" in shown
        assert "Not yet in an organisation (1): Asha Patel (coordinator)" in shown
        shown = chat.says(ASHA, NORTH, "retention closed-polls 1 year")
        assert "Closed polls' ballots are now kept for 1 year." in shown
