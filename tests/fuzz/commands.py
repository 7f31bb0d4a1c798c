"""Generated commands, clicks and form values, from the engine's own vocabulary.

Commands are built from the grammar (`dialogs.commands.grammar.SYNTAX`): a command's words,
then arguments and flags of that command (or of another), with values that are right,
nearly right, or hostile. Clicks are every action format (`dialogs.core.actions`) with ids
that exist, ids that don't and ids past what a database integer holds.
"""

from __future__ import annotations

from hypothesis import strategies as st

from dialogs.commands.grammar import SYNTAX
from dialogs.commands.syntax import ROLE_NAMES, Flag
from dialogs.core import actions
from dialogs.core.actions import Action, FormKind
from dialogs.core.poll_types import STANCES
from tests.fuzz.text import NUMBERS, fragments, huge, mixed

WORDS = sorted({word for syntax in SYNTAX for word in syntax.words} | {"settings", "member"})
FLAGS = sorted({flag for syntax in SYNTAX for flag in syntax.flags}, key=lambda f: f.name)
VALUES = (
    "in 2 hours",
    "friday 17:00",
    "tomorrow noon",
    "31/02/2027",
    "in 99999999999 days",
    "Europe",
    "Europe/London",
    "Mars/Olympus",
    "../../etc/passwd",
    "per-org",
    "per-org 3",
    "orgs",
    "3d",
    "0",
    *ROLE_NAMES,
    *STANCES,
)
IDS = (0, 1, 2, 3, 5, 2**31 - 1, 2**31, 2**63, 10**11, 10**12 - 1)
FIELDS = (
    "question",
    "options",
    "option",
    "description",
    "closes",
    "reason",
    "harm",
    "resolve",
    "questions",
    "statement",
    "title",
    "to",
    "move",
    "draft",
    "type",
    "results",
    "remind",
    "quorum",
    "max",
    "dots",
    "anonymous",
    "open-options",
    "balance",
    "objections",
    *(f"{prefix}{n}" for prefix in ("rank", "score", "dots", "prompt", "q") for n in (0, 1, 9)),
)


def plain_values() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(VALUES), st.sampled_from(NUMBERS), mixed())


def quoted(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return text.map(lambda t: f'"{t}"')


def flag(item: Flag) -> st.SearchStrategy[str]:
    if item.kind == "switch":
        return st.just(f"--{item.name}")
    value = st.sampled_from(item.choices) if item.choices else plain_values()
    return st.one_of(value, quoted(value)).map(lambda v: f"--{item.name} {v}")


def token() -> st.SearchStrategy[str]:
    """One more thing typed after the command's words."""
    return st.one_of(
        quoted(mixed()),
        plain_values(),
        st.sampled_from(FLAGS).flatmap(flag),
        st.sampled_from(WORDS),
        st.sampled_from(("--", "—closes", '"', '""', "“unclosed", "@", "<@U1|x>")),
    )


@st.composite
def commands(draw: st.DrawFn) -> str:
    """A command as someone might type it."""
    syntax = draw(st.sampled_from(SYNTAX))
    own = [flag(f) for f in syntax.flags]
    rest = st.one_of(token(), *own) if own else token()
    tokens = draw(st.lists(rest, max_size=6))
    text = " ".join([*syntax.words, *tokens])
    damage = draw(st.integers(0, 9))  # mostly as built; sometimes shouted, huge or noise
    if damage < 3:
        return (text.upper(), draw(huge()), draw(mixed(6)))[damage]
    return text


def ids() -> st.SearchStrategy[int]:
    return st.one_of(st.sampled_from(IDS), st.integers(min_value=0, max_value=10**13))


def encoded() -> st.SearchStrategy[str]:
    """A well-formed action of every kind, naming generated ids."""
    stances = st.sampled_from(STANCES)
    forms = st.sampled_from(FormKind)
    choices = st.sampled_from(("post", "edit", "cancel"))
    kinds = (
        (actions.Vote, ids(), ids()),
        (actions.Stance, ids(), stances),
        (actions.ReasonForm, ids(), stances),
        (actions.ReasonSubmit, ids(), stances),
        (actions.ClosePoll, ids()),
        (actions.Mute, ids()),
        (actions.Unmute, ids()),
        (actions.MutePoll, ids()),
        (actions.Answer, ids(), ids(), st.integers(0, 99)),
        (actions.RequestForm, forms, ids()),
        (actions.SubmitForm, forms, ids()),
        (actions.SubmitPoll,),
        (actions.EditGroups, ids()),
        (actions.Merge, ids(), ids()),
        (actions.DraftChoice, ids(), choices),
    )
    return st.one_of(*(st.builds(kind, *fields).map(Action.encode) for kind, *fields in kinds))


def action_ids() -> st.SearchStrategy[str]:
    """What a button could send back: a real format, a damaged one, or anything."""
    return st.one_of(encoded(), encoded().map(lambda a: a + "\x00"), mixed(), huge())


def form_values() -> st.SearchStrategy[dict[str, str | list[str]]]:
    value = st.one_of(
        plain_values(),
        huge(),
        st.lists(plain_values(), max_size=5),
        st.just(""),
        st.just([]),
    )
    key = st.one_of(st.sampled_from(FIELDS), fragments())
    return st.dictionaries(key, value, max_size=6)


def poll_forms() -> st.SearchStrategy[dict[str, str | list[str]]]:
    """The new-poll form filled in well enough to make a poll, with hostile text in it."""
    options = st.lists(mixed(3).filter(str.strip), min_size=2, max_size=5).map("\n".join)
    return st.fixed_dictionaries(
        {"question": mixed(3).map(lambda q: q + "?"), "options": options},
        optional={"description": mixed(), "type": st.sampled_from(("single", "multi", "ranked"))},
    )
