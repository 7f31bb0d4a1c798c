"""The commands about the collaborative itself, and what handles each."""

from __future__ import annotations

from dialogs.collaborative import (
    decisions,
    deputies,
    digests,
    forgetting,
    governance,
    identity_link,
    language_settings,
    members,
    personal_export,
    retention,
    roles,
    timezones,
)
from dialogs.collaborative import setup as collaborative_setup
from dialogs.collaborative.homes import org_unmap
from dialogs.commands.syntax import CommandHandler

COMMANDS: dict[str, CommandHandler] = {
    "link": collaborative_setup.link,
    "org.add": members.org_add,
    "org.join": members.org_join,
    "org.list": members.org_list,
    "org.unmap": org_unmap,
    "role": members.role,
    "settings.newcomers": roles.newcomers,
    "decisions": decisions.decisions,
    "me.link": identity_link.me_link,
    "me.timezone": timezones.me_timezone,
    "me.digest": digests.me_digest,
    "me.export": personal_export.me_export,
    "settings.governance": governance.governance,
    "deputy": deputies.name_deputy,
    "deputy.accept": deputies.accept,
    "deputy.decline": deputies.decline,
    "deputy.end": deputies.end,
    "deputy.list": deputies.list_deputies,
    "me.forget": forgetting.me_forget,
    "member.remove": forgetting.member_remove,
    "retention": retention.retention,
    "retention.free-text": retention.free_text,
    "retention.closed-polls": retention.closed_polls,
    "retention.removed-words": retention.removed_words,
    "me": language_settings.me_settings,
    "me.language": language_settings.me_language,
    "language": language_settings.language,
    "language.default": language_settings.language_default,
    "language.shared": language_settings.language_shared,
}
