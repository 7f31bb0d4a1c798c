"""`help`: guidance first, then the reference.

Bare `help` in a collaborative's channel is composed by `dialogs.home` (what is waiting
for this person now), ending with `guide` below: the handful of commands their role
uses most, and where the rest are. `help all` is every command the person may use;
`help poll` (any first word) only those starting with it.
"""

from __future__ import annotations

from dialogs.commands.grammar import SYNTAX
from dialogs.commands.syntax import Syntax
from dialogs.commands.values import clip
from dialogs.core.cards import Block, Card, Context, Heading, Text
from dialogs.core.language import _
from dialogs.core.turn import Refusal, Turn, with_article
from storage.models import Collaborative

_OUTSIDE = ("help", "home", "me.digest", "me.forget", "setup", "link")

# What each role types most, in the order shown.
MOST_USED = {
    "coordinator": ("poll", "poll.remind", "poll.close", "checkin.add", "purpose.start", "role"),
    "member": ("poll.list", "poll.results", "org.join", "decisions", "purpose.status"),
    "observer": ("poll.list", "poll.results", "decisions", "purpose.status"),
}
ALL = "all"


def guide(role: str) -> list[Block]:
    """The commands `role` uses most (their usage without options), then where the rest are."""
    by_name = {s.name: s for s in SYNTAX}
    lines = [f"`{_brief(by_name[name])}` — {_(by_name[name].summary)}" for name in MOST_USED[role]]
    return [
        Text(text=_("Commands you'll use most:")),
        *(Text(text=line) for line in lines),
        Context(text=_("Type `help all` for every command, or `help poll` for the poll commands.")),
    ]


def reference_card(turn: Turn, topic: str | None) -> Card:
    """Every command this person may use here (`help all`), or those starting with `topic`."""
    if turn.collaborative is None or turn.member is None:
        usable = [s for s in SYNTAX if s.name in _OUTSIDE]
        intro = _("This channel isn't part of a collaborative yet.")
        lines = [
            _(
                '`setup "Name"` starts one here; `link CODE` joins one, with a code a '
                "coordinator got by typing `link`."
            )
        ]
    else:
        role = turn.member.role
        usable = [s for s in SYNTAX if _may(role, s)]
        intro = _("You are {role} of {collaborative}.").format(
            role=with_article(role), collaborative=turn.collaborative.name
        )
        lines = [_role_note(role, turn.collaborative)]
        if topic not in (None, ALL):
            usable = _about(usable, topic)
    heading = _("What you can do here")
    blocks: list[Block] = [Heading(text=heading), Text(text=intro)]
    blocks += [Text(text=line) for line in lines if line]
    blocks += [Text(text=f"`{s.usage}` — {_(s.summary)}") for s in usable]
    return Card(blocks=blocks, fallback=heading)


def _about(usable: list[Syntax], topic: str) -> list[Syntax]:
    found = [s for s in usable if s.words[0] == topic.lower()]
    if not found:
        raise Refusal(
            _("There is no help about “{topic}”.").format(topic=clip(topic, 40)),
            _("Type `help all` to see every command you can use."),
        )
    return found


def _brief(syntax: Syntax) -> str:
    """The usage without its options: `poll "Question?" "Option" …`."""
    return " ".join([*syntax.words, *(arg.shown.strip("[]") for arg in syntax.args)])


def _may(role: str, syntax: Syntax) -> bool:
    """Whether `role` may use the command in a linked channel (`link` there shows a code,
    which only coordinators may)."""
    if syntax.name == "setup":
        return False
    if syntax.who == "coordinator" or syntax.name == "link":
        return role == "coordinator"
    return True


def _role_note(role: str, collaborative: Collaborative) -> str:
    if role == "observer":
        return _("Observers see polls and results but do not vote.")
    if role == "member":
        return _("Vote with the buttons on a poll. Coordinators start polls.")
    if collaborative.newcomer_role == "observer":
        return _(
            "People who join {collaborative} start as observers "
            "(`settings newcomers member|observer` changes it)."
        ).format(collaborative=collaborative.name)
    return _(
        "People who join {collaborative} start as members "
        "(`settings newcomers member|observer` changes it)."
    ).format(collaborative=collaborative.name)
