"""The shapes of the command grammar: a command's words (`Syntax`), its arguments (`Arg`) and
options (`Flag`), and what the parser makes of a line (`Command`).

The grammar itself, every command people can type, is `dialogs.commands.grammar.SYNTAX`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dialogs.core.language import _

if TYPE_CHECKING:
    from dialogs.core.turn import Turn

ROLE_NAMES = ("coordinator", "member", "observer")


@dataclass(frozen=True)
class Arg:
    name: str
    kind: str = "text"  # text | id | role | mention | code | when
    many: bool = False
    optional: bool = False
    placeholder: str = ""

    @property
    def shown(self) -> str:
        shown = _(self.placeholder) if self.placeholder else self.name.upper()
        if self.many:
            shown = f"{shown} {shown} …"
        return f"[{shown}]" if self.optional else shown


@dataclass(frozen=True)
class Flag:
    name: str
    kind: str  # switch | int | choice | duration | text | quorum | timezone | rule | mention
    choices: tuple[str, ...] = ()
    minimum: int = 1
    maximum: int = 1000
    placeholder: str = ""

    @property
    def shown(self) -> str:
        if self.kind == "switch":
            return f"[--{self.name}]"
        value = _(self.placeholder) if self.placeholder else "|".join(self.choices) or "N"
        return f"[--{self.name} {value}]"


@dataclass(frozen=True)
class Syntax:
    name: str
    words: tuple[str, ...]
    summary: str
    args: tuple[Arg, ...] = ()
    flags: tuple[Flag, ...] = ()
    who: str = "member"  # anyone | member | coordinator

    @property
    def usage(self) -> str:
        parts = [*self.words, *(a.shown for a in self.args), *(f.shown for f in self.flags)]
        return " ".join(parts)


@dataclass(frozen=True)
class Command:
    syntax: Syntax
    args: dict[str, Any] = field(default_factory=dict)
    flags: dict[str, Any] = field(default_factory=dict)
    unquoted: tuple[str, ...] = ()  # the arguments typed without quote marks
    text: str = ""  # what was typed

    @property
    def name(self) -> str:
        return self.syntax.name


# What carries out a command: each feature's `routes` module maps command names to these.
CommandHandler = Callable[["Turn", Command], None]  # i18n: not for readers
