"""poll templates: a collaborative's own, saved from its polls

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 04:35:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "polltemplate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collaborative_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("name_key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("saved_from", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["collaborative_id"], ["collaborative.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("collaborative_id", "name_key"),
    )
    with op.batch_alter_table("polltemplate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_polltemplate_collaborative_id"), ["collaborative_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("polltemplate")
