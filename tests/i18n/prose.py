"""String literals a person would read, left outside the catalogs: what the lint test looks for.

A literal counts as prose when it reads like words for a person: two or more words, or one
capitalised word ("Cancel"). It is fine inside `_()`, `N_()` or `ngettext()`, in a docstring,
in a log line, in an exception meant for developers (not `Problem`/`Refusal`), in an `assert`,
in a type annotation, or on a line marked `# i18n: not for readers` (an identifier that looks
like words, a phrase a pattern matches, a command word people type).

A literal that shows the signs of a regular expression is data, not prose: an escape such
as `\\b` or `\\w`, a group such as `(?:` or `(?=`, an inline flag such as `(?i)`, an anchor at
either end (`^…`, `…$`), a character class (`[^…]`, `[a-z]`, `[.!]`), a counted repeat
(`{1,30}`), an optional word before an alternative (`days?|weeks?`), or nothing but
alternatives (`rarely|hardly ever`). A sentence with a question mark or a word in brackets
shows none of these, so it is still prose.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

TRANSLATED = {"_", "N_", "ngettext"}
FOR_DEVELOPERS = {
    "debug",
    "info",
    "warning",
    "error",
    "exception",
    "critical",
    "log",
    "ValueError",
    "TypeError",
    "RuntimeError",
    "KeyError",
    "AssertionError",
    "LookupError",
    "NotImplementedError",
    "InvalidBallot",  # a ballot file's fault, told to `concord recount`'s auditor (the CLI)
    "compile",
    "text",
    "Field",
    "getenv",
    "cast",
    "TypeVar",
    "ContextVar",
    "DeliveryError",  # a platform's refusal, for the outbox's log
}
PRAGMA = "# i18n: not for readers"
_WORDS = re.compile(r"[^\W\d_]{2,}")
_CAPITALISED = re.compile(r"^[A-Z][a-z]+[.!?…:]?$")
_REGEX_SIGNS = re.compile(
    r"\\[bBdDwWsSAZ]"  # an escape: a word boundary, a digit, a word character, a space
    r"|\(\?"  # a group that is not captured, a lookaround or an inline flag
    r"|^\^|(?<!\\)\$$"  # an anchor at either end
    r"|\[(?:\^|\w-\w(?!\w)|\\)|\[[^\w\s\]]{2,}\]"  # a character class
    r"|\{\d+,\d*\}"  # a counted repeat
    r"|\w[?*+]\|"  # an optional word before an alternative ("days?|weeks?")
    # Nothing but alternatives ("rarely|hardly ever|"); a sentence that shows a command's
    # choices (`me digest daily|weekly`) is still prose.
    r"|^[\w' -]+(?:\|[\w' -]+)+\|?$"
)


def looks_like_regex(text: str) -> bool:
    """Whether `text` shows a sign of a regular expression (see the module's note)."""
    return bool(_REGEX_SIGNS.search(text))


def looks_like_prose(text: str) -> bool:
    stripped = text.strip()
    if looks_like_regex(stripped):
        return False
    if len(_WORDS.findall(stripped)) >= 2 and " " in stripped:
        return not stripped.startswith(("%(", "SELECT", "http", "/", "{"))
    return bool(_CAPITALISED.match(stripped))


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def bare_prose(path: Path) -> list[tuple[int, str]]:
    """Every (line, literal) in `path` that a person would read and no catalog holds."""
    source = path.read_text()
    lines = source.splitlines()
    found: list[tuple[int, str]] = []
    _visit(ast.parse(source), lines, found)
    return found


def _visit(node: ast.AST, lines: list[str], found: list[tuple[int, str]]) -> None:
    if _exempt(node):
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if looks_like_prose(node.value) and PRAGMA not in lines[node.lineno - 1]:
            found.append((node.lineno, node.value))
        return
    if isinstance(node, ast.JoinedStr):
        literal = " ".join(part.value for part in node.values if isinstance(part, ast.Constant))
        if looks_like_prose(literal) and PRAGMA not in lines[node.lineno - 1]:
            found.append((node.lineno, literal))
        return
    body = getattr(node, "body", None)
    for child in ast.iter_child_nodes(node):
        if _is_docstring(child, body):
            continue
        _visit(child, lines, found)


def _exempt(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):
        return _name(node) in TRANSLATED | FOR_DEVELOPERS
    if isinstance(node, ast.Assert):
        return True
    if isinstance(node, ast.AnnAssign | ast.arg):
        return False
    return isinstance(node, ast.Subscript) and getattr(node.value, "id", "") == "Literal"


def _is_docstring(child: ast.AST, body: object) -> bool:
    return (
        isinstance(body, list)
        and bool(body)
        and child is body[0]
        and isinstance(child, ast.Expr)
        and isinstance(child.value, ast.Constant)
        and isinstance(child.value.value, str)
    )
