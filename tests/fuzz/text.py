"""Text that breaks things: what people paste, what attackers send, what databases refuse."""

from __future__ import annotations

from hypothesis import strategies as st

NASTY = (
    "\x00",  # NUL: PostgreSQL refuses it in text
    "\ud800",  # a lone surrogate: not encodable as UTF-8
    "\udfff",
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\ufeff",  # byte-order mark
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u0430",  # Cyrillic a, a look-alike of Latin a
    "\u05d0",  # Hebrew alef (right to left)
    "\u0627",  # Arabic alef
    "\U0001f600",
    "\u0301",  # a combining accent on nothing
    "\r\n",
    "\t",
    "\u2014",  # an em dash, as phones type for "--"
    "\u201c",  # curly quotes, as phones type them
    "\u201d",
    "<!channel>",
    "<@U123>",
    "[x](http://evil.example)",
    "=1+2",
    "@SUM(A1)",
    "'",
    '"',
    "\\",
    "%",
    "Robert'); DROP TABLE poll;--",
)
NUMBERS = (
    "0",
    "-1",
    "1",
    "2",
    "99",
    "2147483647",
    "2147483648",
    "9223372036854775808",
    "999999999999",
    "1" * 40,
    "1e309",
    "NaN",
    "٣",  # an Arabic-Indic digit
)


def fragments() -> st.SearchStrategy[str]:
    """One piece of text: nasty, a number, or anything at all (surrogates included)."""
    return st.one_of(
        st.sampled_from(NASTY),
        st.sampled_from(NUMBERS),
        st.text(st.characters(exclude_categories=()), max_size=12),
    )


def mixed(max_pieces: int = 4) -> st.SearchStrategy[str]:
    """A few fragments run together."""
    return st.lists(fragments(), max_size=max_pieces).map("".join)


def huge() -> st.SearchStrategy[str]:
    """Text far past every limit (the engine reads at most 4,000 characters)."""
    return st.sampled_from(("x", " ", "\u200b", "é")).map(lambda c: c * 5000)
