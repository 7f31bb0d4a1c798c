"""Every kind of request Concord turns down, generated from its vocabularies rather than
picked by hand, for tests that read every refusal (tests/i18n/test_pseudo_locale.py).

From the grammar (`SYNTAX`): every command typed where no collaborative is, and by a member
with its words alone (missing what it needs, or a coordinator's), with every id naming
nothing, with a value no option takes, and with an option it doesn't have; a command
misspelt, and one too long. From the actions' formats: every verb naming nothing. From
what people were shown: every button clicked again once it no longer applies (a closed
poll, a finished round) or by someone it isn't for, and every form sent back empty.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import replace

from dialogs.commands.grammar import SYNTAX
from dialogs.commands.syntax import Syntax
from dialogs.core.actions import Action, parse
from dialogs.core.events import MAX_COMMAND_LENGTH
from tests.support.conversation import ASHA, BEN, NORTH, channel
from tests.support.scenarios import Seen, actions_of

NOTHING = 999_999  # an id no row has
ELSEWHERE = channel("elsewhere")  # a channel that is part of no collaborative
_WORDS = re.compile(r"[a-z](?:[a-z]|\\-)*")  # the words in an action's pattern


def ask_everything_refused(seen: Seen, locale: str) -> None:
    """Every request below, made in `seen`'s conversation (clicks first: the commands
    include a member's own `me forget`); where no collaborative is, by someone whose
    platform reports `locale`."""
    cards = list(seen.cards.values())
    for action in sorted({a for card in cards for a in actions_of(card)}):
        seen.act(BEN, action)
    for form in list(seen.forms.values()):
        seen.act(ASHA, form.action, {})
    for action in actions_naming_nothing():
        seen.act(BEN, action)
    for syntax in SYNTAX:
        if syntax.who != "anyone":
            seen.says(replace(ASHA, locale=locale), " ".join(syntax.words), ELSEWHERE)
    for typed in commands_refused():
        seen.says(BEN, typed, NORTH)


def commands_refused() -> list[str]:
    """Each command as a member might get it wrong, then one misspelt and one too long."""
    typed = [line for syntax in SYNTAX for line in _mistyped(syntax)]
    return [*dict.fromkeys(typed), "polll", "poll " + "x" * MAX_COMMAND_LENGTH]


def _mistyped(syntax: Syntax) -> Iterator[str]:
    words = " ".join(syntax.words)
    yield words
    ids = [str(NOTHING) for arg in syntax.args if arg.kind == "id"]
    if ids:
        yield " ".join([words, *ids])
    for flag in syntax.flags:
        if flag.kind != "switch":
            yield f"{words} --{flag.name} -1"
    yield f"{words} --nonsense"


def actions_naming_nothing() -> list[str]:
    """Every action format filled with ids no row has (each of its words in turn)."""
    found: list[str] = []
    for kind in _formats(Action):
        slots = kind.FORMAT.count("{}")
        words = [w.replace("\\-", "-") for w in _WORDS.findall(kind.PATTERN.pattern)]
        candidates = [str(NOTHING), "1", *dict.fromkeys(words)]
        for values in itertools.product(candidates, repeat=slots):
            text = kind.FORMAT.format(*values)
            if isinstance(parse(text), kind):
                found.append(text)
    return found


def _formats(kind: type[Action]) -> Iterator[type[Action]]:
    for sub in kind.__subclasses__():
        if "FORMAT" in sub.__dict__:
            yield sub
        yield from _formats(sub)
