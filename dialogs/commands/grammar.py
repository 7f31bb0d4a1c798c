"""The command grammar as data: every command's words, arguments and options.

`SYNTAX` is the one list of what people can type. The parser binds text to it,
and help and usage lines are read from it, so they can never disagree. Adding a
command starts here (and its handler goes in its feature's `routes.py`); the commands about
people's data and the partnership's record are kept beside it, in `records.py`.
"""

from __future__ import annotations

from dialogs.commands.languages import LANGUAGE_SYNTAX
from dialogs.commands.records import RECORDS
from dialogs.commands.syntax import Arg, Flag, Syntax
from dialogs.core.language import N_
from dialogs.core.modes import MODES
from dialogs.core.poll_types import POLL_TYPES, RESULTS

_POLL_FLAGS = (
    Flag("type", "choice", tuple(POLL_TYPES)),
    Flag("max", "int", maximum=20),
    Flag("dots", "int", maximum=100),
    Flag("anonymous", "switch"),
    Flag("results", "choice", RESULTS),
    Flag("opens", "text", placeholder="WHEN"),
    Flag("closes", "text", placeholder="WHEN"),
    Flag("remind", "duration", placeholder="DURATION"),
    Flag("balance", "choice", ("orgs",)),
    Flag("quorum", "quorum", placeholder="per-org [K]", maximum=50),  # i18n: not for readers
    Flag("open-options", "switch"),
    Flag("objections", "int", minimum=0, maximum=100),
    Flag("description", "text", placeholder='"Context"'),
    Flag("rule", "rule", placeholder="every-org [P]"),  # i18n: not for readers
    Flag("mode", "choice", tuple(MODES)),
    Flag("decider", "mention", placeholder="@person"),
)

_CLOSES = Flag("closes", "text", placeholder="WHEN")
_ID = Arg("id", "id", placeholder="ID")
_NAME = Arg("name", optional=True, placeholder=N_('"Name"'))
_QUESTION = (
    Arg("question", optional=True, placeholder=N_('"Question?"')),
    Arg("options", many=True, optional=True, placeholder=N_('"Option"')),
)

# When a decision comes up for review: "6 months", "1 year" or a date (`polls.reviews.dates`).
_REVIEW = Flag("review", "text", placeholder="6 months|DATE")  # i18n: not for readers

# A recurring poll (`dialogs.polls.series`): when it repeats, and how long each poll is open.
_SERIES_FLAGS = (
    Flag("every", "text", placeholder='"first monday of the month 09:00"'),  # i18n: not for readers
    Flag("closes-after", "duration", placeholder="DURATION"),
)

# Whose people an organisation counts: a Microsoft tenant id, a workspace id (the first word
# names the platform: `dialogs.collaborative.homes`).
_HOME_FLAGS = (
    Flag("teams-tenant", "text", placeholder="TENANT-ID"),
    Flag("slack-team", "text", placeholder="T…"),
)

SYNTAX: tuple[Syntax, ...] = (
    Syntax(
        "help",
        ("help",),
        N_("show what is waiting for you; `help all`: every command"),
        (Arg("topic", optional=True, placeholder="all"),),
        who="anyone",
    ),
    Syntax(
        "setup",
        ("setup",),
        N_("start a collaborative in this channel"),
        (Arg("name", placeholder=N_('"Collaborative name"')),),
        (Flag("timezone", "timezone", placeholder="Europe/London"),),
        who="anyone",
    ),
    Syntax(
        "link",
        ("link",),
        N_("show a one-time code to link another channel, or join this one with a code"),
        (Arg("code", "code", optional=True, placeholder="CODE"),),
        who="anyone",
    ),
    Syntax(
        "org.add",
        ("org", "add"),
        N_(
            "add an organisation; with a tenant or workspace id, count everyone from it as "
            "the organisation (new or not)"
        ),
        (Arg("name", placeholder=N_('"Name"')),),
        _HOME_FLAGS,
        who="coordinator",
    ),
    Syntax(
        "org.join",
        ("org", "join"),
        N_("say which organisation you belong to"),
        (Arg("name", placeholder=N_('"Name"')),),
    ),
    Syntax("org.list", ("org", "list"), N_("list the organisations and their members")),
    Syntax(
        "org.unmap",
        ("org", "unmap"),
        N_("stop counting everyone from a tenant or workspace as an organisation"),
        (),
        _HOME_FLAGS,
        who="coordinator",
    ),
    Syntax(
        "role",
        ("role",),
        N_("give someone a role"),
        (
            Arg("role", "role", placeholder="coordinator|member|observer"),
            Arg("person", "mention", placeholder="@person"),
        ),
        who="coordinator",
    ),
    Syntax(
        "settings.newcomers",
        ("settings", "newcomers"),
        N_("choose whether people who join later start as members or observers"),
        (Arg("role", "role", optional=True, placeholder="member|observer"),),
        who="coordinator",
    ),
    Syntax(
        "settings.purpose-rule",
        ("settings", "purpose-rule"),
        N_("choose how much of every organisation a purpose round's consent needs"),
        (
            Arg("rule", optional=True, placeholder="every-org|none"),
            Arg("percent", optional=True, placeholder="P"),
        ),
        who="coordinator",
    ),
    Syntax("poll.list", ("poll", "list"), N_("list the polls")),
    Syntax(
        "poll.series", ("poll", "series"), N_("list the recurring polls and when each posts next")
    ),
    Syntax(
        "poll.series.stop",
        ("poll", "series", "stop"),
        N_("stop a recurring poll (the polls already posted stay)"),
        (Arg("id", placeholder="S1"),),
        who="coordinator",
    ),
    Syntax(
        "poll.close",
        ("poll", "close"),
        N_("close a poll now"),
        (Arg("id", "id", placeholder="ID"),),
        who="coordinator",
    ),
    Syntax("poll.results", ("poll", "results"), N_("show a poll's results"), (_ID,)),
    Syntax(
        "poll.remind",
        ("poll", "remind"),
        N_("remind those who haven't voted, privately (once an hour at most)"),
        (Arg("id", "id", placeholder="ID"),),
        who="coordinator",
    ),
    Syntax(
        "poll.waiting",
        ("poll", "waiting"),
        N_("see privately who hasn't voted yet, by organisation (not in anonymous polls)"),
        (_ID,),
        who="coordinator",
    ),
    Syntax(
        "poll.export",
        ("poll", "export"),
        N_("export a poll's ballots as CSV"),
        (Arg("id", "id", placeholder="ID"),),
        who="coordinator",
    ),
    # Receipts of anonymous ballots (`dialogs.polls.receipt_check`).
    Syntax(
        "poll.receipt",
        ("poll", "receipt"),
        N_("check that your anonymous vote was counted, by the receipt you were given"),
        (_ID, Arg("receipt", placeholder="RECEIPT")),
    ),
    Syntax(
        "poll.edit",
        ("poll", "edit"),
        N_("change a poll's wording, description or options (alone: open it in a form)"),
        (Arg("id", "id", placeholder="ID"),),
        (
            Flag("question", "text", placeholder=N_('"Question?"')),
            Flag("option", "text", placeholder='N "Option"'),
            Flag("add-option", "text", placeholder=N_('"Option"')),
            *_POLL_FLAGS,  # --opens, --closes and --remind: a scheduled poll's only
        ),
        who="coordinator",
    ),
    Syntax(
        "poll.extend",
        ("poll", "extend"),
        N_("move a poll's deadline later"),
        (Arg("id", "id", placeholder="ID"),),
        (Flag("closes", "text", placeholder="WHEN"),),
        who="coordinator",
    ),
    Syntax(
        "poll.reopen",
        ("poll", "reopen"),
        N_("open a closed poll again (its next result replaces the last)"),
        (Arg("id", "id", placeholder="ID"),),
        (Flag("closes", "text", placeholder="WHEN"),),
        who="coordinator",
    ),
    Syntax(
        "poll.delete",
        ("poll", "delete"),
        N_("delete a poll nobody has voted in"),
        (Arg("id", "id", placeholder="ID"),),
        who="coordinator",
    ),
    Syntax(
        "poll",
        ("poll",),
        N_("start a poll (with no arguments: open a form)"),
        _QUESTION,
        (*_POLL_FLAGS, _REVIEW, *_SERIES_FLAGS),
        who="coordinator",
    ),
    Syntax(
        "poll.template",
        ("poll", "template"),
        N_("list the poll templates, or delete one of your own"),
        (Arg("action", optional=True, placeholder="list|delete"), _NAME),
    ),
    Syntax(
        "poll.from",
        ("poll", "from"),
        N_("start a poll from a template (without its question: open the form filled in)"),
        (Arg("template", placeholder='"Template"'), *_QUESTION),
        (_CLOSES,),
        who="coordinator",
    ),
    Syntax(
        "poll.save-template",
        ("poll", "save-template"),
        N_("keep a poll's question, options and settings as a template"),
        (_ID, Arg("name", placeholder=N_('"Name"'))),
        who="coordinator",
    ),
    Syntax(
        "poll.clone", ("poll", "clone"), N_("copy a poll into the form"), (_ID,), who="coordinator"
    ),
    Syntax(
        "poll.decide",
        ("poll", "decide"),
        N_("record the decision on a closed delegated poll (its decider only)"),
        (Arg("id", "id", placeholder="ID"), Arg("decision", placeholder='"Decision"')),
    ),
    Syntax(
        "settings.governance",
        ("settings", "governance"),
        N_(
            "choose how the partnership decides: joint, advisory, delegated or committees in common"
        ),
        (Arg("mode", optional=True, placeholder="|".join(MODES)),),
        (Flag("decider", "mention", placeholder="@person"),),
        who="coordinator",
    ),
    Syntax(
        "purpose.start",
        ("purpose", "start"),
        N_("start a purpose round"),
        (),
        (
            Flag("gather", "duration", placeholder="DURATION"),
            Flag("shortlist", "int", maximum=7),
            _REVIEW,
        ),
        who="coordinator",
    ),
    Syntax("purpose.status", ("purpose", "status"), N_("show where the purpose round is")),
    Syntax(
        "purpose.next",
        ("purpose", "next"),
        N_("move the purpose round to its next stage"),
        who="coordinator",
    ),
    Syntax("purpose.show", ("purpose", "show"), N_("show the adopted purpose")),
    Syntax(
        "checkin.add",
        ("checkin", "add"),
        N_("schedule a recurring check-in"),
        (Arg("recurrence", placeholder='"every monday 09:00"'),),  # i18n: not for readers
        (
            Flag("window", "duration", placeholder="DURATION"),
            Flag("each-in-own-timezone", "switch"),
        ),
        who="coordinator",
    ),
    Syntax("checkin.list", ("checkin", "list"), N_("list the check-ins")),
    Syntax(
        "checkin.stop",
        ("checkin", "stop"),
        N_("stop a check-in"),
        (Arg("id", "id", placeholder="ID"),),
        who="coordinator",
    ),
    Syntax(
        "checkin.now",
        ("checkin", "now"),
        N_("run a check-in now"),
        (Arg("id", "id", placeholder="ID"),),
        who="coordinator",
    ),
    Syntax(
        "checkin.skip",
        ("checkin", "skip"),
        N_("skip the check-ins on one date"),
        (Arg("date", "when", placeholder="DATE"),),
        who="coordinator",
    ),
    Syntax(
        "decisions",
        ("decisions",),
        N_("show the decision log (`--all`: every step too)"),
        (),
        (Flag("all", "switch"), Flag("export", "choice", ("csv", "md"))),
    ),
    Syntax(
        "decisions.review",
        ("decisions", "review"),
        N_("set the date a decided poll comes up for review: still right, change it or drop it"),
        (Arg("id", "id", placeholder="ID"),),
        (Flag("in", "text", placeholder="6 months"), Flag("on", "text", placeholder="DATE")),
        who="coordinator",
    ),
    Syntax(
        "decisions.reviews",
        ("decisions", "reviews"),
        N_("list the reviews due and answered, and the promises kept"),
    ),
    Syntax(
        "me.link",
        ("me", "link"),
        N_("show a one-time code, or type it on your other platform: one member, one vote"),
        (Arg("code", "code", optional=True, placeholder="CODE"),),
    ),
    Syntax(
        "me.timezone",
        ("me", "timezone"),
        N_("see the time zone Concord shows you times in, choose yours, or `auto` to forget it"),
        (Arg("zone", optional=True, placeholder="Europe/London|auto"),),
    ),
    Syntax(
        "me.digest",
        ("me", "digest"),
        N_("get what is waiting for you privately, daily or weekly (the default), or not at all"),
        (Arg("choice", optional=True, placeholder="daily|weekly|off"),),
    ),
    Syntax("home", ("home",), N_("what is waiting for you in every collaborative you belong to")),
    *RECORDS,
    *LANGUAGE_SYNTAX,
    Syntax(
        "vote",
        ("vote",),
        N_("vote in a poll by typing (`--for`: as a deputy, for the member you stand in for)"),
        (Arg("id", "id", placeholder="ID"), Arg("choice", optional=True, placeholder='N|"Option"')),
        (Flag("for", "text", placeholder="@member"),),
    ),
    Syntax("deputy.accept", ("deputy", "accept"), N_("accept being someone's deputy")),
    Syntax("deputy.decline", ("deputy", "decline"), N_("decline being someone's deputy")),
    Syntax("deputy.end", ("deputy", "end"), N_("end your deputy, or being someone's deputy, now")),
    Syntax("deputy.list", ("deputy", "list"), N_("list who is deputy for whom")),
    Syntax(
        "deputy",
        ("deputy",),
        N_("ask someone from your organisation to vote for you until a date"),
        (Arg("person", "mention", placeholder="@person"),),
        (Flag("until", "text", placeholder="DATE"),),
    ),
)
