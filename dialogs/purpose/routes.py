"""The purpose-round commands and forms, and what handles each."""

from __future__ import annotations

from dialogs.commands.syntax import CommandHandler
from dialogs.core.actions import FormKind
from dialogs.core.turn import FormRoute
from dialogs.purpose import commands, forms, groups, proposals, rule

COMMANDS: dict[str, CommandHandler] = {
    "purpose.start": commands.start,
    "purpose.status": commands.status,
    "purpose.next": commands.next_stage,
    "purpose.show": commands.show,
    "settings.purpose-rule": rule.purpose_rule,
}

FORMS: dict[FormKind, FormRoute] = {
    FormKind.PROPOSAL: (proposals.open_new, proposals.submit_new),
    FormKind.PROPOSALS: (proposals.open_mine, proposals.submit_mine),
    FormKind.PROMPTS: (forms.open_prompts_form, forms.submit_prompts),
    FormKind.REVISION: (forms.open_revision_form, forms.submit_revision),
    FormKind.GROUP: (groups.open_group_form, groups.submit_group),
}
