"""the decision log as a hash chain: each entry's place, hash, the previous entry's hash,
its salt and, once redacted, its seal

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)
from alembic import op

from storage import ledger

revision: str = "0023"
down_revision: str | Sequence[str] | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_audit = sa.table(
    "auditentry",
    sa.column("id", sa.Integer),
    sa.column("collaborative_id", sa.Integer),
    sa.column("at", sqlmodel.sql.sqltypes.UTCDateTime()),
    sa.column("actor_name"),
    sa.column("action"),
    sa.column("summary"),
    sa.column("details"),
    sa.column("detail", sa.JSON),
    sa.column("seq", sa.Integer),
    sa.column("prev_hash"),
    sa.column("hash"),
    sa.column("salt"),
)

_CHAIN = ("id", "seq", "prev_hash", "hash", "salt")


def upgrade() -> None:
    # Nothing refers to `auditentry`, so SQLite's batch (copy, drop, rename) is safe here.
    with op.batch_alter_table("auditentry") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64)))
        batch.add_column(sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64)))
        batch.add_column(sa.Column("salt", sqlmodel.sql.sqltypes.AutoString(length=32)))
        batch.add_column(sa.Column("seal", sa.JSON(none_as_null=True), nullable=True))
    _chain_existing_entries()
    with op.batch_alter_table("auditentry") as batch:
        batch.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        for name in ("prev_hash", "hash"):
            batch.alter_column(
                name, existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
            )
        batch.create_unique_constraint("uq_auditentry_seq", ["collaborative_id", "seq"])


def _chain_existing_entries() -> None:
    """Number and hash the entries already written, per collaborative in the order they
    were written (time, then id), as `storage.ledger.append` would have."""
    bind = op.get_bind()
    entries = bind.execute(
        sa.select(_audit).order_by(_audit.c.collaborative_id, _audit.c.at, _audit.c.id)
    )
    tails: dict[int, tuple[int, str]] = {}
    chained = []
    for row in entries:
        entry = dict(row._mapping)
        seq, prev_hash = tails.get(entry["collaborative_id"], (0, ledger.GENESIS))
        entry.update(seq=seq + 1, prev_hash=prev_hash, salt=ledger.new_salt(), seal=None)
        entry["hash"] = ledger.entry_hash(entry)
        tails[entry["collaborative_id"]] = (entry["seq"], entry["hash"])
        chained.append({f"_{name}": entry[name] for name in _CHAIN})
    if chained:
        columns = {name: sa.bindparam(f"_{name}") for name in _CHAIN if name != "id"}
        statement = sa.update(_audit).where(_audit.c.id == sa.bindparam("_id")).values(columns)
        bind.execute(statement, chained)


def downgrade() -> None:
    with op.batch_alter_table("auditentry") as batch:
        batch.drop_constraint("uq_auditentry_seq", type_="unique")
        for name in ("seal", "salt", "hash", "prev_hash", "seq"):
            batch.drop_column(name)
