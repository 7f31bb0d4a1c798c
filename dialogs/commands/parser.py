"""The command grammar: the same words on every platform.

`parse(text)` turns what a person typed into a `Command` or raises
`GrammarError` saying what was wrong and what to type instead. The grammar is
data (`SYNTAX`), so help, usage lines and the parser can never disagree.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dialogs.core.events import MAX_COMMAND_LENGTH

ROLE_NAMES = ("coordinator", "member", "observer")
POLL_TYPES = ("single", "multi", "ranked", "score", "dots", "consent")
RESULT_VISIBILITY = ("live", "after-vote", "after-close")

# Phones and Teams turn straight quotes into typographic ones.
_QUOTE_MARKS = str.maketrans(
    {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"'}
)


class GrammarError(ValueError):
    """What was wrong with a command, and what to type instead."""

    def __init__(self, problem: str, hint: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.hint = hint


@dataclass(frozen=True)
class Token:
    text: str
    quoted: bool = False


@dataclass(frozen=True)
class Arg:
    name: str
    kind: str = "text"  # text | id | role | mention | code | when
    many: bool = False
    optional: bool = False
    placeholder: str = ""

    @property
    def shown(self) -> str:
        shown = self.placeholder or self.name.upper()
        if self.many:
            shown = f"{shown} {shown} …"
        return f"[{shown}]" if self.optional else shown


@dataclass(frozen=True)
class Flag:
    name: str
    kind: str  # switch | int | choice | duration | text | quorum | timezone
    choices: tuple[str, ...] = ()
    minimum: int = 1
    maximum: int = 1000
    placeholder: str = ""

    @property
    def shown(self) -> str:
        if self.kind == "switch":
            return f"[--{self.name}]"
        value = self.placeholder or ("|".join(self.choices) if self.choices else "N")
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

    @property
    def name(self) -> str:
        return self.syntax.name


_POLL_FLAGS = (
    Flag("type", "choice", POLL_TYPES),
    Flag("max", "int", maximum=20),
    Flag("dots", "int", maximum=100),
    Flag("anonymous", "switch"),
    Flag("results", "choice", RESULT_VISIBILITY),
    Flag("closes", "text", placeholder="WHEN"),
    Flag("remind", "duration", placeholder="DURATION"),
    Flag("balance", "choice", ("orgs",)),
    Flag("quorum", "quorum", placeholder="per-org [K]", maximum=50),
    Flag("open-options", "switch"),
    Flag("objections", "int", minimum=0, maximum=100),
)

SYNTAX: tuple[Syntax, ...] = (
    Syntax("help", ("help",), "show what you can do here", who="anyone"),
    Syntax(
        "setup",
        ("setup",),
        "start a collaborative in this channel",
        (Arg("name", placeholder='"Collaborative name"'),),
        (Flag("timezone", "timezone", placeholder="Europe/London"),),
        who="anyone",
    ),
    Syntax(
        "link",
        ("link",),
        "show a one-time code to link another channel, or join this one with a code",
        (Arg("code", "code", optional=True, placeholder="CODE"),),
        who="anyone",
    ),
    Syntax(
        "org.add",
        ("org", "add"),
        "add an organisation",
        (Arg("name", placeholder='"Name"'),),
        who="coordinator",
    ),
    Syntax(
        "org.join",
        ("org", "join"),
        "say which organisation you belong to",
        (Arg("name", placeholder='"Name"'),),
    ),
    Syntax("org.list", ("org", "list"), "list the organisations and their members"),
    Syntax(
        "role",
        ("role",),
        "give someone a role",
        (
            Arg("role", "role", placeholder="coordinator|member|observer"),
            Arg("person", "mention", placeholder="@person"),
        ),
        who="coordinator",
    ),
    Syntax("poll.list", ("poll", "list"), "list the polls"),
    Syntax(
        "poll.close",
        ("poll", "close"),
        "close a poll now",
        (Arg("id", "id", placeholder="ID"),),
        who="coordinator",
    ),
    Syntax(
        "poll.results",
        ("poll", "results"),
        "show a poll's results",
        (Arg("id", "id", placeholder="ID"),),
    ),
    Syntax(
        "poll.export",
        ("poll", "export"),
        "export a poll's ballots as CSV",
        (Arg("id", "id", placeholder="ID"),),
        who="coordinator",
    ),
    Syntax(
        "poll",
        ("poll",),
        "start a poll (with no arguments: open a form)",
        (
            Arg("question", optional=True, placeholder='"Question?"'),
            Arg("options", many=True, optional=True, placeholder='"Option"'),
        ),
        _POLL_FLAGS,
        who="coordinator",
    ),
    Syntax(
        "purpose.start",
        ("purpose", "start"),
        "start a purpose round",
        (),
        (Flag("gather", "duration", placeholder="DURATION"), Flag("shortlist", "int", maximum=7)),
        who="coordinator",
    ),
    Syntax("purpose.status", ("purpose", "status"), "show where the purpose round is"),
    Syntax(
        "purpose.next",
        ("purpose", "next"),
        "move the purpose round to its next stage",
        who="coordinator",
    ),
    Syntax("purpose.show", ("purpose", "show"), "show the adopted purpose"),
    Syntax(
        "checkin.add",
        ("checkin", "add"),
        "schedule a recurring check-in",
        (Arg("recurrence", placeholder='"every monday 09:00"'),),
        (Flag("window", "duration", placeholder="DURATION"),),
        who="coordinator",
    ),
    Syntax("checkin.list", ("checkin", "list"), "list the check-ins"),
    Syntax(
        "checkin.stop",
        ("checkin", "stop"),
        "stop a check-in",
        (Arg("id", "id", placeholder="ID"),),
        who="coordinator",
    ),
    Syntax(
        "checkin.now",
        ("checkin", "now"),
        "run a check-in now",
        (Arg("id", "id", placeholder="ID"),),
        who="coordinator",
    ),
    Syntax(
        "checkin.skip",
        ("checkin", "skip"),
        "skip the check-ins on one date",
        (Arg("date", "when", placeholder="DATE"),),
        who="coordinator",
    ),
    Syntax(
        "decisions",
        ("decisions",),
        "show the decision log",
        (),
        (Flag("export", "choice", ("csv", "md")),),
    ),
    Syntax(
        "me.link",
        ("me", "link"),
        "show a one-time code, or type it on your other platform: one member, one vote",
        (Arg("code", "code", optional=True, placeholder="CODE"),),
    ),
    Syntax("me.export", ("me", "export"), "get a copy of what Concord holds about you"),
    Syntax("me.forget", ("me", "forget"), "remove what Concord holds about you"),
)

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
                f'A quote mark opened before "{_clip(unclosed, 30)}" is never closed.',
                'Put each question and option inside a pair of quotes, like "Lunch?" "Pizza".',
            )
        if bare is not None and '"' in bare:
            tokens.extend(_split_glued_quotes(bare))
        elif bare is not None:
            tokens.append(Token(bare))
        else:
            tokens.append(Token(" ".join(quoted.split()), quoted=True))
    return tokens


def _split_glued_quotes(word: str) -> list[Token]:
    # `--closes"friday"` or `x"y` — a quote inside a word is almost always a typo.
    raise GrammarError(
        f"A quote mark is stuck to other text in `{_clip(word, 40)}`.",
        "Leave a space before each opening quote mark.",
    )


def parse(text: str) -> Command:
    tokens = tokenize(text.strip())
    if tokens and tokens[0].text.lower() in ("/concord", "concord", "@concord"):
        tokens = tokens[1:]
    if not tokens:
        return Command(_BY_WORDS[("help",)])
    syntax, rest = _match_syntax(tokens)
    return _bind(syntax, rest)


def _match_syntax(tokens: list[Token]) -> tuple[Syntax, list[Token]]:
    first = tokens[0].text
    # A quoted second word is text (`poll "list" …` asks about a list), never a subcommand.
    second = tokens[1].text.lower() if len(tokens) > 1 and not tokens[1].quoted else None
    if (first.lower(), second) in _BY_WORDS:
        return _BY_WORDS[(first.lower(), second)], tokens[2:]
    if (first.lower(),) in _BY_WORDS:
        return _BY_WORDS[(first.lower(),)], tokens[1:]
    family = [s for s in SYNTAX if s.words[0] == first.lower()]
    if family:
        typed = f"{first} {tokens[1].text}" if len(tokens) > 1 else first
        choices = " | ".join(s.words[1] for s in family)
        raise GrammarError(
            f"`{_clip(typed, 40)}` is not something `{first}` does.", f"Type `{first} {choices}`."
        )
    close = difflib.get_close_matches(first.lower(), _FIRST_WORDS, n=1)
    hint = f"Did you mean `{close[0]}`? " if close else ""
    raise GrammarError(
        f"Concord doesn't know the command `{_clip(first, 40)}`.",
        hint + "Type `help` to see what you can do.",
    )


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
                f"`{syntax.words[0]}` has no option `--{_clip(name, 30)}`.",
                f"It takes {known}. Usage: `{syntax.usage}`",
            )
        if spec.name in flags:
            raise GrammarError(f"`--{spec.name}` is given twice.", f"Usage: `{syntax.usage}`")
        values, index = _flag_values(tokens, index + 1, inline)
        flags[spec.name] = _flag_value(syntax, spec, values)
    return Command(syntax, _bind_args(syntax, positional), flags)


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
                f"`--{spec.name}` takes no value, but got `{_clip(values[0].text, 30)}`.",
                "Put questions and options before the options that start with --.",
            )
        return True
    if not values:
        raise GrammarError(f"`--{spec.name}` needs a value.", usage)
    if spec.kind == "quorum":
        return _quorum(spec, values)
    if spec.kind in ("text", "duration"):
        joined = _joined(values)
        return parse_duration(joined, f"--{spec.name}") if spec.kind == "duration" else joined
    if len(values) > 1:
        raise GrammarError(
            f"`--{spec.name}` takes one value, but got `{_clip(_joined(values), 40)}`.",
            "Put questions and options before the options that start with --. " + usage,
        )
    value = values[0].text
    if spec.kind == "int":
        return parse_count(value, f"--{spec.name}", spec.minimum, spec.maximum)
    if spec.kind == "timezone":
        return parse_timezone(value)
    if value.lower() not in spec.choices:
        raise GrammarError(
            f"`--{spec.name}` can't be `{_clip(value, 30)}`.",
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
            bound[arg.name] = _arg_value(arg, Token(_joined(remaining)))
            remaining = []
        elif remaining:
            bound[arg.name] = _arg_value(arg, remaining.pop(0))
        elif not arg.optional:
            raise GrammarError(
                f"`{' '.join(syntax.words)}` needs {arg.shown}.", f"Usage: `{syntax.usage}`"
            )
    if remaining:
        extra = " ".join(t.text for t in remaining)
        raise GrammarError(
            f"`{' '.join(syntax.words)}` got more than it takes: `{_clip(extra, 40)}`.",
            f"Put text with spaces in quotes. Usage: `{syntax.usage}`",
        )
    return bound


def _arg_value(arg: Arg, token: Token) -> Any:
    value = token.text
    if arg.kind == "id":
        return parse_count(value.lstrip("#"), arg.placeholder or arg.name, 1, 10**9)
    if arg.kind == "role":
        if value.lower() not in ROLE_NAMES:
            raise GrammarError(
                f"`{_clip(value, 30)}` is not a role.", f"Roles are {', '.join(ROLE_NAMES)}."
            )
        return value.lower()
    if arg.kind == "mention":
        return parse_mention(value)
    if arg.kind == "code":
        code = value.upper().replace("-", "")
        if not re.fullmatch(r"[A-Z0-9]{4,16}", code):
            raise GrammarError(
                f"`{_clip(value, 30)}` doesn't look like a link code.",
                "Link codes are letters and digits, like `K7P-Q2M`.",
            )
        return code
    if not value.strip():
        raise GrammarError(f"{arg.shown} can't be empty.", "Put some text between the quotes.")
    return value


def parse_mention(value: str) -> dict[str, str]:
    """`<@U123>` (platform mentions, as adapters pass them) or `@Display Name`."""
    match = re.fullmatch(r"<@([^<>|\s]+)(?:\|[^<>]*)?>", value)
    if match:
        return {"user_id": match.group(1)}
    name = value[1:] if value.startswith("@") else value
    if not name.strip():
        raise GrammarError("Say who, with an @mention.", "For example `role observer @Sam`.")
    return {"name": name.strip()}


def parse_count(value: str, what: str, minimum: int, maximum: int) -> int:
    if not re.fullmatch(r"\d{1,9}", value):
        raise GrammarError(
            f"{what} needs a whole number, not `{_clip(value, 30)}`.",
            f"Use a number from {minimum} to {maximum}.",
        )
    number = int(value)
    if not minimum <= number <= maximum:
        raise GrammarError(f"{what} must be from {minimum} to {maximum}, not {number}.")
    return number


_DURATION_UNITS = {
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "w": 604800,
    "week": 604800,
    "weeks": 604800,
}
MAX_DURATION_SECONDS = 90 * 86400


def parse_duration(value: str, what: str = "The duration") -> int:
    """`24h`, `1h30m`, `3 days`, `2 weeks` → seconds (one minute to 90 days)."""
    compact = value.lower().replace(" ", "")
    parts = re.findall(r"(\d+)([a-z]+)", compact)
    if (
        not parts
        or "".join(n + u for n, u in parts) != compact
        or any(u not in _DURATION_UNITS for _, u in parts)
    ):
        raise GrammarError(
            f"{what} `{_clip(value, 30)}` isn't a length of time.",
            "Write it like `30m`, `24h`, `3d` or `2 weeks`.",
        )
    seconds = sum(int(n) * _DURATION_UNITS[u] for n, u in parts)
    if not 60 <= seconds <= MAX_DURATION_SECONDS:
        raise GrammarError(f"{what} must be between 1 minute and 90 days.")
    return seconds


def parse_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        close = difflib.get_close_matches(value, sorted(available_timezones()), n=1)
        hint = f"Did you mean `{close[0]}`?" if close else "Use a name like `Europe/London`."
        raise GrammarError(
            f"`{_clip(value, 40)}` is not a time zone Concord knows.", hint
        ) from None
    return value


def _joined(tokens: list[Token]) -> str:
    return " ".join(t.text for t in tokens)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
