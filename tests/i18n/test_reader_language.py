"""The language each reader is written to: chosen (`me language`), else the platform's, else
the collaborative's default, else English; notes to someone else come in their language.

Conversations at the engine: Asha set up Northshire (Europe/London) in the North channel.
Only a few messages are in the Welsh catalog yet, so these tests read the language settings'
own words, the dates (through Babel) and each card's `language`.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import select

from dialogs.core.cards import Notify
from dialogs.core.events import CommandIssued
from dialogs.core.readers import CHOSEN, COLLABORATIVE, FALLBACK, PLATFORM, Spoken, language_of
from storage.models import Collaborative, Identity, PersonSetting
from tests.support.conversation import ASHA, BEN, CARYS, NORTH, Conversation, text_of

ASHA_IN_WELSH = replace(ASHA, locale="cy-GB")
BEN_IN_WELSH = replace(BEN, locale="cy")
WELSH = "Yr iaith y mae Concord yn ei defnyddio i chi: Cymraeg"
ENGLISH_FOR_WELSH = "Yr iaith y mae Concord yn ei defnyddio i chi: Saesneg"
ENGLISH = "Concord writes to you in English"


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.says(ASHA, NORTH, 'setup "Northshire"')
    for person in (BEN, CARYS):
        conversation.says(person, NORTH, "help")  # each becomes a member by acting
    yield conversation
    conversation.close()


def _settings(database, user_id: str) -> list[PersonSetting]:
    with database.session() as session:
        rows = session.exec(select(PersonSetting).where(PersonSetting.user_id == user_id))
        return list(rows.all())


def _set(database, **values) -> None:
    with database.session() as session:
        collaborative = session.exec(select(Collaborative)).one()
        for name, value in values.items():
            setattr(collaborative, name, value)
        session.add(collaborative)
        session.commit()


def test_the_order_chosen_then_platform_then_collaborative_then_english():
    northshire = Collaborative(name="N", timezone="Europe/London", created_at=None, language="cy")
    english = Collaborative(name="E", timezone="Europe/London", created_at=None)
    chose_en = PersonSetting(platform="p", tenant_id="t", user_id="u", language="en", updated_at=0)
    reported = PersonSetting(
        platform="p", tenant_id="t", user_id="u", platform_language="cy", updated_at=0
    )
    assert language_of(chose_en, ASHA_IN_WELSH, northshire) == Spoken("en", CHOSEN)
    assert language_of(None, ASHA_IN_WELSH, english) == Spoken("cy", PLATFORM)
    assert language_of(reported, ASHA, english) == Spoken("cy", PLATFORM), "kept from before"
    assert language_of(reported, replace(ASHA, locale="en-GB"), english) == Spoken("en", PLATFORM)
    assert language_of(None, replace(ASHA, locale="fr-FR"), northshire) == Spoken(
        "cy", COLLABORATIVE
    )
    assert language_of(None, ASHA, english) == Spoken("en", COLLABORATIVE)
    assert language_of(None, ASHA, None) == Spoken("en", FALLBACK), "in no collaborative"


def test_a_platform_in_welsh_is_answered_in_welsh_and_its_language_kept(chat, database):
    shown = chat.says(BEN_IN_WELSH, NORTH, "me language")
    assert WELSH in shown
    assert "Dyma'r iaith y mae eich platfform yn ei nodi ar eich cyfer" in shown
    assert [s.platform_language for s in _settings(database, BEN.user_id)] == ["cy"]
    assert WELSH in chat.says(BEN, NORTH, "me language"), "remembered when it says nothing"


def test_nothing_known_is_the_collaboratives_default_english_until_it_changes(chat, database):
    shown = chat.says(CARYS, NORTH, "me language")
    assert ENGLISH in shown
    assert "It is your collaborative's language, because your platform didn't say" in shown
    _set(database, language="cy")
    shown = chat.says(CARYS, NORTH, "me language")
    assert WELSH in shown
    assert "Dyma iaith eich cydweithrediad" in shown


def test_me_language_chooses_answers_in_the_new_language_and_auto_follows_the_platform(
    chat, database
):
    shown = chat.says(BEN, NORTH, "me language cy")
    assert "O hyn ymlaen, yr iaith y mae Concord yn ei defnyddio i chi: Cymraeg" in shown
    assert "Chi a'i dewisodd; mae `me language auto` yn dilyn iaith eich platfform." in shown
    assert WELSH in chat.says(replace(BEN, locale="en-GB"), NORTH, "me language"), "chosen wins"

    shown = chat.says(replace(BEN, locale="en-GB"), NORTH, "me language auto")
    assert "Concord writes to you in English from now on" in shown
    assert "It is the language your platform reports for you" in shown
    assert [s.language for s in _settings(database, BEN.user_id)] == [None]


def test_a_choice_reaches_every_identity_of_the_member(chat, database):
    with database.session() as session:
        mine = session.exec(select(Identity).where(Identity.user_id == BEN.user_id)).one()
        on_teams = {"platform": "teams", "tenant_id": "tenant-1", "user_id": "29:ben"}
        session.add(Identity(**mine.model_dump(exclude={"id"}) | on_teams))  # `me link`ed
        session.commit()
    chat.says(BEN, NORTH, "me language cy")
    for user_id in (BEN.user_id, "29:ben"):
        assert [s.language for s in _settings(database, user_id)] == ["cy"]


@pytest.mark.parametrize("typed", ["me language fr", "me language welsh", "me language cymraeg"])
def test_a_language_concord_does_not_speak_is_refused(chat, database, typed):
    shown = chat.says(BEN, NORTH, typed)
    assert "is not a language Concord speaks." in shown
    assert "Type `me language cy`, `me language en` or `me language auto`." in shown
    assert all(s.language is None for s in _settings(database, BEN.user_id))


def test_a_refusal_comes_in_the_readers_language(chat):
    shown = chat.says(BEN_IN_WELSH, NORTH, "me language fr")
    assert "Nid yw “fr” yn iaith y mae Concord yn ei siarad." in shown


def test_me_lists_the_persons_own_settings(chat):
    chat.says(BEN, NORTH, "me language cy")
    shown = chat.says(BEN, NORTH, "me")
    assert "Eich gosodiadau" in shown
    assert "Cylchfa amser: Europe/London" in shown
    assert "Iaith: Cymraeg" in shown
    assert "Crynodeb: bob wythnos" in shown
    shown = chat.says(CARYS, NORTH, "me")
    assert "Your settings" in shown and "Language: English" in shown
    assert "Digest: weekly" in shown


def test_a_reminder_to_someone_else_is_written_in_their_language(chat, clock):
    chat.says(BEN, NORTH, "me language cy")
    chat.says(ASHA, NORTH, 'poll "Where do we meet?" "Leeds" "York" --closes friday 17:00')
    chat.says(ASHA, NORTH, "poll remind 1")
    chat.deliver()
    notes = {actor.user_id: card for actor, card in chat.platform.private}
    assert notes[BEN.user_id].language == "cy"
    assert "Gwen 27 Tach 2026 17:00 GMT" in text_of(notes[BEN.user_id])
    assert notes[CARYS.user_id].language == "en"
    assert "Fri 27 Nov 2026 17:00 GMT" in text_of(notes[CARYS.user_id])


def test_the_actors_own_replies_carry_their_language(chat):
    chat.says(BEN, NORTH, "me language cy")
    effects = chat.engine.handle(CommandIssued(BEN, NORTH, "me"))
    [note] = [e for e in effects if isinstance(e, Notify)]
    assert note.card.language == "cy"
