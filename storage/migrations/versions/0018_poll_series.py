"""poll series: recurring polls and one row per occurrence, unique per series

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 04:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pollseries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collaborative_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("recurrence", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("closes_after", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("next_run_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["collaborative_id"], ["collaborative.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("collaborative_id", "number"),
    )
    with op.batch_alter_table("pollseries", schema=None) as batch_op:
        batch_op.create_index("ix_pollseries_due", ["status", "next_run_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pollseries_collaborative_id"), ["collaborative_id"], unique=False
        )
    op.create_table(
        "pollseriesrun",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("occurrence_key", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["poll_id"], ["poll.id"]),
        sa.ForeignKeyConstraint(["series_id"], ["pollseries.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("poll_id"),
        sa.UniqueConstraint("series_id", "occurrence_key"),
    )
    with op.batch_alter_table("pollseriesrun", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pollseriesrun_series_id"), ["series_id"], unique=False)


def downgrade() -> None:
    op.drop_table("pollseriesrun")
    op.drop_table("pollseries")
