"""organisation homes: the Teams tenants and Slack workspaces whose people belong to an
organisation of a collaborative

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 12:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organisationhome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collaborative_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("tenant_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["collaborative_id"], ["collaborative.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("collaborative_id", "platform", "tenant_id"),
    )
    op.create_index(
        op.f("ix_organisationhome_organisation_id"),
        "organisationhome",
        ["organisation_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_organisationhome_organisation_id"), table_name="organisationhome")
    op.drop_table("organisationhome")
