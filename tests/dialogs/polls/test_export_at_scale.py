"""A poll with 10,000 ballots exports whole, as a file, and `concord recount` on that file
prints exactly the result Concord announced."""

from __future__ import annotations

from sqlmodel import select

from storage.database import insert_rows
from storage.models import Ballot, Collaborative, Member, Participation, Poll
from tests.support.conversation import ASHA, NORTH, Conversation
from tests.support.recount import recounted_and_announced

VOTERS = 10_000
LABELS = ["Beds", "Discharge", "Workforce"]


def ten_thousand_ballots(database, clock) -> None:
    """Members and their ballots written straight to the tables, as many clicks would."""
    with database.session() as session:
        collaborative = session.exec(select(Collaborative)).one()
        poll = session.exec(select(Poll)).one()
        members = [
            {"collaborative_id": collaborative.id, "display_name": f"M{n}", "created_at": clock()}
            for n in range(VOTERS)
        ]
        insert_rows(session, Member, members)
        ids = session.exec(select(Member.id).where(Member.display_name.startswith("M"))).all()
        insert_rows(
            session,
            Participation,
            [{"poll_id": poll.id, "member_id": i, "first_voted_at": clock()} for i in ids],
        )
        ballots = [
            {"poll_id": poll.id, "member_id": i, "choices": [n % 7 % 3], "cast_at": clock()}
            for n, i in enumerate(ids)
        ]
        insert_rows(session, Ballot, ballots)
        session.commit()


def test_ten_thousand_ballots_export_whole_and_recount_to_the_announced_result(
    database, clock, tmp_path
):
    chat = Conversation(database, clock)
    chat.says(ASHA, NORTH, 'setup "Region-wide"')
    chat.says(ASHA, NORTH, 'poll "Which first?" ' + " ".join(f'"{label}"' for label in LABELS))
    ten_thousand_ballots(database, clock)
    chat.says(ASHA, NORTH, "poll close 1")

    said, file = chat.exports(ASHA, NORTH, "poll export 1")

    size_kb = round(len(file.content) / 1000)
    assert said.splitlines()[0] == f"Ballots of poll #1: 10,000 ballots, CSV, {size_kb} KB"
    assert "`concord recount ballots-poll-1.csv` recomputes the result" in said
    assert len(said) < 400, "the chat reply describes the file; it never carries it"
    recounted, announced = recounted_and_announced(database, file, tmp_path)
    assert recounted == announced + "\n"
    assert '"voters": 10000' in announced
    chat.close()
