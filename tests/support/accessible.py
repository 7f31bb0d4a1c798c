"""What a screen reader, a keyboard or a person who can't tell colours apart would miss in a
message, as each platform shows it: for tests/adapters/test_accessible_messages.py.

Each `*_problems` function takes one neutral card and what a platform's renderer made of it,
and lists, in words, what is wrong: a button with no name, two buttons with the same name,
a Slack name over 75 characters, a menu that acts the moment a choice is made, a leading
option said only in bold, a chart whose figures are only in the picture, a notification
that says nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

from adapters.playground.render import inline
from adapters.slack.escape import mrkdwn
from adapters.teams.escape import markdown
from adapters.teams.render import summary
from dialogs.core.cards import LEADING, Actions, Button, Card, Image, ResultBars, Select
from tests.stand_ins.slack_blocks import objects

SLACK_NAME = 75  # Slack refuses a longer accessibility_label
TEAMS_ACTIONS = ("Action.Execute", "Action.Submit", "Action.ShowCard")


def buttons_of(card: Card) -> list[Button]:
    return [e for e in _elements(card) if isinstance(e, Button)]


def selects(card: Card) -> list[Select]:
    return [e for e in _elements(card) if isinstance(e, Select)]


def _elements(card: Card) -> list[Button | Select]:
    return [e for b in card.blocks if isinstance(b, Actions) for e in b.elements]


def unnamed(card: Card) -> list[str]:
    """The engine's buttons whose label alone is all a screen reader would say."""
    return [f"button {b.label!r} has no spoken name" for b in buttons_of(card) if not b.spoken]


def repeated(names: list[str], platform: str) -> list[str]:
    return [
        f"{platform}: {n} buttons named {name!r}" for name, n in Counter(names).items() if n > 1
    ]


def slack_problems(card: Card, message: dict[str, Any]) -> list[str]:
    found: list[str] = []
    text = message["text"]
    if not text.strip() or text == "Concord":
        found.append(f"Slack: the notification text says nothing: {text!r}")
    elements = [
        o for o in objects(message["blocks"]) if o.get("type") in ("button", "static_select")
    ]
    names = []
    for element in elements:
        if element["type"] == "static_select":
            if "confirm" not in element:
                found.append("Slack: a menu acts the moment a choice is made")
            continue
        name = element.get("accessibility_label") or element["text"]["text"]
        names.append(name)
        if not name.strip() or len(name) > SLACK_NAME:
            found.append(f"Slack: button name {name!r} is empty or over {SLACK_NAME}")
    found += repeated(names, "Slack")
    words = " ".join(o["text"] for o in objects(message["blocks"]) if o.get("type") == "mrkdwn")
    found += unsaid(card, words, lambda text: mrkdwn(text, 3000), "Slack")
    return found


def teams_problems(card: Card, rendered: dict[str, Any]) -> list[str]:
    found: list[str] = []
    said = summary(card)
    if not said.strip() or said == "Concord":
        found.append(f"Teams: the summary says nothing: {said!r}")
    actions = [o for o in objects(rendered["body"]) if o.get("type") in TEAMS_ACTIONS]
    fallbacks = [id(o["fallback"]) for o in actions if isinstance(o.get("fallback"), dict)]
    shown = [o for o in actions if id(o) not in fallbacks]  # a fallback stands in for its action
    for action in shown:
        if not action.get("title", "").strip():
            found.append(f"Teams: an action with no title: {action}")
        if action["type"] != "Action.ShowCard" and not action.get("tooltip", "").strip():
            found.append(f"Teams: {action['title']!r} carries no tooltip")
    top = [o.get("tooltip") or o["title"] for o in _top_actions(rendered)]
    found += repeated(top, "Teams")
    if any(o.get("type") == "Input.ChoiceSet" for o in objects(rendered)):
        found.append("Teams: a message holds a choice set")
    words = " ".join(o["text"] for o in objects(rendered) if o.get("type") == "TextBlock")
    found += unsaid(card, words, lambda text: markdown(text, 5000), "Teams")
    return found


def _top_actions(rendered: dict[str, Any]) -> list[dict[str, Any]]:
    """The actions of the card's own action sets (not those inside a fold-out)."""
    sets = [b for b in rendered["body"] if b.get("type") == "ActionSet"]
    return [action for each in sets for action in each["actions"]]


def playground_problems(card: Card, html: str) -> list[str]:
    page = _Page()
    page.feed(html)
    found = [f"playground: button {t!r} has no aria-label" for t, n in page.buttons if not n]
    found += repeated([n for _, n in page.buttons if n], "playground")
    if page.selects:
        found.append("playground: a message holds a drop-down")
    found += [f"playground: {w} not in words" for w in _leading(card, inline) if w not in html]
    found += [
        f"playground: chart {w!r} not in a caption"
        for w in _charts(card, inline)
        if f'<figcaption class="block-context">{w}</figcaption>' not in html
    ]
    return found


def unsaid(card: Card, words: str, written: Callable[[str], str], platform: str) -> list[str]:
    """What `words` (the message's text, as the platform writes it) leaves unsaid: that an
    option leads, and a chart's figures."""
    return [f"{platform}: {w!r} not in words" for w in _said(card, written) if w not in words]


def _said(card: Card, written: Callable[[str], str]) -> list[str]:
    return _leading(card, written) + _charts(card, written)


def _leading(card: Card, written: Callable[[str], str]) -> list[str]:
    bars = [bar for b in card.blocks if isinstance(b, ResultBars) for bar in b.bars if bar.leading]
    return [written(f"{bar.label} {LEADING}") for bar in bars]


def _charts(card: Card, written: Callable[[str], str]) -> list[str]:
    return [written(b.alt) for b in card.blocks if isinstance(b, Image)]


class _Page(HTMLParser):
    """Each button's text and aria-label, and whether there is any drop-down."""

    def __init__(self) -> None:
        super().__init__()
        self.buttons: list[tuple[str, str]] = []
        self.selects = 0
        self._in_button = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "select":
            self.selects += 1
        if tag == "button":
            self.buttons.append(("", dict(attrs).get("aria-label") or ""))
            self._in_button = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "button":
            self._in_button = False

    def handle_data(self, data: str) -> None:
        if self._in_button:
            text, name = self.buttons[-1]
            self.buttons[-1] = (text + data, name)
