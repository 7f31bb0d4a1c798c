"""An edit of a poll in words ("option “B” reworded as “Bee”"), and what votes fix: once
anyone has voted, nothing in `FIXED_BY_VOTES` may change, nor may an option go."""

from __future__ import annotations

from dialogs.core.language import N_, _
from dialogs.core.turn import Refusal
from dialogs.polls.setup import PollSpec
from storage.models import Poll

# What a vote fixes, as people call it: none of these changes once anyone has voted.
FIXED_BY_VOTES = {
    "type": N_("the type of poll"),
    "anonymous": N_("anonymity"),
    "results": N_("when results are shown"),
    "balance": N_("the organisation balance"),
    "quorum": N_("the quorum"),
    "max": N_("the number of choices"),
    "dots": N_("the dots each"),
    "objections": N_("the objections allowed"),
    "open-options": N_("whether members may add options"),
    "rule": N_("the rule for every organisation"),
    "rule-percent": N_("the share every organisation must reach"),
    "mode": N_("how it decides"),
    "decider": N_("who decides"),
}
AFTER_VOTES = N_(
    "After the first vote, only the wording of the question and options, the description, "
    "and new options can change. To ask differently, close it and start a new poll."
)


def refuse_what_votes_fix(poll: Poll, spec: PollSpec, before: list[str]) -> None:
    """Refuse a change to anything the votes cast so far fix."""
    now_set = {"type": spec.type, **spec.settings}
    was_set = {"type": poll.type, **poll.settings}
    for name, said_as in FIXED_BY_VOTES.items():
        if now_set.get(name) != was_set.get(name):
            raise Refusal(
                _("People have voted in poll #{number}, so {setting} can't change.").format(
                    number=poll.number, setting=_(said_as)
                ),
                _(AFTER_VOTES),
            )
    if len(spec.options) < len(before):
        raise Refusal(
            _("People have voted in poll #{number}, so its options can't be removed.").format(
                number=poll.number
            ),
            _(AFTER_VOTES),
        )


def changes_in_words(poll: Poll, before: list[str], spec: PollSpec) -> list[str]:
    """The changes in words: "option “B” reworded as “Bee”"."""
    changes = (
        [_("question reworded as “{question}”").format(question=spec.question)]
        if spec.question != poll.question
        else []
    )
    changes += [
        _("option “{old}” reworded as “{new}”").format(old=old, new=new)
        for old, new in zip(before, spec.options, strict=False)
        if old != new
    ]
    changes += [
        _("option “{label}” added").format(label=label) for label in spec.options[len(before) :]
    ]
    changes += [
        _("option “{label}” removed").format(label=label) for label in before[len(spec.options) :]
    ]
    if spec.description != poll.description:
        changes.append(
            _("description removed") if not spec.description else _("description changed")
        )
    now_set, was_set = {"type": spec.type, **spec.settings}, {"type": poll.type, **poll.settings}
    changes += [
        _("{setting} changed").format(setting=_(said_as))
        for name, said_as in FIXED_BY_VOTES.items()
        if now_set.get(name) != was_set.get(name)
    ]
    return changes
