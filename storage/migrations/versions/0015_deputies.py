"""deputies: a member's deputy for a period, and who cast a ballot for its member

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 01:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "deputy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collaborative_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("deputy_id", sa.Integer(), nullable=False),
        sa.Column("until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("accepted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("ended_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["collaborative_id"], ["collaborative.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.ForeignKeyConstraint(["deputy_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("deputy", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deputy_collaborative_id"), ["collaborative_id"], unique=False
        )
        for name, column in (
            ("uq_deputy_current_member", "member_id"),
            ("uq_deputy_current_deputy", "deputy_id"),
        ):
            batch_op.create_index(
                name,
                [column],
                unique=True,
                sqlite_where=sa.text("current"),
                postgresql_where=sa.text("current"),
            )
    # Ballots already cast were cast by their members: the new column starts empty.
    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cast_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_ballot_cast_by_member", "member", ["cast_by"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.drop_constraint("fk_ballot_cast_by_member", type_="foreignkey")
        batch_op.drop_column("cast_by")
    op.drop_table("deputy")
