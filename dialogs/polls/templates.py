"""Poll templates: the built-in ones, as data, and a collaborative's own (`PollTemplate`).

A template is the new-poll form's fields filled in (`dialogs.polls.start`), so a poll from
a template is checked and created by exactly the rules of any other poll. A template that
leaves the question (or the options) to the coordinator opens the form filled in; one
that is complete can post at once (`dialogs.polls.copies`).

Why the quarterly health check is a score poll: a check on how a partnership works asks
several things at once, and each deserves its own answer and its own trend, quarter to
quarter. A score poll takes 0 to 5 for every statement (the check-ins' scale questions in
one ballot), and its result is each statement's average, which nobody can read as one
statement "winning" over another. It is anonymous, and shows results after it closes, so
that nobody answers to match their partners.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlmodel import Session, col, select

from dialogs.core import readable
from dialogs.core.language import N_, _
from dialogs.core.turn import Refusal
from storage.models import Collaborative, PollTemplate

MAX_NAME = 60
MAX_SAVED = 50  # a collaborative's own templates; the form's list stays short enough to read


@dataclass(frozen=True)
class Template:
    """A built-in template's words are marked `N_()` and read through `title`, `about`,
    `filled()` and `hint` in the language of the turn; a collaborative's own (`own`) are
    its coordinators' words, as typed. `name` stays the English one, for the form's choice."""

    name: str
    summary: str  # one line, shown in `poll template list`
    values: dict[str, str]  # the new-poll form's fields
    prompt: str = ""  # the question's placeholder, when the coordinator gives the question
    own: bool = False

    @property
    def title(self) -> str:
        return self.name if self.own else _(self.name)

    @property
    def about(self) -> str:
        return self.summary if self.own else _(self.summary)

    @property
    def hint(self) -> str:
        return self.prompt if self.own or not self.prompt else _(self.prompt)

    def filled(self) -> dict[str, str]:
        """The form's fields, a built-in template's question and options translated."""
        if self.own:
            return dict(self.values)
        worded = {name: _(self.values[name]) for name in _WORDED if self.values.get(name)}
        return {**self.values, **worded}

    def called(self, name: str) -> bool:
        """Whether `name` is this template's (any capitals; a built-in one in either language)."""
        return key(name) in {key(self.name), key(self.title)}


_WORDED = ("question", "options")  # a built-in template's fields that are words for people


def needs(values: dict[str, str]) -> str:
    """What the coordinator must still give before a poll can post ("" when nothing)."""
    if not values.get("question"):
        return "question"
    if values.get("type") != "consent" and not values.get("options"):
        return "options"
    return ""


BUILT_IN: tuple[Template, ...] = (
    Template(
        N_("Yes / no / abstain"),
        N_("One choice of Yes, No or Abstain, for a plain decision; you give the question."),
        {"type": "single", "options": N_("Yes\nNo\nAbstain")},
        N_("Should we share one discharge coordinator across the three trusts?"),
    ),
    Template(
        N_("Agreement scale"),
        N_(
            "Five points from Strongly agree to Strongly disagree with a neutral middle, and "
            "“Don't know” kept apart from that middle; you give the statement."
        ),
        {
            "type": "single",
            "options": N_(
                "Strongly agree\nAgree\nNeither agree nor disagree\nDisagree\n"
                "Strongly disagree\nDon't know"
            ),
        },
        N_("Our shared waiting-list work is making a difference to patients."),
    ),
    Template(
        N_("Consent proposal"),
        N_(
            "A proposal people consent to, can live with, object to or block (no objections "
            "allowed); you give the proposal."
        ),
        {"type": "consent", "objections": "0"},
        N_("We adopt the shared discharge protocol from 1 March."),
    ),
    Template(
        N_("Dot-vote priorities"),
        N_("Everyone spreads 5 dots over the priorities you list, for a shortlist by weight."),
        {"type": "dots", "dots": "5", "question": N_("Where should we put our effort this year?")},
    ),
    Template(
        N_("Meeting time"),
        N_("Several choices over the times you give: people tick every time they can make."),
        {"type": "multi", "question": N_("Which of these times can you make?")},
    ),
    Template(
        N_("Quarterly partnership health check"),
        N_(
            "Each partner scores five statements about how the partnership worked this quarter "
            "from 0 (not at all) to 5 (completely); anonymous, results after it closes."
        ),
        {
            "type": "score",
            "question": N_(
                "How well did our partnership work this quarter? "
                "Score each statement from 0 (not at all) to 5 (completely)."
            ),
            "options": N_(
                "We agreed clear priorities and kept to them\n"
                "Every organisation's voice was heard in our decisions\n"
                "Information reached us in time to act on it\n"
                "What we decided together was carried out\n"
                "Working together saved my organisation time or money"
            ),
            "anonymous": "yes",
            "results": "after-close",
        },
    ),
)


def key(name: str) -> str:
    """A template's name as compared: capitals, spacing and look-alike letters don't make a
    new name."""
    return readable.key(readable.tidy(name))


def saved(session: Session, collaborative: Collaborative) -> list[PollTemplate]:
    """The collaborative's own templates, by name."""
    return list(
        session.exec(
            select(PollTemplate)
            .where(PollTemplate.collaborative_id == collaborative.id)
            .order_by(col(PollTemplate.name_key))
        ).all()
    )


def every(session: Session, collaborative: Collaborative) -> list[Template]:
    """The built-in templates, then the collaborative's own."""
    own = [
        Template(
            t.name,
            _("Saved from poll #{number}.").format(number=t.saved_from),
            dict(t.values),
            own=True,
        )
        for t in saved(session, collaborative)
    ]
    return [*BUILT_IN, *own]


def find(session: Session, collaborative: Collaborative, name: str) -> Template:
    """The template called `name` here (any capitals), or a refusal naming the nearest."""
    templates = every(session, collaborative)
    found = next((t for t in templates if t.called(name)), None)
    if found is None:
        raise unknown(name, [t.title for t in templates])
    return found


def unknown(name: str, names: list[str]) -> Refusal:
    """No template is called `name`: the refusal suggests the nearest of `names`."""
    by_key = {key(n): n for n in names}
    near = difflib.get_close_matches(key(name), list(by_key), n=3, cutoff=0.5)
    said = _(" or ").join(f"“{by_key[n]}”" for n in near)
    return Refusal(
        _("There is no poll template called “{name}”.").format(name=readable.tidy(name)[:MAX_NAME]),
        _("Did you mean {names}? `poll template list` shows them all.").format(names=said)
        if near
        else _("`poll template list` shows them all."),
    )
