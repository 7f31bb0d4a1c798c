"""poll reminders: when non-voters were last reminded, and per-poll mutes

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 19:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("poll", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reminded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    op.create_table(
        "pollremindermute",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.ForeignKeyConstraint(["poll_id"], ["poll.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("poll_id", "member_id"),
    )
    with op.batch_alter_table("pollremindermute", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pollremindermute_poll_id"), ["poll_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pollremindermute", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pollremindermute_poll_id"))
    op.drop_table("pollremindermute")
    with op.batch_alter_table("poll", schema=None) as batch_op:
        batch_op.drop_column("reminded_at")
