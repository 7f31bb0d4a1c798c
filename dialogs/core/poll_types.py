"""Poll types as data (after Loomio's poll_types.yml): how each is voted and described.

The one list of poll types, consent stances and result visibilities. It lives in
`core` rather than `polls` because the grammar (`dialogs.commands.grammar`, below
polls) offers the same words as `--type` and `--results` choices, and the pure tally
and the ballots file read them too. Pure data: it imports only `N_`, which marks its
words for the catalogs (translate them with `_()` where they are shown).
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.core.language import N_


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
        PollType("single", N_("one choice"), N_("one choice"), by_form=False),
        PollType("multi", N_("several choices"), N_("several choices"), by_form=False),
        PollType("ranked", N_("a ranking"), N_("rank the options (instant run-off)"), by_form=True),
        PollType(
            "score", N_("a score for each"), N_("score each option from 0 to 5"), by_form=True
        ),
        PollType("dots", N_("dots to spread"), N_("spread your dots"), by_form=True),
        PollType(
            "consent",
            N_("consent to a proposal"),
            N_("consent to the proposal"),
            by_form=False,
            needs_options=False,
        ),
    )
}

STANCES = ("agree", "live-with-it", "object", "block")
STANCE_LABELS = {
    "agree": N_("Agree"),
    "live-with-it": N_("Can live with it"),
    "object": N_("Object"),
    "block": N_("Block"),
}
NEEDS_REASON = ("object", "block")
SCORE_MIN, SCORE_MAX = 0, 5
DEFAULT_DOTS = 5
RESULTS = ("live", "after-vote", "after-close")
