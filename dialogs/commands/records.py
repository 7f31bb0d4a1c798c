"""The commands about people's data and the partnership's record, part of `grammar.SYNTAX`:
a copy of what Concord holds about you, having it forget you, removing someone who has
left, and how long words and votes are kept.
"""

from __future__ import annotations

from dialogs.commands.syntax import Arg, Flag, Syntax

RECORDS = (
    Syntax("me.export", ("me", "export"), "get a copy of what Concord holds about you"),
    # Erasure (`dialogs.collaborative.forgetting`): asked first, then confirmed.
    Syntax(
        "me.forget",
        ("me", "forget"),
        "see what Concord would forget about you; `me forget confirm` forgets it",
        (Arg("confirm", optional=True, placeholder="confirm"),),
    ),
    Syntax(
        "member.remove",
        ("member", "remove"),
        "remove someone who has left (`--forget`: Concord forgets them here too)",
        (Arg("person", "mention", placeholder="@person"),),
        (Flag("forget", "switch"),),
        who="coordinator",
    ),
    # How long written words and closed polls are kept (`dialogs.collaborative.retention`).
    Syntax("retention", ("retention",), "show how long people's words and votes are kept"),
    *(
        Syntax(
            f"retention.{what}",
            ("retention", what),
            f"set how long {covers} are kept",
            (Arg("count", placeholder="N"), Arg("unit", optional=True, placeholder="months|years")),
            who="coordinator",
        )
        for what, covers in (
            ("free-text", "written words"),
            ("closed-polls", "closed polls' ballots"),
        )
    ),
    Syntax(
        "retention.removed-words",
        ("retention", "removed-words"),
        "choose whether removed written words leave a note in their place or nothing",
        (Arg("way", placeholder="replace|remove"),),
        who="coordinator",
    ),
)
