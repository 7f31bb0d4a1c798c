"""`me forget` and `member remove --forget`: after them, a scan of every column of every
table finds none of the person's account ids, names or words, announced results still
recount, and open polls are recounted without their vote.

The scan walks `SQLModel.metadata`, so a table added later is scanned too: if it keeps
something of a person that forgetting leaves behind, this fails."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import MetaData, func, select
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers every table)
from dialogs.core.actions import FormKind, SubmitForm
from dialogs.core.events import Actor, Place
from storage import ledger
from storage.database import Database
from storage.forget import MARKER
from storage.models import (
    AuditEntry,
    Ballot,
    CheckinAnswer,
    Collaborative,
    Identity,
    Member,
    Participation,
    Proposal,
)
from storage.playground import PlaygroundStore
from tests.dialogs.polls.test_poll_types import actions, open_form
from tests.dialogs.purpose.test_purpose_rounds import propose
from tests.support.conversation import (
    ASHA,
    BEN,
    NORTH,
    SOUTH,
    Conversation,
    TwoPlatforms,
    channel,
    person,
    poll_buttons,
)
from tests.support.recount import recount, recounted_and_announced
from tests.support.slack_tables import slack_installations

ZEPH = person("U0ZEPHFORGET", "Zephyrine Quillfeather")
ZEPH_SLACK = Actor("slack", "T0001", "U0ZEPHSLACK", "Zephyrine Quillfeather")
BEN_SLACK = Actor("slack", "T0001", "U0BEN", "Ben Okafor")
HARM, RESOLVE = "Xanthic harm to the wards", "Xanthic fix: ask the nurses"
PROPOSED, COMMENT = "Xanthic purpose: care closer to home", "Xanthic comment: meet monthly"
HERS = ("U0ZEPHFORGET", "Zephyrine", "Quillfeather", "Xanthic")


def found(database: Database, needles: tuple[str, ...] = HERS) -> list[str]:
    """Every "table.column" of the whole database in which any cell holds any of `needles`:
    the database's own list of tables, so ours (`SQLModel.metadata`, checked below to be
    among them) and any a library made, such as Slack's installations."""
    tables = MetaData()
    tables.reflect(bind=database.engine)
    assert set(SQLModel.metadata.tables) <= set(tables.tables)
    hits = set()
    with database.engine.connect() as connection:
        for table in tables.sorted_tables:
            for row in connection.execute(select(table)).mappings():
                hits |= {
                    f"{table.name}.{column}"
                    for column, value in row.items()
                    if any(needle in _shown(value) for needle in needles)
                }
    return sorted(hits)


def _shown(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def later(chat: Conversation) -> None:
    chat.clock.advance(minutes=1)


@pytest.fixture
def busy(chat: Conversation) -> Conversation:
    """Zephyrine has done a bit of everything in Northshire (Asha coordinates)."""
    chat.says(ASHA, NORTH, 'org add "Hilltop Trust"')
    chat.says(ZEPH, NORTH, 'org join "Hilltop Trust"')
    chat.says(ZEPH, NORTH, "me digest daily")
    chat.says(ASHA, NORTH, 'role coordinator "Zephyrine Quillfeather"')
    chat.says(ASHA, NORTH, 'poll "Pool the waiting lists?" --type consent')
    chat.clicks(BEN, NORTH, actions(chat.last_message(NORTH))["Agree"])
    form = open_form(chat, ZEPH, NORTH, actions(chat.last_message(NORTH))["Object"])
    chat.submits(ZEPH, NORTH, form.action, {"harm": HARM, "resolve": RESOLVE})
    chat.says(ASHA, NORTH, "poll close 1")
    chat.says(ASHA, NORTH, 'poll "Fund the beds?" "Beds" "Clinic"')
    chat.clicks(ZEPH, NORTH, poll_buttons(chat.last_message(NORTH))["Beds"])
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["Clinic"])
    chat.says(ASHA, NORTH, 'poll "Share a rota?" "Yes" "No" --anonymous')
    chat.clicks(ZEPH, NORTH, poll_buttons(chat.last_message(NORTH))["Yes"])
    chat.says(ASHA, NORTH, "purpose start")
    propose(chat, ZEPH, PROPOSED)
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00"')
    chat.says(ASHA, NORTH, "checkin now 1")
    answers = {"q0": "4", "q1": "3", "q2": COMMENT}
    chat.submits(ZEPH, NORTH, SubmitForm(FormKind.CHECKIN_ANSWER, 1).encode(), answers)
    chat.exports(ZEPH, NORTH, "decisions --export csv")
    shown_in_playground(chat)
    later(chat)
    return chat


def shown_in_playground(chat: Conversation) -> None:
    """The playground's transcript: a line in the channel naming her, one to her alone."""
    transcript = PlaygroundStore(chat.database)
    quoted = {"blocks": [{"type": "text", "text": f"{ZEPH.display_name} proposed {PROPOSED}"}]}
    transcript.save("r1", NORTH.channel_id, None, quoted, chat.clock())
    transcript.save("r2", None, ZEPH.user_id, {"blocks": []}, chat.clock())


def test_me_forget_asks_first_and_changes_nothing_until_confirmed(busy, database):
    before = found(database)
    shown = busy.says(ZEPH, NORTH, "me forget")
    assert "Forget you everywhere?" in shown
    assert "Concord will forget you in Northshire" in shown
    assert f"replaced by “{MARKER}”" in shown
    assert "your votes in open polls are taken back" in shown
    assert "Type `me forget confirm` to go ahead." in shown
    assert found(database) == before
    assert {"identity.user_id", "member.display_name", "proposal.text"} <= set(before)
    assert {"playgroundmessage.card", "playgroundmessage.user_id", "outbox.effect"} <= set(before)
    assert "`me forget` takes only the word `confirm`." in busy.says(ZEPH, NORTH, "me forget now")


def test_after_me_forget_no_table_holds_her_ids_names_or_words(busy, database):
    shown = busy.says(ZEPH, NORTH, "me forget confirm")
    assert "Concord has forgotten you" in shown
    assert "Your vote in open poll #2 of Northshire was taken back and the poll recounted." in shown
    assert found(database) == []
    with database.session() as session:
        member = session.exec(select(Member).where(Member.id == 2)).scalar_one()
        assert (member.display_name, member.role) == ("Former member", "member")
        assert session.execute(select(func.count()).select_from(Identity)).scalar() == 2
        proposal = session.execute(select(Proposal)).scalar_one()
        assert proposal.text == MARKER
        texts = session.execute(select(CheckinAnswer.text, CheckinAnswer.value)).all()
        assert sorted(texts, key=str) == sorted([(None, 4), (None, 3), (MARKER, None)], key=str)


def test_closed_polls_still_recount_and_open_ones_are_recounted(busy, database, tmp_path):
    busy.says(ZEPH, NORTH, "me forget confirm")
    _, file = busy.exports(ASHA, NORTH, "poll export 1")
    recounted, announced = recounted_and_announced(database, file, tmp_path)
    assert recounted == announced + "\n"
    assert MARKER in announced and "Xanthic" not in announced
    with database.session() as session:
        by_poll = dict(
            session.execute(select(Ballot.poll_id, func.count()).group_by(Ballot.poll_id)).all()
        )
        assert by_poll == {1: 2, 2: 1, 3: 1}  # the closed and the anonymous poll keep hers
        voted = session.execute(select(Participation.poll_id).order_by(Participation.poll_id))
        assert list(voted.scalars()) == [1, 1, 2, 3]
    shown = busy.says(ASHA, NORTH, "poll results 2")
    assert "Clinic" in shown


def test_the_decision_log_keeps_its_entries_naming_a_former_member(busy, database):
    with database.session() as session:
        entries = session.execute(select(func.count()).select_from(AuditEntry)).scalar()
    busy.says(ZEPH, NORTH, "me forget confirm")
    log = busy.says(ASHA, NORTH, "decisions --all")
    assert "made a former member a coordinator (was member)" in log
    assert "Zephyrine" not in log
    with database.session() as session:
        after = session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars().all()
    assert len(after) == entries + 1
    assert (after[-1].action, after[-1].actor_name) == ("me.forget", "Concord")
    with database.engine.connect() as connection:
        walked = ledger.walk(connection, after[0].collaborative_id)
    assert walked.broken is None, "the rewritten entries keep the hash chain"
    assert walked.redacted, "and show as redacted"


def test_me_forget_twice_finds_nothing_left_and_changes_nothing(busy, database):
    busy.says(ZEPH, NORTH, "me forget confirm")
    later(busy)
    with database.session() as session:
        members = session.execute(select(func.count()).select_from(Member)).scalar()
    shown = busy.says(ZEPH, NORTH, "me forget confirm")
    assert "There is nothing left to forget: Concord holds nothing about you." in shown
    with database.session() as session:
        assert session.execute(select(func.count()).select_from(Member)).scalar() == members
    assert found(database) == []


def test_the_last_coordinator_is_refused_until_another_is_named(chat, database):
    chat.says(BEN, NORTH, "poll list")
    later(chat)
    shown = chat.says(ASHA, NORTH, "me forget confirm")
    assert "You are the only coordinator of Northshire; someone must stay one." in shown
    assert "`role coordinator @person`" in shown
    assert found(database, ("Asha Patel",)) != []
    chat.says(ASHA, NORTH, 'role coordinator "Ben Okafor"')
    assert "Concord has forgotten you" in chat.says(ASHA, NORTH, "me forget confirm")
    assert found(database, ("Asha Patel", "asha")) == []


def test_a_collaborative_that_removes_words_removes_them(busy, database):
    with database.session() as session:
        session.execute(
            Collaborative.__table__.update().values(forgotten_text="remove")  # type: ignore[attr-defined]
        )
        session.commit()
    assert "will be removed." in busy.says(ZEPH, NORTH, "me forget")
    busy.says(ZEPH, NORTH, "me forget confirm")
    assert found(database) == []
    with database.session() as session:
        assert session.execute(select(func.count()).select_from(Proposal)).scalar() == 0
        texts = session.execute(select(CheckinAnswer.text)).scalars().all()
        assert texts == [None, None, None]


def test_the_slack_installation_she_made_stays_but_names_her_no_more(database, clock):
    slack, place = TwoPlatforms(database, clock), Place("slack", "T0001", "C0001")
    with slack_installations(database) as table:
        with database.engine.begin() as connection:
            connection.execute(
                table.insert().values(
                    client_id="client", app_id="A0001", team_id="T0001", team_name="North NHS",
                    user_id=ZEPH_SLACK.user_id, bot_token="xoxb-workspace", user_token="xoxp-hers",
                    installed_at=clock.now,
                )
            )  # fmt: skip
        try:
            slack.says(ZEPH_SLACK, place, 'setup "Northshire"')
            slack.says(BEN_SLACK, place, "poll list")
            slack.says(ZEPH_SLACK, place, 'role coordinator "Ben Okafor"')
            later(slack)
            assert "Concord has forgotten you" in slack.says(ZEPH_SLACK, place, "me forget confirm")
        finally:
            slack.close()
        with database.engine.connect() as connection:
            (row,) = connection.execute(select(table)).mappings()
        assert (row["user_id"], row["user_token"], row["bot_token"]) == (
            "",
            None,
            "xoxb-workspace",
        )
        assert found(database, (ZEPH_SLACK.user_id, "Zephyrine", "xoxp")) == []


def test_forgetting_covers_every_account_and_collaborative_of_the_person(chat, database):
    chat.says(ZEPH, NORTH, "poll list")
    chat.says(ZEPH, SOUTH, 'setup "Southshire"')
    chat.says(BEN, SOUTH, "poll list")
    chat.says(ZEPH, SOUTH, 'role coordinator "Ben Okafor"')
    later(chat)
    shown = chat.says(ZEPH, SOUTH, "me forget")
    assert "Concord will forget you in Northshire, Southshire" in shown
    chat.says(ZEPH, SOUTH, "me forget confirm")
    assert found(database) == []


def test_a_coordinator_removes_a_member_who_left_keeping_the_record(busy, database):
    assert "Only a coordinator can remove a member" in busy.says(
        BEN, NORTH, 'member remove "Zephyrine Quillfeather"'
    )
    shown = busy.says(ASHA, NORTH, 'member remove "Zephyrine Quillfeather"')
    assert "Zephyrine Quillfeather is no longer a member of Northshire" in shown
    assert 'member remove "Zephyrine Quillfeather" --forget' in shown
    assert found(database) != [] and "identity.user_id" not in found(database)
    again = busy.says(ASHA, NORTH, 'member remove "Zephyrine Quillfeather"')
    assert "Zephyrine Quillfeather was already removed from Northshire." in again
    assert "You can't remove yourself." in busy.says(ASHA, NORTH, 'member remove "Asha Patel"')


def test_a_coordinator_can_have_concord_forget_a_member_here_only(busy, database):
    busy.says(ZEPH, SOUTH, 'setup "Southshire"')
    later(busy)
    shown = busy.says(ASHA, NORTH, 'member remove "Zephyrine Quillfeather" --forget')
    assert "Zephyrine Quillfeather is removed and forgotten in Northshire" in shown
    assert "Their vote in open poll #2 was taken back and the poll recounted." in shown
    assert found(database) == [
        "auditentry.actor_name",  # her setting up Southshire
        "identity.user_id",
        "member.display_name",
        "personsetting.user_id",  # her own settings, which Southshire still uses
        "playgroundmessage.user_id",  # a message to her alone, as she is in Southshire
    ]
    with database.session() as session:
        last = session.execute(select(AuditEntry).order_by(AuditEntry.id.desc())).scalars()
        entry = next(iter(last))
    assert entry.summary == "removed a member and had Concord forget them"
    assert "Concord has already forgotten" in busy.says(
        ASHA, NORTH, 'member remove "Former member" --forget'
    )


def test_me_forget_works_in_a_private_chat_with_concord(busy, database):
    private = channel("dm-zeph")
    assert "Concord will forget you in Northshire" in busy.says(ZEPH, private, "me forget")
    assert "Concord has forgotten you" in busy.says(ZEPH, private, "me forget confirm")
    assert found(database) == []


def test_a_removed_coordinator_no_longer_counts_as_one(busy, database):
    busy.says(ASHA, NORTH, 'member remove "Zephyrine Quillfeather"')
    later(busy)
    shown = busy.says(ASHA, NORTH, "me forget confirm")
    assert "You are the only coordinator of Northshire; someone must stay one." in shown


def announced(database: Database, number: int) -> str:
    with database.session() as session:
        entries = session.execute(select(AuditEntry).where(AuditEntry.action == "poll.close"))
        return next(e.detail["result"] for e in entries.scalars() if e.detail["poll"] == number)


def test_every_closed_poll_recounts_even_when_her_words_match_another_polls(
    chat, database, tmp_path
):
    """Her reasons "Beds" and "Clinic" are replaced in her ballot and poll #1's result only:
    poll #2's options "Beds" and "Clinic" are the group's, in its result and export alike."""
    chat.says(ASHA, NORTH, 'poll "Pool the lists?" --type consent')
    form = open_form(chat, ZEPH, NORTH, actions(chat.last_message(NORTH))["Object"])
    chat.submits(ZEPH, NORTH, form.action, {"harm": "Beds", "resolve": "Clinic"})
    chat.says(ASHA, NORTH, "poll close 1")
    chat.says(ASHA, NORTH, 'poll "Fund what?" "Beds" "Clinic"')
    chat.clicks(ZEPH, NORTH, poll_buttons(chat.last_message(NORTH))["Beds"])
    chat.says(ASHA, NORTH, "poll close 2")
    later(chat)
    chat.says(ZEPH, NORTH, "me forget confirm")
    for number in (1, 2):
        _, file = chat.exports(ASHA, NORTH, f"poll export {number}")
        path = tmp_path / file.filename
        path.write_bytes(file.content)
        assert recount(path) == announced(database, number) + "\n"
    assert MARKER in announced(database, 1) and '"Beds"' in announced(database, 2)
    assert found(database, ("Zephyrine", "U0ZEPHFORGET")) == []


def test_help_offers_forgetting_to_everyone_and_removal_to_coordinators(chat):
    chat.says(BEN, NORTH, "poll list")
    member, coordinator = chat.says(BEN, NORTH, "help all"), chat.says(ASHA, NORTH, "help all")
    assert "`me forget [confirm]` — see what Concord would forget about you" in member
    assert "personal data removal" not in member
    assert "`member remove" not in member
    assert "`member remove @person [--forget]` — remove someone who has left" in coordinator
    outside = chat.says(BEN, channel("dm-ben"), "help all")
    assert "`me forget [confirm]`" in outside
