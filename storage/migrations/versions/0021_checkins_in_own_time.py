"""check-ins in each member's own time: the schedule's mode and one prompt per person

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 04:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Schedules already in use keep posting in the channels.
    op.add_column(
        "checkinschedule",
        sa.Column("each_in_own_timezone", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "checkinprompt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("occurrence_key", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("zone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("zone_source", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["schedule_id"], ["checkinschedule.id"]),
        sa.ForeignKeyConstraint(["run_id"], ["checkinrun.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("schedule_id", "member_id", "occurrence_key"),
    )
    with op.batch_alter_table("checkinprompt", schema=None) as batch_op:
        batch_op.create_index("ix_checkinprompt_due", ["status", "due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_checkinprompt_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    op.drop_table("checkinprompt")
    with op.batch_alter_table("checkinschedule", schema=None) as batch_op:
        batch_op.drop_column("each_in_own_timezone")
