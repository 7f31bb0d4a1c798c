"""poll drafts: previews of `poll` commands Concord wasn't sure it read as meant

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "polldraft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collaborative_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.ForeignKeyConstraint(["collaborative_id"], ["collaborative.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("polldraft", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_polldraft_collaborative_id"), ["collaborative_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("polldraft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_polldraft_collaborative_id"))
    op.drop_table("polldraft")
