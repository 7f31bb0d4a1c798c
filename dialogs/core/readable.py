"""Text as a person reads it: what they can't see is not shown, and what looks alike is alike.

Two options that differ only by a zero-width space, a Cyrillic "а" for a Latin "a", or a
direction override read the same to everyone voting, so they must count as the same
option. `tidy` is what is stored and shown: white space collapsed, and the characters
removed that are invisible or reorder the text around them (zero-width spaces, soft
hyphens, bidirectional embeddings, overrides and isolates), so an option can't make its
neighbours read backwards. `key` is for comparing only: compatibility forms folded
(NFKC: a full-width "Ａ" is an "A"), every formatting character dropped (joiners and
direction marks too), common Cyrillic and Greek look-alikes read as the Latin letter,
and case folded.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible, or reordering what follows: never worth keeping in a question or an option.
# (Joiners and direction marks stay in what is shown: emoji and right-to-left scripts
# need them. `key` ignores them.)
_HIDDEN = re.compile("[\u00ad\u180e\u200b\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069]")

# Letters other scripts share the look of with Latin ones (capitals first, so that a
# Cyrillic "В" reads as "B" before case is folded).
_LOOK_ALIKES = str.maketrans(
    "АВЕЅІЈКМНОРСТХУ"  # Cyrillic capitals
    "аеѕіјорсухԁԛԝһӏ"  # Cyrillic small letters
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"  # Greek capitals
    "οικνρ",  # Greek small letters
    "ABESIJKMHOPCTXYaesijopcyxdqwhlABEZHIKMNOPTYXoikvp",
)


def tidy(text: str) -> str:
    """`text` as stored and shown: nothing hidden or reordering, white space collapsed."""
    return " ".join(_HIDDEN.sub("", text).split())


def key(text: str) -> str:
    """What `text` reads as: equal keys look the same to a person."""
    folded = unicodedata.normalize("NFKC", text)
    visible = "".join(c for c in folded if unicodedata.category(c) != "Cf")  # i18n: not for readers
    return " ".join(visible.translate(_LOOK_ALIKES).casefold().split())
