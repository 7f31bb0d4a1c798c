"""The poll commands and forms, and what handles each."""

from __future__ import annotations

from dialogs.commands.syntax import CommandHandler
from dialogs.core.actions import FormKind
from dialogs.core.turn import FormRoute
from dialogs.polls import (
    ballot_forms,
    copies,
    decide,
    editing,
    extending,
    lifecycle,
    proxy,
    receipt_check,
    reminders,
    series,
    start,
    voting,
    waiting,
)
from dialogs.polls.reviews import command, outcomes

COMMANDS: dict[str, CommandHandler] = {
    "poll": start.start,
    "poll.list": lifecycle.list_polls,
    "poll.series": series.list_series,
    "poll.series.stop": series.stop,
    "poll.close": lifecycle.close,
    "poll.results": lifecycle.results,
    "poll.export": lifecycle.export,
    "poll.receipt": receipt_check.check,
    "poll.remind": reminders.remind,
    "poll.waiting": waiting.waiting,
    "poll.edit": editing.edit,
    "poll.extend": extending.extend,
    "poll.reopen": extending.reopen,
    "poll.delete": editing.delete,
    "poll.decide": decide.decide,
    "poll.template": copies.template,
    "poll.from": copies.from_template,
    "poll.save-template": copies.save,
    "poll.clone": copies.clone,
    "decisions.review": command.set_review,
    "decisions.reviews": outcomes.list_reviews,
    "vote": proxy.vote_command,
}

FORMS: dict[FormKind, FormRoute] = {
    FormKind.BALLOT: (ballot_forms.open_ballot_form, ballot_forms.submit_ballot),
    FormKind.OPTION: (voting.open_option_form, voting.submit_option),
    FormKind.POLL_EDIT: (editing.open_edit_form, editing.submit_edit_form),
    FormKind.POLL_EXTEND: (extending.open_extend_form, extending.submit_extend_form),
    FormKind.DECISION: (decide.open_decision_form, decide.submit_decision_form),
    FormKind.PROXY: (proxy.open_proxy_form, proxy.submit_proxy),
}
