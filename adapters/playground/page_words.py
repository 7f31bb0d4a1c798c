"""The playground page's own words (headings, buttons, labels, what its script says), in the
language the person chose beside the persona picker.

The page (static/playground.html) marks each element that shows words with the key of its
words: `data-words="key"` for its text, `data-words-placeholder` and `data-words-aria-label`
for those attributes. The server fills them in the chosen language before sending the page;
words.js fills them again when the person changes language, from `words(language)` (served
as JSON), without reloading, so nothing typed or open is lost. Words with `{placeholders}`
are the script's, filled in as it draws.
"""

from __future__ import annotations

import json
import re
from functools import cache
from html import escape
from pathlib import Path

from dialogs.core.language import DEFAULT, LANGUAGES, N_, _, speaking

TEMPLATE = Path(__file__).parent / "static" / "playground.html"
WORDS = {
    "title": N_("Concord playground"),
    "skip_link": N_("Skip to the message box"),
    "badge": N_("playground"),
    "tagline": N_(
        "Try Concord as different people in a demo provider collaborative. "
        "Nothing here reaches Slack or Teams."
    ),
    "side_by_side": N_("Show every channel of the collaborative side by side"),
    "sidebar": N_("Who you are and where"),
    "act_as": N_("Act as"),
    "act_as_new": N_("Act as someone new"),
    "someone_new": N_("…or someone new"),
    "your_name": N_("Your name"),
    "use": N_("Use"),
    "channels": N_("Channels"),
    "things_to_type": N_("Things to type"),
    # Examples put in the message box: the command words stay English; the rest is the reader's.
    "example_poll": N_(
        'poll "Which shared priority first?" "Discharge delays" "Mental health beds"'
    ),
    "example_setup": N_('setup "My collaborative"'),
    "start_again": N_("Start again"),
    "reset_ask": N_("Reset the demo…"),
    "reset_question": N_(
        "Delete every poll, purpose round, check-in and message in the playground, and any "
        "collaborative set up here, then start the demo afresh?"
    ),
    "reset_confirm": N_("Reset the demo"),
    "reset_cancel": N_("Keep it"),
    "new_messages": N_("New messages ↓"),
    "send": N_("Send"),
    "no_messages": N_("No messages yet."),
    "new_here": N_("new here"),
    "not_linked": N_("not linked yet"),
    "linked_to": N_("Linked to {collaborative}"),
    "not_linked_help": N_(
        'Not linked to a collaborative yet: try setup "My collaborative", or link CODE'
    ),
    "composer_label": N_("Message {channel} as {name}"),
    "composer": N_("Message box of {channel}"),
    "composer_placeholder": N_("Type a command, then Enter"),
    "only_to_you": N_("Concord, only to you"),
    "answered": N_("The playground answered {status}."),
}
_SCRIPT_WORDS = 'data-page-words=""'  # i18n: not for readers (where the script's words go)
# An element's words, as the page marks them: its text, or one of its attributes.
_MARKED = re.compile(r'(<[a-z0-9]+\b[^>]*?\bdata-words(-[a-z-]+)?="([a-z_]+)"[^>]*>)')


def words(language: str) -> dict[str, str]:
    """Every word of the page in `language`, by key."""
    with speaking(language):
        return {key: _(message) for key, message in WORDS.items()}


def page_language(chosen: str | None) -> str:
    """The language to send the page in: the person's choice, if we speak it."""
    return chosen if chosen in LANGUAGES else DEFAULT


@cache
def page(language: str) -> str:
    """The page with its words in `language`, and the same words for its script."""
    said = words(language)
    html = TEMPLATE.read_text(encoding="utf-8")
    html = _MARKED.sub(lambda tag: _filled(tag, said), html)
    script_words = escape(json.dumps({"language": language, "words": said}), quote=True)
    html = html.replace('<html lang="en">', f'<html lang="{language}">', 1)  # i18n: not for readers
    return html.replace(_SCRIPT_WORDS, f'{_SCRIPT_WORDS[:-1]}{script_words}"', 1)


def _filled(tag: re.Match[str], said: dict[str, str]) -> str:
    """An opening tag with its words: an attribute, or its text after it (the element is
    empty in the template)."""
    opening, attribute, key = tag.group(1), tag.group(2), tag.group(3)
    if attribute:
        return opening[:-1] + f' {attribute[1:]}="{escape(said[key], quote=True)}">'
    return opening + escape(said[key], quote=False)
