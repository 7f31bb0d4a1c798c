"""Purpose rounds as stored: stages, limits and the queries every part of a round shares.

A round moves through its stages in order (see `dialogs.purpose.commands`):

    gathering → grouping → shortlisting → drafting → choosing → consenting
                                                       ↑ revising ↲ (objections)

and ends `adopted`, or `needs-conversation` when consent fails after the last
revision. Grouping and drafting are pauses in which coordinators adjust the
groups and their drafts; the three voting stages are ordinary polls.
"""

from __future__ import annotations

from types import ModuleType

from sqlmodel import Session, col, select

from dialogs.core.language import N_
from storage.models import Proposal, ProposalGroup, PurposeRound

GATHERING = "gathering"
GROUPING = "grouping"
SHORTLISTING = "shortlisting"
DRAFTING = "drafting"
CHOOSING = "choosing"
CONSENTING = "consenting"
REVISING = "revising"
ADOPTED = "adopted"
NEEDS_CONVERSATION = "needs-conversation"
STAGE_NAMES = {  # a stage in words: "the round is …", the decision log's "Gathering …"
    GATHERING: N_("gathering"),
    GROUPING: N_("grouping"),
    SHORTLISTING: N_("shortlisting"),
    DRAFTING: N_("drafting"),
    CHOOSING: N_("choosing"),
    CONSENTING: N_("consenting"),
    REVISING: N_("revising"),
    ADOPTED: N_("adopted"),
    NEEDS_CONVERSATION: N_("needs-conversation"),
}
POLL_STAGES = (SHORTLISTING, CHOOSING, CONSENTING)

MAX_PROPOSAL = 280
PROPOSALS_EACH = 3
MAX_GROUPS = 7
MAX_TITLE = 75
MAX_REVISIONS = 3
SHORTLIST_DOTS = 3
DEFAULT_SHORTLIST = 5
DEFAULT_GATHER = 5 * 86400
DEFAULT_REVIEW = 86400
DEFAULT_VOTE = 3 * 86400

DEFAULT_PROMPTS = [  # Concord's own: kept in the collaborative's language (its channels ask)
    N_("Who do we serve together that none of us can serve alone?"),
    N_("What will be different for them in three years if we succeed?"),
    N_("What will we do together that we would not do apart?"),
]


def running_round(session: Session, collaborative_id: int) -> PurposeRound | None:
    return session.exec(
        select(PurposeRound).where(
            PurposeRound.collaborative_id == collaborative_id, PurposeRound.running
        )
    ).first()


def latest_adopted(session: Session, collaborative_id: int) -> PurposeRound | None:
    return session.exec(
        select(PurposeRound)
        .where(PurposeRound.collaborative_id == collaborative_id, PurposeRound.stage == ADOPTED)
        .order_by(col(PurposeRound.ended_at).desc())
    ).first()


def adopted_purpose(session: Session, collaborative_id: int) -> str | None:
    adopted = latest_adopted(session, collaborative_id)
    return adopted.purpose if adopted else None


def proposals_of(session: Session, purpose_round: PurposeRound) -> list[Proposal]:
    return list(
        session.exec(
            select(Proposal).where(Proposal.round_id == purpose_round.id).order_by(Proposal.id)
        ).all()
    )


def groups_of(session: Session, purpose_round: PurposeRound) -> list[ProposalGroup]:
    return list(
        session.exec(
            select(ProposalGroup)
            .where(ProposalGroup.round_id == purpose_round.id)
            .order_by(ProposalGroup.position)
        ).all()
    )


def load_grouping() -> ModuleType:
    """The grouping module, imported on first use: it brings numpy (and, with the semantic
    extra, a language model), which a process that runs no purpose round never needs."""
    from dialogs.purpose.grouping import cluster as module

    return module


def clipped(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"
