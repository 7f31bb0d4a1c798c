"""Finding a voter and their ballot in a big poll reads those rows, not whole tables.

Every vote looks up the voter's latest ballot. The partial unique index
`uq_ballot_latest_per_member` (`WHERE latest`) serves that lookup only if the query says
`latest` exactly as the index does; SQLite otherwise reads every ballot of the poll, so
each vote would cost more the more people had voted. These tests vote one at a time and
in a batch on SQLite, then ask SQLite how it ran each statement that read ballots or
identities (a batch looks its voters up by workspace and user ids, which the identities'
unique index serves; a row-value IN over all four columns made SQLite scan them all).
"""

from __future__ import annotations

from sqlalchemy import event

from dialogs.core.events import ActionInvoked
from tests.support.conversation import ASHA, BEN, NORTH, Conversation, person

VOTERS = [person(f"v{n}", f"Voter {n}") for n in range(30)]


def ballot_reads(sqlite_database, clock, vote) -> list[tuple[str, object]]:
    """The statements that read ballots or identities while `vote(chat)` ran, with their
    parameters."""
    chat = Conversation(sqlite_database, clock)
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"')
    chat.engine.handle_all([ActionInvoked(who, NORTH, "vote:1:1") for who in VOTERS])
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        reads = "FROM ballot" in statement or "FROM identity" in statement
        if statement.lstrip().startswith("SELECT") and reads:
            seen.append((statement, parameters))

    event.listen(sqlite_database.engine, "before_cursor_execute", record)
    try:
        vote(chat)
    finally:
        event.remove(sqlite_database.engine, "before_cursor_execute", record)
        chat.close()
    return seen


def plans(sqlite_database, reads) -> list[str]:
    with sqlite_database.engine.connect() as connection:
        return [
            " / ".join(row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {s}", p))
            for s, p in reads
        ]


def test_a_vote_finds_the_voters_ballot_by_the_latest_ballot_index(sqlite_database, clock):
    reads = ballot_reads(sqlite_database, clock, lambda chat: chat.clicks(BEN, NORTH, "vote:1:2"))

    ballots = [
        (s, p) for s, p in reads if "FROM ballot" in s and "member_id" in s.split("WHERE")[1]
    ]
    member_lookups = plans(sqlite_database, ballots)
    assert member_lookups
    assert all("uq_ballot_latest_per_member" in plan for plan in member_lookups), member_lookups


def test_a_batch_of_votes_finds_the_voters_ballots_by_the_latest_ballot_index(
    sqlite_database, clock
):
    again = [ActionInvoked(who, NORTH, "vote:1:2") for who in VOTERS[:10]]
    reads = ballot_reads(sqlite_database, clock, lambda chat: chat.engine.handle_all(again))

    assert reads
    ballots = [(s, p) for s, p in reads if "FROM ballot" in s]
    assert ballots
    assert all("uq_ballot_latest_per_member" in plan for plan in plans(sqlite_database, ballots))


def test_no_vote_scans_the_ballots_or_the_identities(sqlite_database, clock):
    again = [ActionInvoked(who, NORTH, "vote:1:2") for who in VOTERS[:10]]

    def both(chat: Conversation) -> None:
        chat.clicks(BEN, NORTH, "vote:1:2")
        chat.engine.handle_all(again)

    reads = ballot_reads(sqlite_database, clock, both)

    assert any("FROM identity" in s for s, _ in reads)
    scans = [p for p in plans(sqlite_database, reads) if "SCAN ballot" in p or "SCAN identity" in p]
    assert scans == []
