"""Which polls may be changed by hand: not a purpose round's (the round decides), and, for
most changes, not a closed one (its result stands as announced until it is reopened).

`doing` names the change as a key ("edited", "extended", "deleted", "reopened"): each
refusal is a whole sentence per change, so that it reads right in every language.
"""

from __future__ import annotations

from dialogs.core.language import N_, _
from dialogs.core.turn import Refusal, Turn
from dialogs.polls import scheduling
from dialogs.polls.lifecycle import poll_by_number
from storage.models import Collaborative, Poll, PurposeRound

_NOT_YET = {
    "extended": N_("it can't be extended yet"),
    "deleted": N_("it can't be deleted yet"),
    "reopened": N_("it can't be reopened yet"),
}
_REOPEN_FIRST = {
    "edited": N_("`poll reopen {number}` opens it again; then it can be edited."),
    "extended": N_("`poll reopen {number}` opens it again; then it can be extended."),
}
_ROUND_RUNNING = {
    "edited": N_(
        "Poll #{number} belongs to purpose round #{round}, which decides what it offers "
        "and when it closes, so it can't be edited."
    ),
    "extended": N_(
        "Poll #{number} belongs to purpose round #{round}, which decides what it offers "
        "and when it closes, so it can't be extended."
    ),
    "deleted": N_(
        "Poll #{number} belongs to purpose round #{round}, which decides what it offers "
        "and when it closes, so it can't be deleted."
    ),
    "reopened": N_(
        "Poll #{number} belongs to purpose round #{round}, which decides what it offers "
        "and when it closes, so it can't be reopened."
    ),
}
_ROUND_MOVED_ON = {
    "edited": N_(
        "Poll #{number} belongs to purpose round #{round}, which has moved on "
        "(it is at “{stage}” now), so the poll can't be edited."
    ),
    "extended": N_(
        "Poll #{number} belongs to purpose round #{round}, which has moved on "
        "(it is at “{stage}” now), so the poll can't be extended."
    ),
    "deleted": N_(
        "Poll #{number} belongs to purpose round #{round}, which has moved on "
        "(it is at “{stage}” now), so the poll can't be deleted."
    ),
    "reopened": N_(
        "Poll #{number} belongs to purpose round #{round}, which has moved on "
        "(it is at “{stage}” now), so the poll can't be reopened."
    ),
}


def open_changeable(turn: Turn, collaborative: Collaborative, number: int, doing: str) -> Poll:
    """An open poll that may be `doing` ("edited"): a closed one's result stands as announced.
    A scheduled poll may be edited (its timing too) but nothing else until it opens."""
    poll = changeable(turn, collaborative, number, doing)
    if poll.status == "scheduled" and doing != "edited":
        scheduling.refuse_if_scheduled(poll, collaborative.timezone, _(_NOT_YET[doing]))
    if poll.status not in ("open", "scheduled"):
        raise Refusal(
            _("Poll #{number} is closed, so its result stands as announced.").format(
                number=poll.number
            ),
            _(_REOPEN_FIRST[doing]).format(number=poll.number),
        )
    return poll


def changeable(turn: Turn, collaborative: Collaborative, number: int, doing: str) -> Poll:
    """The poll `number`, if it may be changed by hand: a purpose round's poll is the round's."""
    poll = poll_by_number(turn.session, collaborative, number)
    round_id = poll.settings.get("purpose_round")
    purpose_round = turn.session.get(PurposeRound, round_id) if round_id else None
    if purpose_round is None:
        return poll
    said = {"number": poll.number, "round": purpose_round.number}
    if poll.status == "open" and purpose_round.running:
        raise Refusal(
            _(_ROUND_RUNNING[doing]).format(**said),
            _("`purpose next` closes it now; `purpose status` shows where the round is."),
        )
    stage = purpose_round.stage.replace("-", " ")
    raise Refusal(
        _(_ROUND_MOVED_ON[doing]).format(**said, stage=stage),
        _("`purpose status` shows where the round is."),
    )
