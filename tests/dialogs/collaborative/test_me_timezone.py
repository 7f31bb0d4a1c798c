"""`me timezone`: a person sees the zone Concord shows them times in, and why; chooses one;
forgets the choice. Their platform's zone is kept when it reports one, and private replies
carry the reader's zone for the platforms that show it.

Conversations at the engine: Asha set up Northshire (Europe/London) in the North channel.
"""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import select

from adapters.teams.render import render_card
from dialogs.core.cards import Notify
from dialogs.core.events import CommandIssued
from storage.models import Collaborative, Identity, Member, PersonSetting
from tests.support.conversation import ASHA, BEN, CARYS, NORTH, SOUTH

ASHA_IN_NEW_YORK = replace(ASHA, timezone="America/New_York")
LUNCH = 'poll "Which shared priority first?" "Discharge delays" "Workforce" --closes friday 17:00'


def _settings(database) -> list[PersonSetting]:
    with database.session() as session:
        return list(session.exec(select(PersonSetting)).all())


def test_a_person_whose_platform_said_nothing_reads_the_collaboratives_zone_and_is_told(chat):
    shown = chat.says(ASHA, NORTH, "me timezone")
    assert "Your time zone is Europe/London" in shown
    assert "It is the collaborative's zone, because your platform didn't say which is yours" in (
        shown
    )
    assert "It is now Thu 26 Nov 2026 09:00 GMT there." in shown


def test_the_zone_the_platform_reports_is_kept_and_used(chat, database):
    shown = chat.says(ASHA_IN_NEW_YORK, NORTH, "me timezone")
    assert "Your time zone is America/New_York" in shown
    assert "It is the zone your platform reports for you" in shown
    assert "It is now Thu 26 Nov 2026 04:00 EST there." in shown
    [setting] = _settings(database)
    assert (setting.platform_timezone, setting.timezone) == ("America/New_York", None)


def test_a_zone_that_is_not_a_real_one_is_ignored(chat, database):
    shown = chat.says(replace(ASHA, timezone="GMT Standard Time"), NORTH, "me timezone")
    assert "Your time zone is Europe/London" in shown
    assert all(s.platform_timezone is None for s in _settings(database))


def test_a_chosen_zone_wins_over_the_platforms_until_it_is_forgotten(chat, database, clock):
    shown = chat.says(ASHA_IN_NEW_YORK, NORTH, "me timezone europe/paris")
    assert "Your time zone is now Europe/Paris" in shown
    assert "You chose it; `me timezone auto` forgets the choice." in shown
    assert "It is now Thu 26 Nov 2026 10:00 CET there." in shown
    assert "Your time zone is Europe/Paris" in chat.says(ASHA_IN_NEW_YORK, NORTH, "me timezone")

    shown = chat.says(ASHA_IN_NEW_YORK, NORTH, "me timezone auto")
    assert "Your choice is forgotten: your time zone is America/New_York" in shown
    [setting] = _settings(database)
    assert setting.timezone is None


def test_a_zone_that_does_not_exist_is_refused_with_the_nearest_real_names(chat, database):
    shown = chat.says(ASHA, NORTH, "me timezone Europe/Londn")
    assert "`Europe/Londn` is not a time zone Concord knows." in shown
    assert "Did you mean `Europe/London`" in shown
    shown = chat.says(ASHA, NORTH, "me timezone Mars/Olympus")
    assert "`Mars/Olympus` is not a time zone Concord knows." in shown
    assert all(s.timezone is None for s in _settings(database))


def test_the_choice_is_written_to_every_identity_of_the_member(chat, database, clock):
    with database.session() as session:
        mine = session.exec(select(Identity).where(Identity.user_id == ASHA.user_id)).one()
        on_teams = {"platform": "teams", "tenant_id": "tenant-1", "user_id": "29:asha"}
        session.add(Identity(**mine.model_dump(exclude={"id"}) | on_teams))  # `me link`ed
        session.commit()
    chat.says(ASHA, NORTH, "me timezone Asia/Kolkata")
    chosen = {(s.platform, s.user_id): s.timezone for s in _settings(database)}
    assert chosen == {
        ("playground", ASHA.user_id): "Asia/Kolkata",
        ("teams", "29:asha"): "Asia/Kolkata",
    }


def test_outside_a_collaborative_the_command_says_how_to_join_one(chat):
    shown = chat.says(ASHA, SOUTH, "me timezone Europe/Paris")
    assert "This channel isn't part of a collaborative yet." in shown


def test_a_private_reply_carries_its_readers_zone_and_teams_shows_the_deadline_in_it(chat):
    chat.says(ASHA, NORTH, "me timezone Europe/Paris")
    effects = chat.engine.handle(CommandIssued(ASHA, NORTH, LUNCH))
    [note] = [e for e in effects if isinstance(e, Notify)]
    assert note.card.zone == "Europe/Paris"
    shown = str(render_card(note.card))
    assert "Fri 27 Nov 2026 18:00 CET" in shown
    assert "GMT" not in shown


def test_a_person_with_no_zone_gets_replies_in_the_collaboratives_zone(chat, database):
    effects = chat.engine.handle(CommandIssued(ASHA, NORTH, LUNCH))
    [note] = [e for e in effects if isinstance(e, Notify)]
    assert note.card.zone is None
    assert "Fri 27 Nov 2026 17:00 GMT" in str(render_card(note.card))
    with database.session() as session:
        assert session.exec(select(Collaborative)).one().timezone == "Europe/London"
        assert session.exec(select(Member)).one().display_name == ASHA.display_name


def test_a_reminder_reaches_each_person_in_their_own_zone(chat):
    chat.says(BEN, NORTH, "me timezone America/New_York")  # Ben joins by typing, and chooses
    chat.says(CARYS, NORTH, "help")  # Carys joins; nothing known of her zone
    chat.says(ASHA, NORTH, LUNCH)
    chat.says(ASHA, NORTH, "poll remind 1")
    reminded = {actor.user_id: card for actor, card in chat.platform.private}
    assert (reminded[BEN.user_id].zone, reminded[CARYS.user_id].zone) == ("America/New_York", None)
    assert "Fri 27 Nov 2026 12:00 EST" in str(render_card(reminded[BEN.user_id]))
    assert "Fri 27 Nov 2026 17:00 GMT" in str(render_card(reminded[CARYS.user_id]))


def test_the_zone_of_someone_outside_every_collaborative_is_not_kept(chat, database):
    chat.says(replace(BEN, timezone="Asia/Tokyo"), SOUTH, "help")  # SOUTH is not linked
    assert _settings(database) == []
    chat.says(replace(BEN, timezone="Asia/Tokyo"), NORTH, "help")  # now he is a member
    assert [s.platform_timezone for s in _settings(database)] == ["Asia/Tokyo"]
    chat.says(replace(BEN, timezone="Europe/Dublin"), NORTH, "help")  # he travelled
    assert [s.platform_timezone for s in _settings(database)] == ["Europe/Dublin"]
