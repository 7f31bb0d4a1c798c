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
from dialogs.core.language import N_, _

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
            _("That command is {length} characters long; the most Concord reads is {most}.").format(
                length=f"{len(text):,}", most=f"{MAX_COMMAND_LENGTH:,}"
            ),
            _("Shorten the question or options, or use `poll` alone to fill in a form."),
        )
    for position, char in enumerate(text):
        if char not in "\n\t" and unicodedata.category(char) == "Cc":  # i18n: not for readers
            raise GrammarError(
                _(
                    "That command contains an invisible control character ({code}) "
                    "at position {position}."
                ).format(code=f"U+{ord(char):04X}", position=position + 1),
                _("Type the command again without pasting it."),
            )
    text = text.translate(_QUOTE_MARKS)
    tokens: list[Token] = []
    for match in re.finditer(r'"([^"]*)"|"([^"]*)$|(\S+)', text):
        quoted, unclosed, bare = match.groups()
        if unclosed is not None:
            raise GrammarError(
                _('A quote mark opened before "{text}" is never closed.').format(
                    text=clip(unclosed, 30)
                ),
                _('Put each question and option inside a pair of quotes, like "Lunch?" "Pizza".'),
            )
        if bare is not None and '"' in bare:
            tokens.extend(_split_glued_quotes(bare))
        elif bare is not None:
            tokens.append(Token(_DASHED_FLAG.sub("--", bare)))
        else:
            tokens.append(Token(" ".join(quoted.split()), quoted=True))
    return tokens


def with_question(text: str, question: str) -> str:
    """`text`, a `poll` command, asking `question` instead, the rest as typed: its question
    is the first word or quoted text after `poll` (the command's options come after it)."""
    words = list(re.finditer(r'"[^"]*"|\S+', text.translate(_QUOTE_MARKS)))  # same length
    after_poll = next(n for n, word in enumerate(words) if word.group().lower() == "poll") + 1
    old = words[after_poll]
    return f'{text[: old.start()]}"{question}"{text[old.end() :]}'


def _split_glued_quotes(word: str) -> list[Token]:
    # `--closes"friday"` or `x"y` — a quote inside a word is almost always a typo.
    raise GrammarError(
        _("A quote mark is stuck to other text in `{text}`.").format(text=clip(word, 40)),
        _("Leave a space before each opening quote mark."),
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
        hint = _("Did you mean `{command}`?").format(command=f"{first} {meant}")
        if asking:
            hint = _("Did you mean `{command}`? To ask a question, put it in quotes.").format(
                command=f"{first} {meant}"
            )
        raise GrammarError(
            _("`{typed}` is not something `{command}` does.").format(
                typed=f"{first} {clip(second, 30)}", command=first
            ),
            hint,
        )
    if (first.lower(),) in _BY_WORDS:
        return _BY_WORDS[(first.lower(),)], tokens[1:]
    if family:
        typed = f"{first} {tokens[1].text}" if len(tokens) > 1 else first
        choices = " | ".join(dict.fromkeys(s.words[1] for s in family))
        raise GrammarError(
            _("`{typed}` is not something `{command}` does.").format(
                typed=clip(typed, 40), command=first
            ),
            _("Type `{command}`.").format(command=f"{first} {choices}"),
        )
    close = difflib.get_close_matches(first.lower(), _FIRST_WORDS, n=1)
    hint = (
        _("Did you mean `{command}`? Type `help` to see what you can do.").format(command=close[0])
        if close
        else _("Type `help` to see what you can do.")
    )
    raise GrammarError(
        _("Concord doesn't know the command `{command}`.").format(command=clip(first, 40)), hint
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
        name, __, inline = token.text[2:].partition("=")
        spec = flag_specs.get(name.lower())
        if spec is None:
            known = ", ".join(f"--{f}" for f in flag_specs)
            usage = syntax.usage
            raise GrammarError(
                _("`{command}` has no option `{option}`.").format(
                    command=syntax.words[0], option=f"--{clip(name, 30)}"
                ),
                _("It takes {options}. Usage: `{usage}`").format(options=known, usage=usage)
                if known
                else _("It takes no options. Usage: `{usage}`").format(usage=usage),
            )
        if spec.name in flags:
            raise GrammarError(
                _("`{option}` is given twice.").format(option=f"--{spec.name}"),
                _("Usage: `{usage}`").format(usage=syntax.usage),
            )
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
    usage = _("Usage: `{usage}`").format(usage=syntax.usage)
    option = f"--{spec.name}"
    if spec.kind == "switch":
        if values:
            raise GrammarError(
                _("`{option}` takes no value, but got `{value}`.").format(
                    option=option, value=clip(values[0].text, 30)
                ),
                _("Put questions and options before the options that start with --."),
            )
        return True
    if not values:
        raise GrammarError(_("`{option}` needs a value.").format(option=option), usage)
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
            _("`{option}` takes one value, but got `{value}`.").format(
                option=option, value=clip(_joined(values), 40)
            ),
            _(
                "Put questions and options before the options that start with --. Usage: `{usage}`"
            ).format(usage=syntax.usage),
        )
    value = values[0].text
    if spec.kind == "int":
        return parse_count(value, f"--{spec.name}", spec.minimum, spec.maximum)
    if spec.kind == "timezone":
        return parse_timezone(value)
    if value.lower() not in spec.choices:
        raise GrammarError(
            _("`{option}` can't be `{value}`.").format(option=option, value=clip(value, 30)),
            _("Choose one of: {choices}.").format(choices=", ".join(spec.choices)),
        )
    return value.lower()


def _quorum(spec: Flag, values: list[Token]) -> dict[str, Any]:
    if values[0].text.lower() != "per-org" or len(values) > 2:
        raise GrammarError(
            _("`--quorum` takes `per-org`, optionally with a number of voters."),
            _("For example `--quorum per-org` or `--quorum per-org 2`."),
        )
    what = "--quorum per-org"  # i18n: not for readers
    per_org = (
        1 if len(values) == 1 else parse_count(values[1].text, what, spec.minimum, spec.maximum)
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
                _("`{command}` needs {argument}.").format(
                    command=" ".join(syntax.words), argument=arg.shown
                ),
                _("Usage: `{usage}`").format(usage=syntax.usage),
            )
    if remaining:
        extra = " ".join(t.text for t in remaining)
        raise GrammarError(
            _("`{command}` got more than it takes: `{extra}`.").format(
                command=" ".join(syntax.words), extra=clip(extra, 40)
            ),
            _("Put text with spaces in quotes. Usage: `{usage}`").format(usage=syntax.usage),
        )
    return bound


_NUMBERS = {
    "checkin": N_("The check-in number"),
    "decisions": N_("The poll number"),
    "poll": N_("The poll number"),
    "vote": N_("The vote number"),
}


def _number_of(syntax: Syntax) -> str:
    """What an id argument numbers, in words: "The poll number", "The check-in number"."""
    return _(_NUMBERS[syntax.words[0]])


def _arg_value(syntax: Syntax, arg: Arg, token: Token) -> Any:
    value = token.text
    if arg.kind == "id":
        return parse_count(value.lstrip("#"), _number_of(syntax), 1, 10**9)
    if arg.kind == "role":
        if value.lower() not in ROLE_NAMES:
            raise GrammarError(
                _("`{value}` is not a role.").format(value=clip(value, 30)),
                _("Roles are {roles}.").format(roles=", ".join(ROLE_NAMES)),
            )
        return value.lower()
    if arg.kind == "mention":
        return parse_mention(value)
    if arg.kind == "code":
        code = value.upper().replace("-", "")
        if not re.fullmatch(r"[A-Z0-9]{4,16}", code):
            raise GrammarError(
                _("`{value}` doesn't look like a link code.").format(value=clip(value, 30)),
                _("Link codes are letters and digits, like `K7P-Q2M`."),
            )
        return code
    if not value.strip():
        raise GrammarError(
            _("{argument} can't be empty.").format(argument=arg.shown),
            _("Put some text between the quotes."),
        )
    return value


def _joined(tokens: list[Token]) -> str:
    return " ".join(t.text for t in tokens)
