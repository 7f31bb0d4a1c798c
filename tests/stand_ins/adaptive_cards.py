"""Microsoft's Adaptive Cards parser (npm `adaptivecards`, run by Node) for tests.

`running_parser()` starts `node tests/stand_ins/adaptivecards/validate.js` once and sends
it many requests, one JSON line each, so a whole test module (a module-scoped
fixture around it) costs one Node process. `problems(cards)` gives, for each
card, what the package reports — SerializationContext events while parsing for
version 1.5, `validateProperties()` events — and every property its parser did
not keep (unknown, misplaced, a later version's, or a default it drops).
`markdown_html(texts)` renders text the way the package's renderer does with
markdown-it, raw HTML and bare-URL links on.

`make test` installs the package into tests/adaptivecards/node_modules; when it
(or Node) is missing the tests fail under CI=true and skip elsewhere, saying how
to install it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

import pytest

from tests.support.paths import REPO

ROOT = REPO
FOLDER = ROOT / "tests" / "stand_ins" / "adaptivecards"
SCRIPT = FOLDER / "validate.js"
PACKAGES = [
    FOLDER / "node_modules" / name / "package.json" for name in ("adaptivecards", "markdown-it")
]
INSTALL = "npm ci --prefix tests/stand_ins/adaptivecards --no-audit --no-fund"
IN_CI = os.environ.get("CI", "").lower() == "true"
ANSWER_SECONDS = 60


def parser_missing() -> str | None:
    """Why the Adaptive Cards parser cannot run here, or None."""
    if shutil.which("node") is None:
        return "Node is not installed (no `node` on PATH)"
    for package in PACKAGES:
        if not package.exists():
            return (
                f"the npm package is not installed ({package.parent.relative_to(ROOT)} is missing)"
            )
    return None


def require_parser() -> None:
    """Fail under CI=true, skip elsewhere, when Node or the npm packages are missing."""
    reason = parser_missing()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"{reason}; under CI=true the Adaptive Cards tests must run (`make test`).")
    pytest.skip(f"{reason}: install it with `{INSTALL}` (`make test` does).")


class AdaptiveCardsNode:
    """One Node process answering requests until `close()`."""

    def __init__(self) -> None:
        node = shutil.which("node")
        assert node is not None
        self._process = subprocess.Popen(
            [node, str(SCRIPT)],
            cwd=FOLDER,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def problems(self, cards: Sequence[dict[str, Any]]) -> list[list[str]]:
        """For each card, what the parser and its validation find wrong (empty: none)."""
        return self._ask({"cards": list(cards)})["problems"]

    def markdown_html(self, texts: Sequence[str]) -> list[str]:
        """Each text rendered as HTML by markdown-it, as the package's renderer would."""
        return self._ask({"markdown": list(texts)})["html"]

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(json.dumps(request) + "\n")
        stdin.flush()
        line = stdout.readline()
        if not line:
            raise RuntimeError(f"validate.js exited with {self._process.wait(ANSWER_SECONDS)}")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"validate.js: {reply['error']}")
        return reply

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        try:
            self._process.wait(ANSWER_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout:
            self._process.stdout.close()


@contextmanager
def running_parser() -> Iterator[AdaptiveCardsNode]:
    """The parser, once it is known to be installed (see `require_parser`), until the end."""
    require_parser()
    node = AdaptiveCardsNode()
    try:
        yield node
    finally:
        node.close()


def objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a card, depth first."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from objects(item)


def markdown_texts(card: dict[str, Any]) -> list[str]:
    """Every string Teams reads as markdown: TextBlock texts, fact titles and values."""
    found = []
    for each in objects(card):
        if each.get("type") == "TextBlock":
            found.append(each["text"])
        elif each.get("type") == "FactSet":
            found += [text for fact in each.get("facts", []) for text in fact.values()]
    return found


class Rendered(HTMLParser):
    """The tags, links and visible text of markdown-it's HTML for one text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.links: list[tuple[str, str]] = []  # (href, the text it shows)
        self._chunks: list[str] = []
        self._link: tuple[str, list[str]] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a":
            self._link = (dict(attrs).get("href") or "", [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0], "".join(self._link[1])))
            self._link = None

    def handle_data(self, data: str) -> None:
        self._chunks.append(data)
        if self._link is not None:
            self._link[1].append(data)

    @property
    def text(self) -> str:
        """The visible text, runs of white space as one space."""
        return " ".join("".join(self._chunks).split())

    def markup(self) -> list[str]:
        """Every tag but paragraphs and links that show their own address (a bare URL)."""
        honest = sum(1 for href, shown in self.links if _address(href) == _address(shown))
        tags = [tag for tag in self.tags if tag != "p"]
        for _ in range(honest):
            tags.remove("a")
        return tags


def _address(url: str) -> str:
    return unquote(url).strip().removeprefix("mailto:").split("://", 1)[-1].rstrip("/").lower()
