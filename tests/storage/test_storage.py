"""Storage: migrations match the models, and the database itself guards what matters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from storage import migrate
from storage.migrate import owned_by_us
from storage.models import Ballot, Channel, Collaborative, Member, Poll, ProcessedEvent

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_the_migrations_build_exactly_the_schema_the_models_describe(database):
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": owned_by_us})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_upgrading_an_up_to_date_database_changes_nothing(database):
    migrate.upgrade(database)
    migrate.upgrade(database)


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(sqlite_database):
    with sqlite_database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000


def _poll_with_member(session) -> tuple[Poll, Member]:
    collaborative = Collaborative(name="C", timezone="Europe/London", created_at=NOW)
    session.add(collaborative)
    session.flush()
    member = Member(collaborative_id=collaborative.id, display_name="M", created_at=NOW)
    session.add(member)
    session.flush()
    poll = Poll(
        collaborative_id=collaborative.id,
        number=1,
        question="Q",
        type="single",
        created_by=member.id,
        created_at=NOW,
    )
    session.add(poll)
    session.flush()
    return poll, member


def test_the_database_refuses_a_second_latest_ballot_for_one_member(database):
    with pytest.raises(IntegrityError), database.session() as session:
        poll, member = _poll_with_member(session)
        for _ in range(2):
            session.add(Ballot(poll_id=poll.id, member_id=member.id, choices=[0], cast_at=NOW))
            session.flush()


def test_superseded_ballots_may_pile_up_as_history(database):
    with database.session() as session:
        poll, member = _poll_with_member(session)
        for choice in range(3):
            session.add(
                Ballot(
                    poll_id=poll.id,
                    member_id=member.id,
                    choices=[choice],
                    latest=False,
                    cast_at=NOW,
                )
            )
        session.add(Ballot(poll_id=poll.id, member_id=member.id, choices=[0], cast_at=NOW))


def test_a_platform_event_is_recorded_once(database):
    with pytest.raises(IntegrityError), database.session() as session:
        for _ in range(2):
            session.add(ProcessedEvent(platform="slack", event_id="Ev1", processed_at=NOW))
            session.flush()


def test_a_platform_channel_belongs_to_one_collaborative(database):
    with pytest.raises(IntegrityError), database.session() as session:
        poll, _ = _poll_with_member(session)
        for _ in range(2):
            session.add(
                Channel(
                    collaborative_id=poll.collaborative_id,
                    platform="slack",
                    tenant_id="T1",
                    channel_id="C1",
                    created_at=NOW,
                )
            )
            session.flush()


def test_naive_datetimes_are_refused(database):
    with pytest.raises(Exception, match="(?i)naive|timezone"), database.session() as session:
        session.add(Collaborative(name="C", timezone="UTC", created_at=datetime(2026, 1, 1)))
        session.flush()
