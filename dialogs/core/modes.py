"""How a partnership decides: the governance modes, in one place.

A collaborative has a mode (`settings governance`); a poll takes it when it opens unless
`--mode` says otherwise, and keeps it (in `Poll.settings["mode"]`, absent for joint).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.core.language import N_, _

JOINT = "joint"
ADVISORY = "advisory"
DELEGATED = "delegated"
COMMITTEES = "committees-in-common"

# name → what it means, in one line a partnership manager would use
# (marked for the catalogs: translate with `_()` where shown)
MODES: dict[str, str] = {
    JOINT: N_("everyone votes as one group, and the result is the decision"),
    ADVISORY: N_("the vote is advice: the result informs the partnership, which decides"),
    DELEGATED: N_("the vote informs a named decision-maker, who records the decision afterwards"),
    COMMITTEES: N_(
        "each organisation's votes make that organisation's decision, "
        "and the partnership agrees where the organisations do"
    ),
}


def mode_of(settings: Mapping[str, Any]) -> str:
    """A poll's mode from its settings (polls from before modes are joint)."""
    return str(settings.get("mode", JOINT))


def how_it_decides(mode: str, decider: str | None = None) -> str:
    """The sentence a poll shows under its question, before anyone votes."""
    if mode == DELEGATED:
        if decider is None:
            return _(
                "How this decides: the vote informs the named decision-maker, "
                "who records the decision afterwards."
            )
        return _(
            "How this decides: the vote informs {decider}, who records the decision afterwards."
        ).format(decider=decider)
    if mode == COMMITTEES:
        return _(
            "How this decides: committees in common. Each organisation's votes make that "
            "organisation's decision, and the partnership agrees where the organisations do."
        )
    if mode == ADVISORY:
        return _("How this decides: the vote is advice to the partnership, which decides.")
    return _("How this decides: everyone votes as one group, and the result is the decision.")
