"""What Slack would refuse in a message or a modal, found before anything is sent.

slack_sdk's models parse the payload and `to_dict()` validates what they know;
the rest of Slack's documented limits (50 blocks, 75-character labels, 150-character
option values, unique ids, plain_text where required) are checked here. Reused by
any test that sees Block Kit, such as a local Slack Web API server.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

LABELLED_ELEMENTS = {"button": 75}
OPTION_LISTS = {"static_select": 100, "multi_static_select": 100, "checkboxes": 10}
TEXT_LIMITS = {"section": 3000, "header": 150}
DATE_TOKEN = re.compile(r"<!date\^\d{1,12}\^\{date_short_pretty\} \{time\}\|[^<>&|]*>")
UNESCAPED = re.compile(r"<|>|&(?!amp;|lt;|gt;)")


def message_problems(payload: dict[str, Any]) -> list[str]:
    """Everything in a `chat.postMessage` payload Slack would refuse or mis-show."""
    blocks = payload.get("blocks", [])
    problems = _sdk_problems(blocks) + _block_problems(blocks, max_blocks=50)
    text = payload.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append("no plain `text` fallback")
    elif len(text) > 4000:
        problems.append(f"`text` fallback has {len(text)} characters, over 4000")
    return problems


def modal_problems(view: dict[str, Any]) -> list[str]:
    """Everything in a `views.open` view Slack would refuse."""
    problems = _block_problems(view.get("blocks", []), max_blocks=100)
    try:
        parsed = View(**view).to_dict()
    except (SlackObjectFormationError, TypeError) as error:
        return [f"slack_sdk: {error}", *problems]
    if parsed != view:
        problems.append("slack_sdk's View does not round-trip the view")
    for key in ("title", "submit", "close"):
        if key in view and view[key].get("type") != "plain_text":
            problems.append(f"modal {key} is not plain_text")
    return problems


def assert_valid_message(payload: dict[str, Any]) -> None:
    problems = message_problems(payload)
    assert not problems, "\n".join(problems)


def assert_valid_modal(view: dict[str, Any]) -> None:
    problems = modal_problems(view)
    assert not problems, "\n".join(problems)


def mrkdwn_texts(payload: dict[str, Any]) -> list[str]:
    """Every string Slack parses for mentions and links: mrkdwn objects and `text`."""
    found = [obj["text"] for obj in objects(payload) if obj.get("type") == "mrkdwn"]
    return [*found, payload["text"]] if isinstance(payload.get("text"), str) else found


def unescaped(text: str) -> list[str]:
    """The `<`, `>` and bare `&` in mrkdwn that Slack would read as markup, other than
    the date tokens of Concord's own moments (`adapters.slack.escape.date_token`)."""
    return UNESCAPED.findall(DATE_TOKEN.sub("", text))


def objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every dict nested anywhere in `value`, `value` included."""
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from objects(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from objects(inner)


def _sdk_problems(blocks: list[dict[str, Any]]) -> list[str]:
    try:
        parsed = Block.parse_all(blocks)
        if any(block is None for block in parsed):
            return ["slack_sdk does not know a block type"]
        if [block.to_dict() for block in parsed] != blocks:
            return ["slack_sdk does not round-trip the blocks"]
    except SlackObjectFormationError as error:
        return [f"slack_sdk: {error}"]
    return []


def _block_problems(blocks: list[dict[str, Any]], max_blocks: int) -> list[str]:
    problems = [] if len(blocks) <= max_blocks else [f"{len(blocks)} blocks, over {max_blocks}"]
    for block in blocks:
        problems += _one_block_problems(block)
    for obj in objects(blocks):
        problems += _element_problems(obj)
    for key in ("block_id", "action_id"):
        repeated = Counter(obj[key] for obj in objects(blocks) if key in obj)
        problems += [f"{key} {name!r} used {n} times" for name, n in repeated.items() if n > 1]
    return problems


def _one_block_problems(block: dict[str, Any]) -> list[str]:
    kind = block.get("type")
    problems = []
    text = block.get("text", {})
    if kind in TEXT_LIMITS and len(text.get("text", "")) > TEXT_LIMITS[kind]:
        problems.append(f"{kind} text over {TEXT_LIMITS[kind]} characters")
    if kind == "header" and text.get("type") != "plain_text":
        problems.append("header text is not plain_text")
    fields = block.get("fields", [])
    if len(fields) > 10 or any(len(field["text"]) > 2000 for field in fields):
        problems.append("section over 10 fields or a field over 2000 characters")
    if kind == "actions" and len(block["elements"]) > 25:
        problems.append(f"actions block with {len(block['elements'])} elements, over 25")
    if kind == "context" and len(block["elements"]) > 10:
        problems.append("context block over 10 elements")
    return problems


def _element_problems(obj: dict[str, Any]) -> list[str]:
    kind = obj.get("type")
    problems = []
    if kind in ("plain_text", "mrkdwn") and not obj.get("text", "").strip():
        problems.append(f"empty {kind} text")
    if kind in LABELLED_ELEMENTS:
        problems += _label_problems(obj["text"], LABELLED_ELEMENTS[kind], kind)
        if len(obj.get("value", "")) > 2000:
            problems.append("button value over 2000 characters")
    if kind in OPTION_LISTS:
        options = obj.get("options", [])
        if not 1 <= len(options) <= OPTION_LISTS[kind]:
            problems.append(f"{kind} with {len(options)} options")
        for option in options:
            problems += _label_problems(option["text"], 75, "option")
            if len(option["value"]) > 150:
                problems.append("option value over 150 characters")
    return problems


def _label_problems(text: dict[str, Any], limit: int, what: str) -> list[str]:
    problems = [] if text.get("type") == "plain_text" else [f"{what} label is not plain_text"]
    if len(text.get("text", "")) > limit:
        problems.append(f"{what} label {text['text'][:30]!r}… over {limit} characters")
    return problems
