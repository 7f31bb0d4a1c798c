"""The commands about languages, part of `grammar.SYNTAX`, and the Welsh words people may
type for the commonest commands.

Commands stay English words on every platform (help, usage lines and the README name them
once); `cymorth` for `help` and `pôl` (or `pol`, without the circumflex) for `poll` are
accepted too, because people type them (`parse` reads an alias as the command it names).
"""

from __future__ import annotations

from dialogs.commands.syntax import Arg, Syntax
from dialogs.core.language import N_

# The Welsh word people type, and the command it names.
ALIASES = {"cymorth": "help", "pôl": "poll", "pol": "poll"}  # i18n: not for readers

LANGUAGE_SYNTAX = (
    Syntax("me", ("me",), N_("see your own settings: time zone, language and digest")),
    Syntax(
        "me.language",
        ("me", "language"),
        N_(
            "see the language Concord writes to you in, choose Welsh or English, or `auto` "
            "to follow your platform's"
        ),
        (Arg("choice", optional=True, placeholder="cy|en|auto"),),
    ),
    Syntax(
        "language",
        ("language",),
        N_("show the language of shared messages, and whether they go out in both"),
    ),
    Syntax(
        "language.default",
        ("language", "default"),
        N_("choose the language shared messages are written in"),
        (Arg("language", placeholder="cy|en"),),
        who="coordinator",
    ),
    Syntax(
        "language.shared",
        ("language", "shared"),
        N_("post shared messages in Welsh and English, or in the default language only"),
        (Arg("way", placeholder="both|default"),),
        who="coordinator",
    ),
)
