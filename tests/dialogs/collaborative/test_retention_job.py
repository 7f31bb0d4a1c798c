"""The nightly retention job: it clears exactly what is past its time, keeps every count and
the decision log, logs counts (never words), and runs once a night however many processes
tick."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from dialogs.collaborative import expiry
from dialogs.collaborative.expiry import WRITTEN_AT
from dialogs.collaborative.retention import REPLACED
from dialogs.core import timers
from dialogs.ticker import Ticker
from storage.models import (
    AuditEntry,
    Ballot,
    CheckinAnswer,
    CheckinRun,
    CheckinSchedule,
    Collaborative,
    Member,
    Participation,
    Poll,
    PollDraft,
    Proposal,
    PurposeRound,
    Timer,
)
from storage.personal_data import Kind, personal_columns
from tests.support.conversation import ASHA, BEN, CARYS, DEE, NORTH, SOUTH
from tests.support.recount import recount

# The clock starts on Thu 26 Nov 2026 09:00 UTC; the job is due at 03:30 London time.
FIRST_RUN = datetime(2026, 11, 27, 3, 31, tzinfo=UTC)
OLD_WORDS = datetime(2024, 11, 1, tzinfo=UTC)  # more than 24 months before the run
NEW_WORDS = datetime(2025, 1, 1, tzinfo=UTC)
OLD_CLOSE = datetime(2020, 6, 1, tzinfo=UTC)  # more than 6 years before the run


def _ids(session: Session, name: str) -> tuple[int, int]:
    collaborative = session.exec(select(Collaborative).where(Collaborative.name == name)).one()
    member = session.exec(
        select(Member).where(Member.collaborative_id == collaborative.id).order_by(Member.id)
    ).first()
    return collaborative.id, member.id


def plant_words(database, at: datetime, tag: str, number: int, name: str = "Northshire") -> None:
    """A check-in answer, a proposal, a poll draft and a closed consent poll's reasons,
    all written at `at`, each saying `tag`, in the collaborative `name`."""
    with database.session() as session:
        collaborative_id, member_id = _ids(session, name)
        schedule = CheckinSchedule(
            collaborative_id=collaborative_id, number=number, recurrence="every monday 09:00",
            rule={}, timezone="UTC", questions=[], window_seconds=3600, status="stopped",
            created_by=member_id, created_at=at,
        )  # fmt: skip
        session.add(schedule)
        session.flush()
        run = CheckinRun(schedule_id=schedule.id, occurrence_key=tag, due_at=at, status="closed")
        purpose = PurposeRound(
            collaborative_id=collaborative_id, number=number, running=False, prompts=[],
            created_by=member_id, created_at=at,
        )  # fmt: skip
        poll = Poll(
            collaborative_id=collaborative_id, number=100 + number, question=f"{tag}?",
            type="consent", status="closed", created_by=member_id, created_at=at, closed_at=at,
        )  # fmt: skip
        session.add_all([run, purpose, poll])
        session.flush()
        session.add_all([
            CheckinAnswer(run_id=run.id, member_id=member_id, question=0, value=3,
                          text=f"{tag} answer", answered_at=at),
            Proposal(round_id=purpose.id, member_id=member_id, text=f"{tag} proposal",
                     created_at=at, updated_at=at),
            PollDraft(collaborative_id=collaborative_id, member_id=member_id,
                      text=f"poll {tag} draft", created_at=at),
            Ballot(poll_id=poll.id, choices=["object", f"{tag} harm", f"{tag} fix"]),
            Ballot(poll_id=poll.id, choices=["agree", "", ""]),
        ])  # fmt: skip
        session.commit()


def written(database) -> dict[str, list[str]]:
    """Every text planted, by table, sorted (ballots as their choices)."""
    with database.session() as session:
        found = {
            model.__name__: sorted(map(str, session.exec(select(model.text)).all()))
            for model in (CheckinAnswer, Proposal, PollDraft)
        }
        found["Ballot"] = sorted(map(str, session.exec(select(Ballot.choices)).all()))
        return found


def entries(database, action: str = "retention") -> list[AuditEntry]:
    with database.session() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)).all())


def test_every_written_column_has_its_moment_of_writing():
    assert set(WRITTEN_AT) == set(personal_columns(Kind.WRITTEN))


def test_words_past_their_time_are_replaced_and_newer_ones_kept(chat, clock, database, caplog):
    chat.says(BEN, NORTH, "help")
    plant_words(database, OLD_WORDS, "Old", 1)
    plant_words(database, NEW_WORDS, "New", 2)
    ticker = Ticker(database, clock)
    ticker.tick()
    clock.now = FIRST_RUN
    with caplog.at_level(logging.INFO, logger="dialogs.collaborative.retention_job"):
        ticker.tick()
    assert written(database) == {
        "CheckinAnswer": sorted([REPLACED, "New answer"]),
        "Proposal": sorted([REPLACED, "New proposal"]),
        "PollDraft": sorted([REPLACED, "poll New draft"]),
        "Ballot": sorted(
            str(choices)
            for choices in (
                ["object", REPLACED, REPLACED],
                ["agree", "", ""],
                ["object", "New harm", "New fix"],
                ["agree", "", ""],
            )
        ),
    }
    (entry,) = entries(database)
    assert entry.actor_name == "Concord"
    assert entry.details == (
        "Written words older than 2 years: 1 check-in answer, 1 proposal, 1 poll draft, "
        "1 ballot's reasons."
    )
    shown = chat.says(BEN, NORTH, "decisions --all")
    assert "Concord cleared what is past its retention period" in shown
    assert "Written words older than 2 years: 1 check-in answer" in shown
    assert entry.detail["checkinanswer"] == 1 and entry.detail["polls"] == 0
    (line,) = [r for r in caplog.records if r.getMessage() == "retention applied"]
    assert (line.proposal, line.ballot_reasons, line.polls) == (1, 1, 0)
    assert "Old" not in entry.summary + entry.details + str(entry.detail)


def test_with_remove_the_words_go_but_a_needed_reason_is_replaced(chat, clock, database):
    with database.session() as session:
        session.exec(select(Collaborative)).one().forgotten_text = "remove"
        session.commit()
    chat.says(BEN, NORTH, "help")
    plant_words(database, OLD_WORDS, "Old", 1)
    Ticker(database, clock).tick()
    clock.now = FIRST_RUN
    Ticker(database, clock).tick()
    assert written(database) == {
        "CheckinAnswer": ["None"],
        "Proposal": [""],
        "PollDraft": [""],
        "Ballot": sorted([str(["object", REPLACED, ""]), str(["agree", "", ""])]),
    }


def close_a_named_poll(chat) -> None:
    """Poll #1: Ben votes North then changes to South, Carys votes North; closed."""
    for who in (BEN, CARYS):
        chat.says(who, NORTH, "help")
    chat.says(ASHA, NORTH, 'poll "Which site first?" "North" "South"')
    chat.clicks(BEN, NORTH, "vote:1:1")
    chat.clicks(BEN, NORTH, "vote:1:2")
    chat.clicks(CARYS, NORTH, "vote:1:1")
    chat.says(ASHA, NORTH, "poll close 1")


def age_poll(database, closed_at: datetime) -> None:
    with database.session() as session:
        session.exec(select(Poll).where(Poll.number == 1)).one().closed_at = closed_at
        session.commit()


def test_a_poll_past_its_time_is_anonymised_and_still_recounts(chat, clock, database, tmp_path):
    close_a_named_poll(chat)
    before = chat.exports(ASHA, NORTH, "poll export 1")[1]
    age_poll(database, OLD_CLOSE)
    Ticker(database, clock).tick()
    clock.now = FIRST_RUN
    Ticker(database, clock).tick()
    with database.session() as session:
        ballots = session.exec(select(Ballot)).all()
        assert [(b.member_id, b.cast_by, b.cast_at, b.latest) for b in ballots] == [
            (None, None, None, True)
        ] * 2
        assert session.exec(select(Participation)).all() == []
    after = chat.exports(ASHA, NORTH, "poll export 1")[1]
    (tmp_path / "before").mkdir()
    (tmp_path / "after").mkdir()
    (tmp_path / "before" / before.filename).write_bytes(before.content)
    (tmp_path / "after" / after.filename).write_bytes(after.content)
    assert recount(tmp_path / "after" / after.filename) == recount(
        tmp_path / "before" / before.filename
    )
    assert "North" in chat.says(BEN, NORTH, "poll results 1")
    (entry,) = entries(database)
    assert entry.details == (
        "Polls closed more than 6 years ago: 1 poll anonymised (2 ballots unlinked from "
        "voters; 1 earlier ballot and 2 records of who voted removed)."
    )


def test_a_poll_closed_within_its_time_keeps_its_voters(chat, clock, database):
    close_a_named_poll(chat)
    age_poll(database, datetime(2021, 1, 1, tzinfo=UTC))
    Ticker(database, clock).tick()
    clock.now = FIRST_RUN
    Ticker(database, clock).tick()
    with database.session() as session:
        assert len(session.exec(select(Ballot)).all()) == 3
        assert len(session.exec(select(Participation)).all()) == 2
    assert entries(database) == []


def retention_timers(database) -> list[tuple[str, str]]:
    with database.session() as session:
        found = session.exec(select(Timer).where(Timer.kind == timers.RETENTION)).all()
        return sorted((t.key, t.status) for t in found)


def test_the_job_runs_once_a_night_and_again_the_next(chat, clock, database):
    chat.says(BEN, NORTH, "help")
    plant_words(database, OLD_WORDS, "Old", 1)
    Ticker(database, clock).tick()
    assert retention_timers(database) == [("2026-11-27", "pending")]
    clock.now = FIRST_RUN
    for _ in range(3):
        Ticker(database, clock).tick()
    assert retention_timers(database) == [("2026-11-27", "done"), ("2026-11-28", "pending")]
    assert len(entries(database)) == 1
    plant_words(database, NEW_WORDS, "New", 2)
    clock.now = datetime(2027, 1, 2, 3, 31, tzinfo=UTC)  # down for a month: one late run
    Ticker(database, clock).tick()
    assert retention_timers(database)[-2:] == [("2026-11-28", "done"), ("2027-01-03", "pending")]
    assert [e.detail["proposal"] for e in entries(database)] == [1, 1]


@pytest.mark.parametrize("processes", [2, 4])
def test_processes_ticking_at_once_run_the_job_once(chat, clock, database, processes):
    chat.says(BEN, NORTH, "help")
    plant_words(database, OLD_WORDS, "Old", 1)
    start = threading.Barrier(processes)

    def tick() -> None:
        start.wait()
        Ticker(database, clock).tick()

    for now in (clock.now, FIRST_RUN):  # enrolling at once, then running at once
        clock.now = now
        threads = [threading.Thread(target=tick) for _ in range(processes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert retention_timers(database) == [("2026-11-27", "done"), ("2026-11-28", "pending")]
    assert len(entries(database)) == 1


def test_each_collaborative_keeps_words_for_its_own_period(chat, clock, database):
    chat.says(DEE, SOUTH, 'setup "Southshire"')
    chat.says(DEE, SOUTH, "retention free-text 3 years")
    plant_words(database, OLD_WORDS, "North", 1)
    plant_words(database, OLD_WORDS, "South", 1, "Southshire")
    Ticker(database, clock).tick()
    clock.now = FIRST_RUN
    Ticker(database, clock).tick()
    assert written(database)["Proposal"] == sorted([REPLACED, "South proposal"])
    assert [e.collaborative_id for e in entries(database)] == [1]


def test_a_failing_run_is_marked_alone_and_the_next_night_still_comes(
    chat, clock, database, monkeypatch
):
    def broken(*args):
        raise RuntimeError("a bug in clearing words")

    chat.says(DEE, SOUTH, 'setup "Southshire"')
    plant_words(database, OLD_WORDS, "North", 1)
    plant_words(database, OLD_WORDS, "South", 1, "Southshire")
    Ticker(database, clock).tick()
    clock.now = FIRST_RUN
    original = expiry.clear_written
    monkeypatch.setattr(
        expiry,
        "clear_written",
        lambda session, collaborative_id, *rest: (broken if collaborative_id == 1 else original)(
            session, collaborative_id, *rest
        ),
    )
    Ticker(database, clock).tick()
    assert retention_timers(database) == [
        ("2026-11-27", "done"),
        ("2026-11-27", "failed"),
        ("2026-11-28", "pending"),
        ("2026-11-28", "pending"),
    ]
    assert [e.collaborative_id for e in entries(database)] == [2]
