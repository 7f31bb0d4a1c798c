"""`poll receipt ID CODE`: the choice counted under an anonymous ballot's receipt.

Any member may ask, once the poll's results may be seen by everyone (as its export may
be made), so a voter need not wait for a coordinator to share the file to check their
ballot was counted as cast (`dialogs.polls.receipts`). Whoever holds a code learns the
choice under it and nothing about who cast it; the codes are far too many to guess.
The code is read as people copy it: any case, with or without its dashes or spaces.
"""

from __future__ import annotations

import re

from sqlmodel import select

from dialogs.commands.syntax import Command
from dialogs.core.language import _
from dialogs.core.turn import Refusal, Turn
from dialogs.polls.ballot_forms import described
from dialogs.polls.lifecycle import poll_by_number
from dialogs.polls.results import labels, visible_to_all
from dialogs.polls.scheduling import refuse_if_scheduled
from storage.models import LATEST_BALLOT, Ballot
from storage.models.polls import RECEIPT_ALPHABET, RECEIPT_GROUPS

_TYPED = re.compile(rf"[{RECEIPT_ALPHABET}]{{{4 * RECEIPT_GROUPS}}}")


def check(turn: Turn, command: Command) -> None:
    number: int = command.args["id"]
    collaborative, unused = turn.in_collaborative()
    poll = poll_by_number(turn.session, collaborative, number)
    refuse_if_scheduled(poll, collaborative.timezone, _("it has no ballots yet"))
    if not poll.settings.get("anonymous"):
        raise Refusal(
            _("Poll #{number} isn't anonymous, so its ballots have no receipts.").format(
                number=poll.number
            ),
            _("`poll results {number}` ends with your own vote.").format(number=poll.number),
        )
    if not visible_to_all(poll):
        raise Refusal(
            _("The ballots of poll #{number} are hidden until it closes.").format(
                number=poll.number
            )
        )
    receipt = receipt_code(command.args["receipt"])
    choices = turn.session.exec(
        select(Ballot.choices).where(
            Ballot.poll_id == poll.id, Ballot.receipt == receipt, LATEST_BALLOT
        )
    ).first()
    if choices is None:
        raise Refusal(
            _("No ballot of poll #{number} has the receipt {receipt}.").format(
                number=poll.number, receipt=receipt
            ),
            _(
                "Compare it with the note you were given when you voted; if it matches, tell "
                "a coordinator, as every ballot cast should be there."
            ),
        )
    said = described(poll, choices, labels(turn.session, poll))
    turn.say(
        _("Receipt {receipt} is counted in poll #{number} — {said}.").format(
            receipt=receipt, number=poll.number, said=said[:1].lower() + said[1:]
        )
    )


def receipt_code(typed: str) -> str:
    """`typed` as a receipt is shown ("K7QM-4XPR-9DHT"), or a Refusal if it can't be one."""
    code = re.sub(r"[\s-]", "", typed).upper()
    if not _TYPED.fullmatch(code):
        raise Refusal(
            _("`{typed}` isn't a receipt code.").format(typed=typed[:30]),
            _("A receipt is three groups of four letters and digits, like `K7QM-4XPR-9DHT`."),
        )
    return "-".join(code[n : n + 4] for n in range(0, len(code), 4))
