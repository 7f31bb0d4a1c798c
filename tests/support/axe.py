"""Deque's axe-core, injected into a Playwright page: the accessibility problems it finds.

`make test` installs the npm package into .cache/axe-core/ (never committed); when it is
missing, the tests that need it fail under CI=true and skip elsewhere, saying how to install it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.support.installed_clients import require

ROOT = Path(__file__).resolve().parents[2]
AXE_VERSION = "4.10.3"
AXE_SCRIPT = ROOT / ".cache" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
# What WCAG 2.2 AA asks of a page, as axe-core tags its rules, and its best practices.
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
GRAVE = ("serious", "critical")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Every rule of WCAG 2.2 AA (and axe's best practices) the page breaks as it stands."""
    missing = None if AXE_SCRIPT.exists() else f"axe-core {AXE_VERSION} is missing ({AXE_SCRIPT})"
    require(missing, f"`make .cache/axe-core/.installed-axe-core-{AXE_VERSION}` installs it")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's CSP forbids inline scripts.
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, { runOnly: { type: 'tag', values: tags } })", WCAG_AA_TAGS
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def grave(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The serious and critical ones."""
    return [v for v in violations if v["impact"] in GRAVE]


def readable(violations: list[dict[str, Any]], state: str) -> str:
    """The violations as a person reads them: the rule, why, and each element that breaks it."""
    lines = [f"{len(violations)} accessibility violation(s) in the playground {state}:"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:160]}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", " ")
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    …and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)
