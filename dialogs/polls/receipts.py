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
from dialogs.polls.turnout import turnout_block
from storage.models import Poll

KEEP_IT = (
    "Keep this code: after the close, the ballots export lists every ballot under its "
    "receipt, so you can check yours was counted as you cast it. Concord can't show it to "
    "you again, as nothing links it to you; anyone you show it to can find your vote."
)
LISTED = "Every ballot is listed under its receipt code, so each voter can find their own."
COMPARED = "who voted, never how: compare each organisation's ballots in the file"


def confirmation(poll: Poll, done: str, receipt: str | None) -> Card:
    """What an anonymous voter is told privately: their choice (this reply goes to them
    alone and is never stored) and the receipt they can find it by later."""
    message = (
        f"Your anonymous vote in poll #{poll.number} is recorded — {done[:1].lower()}"
        f"{done[1:]}. Nobody else can see what you chose, and it can't be changed."
    )
    if receipt is None:
        return Card(blocks=[Text(text=message)], fallback=message)
    return Card(
        blocks=[
            Text(text=message),
            Fields(items=[FieldItem(label="Your receipt", value=receipt)]),
            Context(text=KEEP_IT),
        ],
        fallback=f"{message} Your receipt: {receipt}.",
    )


def export_hint(session: Session, poll: Poll, filename: str) -> str:
    """The words under a ballots export: how to recount it and, for an anonymous poll, that
    ballots are listed by receipt, with the turnout by organisation to check them against."""
    recount = f"`concord recount {filename}` recomputes the result from the file."
    if not poll.settings.get("anonymous"):
        return recount
    turnout = turnout_block(session, poll)
    checked = [f"{turnout.text} ({COMPARED})."] if turnout else []
    return " ".join([LISTED, *checked, recount])
