"""Setting up a collaborative, linking channels, organisations, roles, help and the decision log."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.models import Channel, Collaborative, LinkCode, Member
from tests.support.conversation import ASHA, BEN, CARYS, DEE, NORTH, SOUTH, Conversation, channel


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    yield conversation
    conversation.close()


def link_code(shown: str) -> str:
    return shown.split("Link code: ")[1].split()[0]


def test_whoever_sets_up_a_collaborative_becomes_its_coordinator(chat, database):
    shown = chat.says(
        ASHA, NORTH, 'setup "Northshire Provider Collaborative" --timezone Europe/Paris'
    )
    assert "Northshire Provider Collaborative is set up" in shown
    assert "Europe/Paris" in shown
    with database.session() as session:
        member = session.exec(select(Member)).one()
        collaborative = session.exec(select(Collaborative)).one()
    assert (member.display_name, member.role) == ("Asha Patel", "coordinator")
    assert collaborative.timezone == "Europe/Paris"


def test_a_channel_can_belong_to_only_one_collaborative(chat):
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    assert "already belongs to Northshire" in chat.says(BEN, NORTH, 'setup "Takeover"')


def test_commands_in_an_unlinked_channel_explain_how_to_start(chat):
    shown = chat.says(BEN, NORTH, "poll list")
    assert "isn't part of a collaborative yet" in shown and "setup" in shown
    assert "`setup" in chat.says(BEN, NORTH, "help")


def test_a_link_code_joins_a_second_channel_once(chat, database):
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    code = link_code(chat.says(ASHA, NORTH, "link"))
    assert "now part of Northshire" in chat.says(BEN, SOUTH, f"link {code.lower()}")
    assert "already been used" in chat.says(CARYS, channel("west"), f"link {code}")
    assert "linked the playground channel south" in chat.says(ASHA, NORTH, "decisions")
    with database.session() as session:
        assert len(session.exec(select(Channel)).all()) == 2
        stored = session.exec(select(LinkCode)).one()
    assert code.replace("-", "") not in stored.code_hash, "only a hash of the code is stored"
    announcement = chat.last_message(NORTH)
    assert "also meets in the playground channel south" in announcement.blocks[0].text


def test_a_link_code_expires_after_fifteen_minutes(chat):
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    code = link_code(chat.says(ASHA, NORTH, "link"))
    chat.clock.advance(minutes=15, seconds=1)
    assert "expired" in chat.says(ASHA, SOUTH, f"link {code}")


@pytest.mark.parametrize(
    ("code", "problem"), [("ZZZ-ZZZ", "isn't one Concord gave out"), ("!!", "doesn't look like")]
)
def test_wrong_link_codes_are_explained(chat, code, problem):
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    assert problem in chat.says(ASHA, SOUTH, f"link {code}")


def test_only_coordinators_hand_out_link_codes(chat):
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    assert "Only a coordinator can link another channel" in chat.says(BEN, NORTH, "link")


def test_members_join_organisations_and_the_list_shows_them(chat):
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    chat.says(ASHA, NORTH, 'org add "Riverside Hospitals NHS Trust"')
    chat.says(ASHA, NORTH, 'org add "Hillview Community NHS Trust"')
    assert "already an organisation" in chat.says(
        ASHA, NORTH, 'org add "riverside hospitals nhs trust"'
    )
    assert "now listed with Riverside" in chat.says(
        BEN, NORTH, 'org join "RIVERSIDE HOSPITALS NHS TRUST"'
    )
    refused = chat.says(CARYS, NORTH, 'org join "Hilltop"')
    assert "no organisation called Hilltop" in refused and "Hillview Community NHS Trust" in refused
    listing = chat.says(CARYS, NORTH, "org list")
    assert "Riverside Hospitals NHS Trust (1): Ben Okafor" in listing
    assert "Hillview Community NHS Trust (0): nobody yet" in listing
    assert "Not yet in an organisation (2): Asha Patel (coordinator), Carys Jones" in listing


def test_only_coordinators_add_organisations(chat):
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    refused = chat.says(BEN, NORTH, 'org add "X"')
    assert "Only a coordinator can add an organisation; you are a member of Northshire." in refused
    # D-34: the hint asks a coordinator to act, never to hand out their role.
    assert "Ask a coordinator to do it (type `org list` to see who they are)." in refused
    assert "role coordinator" not in refused


def test_roles_change_by_mention_or_name_and_a_coordinator_always_remains(chat):
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    chat.says(BEN, NORTH, "help")
    assert "Ben Okafor is now a coordinator" in chat.says(ASHA, NORTH, "role coordinator <@ben>")
    assert "Asha Patel is now a member" in chat.says(BEN, NORTH, "role member @asha patel")
    assert "only coordinator" in chat.says(BEN, NORTH, "role observer @Ben Okafor")
    assert "isn't a member" in chat.says(BEN, NORTH, "role observer @Nobody")
    assert "Only a coordinator can change roles" in chat.says(
        ASHA, NORTH, "role coordinator @Asha Patel"
    )
    assert "made Asha Patel a member (was coordinator)" in chat.says(BEN, NORTH, "decisions")


def test_help_all_shows_each_role_every_command_it_may_use(chat):
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    chat.says(DEE, NORTH, "help")
    assert "Dee Sharma is now an observer." in chat.says(ASHA, NORTH, "role observer @Dee Sharma")
    coordinator, member, observer = (chat.says(p, NORTH, "help all") for p in (ASHA, BEN, DEE))
    assert "You are an observer of Northshire." in observer
    assert "You are a coordinator of Northshire." in coordinator
    assert "`poll close ID`" in coordinator and "`role " in coordinator
    assert "`poll close ID`" not in member and "`org join" in member
    assert "do not vote" in observer
    assert "`purpose status`" in member and "`purpose next`" not in member
    assert "`purpose start" in coordinator
    assert "`me export`" in member and "personal data export" not in member
    # D-14: no command the role would only be refused.
    assert "`link [CODE]`" in coordinator
    assert "`link" not in member and "`link" not in observer
    assert "`poll remind ID`" in coordinator and "`poll remind" not in member


def test_help_guides_each_role_to_the_few_commands_it_uses_most(chat):
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    chat.says(DEE, NORTH, "help")
    chat.says(ASHA, NORTH, "role observer @Dee Sharma")
    coordinator, member, observer = (chat.says(p, NORTH, "help") for p in (ASHA, BEN, DEE))
    assert "You are a member of Northshire." in member
    assert "`poll list` — list the polls" in member and '`org join "Name"`' in member
    assert "`poll close" not in member and "`link" not in member
    assert '`poll "Question?" "Option" "Option" …` — start a poll' in coordinator
    assert "`poll remind ID` — remind those who haven't voted" in coordinator
    assert "--anonymous" not in coordinator, "options wait for `help poll`"
    assert "don't vote or answer" in observer and "`org join" not in observer
    for shown in (coordinator, member, observer):
        assert "Type `help all` for every command" in shown


def test_help_poll_lists_only_the_poll_commands_and_an_unknown_topic_is_refused(chat):
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    shown = chat.says(ASHA, NORTH, "help poll")
    assert "`poll close ID`" in shown and "--anonymous" in shown
    assert "`org add" not in shown and "`checkin" not in shown
    refused = chat.says(ASHA, NORTH, "help frobnicate")
    assert "There is no help about “frobnicate”." in refused
    assert "Type `help all` to see every command you can use." in refused


def test_a_bare_command_shows_help(chat):
    assert "What you can do here" in chat.says(BEN, NORTH, "")


def test_unknown_commands_suggest_the_nearest_one(chat):
    shown = chat.says(ASHA, NORTH, "polll list")  # (`pol` is the Welsh alias of `poll`)
    assert "doesn't know the command `polll`" in shown and "Did you mean `poll`" in shown


def test_the_decision_log_exports_as_markdown_and_csv(chat):
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    chat.says(ASHA, NORTH, 'org add "Riverside | Trust"')
    said, file = chat.exports(ASHA, NORTH, "decisions --export md")
    assert "Decision log of Northshire: 2 entries, Markdown" in said
    assert (file.filename, file.media_type) == ("decisions.md", "text/markdown")
    markdown = file.content.decode()
    assert "| When | Who | What |" in markdown
    assert "added the organisation Riverside \\| Trust" in markdown
    _, file = chat.exports(BEN, NORTH, "decisions --export csv")
    csv_text = file.content.decode()
    assert "when,timezone,who,what,summary" in csv_text
    assert "Europe/London,Asha Patel,org.add" in csv_text


def test_decision_times_are_shown_in_the_collaboratives_timezone(chat):
    chat.says(ASHA, NORTH, 'setup "Northshire" --timezone America/New_York')
    assert "2026-11-26 04:00" in chat.says(ASHA, NORTH, "decisions")  # 09:00 UTC
