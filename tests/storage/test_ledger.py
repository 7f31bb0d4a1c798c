"""The decision log's hash chain: an entry edited, deleted or moved in the database by hand is
found and named; a redaction is not a break; two writers at once keep one chain."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import text
from sqlmodel import select

from dialogs.core import audit
from dialogs.core.events import ActionInvoked, Actor, Place
from storage import ledger
from storage.models import AuditEntry, Collaborative, Member
from tests.support.conversation import Conversation, poll_buttons

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def logged(database, count: int = 5, name: str = "Northshire") -> int:
    """A collaborative whose log has `count` entries by Asha Patel; its id."""
    with database.session() as session:
        collaborative = Collaborative(name=name, timezone="Europe/London", created_at=NOW)
        session.add(collaborative)
        session.flush()
        asha = Member(collaborative_id=collaborative.id, display_name="Asha Patel", created_at=NOW)
        session.add(asha)
        session.flush()
        for number in range(1, count + 1):
            at = NOW + timedelta(minutes=number)
            summary = partial("closed poll #{number}: Lunch?".format, number=number)
            audit.record(session, at, collaborative, asha, "poll.close", summary, poll=number)
        return collaborative.id


def walked(database, collaborative_id: int) -> ledger.Walk:
    with database.engine.connect() as connection:
        return ledger.walk(connection, collaborative_id)


def by_hand(database, *statements: str) -> None:
    """SQL run straight on the database, as someone bypassing Concord would."""
    with database.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def entries(database, collaborative_id: int) -> list[AuditEntry]:
    with database.session() as session:
        query = select(AuditEntry).where(AuditEntry.collaborative_id == collaborative_id)
        return list(session.exec(query.order_by(AuditEntry.seq)).all())


def test_each_entry_follows_the_one_before_from_the_genesis(database):
    northshire = logged(database)
    chain = entries(database, northshire)
    assert [entry.seq for entry in chain] == [1, 2, 3, 4, 5]
    assert chain[0].prev_hash == ledger.GENESIS
    assert [entry.prev_hash for entry in chain[1:]] == [entry.hash for entry in chain[:-1]]
    found = walked(database, northshire)
    assert (found.count, found.broken, found.redacted) == (5, None, [])


def test_each_collaborative_has_a_chain_of_its_own(database):
    northshire, westshire = logged(database, 3), logged(database, 2, "Westshire")
    assert [e.seq for e in entries(database, westshire)] == [1, 2]
    assert entries(database, westshire)[0].prev_hash == ledger.GENESIS
    assert walked(database, northshire).count == 3 and walked(database, westshire).count == 2


def test_a_collaborative_with_no_entries_is_intact(database):
    with database.session() as session:
        empty = Collaborative(name="Empty", timezone="Europe/London", created_at=NOW)
        session.add(empty)
        session.flush()
        empty_id = empty.id
    assert (walked(database, empty_id).count, walked(database, empty_id).broken) == (0, None)


CHANGED = "its content was changed after it was written"


@pytest.mark.parametrize(
    ("edit", "why"),
    [
        ("UPDATE auditentry SET summary = 'closed poll #3: Dinner?' WHERE seq = 3", CHANGED),
        ("UPDATE auditentry SET details = '9 votes' WHERE seq = 3", CHANGED),
        ("UPDATE auditentry SET actor_name = 'Ben Okafor' WHERE seq = 3", CHANGED),
        ("UPDATE auditentry SET action = 'poll.reopen' WHERE seq = 3", CHANGED),
        ("""UPDATE auditentry SET detail = '{"poll": 9}' WHERE seq = 3""", CHANGED),
        ("UPDATE auditentry SET hash = prev_hash WHERE seq = 3", CHANGED),
    ],
)
def test_a_field_edited_by_hand_is_found_and_named(database, edit, why):
    northshire = logged(database)
    by_hand(database, edit)
    broken = walked(database, northshire).broken
    assert broken is not None and broken.why == why
    assert (broken.entry["seq"], broken.entry["id"]) == (3, entries(database, northshire)[2].id)


def test_an_entry_moved_in_time_by_hand_is_found(database):
    northshire = logged(database)
    chain = entries(database, northshire)
    with database.engine.begin() as connection:
        connection.execute(
            text("UPDATE auditentry SET at = :at WHERE id = :id"),
            {"at": chain[0].at.replace(tzinfo=None) - timedelta(days=1), "id": chain[1].id},
        )
    broken = walked(database, northshire).broken
    assert broken is not None and (broken.entry["seq"], broken.why) == (2, CHANGED)


def test_an_entry_deleted_by_hand_is_found_at_the_entry_after_it(database):
    northshire = logged(database)
    by_hand(database, "DELETE FROM auditentry WHERE seq = 3")
    broken = walked(database, northshire).broken
    assert broken is not None and broken.entry["seq"] == 4
    assert broken.why == "the entry before it (no. 3) is missing: deleted"


def test_an_entry_deleted_and_the_rest_renumbered_is_found(database):
    northshire = logged(database)
    by_hand(
        database,
        "DELETE FROM auditentry WHERE seq = 3",
        "UPDATE auditentry SET seq = -seq WHERE seq > 3",
        "UPDATE auditentry SET seq = -seq - 1 WHERE seq < 0",
    )
    broken = walked(database, northshire).broken
    assert broken is not None and broken.entry["summary"] == "closed poll #4: Lunch?"
    assert broken.why.startswith("it no longer follows the entry before it")


def test_two_entries_swapped_by_hand_are_found_out_of_order(database):
    northshire = logged(database)
    by_hand(
        database,
        "UPDATE auditentry SET seq = -1 WHERE seq = 2",
        "UPDATE auditentry SET seq = 2 WHERE seq = 3",
        "UPDATE auditentry SET seq = 3 WHERE seq = -1",
    )
    broken = walked(database, northshire).broken
    assert broken is not None and broken.entry["summary"] == "closed poll #3: Lunch?"
    assert broken.why.startswith("it is out of order")


def test_the_first_break_is_named_when_there_are_several(database):
    northshire = logged(database)
    by_hand(
        database,
        "UPDATE auditentry SET summary = 'x' WHERE seq = 4",
        "UPDATE auditentry SET summary = 'y' WHERE seq = 2",
    )
    broken = walked(database, northshire).broken
    assert broken is not None and broken.entry["seq"] == 2


def redact_second(database, northshire: int, **replacements) -> None:
    with database.session() as session:
        entry = session.exec(
            select(AuditEntry).where(AuditEntry.collaborative_id == northshire, AuditEntry.seq == 2)
        ).one()
        audit.redact(session, entry, replacements)


def test_a_redacted_entry_keeps_the_chain_and_says_it_was_redacted(database):
    northshire = logged(database)
    before = entries(database, northshire)[1].hash
    redact_second(database, northshire, actor_name="a former member", detail={})
    redact_second(database, northshire, summary="closed poll #2")  # a second redaction
    entry = entries(database, northshire)[1]
    assert (entry.actor_name, entry.summary, entry.detail) == (
        "a former member",
        "closed poll #2",
        {},
    )
    assert entry.hash == before and entry.salt is None
    assert ledger.redacted_fields(entry.model_dump()) == ["actor_name", "summary", "detail"]
    assert set(entry.seal["salts"]) == {"at", "action", "details"}  # none for what was removed
    found = walked(database, northshire)
    assert (found.count, found.broken, found.redacted) == (5, None, [2])


@pytest.mark.parametrize(
    "edit",
    [
        "UPDATE auditentry SET actor_name = 'Asha Patel' WHERE seq = 2",  # the redacted field
        "UPDATE auditentry SET details = 'changed' WHERE seq = 2",  # a field kept
    ],
)
def test_a_redacted_entry_edited_by_hand_afterwards_is_found(database, edit):
    northshire = logged(database)
    redact_second(database, northshire, actor_name="a former member")
    by_hand(database, edit)
    broken = walked(database, northshire).broken
    assert broken is not None and broken.entry["seq"] == 2


def test_only_the_fields_that_can_name_a_person_can_be_redacted(database):
    northshire = logged(database)
    with pytest.raises(ValueError, match="not \\['action'\\]"):
        redact_second(database, northshire, action="poll.open")
    assert walked(database, northshire).redacted == []


@pytest.mark.postgres
@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_two_writers_at_once_on_postgresql_keep_one_chain(database):
    northshire = logged(database, 1)
    start = threading.Barrier(8)

    def step(session, said: str) -> None:
        collaborative = session.get(Collaborative, northshire)
        audit.record(session, NOW, collaborative, None, "step", lambda: said)

    def write(worker: int) -> None:
        start.wait()
        for turn in range(10):
            database.run(lambda session, said=f"{worker}.{turn}": step(session, said))

    workers = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert [entry.seq for entry in entries(database, northshire)] == list(range(1, 82))
    found = walked(database, northshire)
    assert (found.count, found.broken) == (81, None)


def test_entries_written_together_by_a_batch_of_votes_and_a_close_join_the_chain(database, clock):
    """The bulk writers: people placed in their organisations by a batch of votes, and each
    organisation's decision at the close of committees in common."""
    tenant = "22222222-2222-4222-8222-222222222222"
    shared = Place("teams", "host", "19:shared@thread.tacv2")
    voters = [Actor("teams", "host", f"u{n}", f"Voter {n}", home_tenant_id=tenant) for n in (1, 2)]
    chat = Conversation(database, clock)
    chat.dispatcher.platforms["teams"] = chat.platform  # posts are recorded
    chat.says(voters[0], shared, 'setup "Westshire Partnership"')
    chat.says(voters[0], shared, f'org add "NHS Trust A" --teams-tenant {tenant}')
    chat.says(voters[0], shared, 'poll "Which site?" "North" "South" --mode committees-in-common')
    buttons = poll_buttons(chat.last_message(shared))
    chat.engine.handle_all([ActionInvoked(v, shared, buttons["North"]) for v in voters])
    chat.says(voters[0], shared, "poll close 1")
    chat.close()
    actions = [entry.action for entry in entries(database, 1)]
    assert "org.counted" in actions and "poll.org-decision" in actions
    found = walked(database, 1)
    assert (found.count, found.broken) == (len(actions), None)
