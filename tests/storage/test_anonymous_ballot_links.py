"""No path leads from an anonymous ballot to the person who cast it, receipt or not.

The walk is over the schema's foreign keys (`SQLModel.metadata`), so a column added later
that could tie a ballot to someone fails here. A ballot row reaches other rows only
through its own foreign keys, and other rows reach it only through keys pointing at it:

- nothing points at a ballot: not participation (who voted), not the decision log;
- of the ballot's own keys, those a voter shares with everyone else in the poll or their
  organisation (`poll_id`, `organisation_id`) name nobody; every other one is empty on
  every anonymous ballot, however it was cast (a click, clicks stored together, a form)
  and after the close has shuffled them;
- the receipt is a plain column, and no other table holds one.
"""

from __future__ import annotations

from sqlalchemy import Table
from sqlmodel import SQLModel, select

from dialogs.core.events import ActionInvoked
from storage.models import Ballot
from tests.support.conversation import ASHA, BEN, CARYS, NORTH, Conversation, person, poll_buttons

SHARED = {"poll_id", "organisation_id"}  # the same for every voter of a poll or organisation
VOTERS = [person(f"v{n}", f"Voter {n}") for n in range(4)]


def tables() -> dict[str, Table]:
    return {table.name: table for table in SQLModel.metadata.sorted_tables}


def reached(start: str, cut: set[str]) -> set[str]:
    """Every table a row of `start` leads to, or is led to from, by foreign keys (either
    way), not following `start`'s own keys named in `cut`."""
    found, todo = {start}, [start]
    while todo:
        here = tables()[todo.pop()]
        ahead = {k.column.table.name for k in here.foreign_keys if k.parent.name not in cut}
        behind = {
            t.name for t in tables().values() for k in t.foreign_keys if k.column.table is here
        }
        cut = set()  # only the ballot's own keys are shared or empty
        for name in (ahead | behind) - found:
            found.add(name)
            todo.append(name)
    return found


def test_no_path_leads_from_an_anonymous_ballot_to_a_person():
    empty = {"member_id", "cast_by"}  # on anonymous ballots: the test below checks it
    assert {"member", "identity"}.isdisjoint(reached("ballot", SHARED | empty))
    assert {"member", "identity"} <= reached("ballot", SHARED), "the walk does find people"


def test_only_the_ballot_holds_a_receipt():
    holding = [name for name, table in tables().items() if "receipt" in table.columns]
    assert holding == ["ballot"]
    assert not tables()["ballot"].columns["receipt"].foreign_keys


def test_a_ballots_own_keys_are_shared_or_empty_on_every_anonymous_ballot(database, clock):
    personal = {key.parent.name for key in tables()["ballot"].foreign_keys} - SHARED
    assert {"member_id", "cast_by"} <= personal, "the walk must see the keys to members"
    chat = Conversation(database, clock)
    try:
        _vote_every_way(chat)
    finally:
        chat.close()
    with database.session() as session:
        ballots = session.exec(select(Ballot)).all()
    assert len(ballots) == 2 * (2 + len(VOTERS)) + 2
    assert all(b.receipt for b in ballots)
    linked = {(name, getattr(b, name)) for b in ballots for name in personal}
    assert linked == {(name, None) for name in personal}


def _vote_every_way(chat: Conversation) -> None:
    """Two anonymous polls, each voted by a click each, clicks stored together and a
    ranked form; the first is closed (its ballots shuffled)."""
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    chat.says(ASHA, NORTH, 'org add "Riverside"')
    chat.says(BEN, NORTH, 'org join "Riverside"')
    for number in (1, 2):
        chat.says(ASHA, NORTH, f'poll "Secret {number}?" "Yes" "No" --anonymous')
        buttons = poll_buttons(chat.last_message(NORTH))
        for who in (BEN, CARYS):
            chat.clicks(who, NORTH, buttons["Yes"])
        chat.engine.handle_all([ActionInvoked(w, NORTH, buttons["No"], {}) for w in VOTERS])
    chat.says(ASHA, NORTH, 'poll "Rank them" "A" "B" --type ranked --anonymous')
    chat.clicks(BEN, NORTH, "submit:ballot:3", {"rank0": "1", "rank1": "0"})
    chat.says(ASHA, NORTH, 'poll "Rank again" "A" "B" --type ranked --anonymous')
    chat.clicks(BEN, NORTH, "submit:ballot:4", {"rank0": "0", "rank1": "1"})
    chat.says(ASHA, NORTH, "poll close 1")
