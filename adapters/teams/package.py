"""The Teams app package: manifest.json, color.png and outline.png in one zip.

A Teams admin uploads the zip in the Teams admin center (Teams apps → Manage apps →
Upload new app). The manifest follows the v1.19 schema
(https://developer.microsoft.com/json-schemas/teams/v1.19/MicrosoftTeams.schema.json):
one bot, the Azure Bot's Microsoft App ID, in personal chats, group chats and team
channels, with Concord's most useful commands in its command menu, and "Create a poll"
in the compose box (a message extension's action command, answered by the same bot).
The menu is worded from the command grammar, which the caller (`concord teams-package`)
hands in, so the adapter needs nothing of the engine's. The same inputs always give the
same bytes, so a package can be rebuilt and compared.

The app speaks British English and Welsh: manifest.json holds the English (its
`localizationInfo` says so, "en-gb") and names cy.json, the Welsh of its name,
descriptions and commands, from the same catalog as Concord's messages
(dialogs/locale/cy/). Teams shows the Welsh to a person whose Teams is set to Welsh. The
command titles stay the English words Concord understands.
"""

from __future__ import annotations

import io
import json
import re
import textwrap
import zipfile
from collections.abc import Iterable
from importlib import metadata
from typing import Any, Protocol
from urllib.parse import urlsplit

from adapters.teams.icons import color_icon, outline_icon
from dialogs.core.language import N_, _, speaking

MANIFEST_VERSION = "1.19"
SCHEMA_URL = (
    f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}"
    "/MicrosoftTeams.schema.json"
)
LOCALIZATION_SCHEMA_URL = (
    f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}"
    "/MicrosoftTeams.Localization.schema.json"
)
MANIFEST_FILE = "manifest.json"
DEFAULT_LANGUAGE_TAG = "en-gb"  # the language of manifest.json's own words
TRANSLATIONS = {"cy": "cy.json"}  # language: the file of its words in the package
COLOR_ICON_FILE = "color.png"
OUTLINE_ICON_FILE = "outline.png"
MESSAGING_PATH = "/api/messages"
ACCENT_COLOR = "#1d4f5c"
DEFAULT_NAME = "Concord"  # i18n: not for readers (the product's name, in every language)
FALLBACK_VERSION = "0.1.0"

# The manifest schema's own limits (v1.19).
MAX_SHORT_NAME = 30
MAX_COMMANDS = 10
MAX_COMMAND_TITLE = 32
MAX_COMMAND_DESCRIPTION = 128

GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
SEMVER = re.compile(r"^(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)$")

BOT_SCOPES = ("personal", "team", "groupChat")
# Each permission, and why Concord needs it: an admin reviewing the app sees no surprises.
PERMISSIONS = (
    "identity",  # to show each member by their display name
    "messageTeamMembers",  # to send private notices, such as gentle reminders, to one member
)
# The command menu: grammar names, in the order Teams shows them (at most ten).
MENU = (
    "help",
    "poll",
    "poll.list",
    "purpose.status",
    "checkin.list",
    "decisions",
    "org.join",
    "link",
    "me.link",
    "setup",
)
# The compose box's action command (`composeExtensions`): the new-poll form as a dialog,
# the poll posted in the conversation's collaborative (`adapters.teams.task_modules`).
COMPOSE_COMMAND = "createPoll"
COMPOSE_CONTEXTS = ("compose",)
COMPOSE_TITLE = N_("Create a poll")
COMPOSE_DESCRIPTION = N_(
    "Coordinators: start a poll here and in the collaborative's other channels"
)
EXAMPLES = {  # the command words stay English; what is in quotes is the reader's
    "poll": N_('poll "Question?" "Option" "Option"'),
    "org.join": N_('org join "Organisation name"'),
    "setup": N_('setup "Collaborative name"'),
}


class Syntax(Protocol):
    """What the menu needs of a command's grammar entry (`dialogs.commands` `Syntax`)."""

    @property
    def name(self) -> str: ...
    @property
    def words(self) -> tuple[str, ...]: ...
    @property
    def summary(self) -> str: ...
    @property
    def who(self) -> str: ...


class PackageError(ValueError):
    """An input the package cannot be built from, said so an operator can fix it."""


def manifest(
    app_id: str | None,
    public_url: str | None,
    *,
    syntax: Iterable[Syntax],
    name: str = DEFAULT_NAME,
    version: str | None = None,
    privacy_url: str | None = None,
    terms_url: str | None = None,
) -> dict[str, Any]:
    """The app manifest for the Azure Bot `app_id`, served at `public_url`; `syntax` is the
    command grammar the menu is worded from.

    The Teams app takes the bot's id as its own. Privacy and terms links default to
    the public URL; an organisation with its own notices passes them.
    """
    app_id = _guid(app_id)
    website = _https(public_url, "--public-url", "CONCORD_PUBLIC_URL")
    name = _name(name)
    version = _version(version or default_version())
    syntax = list(syntax)
    with speaking("en"):  # manifest.json's own words are British English, whoever builds it
        words, menu, compose = wording(name, syntax), commands(syntax), compose_command()
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "developer": {
            "name": name,
            "websiteUrl": website,
            "privacyUrl": _https(privacy_url, "--privacy-url") if privacy_url else website,
            "termsOfUseUrl": _https(terms_url, "--terms-url") if terms_url else website,
        },
        "name": {"short": words["name.short"], "full": words["name.full"]},
        "description": {
            "short": words["description.short"],
            "full": words["description.full"],
        },
        "localizationInfo": {
            "defaultLanguageTag": DEFAULT_LANGUAGE_TAG,
            "additionalLanguages": [
                {"languageTag": tag, "file": file} for tag, file in TRANSLATIONS.items()
            ],
        },
        "icons": {"color": COLOR_ICON_FILE, "outline": OUTLINE_ICON_FILE},
        "accentColor": ACCENT_COLOR,
        "bots": [
            {
                "botId": app_id,
                "scopes": list(BOT_SCOPES),
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [{"scopes": list(BOT_SCOPES), "commands": menu}],
            }
        ],
        "composeExtensions": [{"botId": app_id, "commands": [compose]}],
        "permissions": list(PERMISSIONS),
        "validDomains": [urlsplit(website).hostname],
    }


def wording(name: str, syntax: Iterable[Syntax]) -> dict[str, str]:
    """The app's words in the current language, keyed as a Teams localisation file keys
    them ("name.full", "bots[0].commandLists[0].commands[2].description", …)."""
    words = {
        "name.short": name,
        "name.full": _("{name}: shared purpose, decisions and check-ins").format(name=name),
        "description.short": _("Agree a shared purpose, decide by vote and check in, together."),
        "description.full": _full_description(name),
    }
    for n, command in enumerate(commands(syntax)):
        for field in ("title", "description"):
            key = f"bots[0].commandLists[0].commands[{n}].{field}"  # i18n: not for readers
            words[key] = command[field]
    compose = compose_command()
    for field in ("title", "description"):
        words[f"composeExtensions[0].commands[0].{field}"] = compose[field]
    return words


def translations(name: str, syntax: Iterable[Syntax]) -> dict[str, dict[str, str]]:
    """Each localisation file of the package (cy.json) as Teams reads it."""
    syntax = list(syntax)
    found = {}
    for language, file in TRANSLATIONS.items():
        with speaking(language):
            found[file] = {"$schema": LOCALIZATION_SCHEMA_URL, **wording(_name(name), syntax)}
    return found


def commands(syntax: Iterable[Syntax]) -> list[dict[str, str]]:
    """The command menu, worded from the grammar so it never disagrees with `help`."""
    by_name = {each.name: each for each in syntax}
    menu = [by_name[name] for name in MENU]
    return [{"title": " ".join(each.words), "description": _describe(each)} for each in menu]


def compose_command() -> dict[str, Any]:
    """The compose box's "Create a poll" (under its "…"): Teams asks Concord for the form.

    Only the compose box: from the command box Teams lets no answer post into a
    conversation, and a message's "…" menu has no message to start a poll from.
    """
    return {
        "id": COMPOSE_COMMAND,
        "type": "action",
        "title": _(COMPOSE_TITLE),
        "description": _(COMPOSE_DESCRIPTION),
        "context": list(COMPOSE_CONTEXTS),
        "fetchTask": True,
    }


def package(document: dict[str, Any], translated: dict[str, dict[str, str]]) -> bytes:
    """The zip Teams accepts: manifest.json, both icons and the `translated` localisation
    files (`translations`) at its root, byte for byte repeatable."""
    files = {
        MANIFEST_FILE: _json(document),
        COLOR_ICON_FILE: color_icon(document["accentColor"]),
        OUTLINE_ICON_FILE: outline_icon(),
        **{file: _json(words) for file, words in translated.items()},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for filename, data in files.items():
            entry = zipfile.ZipInfo(filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, wherever it is built
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return buffer.getvalue()


def messaging_endpoint(public_url: str) -> str:
    """Where the Azure Bot sends Teams activities: the address to give its configuration."""
    return public_url.rstrip("/") + MESSAGING_PATH


def written(name: str, output: str, public_url: str) -> str:
    """What `concord teams-package` says once the zip is written: where, and what next."""
    return (
        _("Wrote the Teams app package for {name} to {output}").format(name=name, output=output)
        + "\n"
        + _(
            "Next: a Teams admin uploads it in the Teams admin center (Teams apps > Manage apps "
            "> Upload new app); the Azure Bot's messaging endpoint must be {endpoint}"
        ).format(endpoint=messaging_endpoint(public_url))
    )


def default_version() -> str:
    """Concord's own version, which the app's version follows (Teams wants x.y.z)."""
    try:
        return metadata.version("concord")
    except metadata.PackageNotFoundError:
        return FALLBACK_VERSION


def shorten(text: str, limit: int) -> str:
    """`text`, cut at a word with "…" if it is longer than Teams allows."""
    return text if len(text) <= limit else textwrap.shorten(text, limit, placeholder=" …")


def _json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


def _describe(syntax: Syntax) -> str:
    summary = _(syntax.summary)
    text = summary[0].upper() + summary[1:]
    if syntax.who == "coordinator":
        text = _("Coordinators: {summary}").format(summary=summary)
    if example := EXAMPLES.get(syntax.name):
        shown = _("{description}. Example: {example}").format(description=text, example=_(example))
        text = shown if len(shown) <= MAX_COMMAND_DESCRIPTION else text  # a longer language
    return shorten(text, MAX_COMMAND_DESCRIPTION)


def _full_description(name: str) -> str:
    return (
        _(
            "{name} helps a partnership of organisations work together: everyone proposes and "
            "the group agrees a shared purpose; coordinators start polls (single choice, ranked, "
            "scored, consent and more), with results that no single large organisation can "
            "drown out; recurring check-ins ask specific questions and show how the partnership "
            "is changing. One collaborative can span Teams and Slack channels with one vote each."
        ).format(name=name)
        + "\n\n"
        + _(
            "Mention @{name} in a channel or group chat, or message it in a personal chat. "
            "Type help to see what you can do next."
        ).format(name=name)
    )


def _guid(app_id: str | None) -> str:
    if not app_id:
        raise PackageError(
            _(
                "teams-package needs --app-id GUID (or MICROSOFT_APP_ID): the Azure Bot's "
                "Microsoft App ID"
            )
        )
    app_id = app_id.strip()
    if not GUID.match(app_id):
        raise PackageError(
            _(
                "--app-id must be a GUID like 00000000-0000-0000-0000-000000000000, not {app_id}"
            ).format(app_id=app_id)
        )
    return app_id


def _https(url: str | None, option: str, variable: str | None = None) -> str:
    """`url`, if it is an https:// address; `variable` is the setting that can stand in for
    `option`."""
    if not url:
        needs = (
            _("teams-package needs {option} https://… (or {variable})")
            if variable
            else _("teams-package needs {option} https://…")
        )
        raise PackageError(needs.format(option=option, variable=variable))
    host = urlsplit(url).hostname if url.startswith("https://") else None
    if not host or any(character.isspace() for character in url):
        raise PackageError(
            _("{option} must be an https:// address with a host name, not {url}").format(
                option=option, url=url
            )
        )
    return url


def _name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_SHORT_NAME:
        raise PackageError(
            _("--name must be 1 to {limit} characters (Teams' limit), not {name}").format(
                limit=MAX_SHORT_NAME, name=repr(name)
            )
        )
    return name


def _version(version: str) -> str:
    if not SEMVER.match(version):
        raise PackageError(
            _("--app-version must be three numbers like 1.0.0, not {version}").format(
                version=version
            )
        )
    return version
