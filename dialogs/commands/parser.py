"""Text to `Command`: the same words on every platform.

`parse(text)` turns what a person typed into a `Command` bound to its `SYNTAX`
entry, or raises `GrammarError` saying what was wrong and what to type instead.
Tokens are split here; each value is read by `values`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from dialogs.commands.grammar import SYNTAX
from dialogs.commands.languages import ALIASES
from dialogs.commands.syntax import ROLE_NAMES, Arg, Command, Flag, Syntax
from dialogs.commands.values import (
    GrammarError,
    clip,
    parse_count,
    parse_duration,
    parse_mention,
    parse_rule,
    parse_timezone,
)
from dialogs.core.events import MAX_COMMAND_LENGTH

# Phones and Teams turn straight quotes into typographic ones.
_QUOTE_MARKS = str.maketrans(
    {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"'}
)


# …and a typed `--` into a dash: "—closes friday" means `--closes friday`.
DASHES = "\u2012\u2013\u2014\u2015\u2212"  # what phones make of a typed "--"
_DASHED_FLAG = re.compile(rf"^[{DASHES}](?=[a-z])")


@dataclass(frozen=True)
class Token:
    text: str
    quoted: bool = False


_BY_WORDS = {s.words: s for s in SYNTAX}
_FIRST_WORDS = sorted({s.words[0] for s in SYNTAX})


def tokenize(text: str) -> list[Token]:
    """Split on white space, keeping "quoted text" together (typographic quotes too)."""
    if len(text) > MAX_COMMAND_LENGTH:
        raise GrammarError(
            f"That command is {len(text):,} characters long; the most Concord reads is "
            f"{MAX_COMMAND_LENGTH:,}.",
            "Shorten the question or options, or use `poll` alone to fill in a form.",
        )
    for position, char in enumerate(text):
        if char not in "\n\t" and unicodedata.category(char) == "Cc":
            raise GrammarError(
                f"That command contains an invisible control character (U+{ord(char):04X}) "
                f"at position {position + 1}.",
                "Type the command again without pasting it.",
            )
    text = text.translate(_QUOTE_MARKS)
    tokens: list[Token] = []
    for match in re.finditer(r'"([^"]*)"|"([^"]*)$|(\S+)', text):
        quoted, unclosed, bare = match.groups()
        if unclosed is not None:
            raise GrammarError(
                f'A quote mark opened before "{clip(unclosed, 30)}" is never closed.',
                'Put each question and option inside a pair of quotes, like "Lunch?" "Pizza".',
            )
        if bare is not None and '"' in bare:
            tokens.extend(_split_glued_quotes(bare))
        elif bare is not None:
            tokens.append(Token(_DASHED_FLAG.sub("--", bare)))
        else:
            tokens.append(Token(" ".join(quoted.split()), quoted=True))
    return tokens


def _split_glued_quotes(word: str) -> list[Token]:
    # `--closes"friday"` or `x"y` — a quote inside a word is almost always a typo.
    raise GrammarError(
        f"A quote mark is stuck to other text in `{clip(word, 40)}`.",
        "Leave a space before each opening quote mark.",
    )


def parse(text: str) -> Command:
    tokens = tokenize(text.strip())
    if tokens and tokens[0].text.lower() in ("/concord", "concord", "@concord"):
        tokens = tokens[1:]
    if not tokens:
        return Command(_BY_WORDS[("help",)])
    tokens[0] = _unaliased(tokens[0])
    syntax, rest = _match_syntax(tokens)
    return replace(_bind(syntax, rest), text=text.strip())


def _unaliased(token: Token) -> Token:
    """The command a Welsh word names (`cymorth` is `help`), else the word as typed."""
    word = unicodedata.normalize("NFC", token.text).lower()
    return token if token.quoted or word not in ALIASES else Token(ALIASES[word])


def _match_syntax(tokens: list[Token]) -> tuple[Syntax, list[Token]]:
    first = tokens[0].text
    # A quoted second word is text (`poll "list" …` asks about a list), never a subcommand.
    second = tokens[1].text.lower() if len(tokens) > 1 and not tokens[1].quoted else None
    third = tokens[2].text.lower() if len(tokens) > 2 and not tokens[2].quoted else None
    if (first.lower(), second, third) in _BY_WORDS:  # `poll series stop 2`
        return _BY_WORDS[(first.lower(), second, third)], tokens[3:]
    if (first.lower(), second) in _BY_WORDS:
        return _BY_WORDS[(first.lower(), second)], tokens[2:]
    family = [s for s in SYNTAX if s.words[0] == first.lower()]
    if second and (meant := _misspelt_subcommand(second, family)):
        asking = (first.lower(),) in _BY_WORDS  # `poll` alone asks a question
        raise GrammarError(
            f"`{first} {clip(second, 30)}` is not something `{first}` does.",
            f"Did you mean `{first} {meant}`?"
            + (" To ask a question, put it in quotes." if asking else ""),
        )
    if (first.lower(),) in _BY_WORDS:
        return _BY_WORDS[(first.lower(),)], tokens[1:]
    if family:
        typed = f"{first} {tokens[1].text}" if len(tokens) > 1 else first
        choices = " | ".join(dict.fromkeys(s.words[1] for s in family))
        raise GrammarError(
            f"`{clip(typed, 40)}` is not something `{first}` does.", f"Type `{first} {choices}`."
        )
    close = difflib.get_close_matches(first.lower(), _FIRST_WORDS, n=1)
    hint = f"Did you mean `{close[0]}`? " if close else ""
    raise GrammarError(
        f"Concord doesn't know the command `{clip(first, 40)}`.",
        hint + "Type `help` to see what you can do.",
    )


def _misspelt_subcommand(word: str, family: list[Syntax]) -> str | None:
    """The sub-command `word` is a slip for (`poll clsoe` → `close`), if it is close to one:
    otherwise `poll clsoe 1` would become a poll asking "clsoe"."""
    words = [s.words[1] for s in family if len(s.words) > 1]
    close = difflib.get_close_matches(word, words, n=1, cutoff=0.75)
    return close[0] if close and word not in words else None


def _bind(syntax: Syntax, tokens: list[Token]) -> Command:
    positional: list[Token] = []
    flags: dict[str, Any] = {}
    flag_specs = {f.name: f for f in syntax.flags}
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.quoted or not token.text.startswith("--"):
            positional.append(token)
            index += 1
            continue
        name, _, inline = token.text[2:].partition("=")
        spec = flag_specs.get(name.lower())
        if spec is None:
            known = ", ".join(f"--{f}" for f in flag_specs) or "no options"
            raise GrammarError(
                f"`{syntax.words[0]}` has no option `--{clip(name, 30)}`.",
                f"It takes {known}. Usage: `{syntax.usage}`",
            )
        if spec.name in flags:
            raise GrammarError(f"`--{spec.name}` is given twice.", f"Usage: `{syntax.usage}`")
        values, index = _flag_values(tokens, index + 1, inline)
        flags[spec.name] = _flag_value(syntax, spec, values)
    unquoted = tuple(t.text for t in positional if not t.quoted)
    return Command(syntax, _bind_args(syntax, positional), flags, unquoted)


def _flag_values(tokens: list[Token], index: int, inline: str) -> tuple[list[Token], int]:
    """A flag's value runs to the next `--option` (so `--closes friday 17:00` works)."""
    values = [Token(inline)] if inline else []
    while index < len(tokens) and (tokens[index].quoted or not tokens[index].text.startswith("--")):
        values.append(tokens[index])
        index += 1
    return values, index


def _flag_value(syntax: Syntax, spec: Flag, values: list[Token]) -> Any:
    usage = f"Usage: `{syntax.usage}`"
    if spec.kind == "switch":
        if values:
            raise GrammarError(
                f"`--{spec.name}` takes no value, but got `{clip(values[0].text, 30)}`.",
                "Put questions and options before the options that start with --.",
            )
        return True
    if not values:
        raise GrammarError(f"`--{spec.name}` needs a value.", usage)
    if spec.kind == "quorum":
        return _quorum(spec, values)
    if spec.kind == "rule":
        return parse_rule([v.text for v in values], f"--{spec.name}")
    if spec.kind == "mention":
        return parse_mention(_joined(values))
    if spec.kind in ("text", "duration"):
        joined = _joined(values)
        return parse_duration(joined, f"--{spec.name}") if spec.kind == "duration" else joined
    if len(values) > 1:
        raise GrammarError(
            f"`--{spec.name}` takes one value, but got `{clip(_joined(values), 40)}`.",
            "Put questions and options before the options that start with --. " + usage,
        )
    value = values[0].text
    if spec.kind == "int":
        return parse_count(value, f"--{spec.name}", spec.minimum, spec.maximum)
    if spec.kind == "timezone":
        return parse_timezone(value)
    if value.lower() not in spec.choices:
        raise GrammarError(
            f"`--{spec.name}` can't be `{clip(value, 30)}`.",
            f"Choose one of: {', '.join(spec.choices)}.",
        )
    return value.lower()


def _quorum(spec: Flag, values: list[Token]) -> dict[str, Any]:
    if values[0].text.lower() != "per-org" or len(values) > 2:
        raise GrammarError(
            "`--quorum` takes `per-org`, optionally with a number of voters.",
            "For example `--quorum per-org` or `--quorum per-org 2`.",
        )
    per_org = (
        1
        if len(values) == 1
        else parse_count(values[1].text, "--quorum per-org", spec.minimum, spec.maximum)
    )
    return {"per": "org", "minimum": per_org}


def _bind_args(syntax: Syntax, tokens: list[Token]) -> dict[str, Any]:
    bound: dict[str, Any] = {}
    remaining = list(tokens)
    for arg in syntax.args:
        if arg.many:  # poll options: emptiness and duplicates are judged by the poll itself
            bound[arg.name] = [t.text for t in remaining]
            remaining = []
        elif arg.kind == "mention" and remaining:
            # `@Dee Sharma` typed as plain text is one person, not two arguments.
            bound[arg.name] = _arg_value(syntax, arg, Token(_joined(remaining)))
            remaining = []
        elif remaining:
            bound[arg.name] = _arg_value(syntax, arg, remaining.pop(0))
        elif not arg.optional:
            raise GrammarError(
                f"`{' '.join(syntax.words)}` needs {arg.shown}.", f"Usage: `{syntax.usage}`"
            )
    if remaining:
        extra = " ".join(t.text for t in remaining)
        raise GrammarError(
            f"`{' '.join(syntax.words)}` got more than it takes: `{clip(extra, 40)}`.",
            f"Put text with spaces in quotes. Usage: `{syntax.usage}`",
        )
    return bound


def _number_of(syntax: Syntax) -> str:
    """What an id argument numbers, in words: "The poll number", "The check-in number"."""
    subject = {"checkin": "check-in", "decisions": "poll"}.get(syntax.words[0], syntax.words[0])
    return f"The {subject} number"


def _arg_value(syntax: Syntax, arg: Arg, token: Token) -> Any:
    value = token.text
    if arg.kind == "id":
        return parse_count(value.lstrip("#"), _number_of(syntax), 1, 10**9)
    if arg.kind == "role":
        if value.lower() not in ROLE_NAMES:
            raise GrammarError(
                f"`{clip(value, 30)}` is not a role.", f"Roles are {', '.join(ROLE_NAMES)}."
            )
        return value.lower()
    if arg.kind == "mention":
        return parse_mention(value)
    if arg.kind == "code":
        code = value.upper().replace("-", "")
        if not re.fullmatch(r"[A-Z0-9]{4,16}", code):
            raise GrammarError(
                f"`{clip(value, 30)}` doesn't look like a link code.",
                "Link codes are letters and digits, like `K7P-Q2M`.",
            )
        return code
    if not value.strip():
        raise GrammarError(f"{arg.shown} can't be empty.", "Put some text between the quotes.")
    return value


def _joined(tokens: list[Token]) -> str:
    return " ".join(t.text for t in tokens)
