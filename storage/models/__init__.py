"""SQLModel tables, one module per part of Concord, all registered when this package is
imported; every time is stored as timezone-aware UTC, and uniqueness that matters is
enforced by the database, not by code that checks first."""

from storage.models.checkins import CheckinAnswer, CheckinPrompt, CheckinRun, CheckinSchedule
from storage.models.collaboratives import (
    ROLES,
    Channel,
    Collaborative,
    Identity,
    LinkCode,
    Member,
    Organisation,
    OrganisationHome,
)
from storage.models.delivery import DeliveryLane, Outbox, PostedMessage, ProcessedEvent
from storage.models.deputies import Deputy
from storage.models.people import DIGEST_CHOICES, PersonSetting
from storage.models.polls import (
    LATEST_BALLOT,
    Ballot,
    Participation,
    Poll,
    PollDraft,
    PollOption,
    PollReminderMute,
    new_ballot_id,
    new_receipt,
)
from storage.models.records import AuditEntry, Export, PlaygroundMessage, Timer
from storage.models.reviews import Review
from storage.models.rounds import Proposal, ProposalGroup, PurposeRound
from storage.models.series import PollSeries, PollSeriesRun
from storage.models.templates import PollTemplate

__all__ = [
    "AuditEntry",
    "Ballot",
    "Channel",
    "CheckinAnswer",
    "CheckinPrompt",
    "CheckinRun",
    "CheckinSchedule",
    "Collaborative",
    "DeliveryLane",
    "DIGEST_CHOICES",
    "Deputy",
    "Export",
    "Identity",
    "LATEST_BALLOT",
    "LinkCode",
    "Member",
    "Organisation",
    "OrganisationHome",
    "Outbox",
    "Participation",
    "PersonSetting",
    "PlaygroundMessage",
    "Poll",
    "PollDraft",
    "PollOption",
    "PollReminderMute",
    "PollSeries",
    "PollSeriesRun",
    "PollTemplate",
    "PostedMessage",
    "ProcessedEvent",
    "Proposal",
    "ProposalGroup",
    "PurposeRound",
    "Review",
    "ROLES",
    "Timer",
    "new_ballot_id",
    "new_receipt",
]
