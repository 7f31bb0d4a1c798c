"""Every button's and form's action, typed: built, parsed and scoped here and nowhere else.

A button carries its action as a short string that the platform sends back when it
is clicked (`vote:7:21`, `form:ballot:7`, `submit:checkin-answer:12`). Buttons already
posted in Slack and Teams carry today's strings, so each format below is a contract:
`encode()` must produce exactly the same bytes for as long as such buttons may be
clicked (tests/dialogs/core/test_actions.py pins every kind).

Whatever comes back is untrusted. `parse` accepts only the formats below (ids of at most
12 digits and `MAX_ID`, nothing around them) and answers None for anything else, before
any query; the handler then checks what the action names against the database.

Private messages carry buttons and forms too (a nudge's Propose, a form in a 1:1 chat,
a reminder's votes): `action_scope.collaborative_of` finds their collaborative from what
the action names, for someone already its member. Check-in answers count only in channels.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import StrEnum
from functools import lru_cache
from typing import Any, ClassVar, get_type_hints

from dialogs.core.poll_types import NEEDS_REASON, STANCES

MAX_ACTION_LENGTH = 200
MAX_ID = 2**31 - 1  # the largest id a table's integer key can hold
_ID = r"(\d{1,12})"
# Consent stances: those given by a button alone, and those that need a reason (a form).
_PLAIN = "(" + "|".join(re.escape(s) for s in STANCES if s not in NEEDS_REASON) + ")"
_REASONED = "(" + "|".join(re.escape(s) for s in NEEDS_REASON) + ")"


class Subject(StrEnum):
    """What an action's first id names, for finding its collaborative."""

    POLL = "poll"
    RUN = "run"
    SCHEDULE = "schedule"
    ROUND = "round"
    GROUP = "group"
    DRAFT = "draft"
    COLLABORATIVE = "collaborative"  # the id is the collaborative's own
    NONE = "none"  # a channel button: never scoped from a private place
    DEPUTY = "deputy"  # a member's deputy (`storage.models.Deputy`)


class FormKind(StrEnum):
    """The forms opened by `form:<kind>:<id>` and submitted as `submit:<kind>:<id>`."""

    CHECKIN = "checkin"  # a schedule's questions
    CHECKIN_ANSWER = "checkin-answer"  # a run's answers
    BALLOT = "ballot"  # ranked, score and dots ballots
    OPTION = "option"  # add an option to a poll
    PROPOSAL = "proposal"  # a new purpose proposal
    PROPOSALS = "proposals"  # change my proposals
    PROMPTS = "prompts"  # a round's prompts
    REVISION = "revision"  # revise the purpose statement
    GROUP = "group"  # edit a theme
    POLL_EDIT = "poll-edit"  # change a poll (`poll edit`)
    POLL_EXTEND = "poll-extend"  # a later deadline (`poll extend`), from a coordinator's view
    DECISION = "decision"  # a delegated poll's decision, by its decider (`poll decide`)
    PROXY = "proxy"  # a deputy's ballot for the member they stand in for

    @property
    def subject(self) -> Subject:
        return _FORM_SUBJECTS[self]


_FORM_SUBJECTS = {
    FormKind.CHECKIN: Subject.SCHEDULE,
    FormKind.CHECKIN_ANSWER: Subject.RUN,
    FormKind.BALLOT: Subject.POLL,
    FormKind.OPTION: Subject.POLL,
    FormKind.PROPOSAL: Subject.ROUND,
    FormKind.PROPOSALS: Subject.ROUND,
    FormKind.PROMPTS: Subject.ROUND,
    FormKind.REVISION: Subject.ROUND,
    FormKind.GROUP: Subject.GROUP,
    FormKind.POLL_EDIT: Subject.POLL,
    FormKind.POLL_EXTEND: Subject.POLL,
    FormKind.DECISION: Subject.POLL,
    FormKind.PROXY: Subject.POLL,
}
_FORM_KINDS = "|".join(re.escape(kind) for kind in FormKind)


@dataclass(frozen=True)
class Action:
    """One action format. Subclasses give the format and the pattern that reads it back;
    their fields, in order, are the pattern's groups (converted by the fields' types)."""

    FORMAT: ClassVar[str]
    PATTERN: ClassVar[re.Pattern[str]]
    SUBJECT: ClassVar[Subject] = Subject.NONE  # what the first id names
    _converters: ClassVar[tuple[Callable[[str], Any], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "FORMAT" in cls.__dict__:  # a format of its own, not a shared base
            _PREFIXES.setdefault(cls.FORMAT.partition(":")[0], []).append(cls)

    def encode(self) -> str:
        """The string the button carries."""
        return self.FORMAT.format(*self._values())

    @property
    def subject(self) -> Subject:
        """What the first id names, for actions used from a private place."""
        return self.SUBJECT

    @property
    def subject_id(self) -> int:
        return int(self._values()[0])

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, field.name) for field in fields(self))

    @classmethod
    def decode(cls, text: str) -> Action | None:
        match = cls.PATTERN.fullmatch(text)
        if match is None:
            return None
        values = [convert(g) for convert, g in zip(_types(cls), match.groups(), strict=True)]
        if any(isinstance(value, int) and value > MAX_ID for value in values):
            return None  # no row has such an id, and PostgreSQL's integer can't hold it
        return cls(*values)


_PREFIXES: dict[str, list[type[Action]]] = {}


@dataclass(frozen=True)
class Vote(Action):
    """A single- or multi-choice poll's option button."""

    FORMAT = "vote:{}:{}"
    PATTERN = re.compile(rf"vote:{_ID}:{_ID}")
    SUBJECT = Subject.POLL
    poll_id: int
    option_id: int


@dataclass(frozen=True)
class Stance(Action):
    """A consent poll's Agree or Can-live-with-it button (no reason needed)."""

    FORMAT = "stance:{}:{}"
    PATTERN = re.compile(rf"stance:{_ID}:{_PLAIN}")
    SUBJECT = Subject.POLL
    poll_id: int
    stance: str


@dataclass(frozen=True)
class _Reasoned(Action):
    """A consent stance that needs a reason: Object or Block."""

    SUBJECT = Subject.POLL
    poll_id: int
    stance: str


@dataclass(frozen=True)
class ReasonForm(_Reasoned):
    """A consent poll's Object or Block button: opens the form for the reason."""

    FORMAT = "form:consent:{}:{}"
    PATTERN = re.compile(rf"form:consent:{_ID}:{_REASONED}")


@dataclass(frozen=True)
class ReasonSubmit(_Reasoned):
    """The reason form for an objection or a block, submitted."""

    FORMAT = "submit:consent:{}:{}"
    PATTERN = re.compile(rf"submit:consent:{_ID}:{_REASONED}")


@dataclass(frozen=True)
class ClosePoll(Action):
    """A poll's Close button, in a coordinator's private notice or own view of the poll."""

    FORMAT = "close:{}"
    SUBJECT = Subject.POLL
    PATTERN = re.compile(rf"close:{_ID}")
    poll_id: int


@dataclass(frozen=True)
class RemindPoll(Action):
    """A coordinator's Remind button on their own view of a poll (`poll remind`)."""

    FORMAT = "remind:{}"
    SUBJECT = Subject.POLL
    PATTERN = re.compile(rf"remind:{_ID}")
    poll_id: int


@dataclass(frozen=True)
class Mute(Action):
    """A reminder's Stop-reminding-me button."""

    FORMAT = "mute:{}"
    PATTERN = re.compile(rf"mute:{_ID}")
    collaborative_id: int


@dataclass(frozen=True)
class Unmute(Action):
    """The confirmation's Turn-reminders-back-on button."""

    FORMAT = "unmute:{}"
    PATTERN = re.compile(rf"unmute:{_ID}")
    collaborative_id: int


@dataclass(frozen=True)
class MutePoll(Action):
    """A reminder's Stop-reminding-me-about-this-poll button."""

    FORMAT = "mute-poll:{}"
    PATTERN = re.compile(rf"mute-poll:{_ID}")
    SUBJECT = Subject.POLL
    poll_id: int


@dataclass(frozen=True)
class Answer(Action):
    """A check-in run's scale button: question `question` (from 0) answered `value`."""

    FORMAT = "answer:{}:{}:{}"
    PATTERN = re.compile(rf"answer:{_ID}:(\d{{1,2}}):(\d{{1,2}})")
    SUBJECT = Subject.RUN  # also pressed in a private prompt (dialogs/checkins/own_time.py)
    run_id: int
    question: int
    value: int


@dataclass(frozen=True)
class _FormAction(Action):
    """A form of `FormKind` for the thing `ident` names (whose kind depends on the form)."""

    kind: FormKind
    ident: int

    @property
    def subject(self) -> Subject:
        return self.kind.subject

    @property
    def subject_id(self) -> int:
        return self.ident


@dataclass(frozen=True)
class RequestForm(_FormAction):
    """A button that opens one of the forms."""

    FORMAT = "form:{}:{}"
    PATTERN = re.compile(rf"form:({_FORM_KINDS}):{_ID}")


@dataclass(frozen=True)
class SubmitForm(_FormAction):
    """One of the forms, submitted."""

    FORMAT = "submit:{}:{}"
    PATTERN = re.compile(rf"submit:({_FORM_KINDS}):{_ID}")


@dataclass(frozen=True)
class SubmitPoll(Action):
    """The new-poll form as it was first sent, naming nothing: it counts only where a
    collaborative is linked (forms already sent still carry it)."""

    FORMAT = "submit:poll"
    PATTERN = re.compile("submit:poll")


@dataclass(frozen=True)
class SubmitPollIn(Action):
    """The new-poll form, submitted: it names the collaborative of the place it was opened
    from, so it also counts from a private place (Teams sends the form a typed `poll` asks
    for to the person's 1:1 chat with Concord, as it opens dialogs only from a click)."""

    FORMAT = "submit:poll:{}"
    PATTERN = re.compile(rf"submit:poll:{_ID}")
    SUBJECT = Subject.COLLABORATIVE
    collaborative_id: int


@dataclass(frozen=True)
class RequestPoll(Action):
    """Opens the new-poll form, as `poll` typed alone does (Teams' compose-box action)."""

    FORMAT = "form:poll"
    PATTERN = re.compile("form:poll")


@dataclass(frozen=True)
class EditGroups(Action):
    """The coordinators' button that opens a round's group editor."""

    FORMAT = "edit-groups:{}"
    PATTERN = re.compile(rf"edit-groups:{_ID}")
    SUBJECT = Subject.ROUND
    round_id: int


@dataclass(frozen=True)
class Merge(Action):
    """The group editor's choice: merge group `group_id` into group `into_id`."""

    FORMAT = "merge:{}:{}"
    PATTERN = re.compile(rf"merge:{_ID}:{_ID}")
    SUBJECT = Subject.GROUP
    group_id: int
    into_id: int


@dataclass(frozen=True)
class DraftChoice(Action):
    """A poll preview's Post, Split, Edit or Cancel button (only its author's click counts)."""

    FORMAT = "draft:{}:{}"
    PATTERN = re.compile(rf"draft:{_ID}:(post|split|edit|cancel)")
    SUBJECT = Subject.DRAFT
    draft_id: int
    choice: str


@dataclass(frozen=True)
class ReviewOutcome(Action):
    """A review's Still right, Change it or Drop it button (a coordinator's click counts)."""

    FORMAT = "review:{}:{}"
    PATTERN = re.compile(rf"review:{_ID}:(kept|changed|dropped)")
    review_id: int
    outcome: str


@dataclass(frozen=True)
class DeputyAnswer(Action):
    """Accept or Decline, on the private message asking someone to be a deputy."""

    FORMAT = "deputy:{}:{}"
    PATTERN = re.compile(rf"deputy:{_ID}:(accept|decline)")
    SUBJECT = Subject.DEPUTY
    deputy_id: int
    answer: str


@lru_cache(maxsize=4096)  # actions are immutable; a poll's few buttons are clicked many times
def parse(text: str) -> Action | None:
    """The action `text` spells, or None: too long, unknown, or not exactly a format."""
    if len(text) > MAX_ACTION_LENGTH:
        return None
    for kind in _PREFIXES.get(verb_of(text), ()):
        if (action := kind.decode(text)) is not None:
            return action
    return None


def verb_of(action: str) -> str:
    """An action's kind, the prefix before its first ":" (`vote`, `stance`, `form`, …): what
    a platform that routes clicks by verb (Teams' `Action.Execute`) carries beside it."""
    return action.partition(":")[0]


def read_id(text: str) -> int | None:
    """`text` (a form's choice, untrusted) as a row id, or None if no row can have it."""
    if not re.fullmatch(r"\d{1,10}", text, re.ASCII):
        return None
    return ident if (ident := int(text)) <= MAX_ID else None


def is_vote(text: str) -> bool:
    """A cheap first look for the vote-click fast path: does `text` claim to be a vote?
    (`parse` still decides whether it is one.)"""
    return text.startswith("vote:")


def opens_form(text: str) -> bool:
    """Does a button carrying `text` open a form (so a platform may open it as a dialog)?"""
    return isinstance(parse(text), RequestForm | ReasonForm | RequestPoll)


def _types(kind: type[Action]) -> tuple[Callable[[str], Any], ...]:
    if not kind._converters:
        hints = get_type_hints(kind)
        kind._converters = tuple(hints[field.name] for field in fields(kind))
    return kind._converters


# Every kind of action there is: the verbs a click may carry.
VERBS = frozenset(_PREFIXES)
