"""governance: how a collaborative decides (its mode, a named decider) and the rule its
purpose rounds' consent follows

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 01:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN with server defaults: collaboratives already in use keep deciding as one
    # group (`joint`), and their purpose rounds ask every organisation for half its voters.
    op.add_column(
        "collaborative",
        sa.Column(
            "governance",
            sqlmodel.sql.sqltypes.AutoString(length=30),
            nullable=False,
            server_default="joint",
        ),
    )
    op.add_column("collaborative", sa.Column("decider_id", sa.Integer(), nullable=True))
    op.add_column(
        "collaborative",
        sa.Column(
            "purpose_rule",
            sqlmodel.sql.sqltypes.AutoString(length=30),
            nullable=False,
            server_default="every-org 50",
        ),
    )


def downgrade() -> None:
    with op.batch_alter_table("collaborative", schema=None) as batch_op:
        batch_op.drop_column("purpose_rule")
        batch_op.drop_column("decider_id")
        batch_op.drop_column("governance")
