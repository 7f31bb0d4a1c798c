"""The commands about people's data and the partnership's record, part of `grammar.SYNTAX`:
a copy of what Concord holds about you, having it forget you, removing someone who has
left, and how long words and votes are kept.
"""

from __future__ import annotations

from dialogs.commands.syntax import Arg, Flag, Syntax
from dialogs.core.language import N_

RECORDS = (
    Syntax("me.export", ("me", "export"), N_("get a copy of what Concord holds about you")),
    # Erasure (`dialogs.collaborative.forgetting`): asked first, then confirmed.
    Syntax(
        "me.forget",
        ("me", "forget"),
        N_("see what Concord would forget about you; `me forget confirm` forgets it"),
        (Arg("confirm", optional=True, placeholder="confirm"),),
    ),
    Syntax(
        "member.remove",
        ("member", "remove"),
        N_("remove someone who has left (`--forget`: Concord forgets them here too)"),
        (Arg("person", "mention", placeholder="@person"),),
        (Flag("forget", "switch"),),
        who="coordinator",
    ),
    # How long written words and closed polls are kept (`dialogs.collaborative.retention`).
    Syntax("retention", ("retention",), N_("show how long people's words and votes are kept")),
    *(
        Syntax(
            f"retention.{what}",
            ("retention", what),
            summary,
            (Arg("count", placeholder="N"), Arg("unit", optional=True, placeholder="months|years")),
            who="coordinator",
        )
        for what, summary in (
            ("free-text", N_("set how long written words are kept")),
            ("closed-polls", N_("set how long closed polls' ballots are kept")),
        )
    ),
    Syntax(
        "retention.removed-words",
        ("retention", "removed-words"),
        N_("choose whether removed written words leave a note in their place or nothing"),
        (Arg("way", placeholder="replace|remove"),),
        who="coordinator",
    ),
)
