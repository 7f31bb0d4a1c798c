"""deliberate roles: whether a member's role was chosen, and the role newcomers start as

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 08:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_member = sa.table(
    "member", sa.column("id", sa.Integer), sa.column("role"), sa.column("role_chosen", sa.Boolean)
)
_audit = sa.table("auditentry", sa.column("action"), sa.column("detail", sa.JSON))


def upgrade() -> None:
    # Plain ALTER TABLE … ADD COLUMN, never a batch: on SQLite a batch would copy and drop
    # `member`, which the foreign keys of a database in use refuse.
    op.add_column(
        "member", sa.Column("role_chosen", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column(
        "collaborative",
        sa.Column(
            "newcomer_role",
            sqlmodel.sql.sqltypes.AutoString(length=20),
            nullable=False,
            server_default="member",
        ),
    )
    _mark_chosen_roles()


def _mark_chosen_roles() -> None:
    """Joining only ever gave "member": any other role was set on purpose (`setup`, `role`),
    and so was a role the decision log records a coordinator giving."""
    bind = op.get_bind()
    given = bind.execute(sa.select(_audit.c.detail).where(_audit.c.action == "role")).scalars()
    named = {detail["member_id"] for detail in given if detail and "member_id" in detail}
    chosen = _member.c.role != "member"
    if named:
        chosen = sa.or_(chosen, _member.c.id.in_(named))
    bind.execute(sa.update(_member).where(chosen).values(role_chosen=True))


def downgrade() -> None:
    with op.batch_alter_table("collaborative", schema=None) as batch_op:
        batch_op.drop_column("newcomer_role")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("role_chosen")
