"""One-time codes: six characters, 15 minutes, single use, only a hash stored.

Two kinds share one table and one set of rules: a channel code (`link`, in
`setup`) joins a channel to a collaborative; a member code (`me link`, in
`identity_link`) joins one person's accounts. The kind is part of what is
hashed, so a code of one kind is never found as the other, and channel codes
hash exactly as they always have (rows already stored stay valid).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import select

from dialogs.core import limits
from dialogs.core.language import _
from dialogs.core.turn import Refusal, Turn
from storage.models import Collaborative, LinkCode, Member

LINK_CODE_LIFETIME = timedelta(minutes=15)
# No 0/O, 1/I/L: codes are read aloud and typed on phones.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CHANNEL_CODE = "channel"
MEMBER_CODE = "member"
_CODE_COMMAND = {CHANNEL_CODE: "link", MEMBER_CODE: "me link"}  # i18n: not for readers


def issue_code(turn: Turn, collaborative: Collaborative, member: Member, kind: str) -> str:
    """A new code of `kind` made by `member`: stored as a hash, single use, 15 minutes.

    Returns it as shown to people, `ABC-DEF`.
    """
    limits.check_new_code(turn, member, _CODE_COMMAND[kind])
    code = "".join(secrets.choice(_CODE_ALPHABET) for __ in range(6))
    turn.session.add(
        LinkCode(
            collaborative_id=collaborative.id,
            code_hash=_hash(code, kind),
            created_by=member.id,
            expires_at=turn.now + LINK_CODE_LIFETIME,
        )
    )
    return f"{code[:3]}-{code[3:]}"


def find_code(turn: Turn, code: str, kind: str, ask_again: str) -> LinkCode:
    """The unexpired code of `kind`, not yet claimed; or a refusal saying what is wrong.

    `ask_again` says how to get a new code. The code is not claimed here: checks
    that depend on who made it come first (`claim_code`).
    """
    found = turn.session.exec(
        select(LinkCode).where(LinkCode.code_hash == _hash(code, kind))
    ).first()
    if found is None:
        for other, command in _CODE_COMMAND.items():
            if (
                other != kind
                and turn.session.exec(
                    select(LinkCode.id).where(LinkCode.code_hash == _hash(code, other))
                ).first()
            ):
                raise Refusal(
                    _("That is a code for `{command}`, not `{wanted}`.").format(
                        command=command, wanted=_CODE_COMMAND[kind]
                    ),
                    _("Type `{command} {code}` instead, or {ask_again}.").format(
                        command=command, code=f"{code[:3]}-{code[3:]}", ask_again=ask_again
                    ),
                )
        raise Refusal(
            _("That code isn't one Concord gave out."),
            _("Check it, or {ask_again}.").format(ask_again=ask_again),
        )
    if found.expires_at <= turn.now:
        raise Refusal(
            _("That code has expired (codes last 15 minutes)."),
            _("Please {ask_again}.").format(ask_again=ask_again),
        )
    if found.used_at is not None:
        raise _used(ask_again)
    return found


def claim_code(turn: Turn, found: LinkCode, ask_again: str) -> None:
    """Claim `found` atomically: of two turns racing for one code, exactly one gets it."""
    claimed = turn.session.execute(
        update(LinkCode)
        .where(LinkCode.id == found.id, LinkCode.used_at.is_(None))  # type: ignore[union-attr]
        .values(used_at=turn.now)
    ).rowcount
    if claimed != 1:
        raise _used(ask_again)


def _used(ask_again: str) -> Refusal:
    return Refusal(
        _("That code has already been used."), _("Please {ask_again}.").format(ask_again=ask_again)
    )


def _hash(code: str, kind: str = CHANNEL_CODE) -> str:
    keyed = code if kind == CHANNEL_CODE else f"{kind}:{code}"
    return hashlib.sha256(keyed.encode()).hexdigest()
