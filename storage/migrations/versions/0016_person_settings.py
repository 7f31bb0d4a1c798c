"""person settings: a person's own time zone and digest, kept per platform identity

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 04:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "personsetting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("tenant_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("platform_timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("digest_next_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "tenant_id", "user_id"),
    )
    with op.batch_alter_table("personsetting", schema=None) as batch_op:
        batch_op.create_index(
            "ix_personsetting_digest_due", ["digest", "digest_next_at"], unique=False
        )


def downgrade() -> None:
    op.drop_table("personsetting")
