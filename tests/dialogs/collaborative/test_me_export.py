"""`me export`: everything Concord holds about a person, in every collaborative, as JSON.

Asha uses Slack and Teams (joined with `me link`) in Northshire, and Teams in Southshire;
Ben is in Northshire too. The export is compared with a scan of every table
`storage.personal_data` declares personal, read here without the export's own code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import Session, SQLModel, col, select

from dialogs.collaborative import person_rows
from dialogs.core import exports
from dialogs.core.events import Actor, Place
from storage.models import (
    Ballot,
    CheckinAnswer,
    CheckinPrompt,
    CheckinRun,
    CheckinSchedule,
    Collaborative,
    DeliveryLane,
    Deputy,
    Identity,
    Outbox,
    PlaygroundMessage,
    PollDraft,
    PollReminderMute,
    PollSeries,
    Proposal,
    PurposeRound,
    Review,
)
from storage.personal_data import TABLES, Kind, personal_columns
from tests.support.conversation import ASHA, BEN, NORTH, Conversation, TwoPlatforms, poll_buttons
from tests.support.slack_tables import slack_installations

SLACK = Place("slack", "T0001", "C0001")
TEAMS = Place("teams", "tenant-1", "19:north@thread.tacv2")
TEAMS_SOUTH = Place("teams", "tenant-1", "19:south@thread.tacv2")
ASHA_SLACK = Actor("slack", "T0001", "U0ASHA", "Asha Patel")
ASHA_TEAMS = Actor("teams", "tenant-1", "29:asha", "Asha Patel (NHS)")
BEN_SLACK = Actor("slack", "T0001", "U0BEN", "Ben Okafor")
ASHA_ACCOUNTS = ("U0ASHA", "29:asha")
ASHA_NAMES = ("Asha Patel", "Asha Patel (NHS)")


@pytest.fixture
def chat(database, clock) -> Iterator[TwoPlatforms]:
    conversation = TwoPlatforms(database, clock)
    yield conversation
    conversation.close()


def _code(shown: str, before: str) -> str:
    return shown.split(before)[1].split()[0]


def _vote(chat: TwoPlatforms, actor: Actor, label: str) -> None:
    chat.clicks(actor, SLACK, poll_buttons(chat.seen_in(SLACK)[-1])[label])


def _asha_everywhere(chat: TwoPlatforms) -> str:
    """Asha's and Ben's doings through the engine; returns the id of Asha's anonymous ballot."""
    chat.says(ASHA_SLACK, SLACK, 'setup "Northshire"')
    chat.says(
        ASHA_TEAMS, TEAMS, f"link {_code(chat.says(ASHA_SLACK, SLACK, 'link'), 'Link code: ')}"
    )
    chat.says(
        ASHA_TEAMS,
        TEAMS,
        f"me link {_code(chat.says(ASHA_SLACK, SLACK, 'me link'), 'Your code: ')}",
    )
    chat.says(ASHA_SLACK, SLACK, 'poll "Lunch?" "Soup" "Salad"')
    _vote(chat, ASHA_SLACK, "Soup")
    _vote(chat, ASHA_SLACK, "Salad")  # a change of mind: the first ballot stays as history
    _vote(chat, BEN_SLACK, "Soup")
    chat.says(ASHA_SLACK, SLACK, 'poll "Secret?" "Yes" "No" --anonymous')
    anonymous = _ballots(chat)
    _vote(chat, ASHA_SLACK, "Yes")
    anonymous = _ballots(chat) - anonymous
    _vote(chat, BEN_SLACK, "No")
    chat.says(ASHA_SLACK, SLACK, "me digest daily")
    chat.says(BEN_SLACK, SLACK, "me digest daily")
    chat.says(ASHA_SLACK, SLACK, "me timezone Europe/Paris")
    chat.exports(ASHA_SLACK, SLACK, "decisions --export csv")
    chat.says(ASHA_TEAMS, TEAMS_SOUTH, 'setup "Southshire"')
    (ballot,) = anonymous
    return ballot


def _ballots(chat: TwoPlatforms) -> set[str]:
    return set(chat.database.run(lambda s: s.exec(select(Ballot.id)).all()))


def _member_of(session: Session, actor: Actor, collaborative: int = 1) -> int:
    return session.exec(
        select(Identity.member_id).where(
            Identity.user_id == actor.user_id, Identity.collaborative_id == collaborative
        )
    ).one()


def _traces(session: Session, chat: TwoPlatforms) -> None:
    """Rows the scenario above leaves no mark in, for Asha and for Ben alike."""
    now = chat.clock.now
    asha, ben = _member_of(session, ASHA_SLACK), _member_of(session, BEN_SLACK)
    session.execute(update(Collaborative).where(Collaborative.id == 1).values(decider_id=asha))
    for member, actor in ((asha, ASHA_SLACK), (ben, BEN_SLACK)):
        lane = f"slack:T0001:@{actor.user_id}"
        schedule = CheckinSchedule(
            collaborative_id=1, number=member, recurrence="every monday 09:00", rule={},
            timezone="Europe/London", questions=[{"text": "Confident?", "kind": "scale"}],
            window_seconds=3600, created_by=member,
            created_at=now,
        )  # fmt: skip
        session.add(schedule)
        session.flush()
        run = CheckinRun(schedule_id=schedule.id, occurrence_key=str(member), due_at=now)
        purpose = PurposeRound(
            collaborative_id=1, number=member, prompts=[], created_by=member, created_at=now,
            running=False,
        )  # fmt: skip
        session.add_all([run, purpose])
        session.flush()
        session.add_all(
            [
                CheckinAnswer(run_id=run.id, member_id=member, question=0, value=3,
                              text=f"{actor.display_name} wrote", answered_at=now),
                CheckinPrompt(schedule_id=schedule.id, run_id=run.id, member_id=member,
                              occurrence_key="1", zone="Europe/Paris", zone_source="chosen",
                              due_at=now),
                Proposal(round_id=purpose.id, member_id=member, text="Together", created_at=now,
                         updated_at=now),
                Review(collaborative_id=1, round_id=purpose.id, due_at=now, set_by=member,
                       set_at=now),
                PollSeries(collaborative_id=1, number=member, definition={}, recurrence="weekly",
                           rule={}, timezone="Europe/London", created_by=member, created_at=now),
                PollDraft(collaborative_id=1, member_id=member, text="poll", created_at=now),
                PollReminderMute(poll_id=1, member_id=member),
                Deputy(collaborative_id=1, member_id=member, deputy_id=member, until=now,
                       created_at=now, current=False),
                Outbox(collaborative_id=1, lane=lane, effect={}, created_at=now,
                       available_at=now, status="sent", sent_at=now),
                DeliveryLane(lane=lane, updated_at=now),
                PlaygroundMessage(ref=f"m{member}", user_id=actor.user_id, card={}, at=now),
            ]
        )  # fmt: skip


def _scan(session: Session, table: str, members: set[int]) -> set[Any]:
    """The rows of `table` that are Asha's, read straight from the declaration: a member id in
    a PERSON column, one of her accounts in an ACCOUNT column, or (the log) her name."""
    model = SQLModel.metadata.tables[table]
    use = TABLES[table]
    key = next(iter(model.primary_key.columns)).name
    found = set()
    for row in session.execute(model.select()).mappings():
        linked = table == "member" and row["id"] in members
        for column, personal in use.personal.items():
            value = row[column]
            if personal.kind is Kind.PERSON:
                linked = linked or value in members
            if personal.kind is Kind.ACCOUNT and value is not None:
                linked = linked or any(str(value).endswith(a) for a in ASHA_ACCOUNTS)
        if table == "auditentry":
            words = f"{row['summary']} {row['details']} {row['actor_name']}"
            linked = linked or any(name in words for name in ASHA_NAMES)
        if linked:
            found.add(row[key])
    return found


def test_the_export_holds_every_row_of_the_person_and_no_one_else(chat):
    anonymous = _asha_everywhere(chat)
    chat.database.run(lambda s: _traces(s, chat))
    said, file = chat.exports(ASHA_SLACK, SLACK, "me export")
    document = json.loads(file.content)

    def asha_members(session: Session) -> set[int]:
        accounts = select(Identity.member_id).where(col(Identity.user_id).in_(ASHA_ACCOUNTS))
        return set(session.exec(accounts).all())

    members = chat.database.run(asha_members)
    assert len(members) == 2  # one member in each collaborative
    for table, use in TABLES.items():
        if not use.personal:
            assert table not in document["tables"]
            continue
        scanned = chat.database.run(lambda s, t=table: _scan(s, t, members))
        exported = document["tables"][table]
        key = next(iter(SQLModel.metadata.tables[table].primary_key.columns)).name
        if table == "export":  # the file cannot hold itself
            scanned -= {max(scanned)}
        assert scanned, f"the scenario leaves no row of Asha's in {table}: add one"
        assert {row[key] for row in exported["rows"]} == scanned, table
        assert (exported["what"], exported["kept"]) == (use.purpose, use.kept)
        assert document["counts"][table] == len(scanned)
    ballots = document["tables"]["ballot"]["rows"]
    assert anonymous not in file.content.decode()
    assert all(row["member_id"] in members for row in ballots)
    assert len(ballots) == 2  # Lunch: Soup then Salad; none from the anonymous poll
    assert len(document["tables"]["participation"]["rows"]) == 2  # she voted in both
    assert set(document["lookup"]["collaboratives"].values()) == {"Northshire", "Southshire"}
    assert document["lookup"]["polls"]["1"]["options"] == ["Soup", "Salad"]
    (answer,) = document["tables"]["checkinanswer"]["rows"]
    assert document["lookup"]["checkin_runs"][str(answer["run_id"])]["questions"] == ["Confident?"]
    assert "Ben Okafor" not in json.dumps(document["tables"]["auditentry"])
    assert "From 2 collaboratives: " in said and "2 ballots" in said


def test_the_reply_says_privately_what_the_file_holds(chat):
    _asha_everywhere(chat)
    posted = {place: len(chat.seen_in(place)) for place in (SLACK, TEAMS, TEAMS_SOUTH)}
    said, file = chat.exports(ASHA_TEAMS, TEAMS, "me export")
    assert (file.filename, file.media_type) == ("concord-my-data.json", "application/json")
    size = exports.size_text(len(file.content))
    assert f"What Concord holds about you: 22 records, JSON, {size}" in said
    assert (
        "From 2 collaboratives: 2 memberships, 3 accounts, 2 link codes made, 2 accounts' "
        "settings, 2 polls started, 2 ballots, 2 polls voted in, 6 decision-log entries, "
        "1 earlier file. "
        "Type `me forget` to have it removed."
    ) in said
    assert "The link expires in 24 hours" in said
    assert {place: len(chat.seen_in(place)) for place in posted} == posted  # nothing in public


def test_a_newcomer_s_file_holds_their_membership_and_explains_every_section(database, clock):
    chat = Conversation(database, clock)
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    said, file = chat.exports(BEN, NORTH, "me export")
    chat.close()
    document = json.loads(file.content.decode("utf-8"))
    assert "From 1 collaborative: 1 membership, 1 account. " in said
    assert {table for table, count in document["counts"].items() if count} == {
        "member",
        "identity",
    }
    assert document["tables"]["member"]["rows"][0]["display_name"] == "Ben Okafor"
    readme = "\n".join(document["README"])
    assert "everything Concord keeps about you" in readme and "`me forget`" in readme
    assert "(playground ben)" in readme
    for table in document["tables"]:
        assert f"- {table}: {person_rows.declared(table).purpose}" in readme
    assert document["lookup"]["collaboratives"] == {"1": "Northshire"}
    assert document["lookup"]["members"] == {"2": "Ben Okafor"}


def test_outside_a_collaborative_the_export_is_refused(database, clock):
    chat = Conversation(database, clock)
    shown = chat.says(BEN, NORTH, "me export")
    chat.close()
    assert "This channel isn't part of a collaborative yet." in shown


def test_help_offers_me_export_as_available_now(database, clock):
    chat = Conversation(database, clock)
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    shown = chat.says(ASHA, NORTH, "help me")
    chat.close()
    assert "`me export` — get a copy of what Concord holds about you" in shown
    assert "personal data export" not in shown


def test_every_account_column_declared_personal_has_a_way_to_find_the_person():
    for table, column in personal_columns(Kind.ACCOUNT):
        assert column in person_rows.ACCOUNT_MATCH, f"{table}.{column}: add how to match it"


def test_the_same_person_is_found_from_any_of_their_memberships(chat):
    _asha_everywhere(chat)
    files = [chat.exports(ASHA_TEAMS, where, "me export")[1] for where in (TEAMS_SOUTH, TEAMS)]
    south, north = (json.loads(file.content)["counts"] for file in files)
    assert north.pop("export") == south.pop("export") + 1  # the second file lists the first
    assert south == north
    assert south["member"] == 2


def test_a_slack_installation_shows_who_installed_it_and_never_its_tokens(chat):
    with slack_installations(chat.database) as table:
        with chat.database.engine.begin() as connection:
            for user in ("U0ASHA", "U0BEN"):
                connection.execute(
                    table.insert().values(
                        client_id="client", app_id="A0001", team_id="T0001", team_name="North NHS",
                        user_id=user, bot_token=f"xoxb-{user}", user_token=f"xoxp-{user}",
                        installed_at=chat.clock.now,
                        incoming_webhook_url=f"https://hooks.slack.com/{user}",
                    )
                )  # fmt: skip
        _asha_everywhere(chat)
        said, file = chat.exports(ASHA_SLACK, SLACK, "me export")
    (row,) = json.loads(file.content)["tables"]["slack_installations"]["rows"]
    assert (row["user_id"], row["team_name"]) == ("U0ASHA", "North NHS")
    assert "xox" not in file.content.decode() and "hooks.slack.com" not in file.content.decode()
    assert "1 installation of Concord you made" in said
