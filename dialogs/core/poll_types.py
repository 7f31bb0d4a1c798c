"""Poll types as data (after Loomio's poll_types.yml): how each is voted and described.

The one list of poll types, consent stances and result visibilities. It lives in
`core` rather than `polls` because the grammar (`dialogs.commands.grammar`, below
polls) offers the same words as `--type` and `--results` choices, and the pure tally
and the ballots file read them too. Pure data: it imports nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PollType:
    name: str
    choose: str  # how the form offers it: "one choice"
    how: str  # the poll message's description of how to vote
    by_form: bool  # voted in a form (rank, score, dots) rather than with buttons
    needs_options: bool = True


POLL_TYPES: dict[str, PollType] = {
    t.name: t
    for t in (
        PollType("single", "one choice", "one choice", by_form=False),
        PollType("multi", "several choices", "several choices", by_form=False),
        PollType("ranked", "a ranking", "rank the options (instant run-off)", by_form=True),
        PollType("score", "a score for each", "score each option from 0 to 5", by_form=True),
        PollType("dots", "dots to spread", "spread your dots", by_form=True),
        PollType(
            "consent",
            "consent to a proposal",
            "consent to the proposal",
            by_form=False,
            needs_options=False,
        ),
    )
}

STANCES = ("agree", "live-with-it", "object", "block")
STANCE_LABELS = {
    "agree": "Agree",
    "live-with-it": "Can live with it",
    "object": "Object",
    "block": "Block",
}
NEEDS_REASON = ("object", "block")
SCORE_MIN, SCORE_MAX = 0, 5
DEFAULT_DOTS = 5
RESULTS = ("live", "after-vote", "after-close")
