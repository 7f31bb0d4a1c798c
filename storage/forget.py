"""Forgetting a person: what `me forget` and `member remove --forget` clear, table by table.

Which columns hold a person, their accounts, their name and their written words is read
from `storage.personal_data`, never listed again here, so a table declared there is
forgotten too. Rows that carry counted figures stay (a member row, a ballot, a check-in
score), linked to an unnamed former member that no account leads to; only the words and
the ways back to the person go. Copies of messages and files (the outbox, the playground's
transcript, export files) are rewritten or dropped wherever they quote the person.
Everything runs in the caller's transaction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    MetaData,
    Table,
    Text,
    and_,
    cast,
    delete,
    false,
    inspect,
    or_,
    select,
    true,
    update,
)
from sqlmodel import Session, SQLModel, col

from storage.models import (
    Channel,
    DeliveryLane,
    Export,
    Identity,
    Outbox,
    PersonSetting,
    PlaygroundMessage,
)
from storage.personal_data import TABLES, Kind

MARKER = "[removed at the author's request]"
REMOVE = "remove"  # Collaborative.forgotten_text: "replace" words with MARKER, or "remove" them

Account = tuple[str, str, str]  # platform, tenant, user id


def members_of(session: Session, accounts: Collection[Account]) -> tuple[set[Account], set[int]]:
    """Every account and member one person is, from some of their accounts: `me link` joins
    accounts into one member, and one account is a member of every collaborative it joined."""
    found, members = set(accounts), set[int]()
    while True:
        rows = session.execute(
            select(col(Identity.member_id)).where(_account_is(Identity, found))
        ).scalars()
        more = set(rows) - members
        if not more:
            return found, members
        members |= more
        linked = session.execute(
            select(col(Identity.platform), col(Identity.tenant_id), col(Identity.user_id)).where(
                col(Identity.member_id).in_(more)
            )
        )
        found |= {(p, t, u) for p, t, u in linked}


def _account_is(
    model: type[Identity] | type[PersonSetting], accounts: Iterable[Account]
) -> ColumnElement[bool]:
    """Rows of `model` (identities, settings) of any of these accounts."""
    return or_(
        false(),
        *(
            and_(col(model.platform) == p, col(model.tenant_id) == t, col(model.user_id) == u)
            for p, t, u in accounts
        ),
    )


def clear_written(session: Session, member_ids: Collection[int], policy: str) -> set[str]:
    """Replace (or, by `policy`, remove) every word these members wrote; the words as they
    were, so copies quoting them can be found. A row that is only words (a proposal, a
    draft) goes when removed; a row with figures beside its words (a check-in answer's
    score) keeps them."""
    words: set[str] = set()
    for name, use in TABLES.items():
        written = [c for c, p in use.personal.items() if p.kind is Kind.WRITTEN]
        owners = [c for c, p in use.personal.items() if p.kind is Kind.PERSON]
        if not written or not owners:
            continue
        table = SQLModel.metadata.tables[name]
        mine = or_(*(table.c[owner].in_(member_ids) for owner in owners))
        for row in session.execute(select(*(table.c[c] for c in written)).where(mine)):
            words.update(value for value in row if value)
        _clear(session, table, mine, written, policy)
    return words


def _clear(
    session: Session, table: Table, mine: ColumnElement[bool], written: list[str], policy: str
) -> None:
    if policy == REMOVE and not all(table.c[c].nullable for c in written):
        session.execute(delete(table).where(mine))
        return
    for column in written:
        said = and_(mine, table.c[column].is_not(None), table.c[column] != "")
        value = None if policy == REMOVE else MARKER
        session.execute(update(table).where(said).values({column: value}))


def unlink(session: Session, member_ids: Collection[int], accounts: Collection[Account]) -> None:
    """Remove the members' identities, and the settings of accounts no member is left with."""
    session.execute(delete(Identity).where(col(Identity.member_id).in_(member_ids)))
    rows = session.execute(
        select(col(Identity.platform), col(Identity.tenant_id), col(Identity.user_id)).where(
            _account_is(Identity, accounts)
        )
    )
    still = {(p, t, u) for p, t, u in rows}
    gone = [account for account in accounts if account not in still]
    if gone:
        session.execute(delete(PersonSetting).where(_account_is(PersonSetting, gone)))


# slack_sdk's table of workspace installations (made when first used): it keeps the Slack
# user who installed Concord, and that user's token if one was granted.
SLACK_INSTALLATIONS = "slack_installations"
_INSTALLER = {
    "user_id": "",  # NOT NULL there; the bot token is found by workspace, not by user
    "user_token": None,
    "user_refresh_token": None,
    "user_scopes": None,
    "user_token_expires_at": None,
}


def forget_installer(session: Session, accounts: Collection[Account]) -> None:
    """Where the person installed Concord in a Slack workspace, the installation stays (the
    workspace keeps working through its bot token) but names them no more."""
    users = {user for platform, _, user in accounts if platform == "slack"}
    connection = session.connection()
    if not users or not inspect(connection).has_table(SLACK_INSTALLATIONS):
        return
    table = Table(SLACK_INSTALLATIONS, MetaData(), autoload_with=connection)
    values = {name: value for name, value in _INSTALLER.items() if name in table.c}
    session.execute(update(table).where(table.c.user_id.in_(users)).values(values))


@dataclass(frozen=True)
class Forgotten:
    """One person, as far as they are being forgotten: their members and accounts."""

    member_ids: frozenset[int]
    accounts: frozenset[Account]
    lanes: frozenset[str]  # their private messages' delivery lanes


@dataclass(frozen=True)
class Redaction:
    """What replaces each quoted piece of a person (their names, accounts and words) in a
    copy; pieces are matched whole, so "Ben" leaves "Bench" alone."""

    replacements: dict[str, str]
    _every_form: dict[str, str] = field(init=False, repr=False)
    _pattern: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # A piece is also found escaped inside JSON text (a result stored as text, say).
        every_form = {
            _escaped(piece): _escaped(new) for piece, new in self.replacements.items()
        } | self.replacements
        pieces = sorted((p for p in every_form if p.strip()), key=len, reverse=True)
        pattern = "|".join(_whole(piece) for piece in pieces) or r"(?!x)x"  # nothing: no match
        object.__setattr__(self, "_every_form", every_form)
        object.__setattr__(self, "_pattern", re.compile(pattern))

    def text(self, value: str) -> str:
        return self._pattern.sub(lambda found: self._every_form[found.group(0)], value)

    def json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {self.text(key): self.json(item) for key, item in value.items()}
        return value

    def quoted_in(self, column: Any) -> ColumnElement[bool]:
        """Rows whose `column` may quote a piece (raw, or escaped as JSON writes it)."""
        shown = cast(column, Text)
        needles = {form for piece in self.replacements for form in _forms(piece)}
        return or_(false(), *(shown.contains(needle, autoescape=True) for needle in needles))

    def found_in(self, content: bytes) -> bool:
        return any(piece.encode() in content for piece in self.replacements)


def _whole(piece: str) -> str:
    before = r"(?<!\w)" if re.match(r"\w", piece) else ""
    after = r"(?!\w)" if re.search(r"\w$", piece) else ""
    return before + re.escape(piece) + after


def _forms(piece: str) -> set[str]:
    return {piece, json.dumps(piece)[1:-1], _escaped(piece)}


def _escaped(piece: str) -> str:
    """`piece` as it reads inside JSON text that keeps non-ASCII letters as they are."""
    return json.dumps(piece, ensure_ascii=False)[1:-1]


def redact_copies(
    session: Session,
    redaction: Redaction,
    person: Forgotten,
    collaboratives: Collection[int],
    *,
    everywhere: bool,
) -> None:
    """Drop the messages waiting for the person and the export files made for or quoting
    them; rewrite the other messages and transcript lines that quote them. Only the copies
    of `collaboratives`, unless `everywhere` (`me forget`): then every waiting message, and
    the person's delivery lanes and private transcript too."""
    session.flush()

    def ours(column: Any) -> ColumnElement[bool]:
        return true() if everywhere else column.in_(collaboratives)

    outbox = col(Outbox.collaborative_id)
    session.execute(delete(Outbox).where(col(Outbox.lane).in_(person.lanes), ours(outbox)))
    for row in session.scalars(
        select(Outbox).where(redaction.quoted_in(Outbox.effect), ours(outbox))
    ).all():
        row.effect = redaction.json(row.effect)
    exports = select(Export).where(col(Export.collaborative_id).in_(collaboratives))
    for export in session.scalars(exports).all():
        if export.member_id in person.member_ids or redaction.found_in(export.content):
            session.delete(export)
    if everywhere:
        session.execute(delete(DeliveryLane).where(col(DeliveryLane.lane).in_(person.lanes)))
        users = [user for _, _, user in person.accounts]
        session.execute(delete(PlaygroundMessage).where(col(PlaygroundMessage.user_id).in_(users)))
    channels = select(col(Channel.channel_id)).where(
        col(Channel.collaborative_id).in_(collaboratives)
    )
    for message in session.scalars(
        select(PlaygroundMessage).where(
            redaction.quoted_in(PlaygroundMessage.card),
            true() if everywhere else col(PlaygroundMessage.channel_id).in_(channels),
        )
    ).all():
        message.card = redaction.json(message.card)
