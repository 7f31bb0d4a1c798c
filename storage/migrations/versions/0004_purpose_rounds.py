"""purpose rounds

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 14:45:35.636331
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "purposeround",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collaborative_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("running", sa.Boolean(), nullable=False),
        sa.Column("prompts", sa.JSON(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("stage_ends_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("current_poll_id", sa.Integer(), nullable=True),
        sa.Column("revisions", sa.Integer(), nullable=False),
        sa.Column("draft", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("ended_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["collaborative_id"],
            ["collaborative.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["current_poll_id"],
            ["poll.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("collaborative_id", "number"),
    )
    with op.batch_alter_table("purposeround", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_purposeround_collaborative_id"), ["collaborative_id"], unique=False
        )
        batch_op.create_index(
            "uq_purposeround_running",
            ["collaborative_id"],
            unique=True,
            sqlite_where=sa.text("running"),
            postgresql_where=sa.text("running"),
        )

    op.create_table(
        "proposalgroup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("draft", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("shortlisted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["purposeround.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("proposalgroup", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposalgroup_round_id"), ["round_id"], unique=False)

    op.create_table(
        "proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["proposalgroup.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["purposeround.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposal_round_id"), ["round_id"], unique=False)

    with op.batch_alter_table("polloption", schema=None) as batch_op:
        batch_op.alter_column(
            "label",
            existing_type=sa.VARCHAR(length=150),
            type_=sqlmodel.sql.sqltypes.AutoString(length=300),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("polloption", schema=None) as batch_op:
        batch_op.alter_column(
            "label",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=300),
            type_=sa.VARCHAR(length=150),
            existing_nullable=False,
        )

    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_round_id"))

    op.drop_table("proposal")
    with op.batch_alter_table("proposalgroup", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposalgroup_round_id"))

    op.drop_table("proposalgroup")
    with op.batch_alter_table("purposeround", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_purposeround_running",
            sqlite_where=sa.text("running"),
            postgresql_where=sa.text("running"),
        )
        batch_op.drop_index(batch_op.f("ix_purposeround_collaborative_id"))

    op.drop_table("purposeround")
