"""Receipts for anonymous ballots: each voter can check that their ballot was counted as cast.

Whoever casts an anonymous ballot is shown, privately and once, a receipt code such as
"K7QM-4XPR-9DHT" (`storage.models.new_receipt`). It is drawn at random, apart from the
choice and the person, so it says nothing about either (the database keeps each unique:
two alike, however unlikely, fail the vote's transaction and it is run again with a fresh
draw). The ballot keeps it and still names nobody, and participation (who voted) has no
link to any ballot. Anonymous votes can't be changed, so a ballot's receipt never changes
either; the ballots shuffled at the close keep theirs. Ballots cast before receipts existed
have none. `poll receipt` (`dialogs.polls.receipt_check`) finds the choice under a code.

The ballots export (`poll export`) lists every ballot of an anonymous poll under its
receipt in its `ballot` column, the file `concord recount` reads unchanged: each voter
finds their code and the choice counted under it, and anyone can recount the whole. The
export's card adds the turnout by organisation, read from participation, never from
ballots: who took part from where, to set beside each organisation's ballots in the file.

The receipt is the voter's to keep or share: with the export, it shows whoever holds it
how that ballot was cast. That is what lets its voter check it, and voters are told so.
"""

from __future__ import annotations

from sqlmodel import Session

from dialogs.core.cards import Card, Context, FieldItem, Fields, Text
from dialogs.core.language import N_, _
from dialogs.polls.turnout import turnout_block
from storage.models import Poll

KEEP_IT = N_(
    "Keep this code: after the close, the ballots export lists every ballot under its "
    "receipt, so you can check yours was counted as you cast it. Concord can't show it to "
    "you again, as nothing links it to you; anyone you show it to can find your vote."
)
LISTED = N_("Every ballot is listed under its receipt code, so each voter can find their own.")
COMPARED = N_("who voted, never how: compare each organisation's ballots in the file")


def confirmation(poll: Poll, done: str, receipt: str | None) -> Card:
    """What an anonymous voter is told privately: their choice (this reply goes to them
    alone and is never stored) and the receipt they can find it by later."""
    message = _(
        "Your anonymous vote in poll #{number} is recorded — {done}. Nobody else can see "
        "what you chose, and it can't be changed."
    ).format(number=poll.number, done=done[:1].lower() + done[1:])
    if receipt is None:
        return Card(blocks=[Text(text=message)], fallback=message)
    return Card(
        blocks=[
            Text(text=message),
            Fields(items=[FieldItem(label=_("Your receipt"), value=receipt)]),
            Context(text=_(KEEP_IT)),
        ],
        fallback=_("{message} Your receipt: {receipt}.").format(message=message, receipt=receipt),
    )


def export_hint(session: Session, poll: Poll, filename: str) -> str:
    """The words under a ballots export: how to recount it and, for an anonymous poll, that
    ballots are listed by receipt, with the turnout by organisation to check them against."""
    recount = _("`concord recount {filename}` recomputes the result from the file.").format(
        filename=filename
    )
    if not poll.settings.get("anonymous"):
        return recount
    turnout = turnout_block(session, poll)
    checked = (
        [_("{turnout} ({compared}).").format(turnout=turnout.text, compared=_(COMPARED))]
        if turnout
        else []
    )
    return " ".join([_(LISTED), *checked, recount])
