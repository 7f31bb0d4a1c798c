"""ballot receipts: an anonymous ballot's code, shown only to its voter, by which they find
it in the poll's export

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0024"
down_revision: str | Sequence[str] | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Ballots cast before this have no receipt: nobody was shown one, and the export lists
    # them under their ids as before.
    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("receipt", sqlmodel.sql.sqltypes.AutoString(length=14), nullable=True)
        )
        batch_op.create_unique_constraint("uq_ballot_receipt", ["receipt"])


def downgrade() -> None:
    with op.batch_alter_table("ballot", schema=None) as batch_op:
        batch_op.drop_constraint("uq_ballot_receipt", type_="unique")
        batch_op.drop_column("receipt")
