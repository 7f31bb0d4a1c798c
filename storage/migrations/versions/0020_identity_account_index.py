"""identity account index: a person's memberships found from one account, for the digest

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 04:45:00.000000

Home, the digest and `me digest` look a person up by (platform, tenant, user id); the
unique constraint leads with the collaborative, so without this index each lookup reads
every identity.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("identity", schema=None) as batch_op:
        batch_op.create_index(
            "ix_identity_account", ["platform", "tenant_id", "user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("identity", schema=None) as batch_op:
        batch_op.drop_index("ix_identity_account")
