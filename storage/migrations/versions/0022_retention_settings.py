"""retention settings: how long written words and closed polls are kept, and what
forgetting a person does with their words

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 07:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0022"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Collaboratives already in use get the documented defaults.
    with op.batch_alter_table("collaborative") as batch:
        batch.add_column(
            sa.Column(
                "retention_free_text_months", sa.Integer(), nullable=False, server_default="24"
            )
        )
        batch.add_column(
            sa.Column(
                "retention_closed_poll_months", sa.Integer(), nullable=False, server_default="72"
            )
        )
        batch.add_column(
            sa.Column(
                "forgotten_text",
                sqlmodel.sql.sqltypes.AutoString(length=10),
                nullable=False,
                server_default="replace",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("collaborative") as batch:
        batch.drop_column("forgotten_text")
        batch.drop_column("retention_closed_poll_months")
        batch.drop_column("retention_free_text_months")
