"""languages: a person's chosen language and the one their platform reported, and a
collaborative's default language and whether shared messages go out in Welsh and English

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 23:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0025"
down_revision: str | Sequence[str] | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # People already known have chosen nothing; collaboratives already in use keep English.
    # Plain ADD COLUMN: SQLite's batch mode would copy `collaborative`, which rows point at.
    for name in ("language", "platform_language"):
        op.add_column(
            "personsetting",
            sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        )
    op.add_column(
        "collaborative",
        sa.Column(
            "language",
            sqlmodel.sql.sqltypes.AutoString(length=8),
            nullable=False,
            server_default="en",
        ),
    )
    op.add_column(
        "collaborative",
        sa.Column("bilingual", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("collaborative") as batch:
        batch.drop_column("bilingual")
        batch.drop_column("language")
    with op.batch_alter_table("personsetting") as batch:
        batch.drop_column("platform_language")
        batch.drop_column("language")
