"""Dependencies point one way: bot → adapters → dialogs → storage.

Every module is parsed, not imported, so an import hidden under
`if TYPE_CHECKING:` or inside a function counts too. A failure names the file,
the line and the import.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SLACK_SDKS = {"slack_bolt", "slack_sdk"}
TEAMS_SDKS = {"botbuilder", "botframework", "microsoft_agents"}


@dataclass(frozen=True)
class Import:
    path: str
    line: int
    module: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} imports {self.module}"


def imports_in(path: Path, root: Path = ROOT) -> list[Import]:
    """Every name `path` imports, relative imports resolved to absolute ones.

    `from a.b import c` is recorded as `a.b.c`, so importing a subpackage by
    name (`from adapters import slack`) is seen for what it is.
    """
    relative = path.relative_to(root)
    package = list(relative.parent.parts)
    shown = relative.as_posix()
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [Import(shown, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found += [Import(shown, node.lineno, f"{module}.{a.name}") for a in node.names]
    return sorted(found, key=lambda each: each.line)


def imports_under(folder: str) -> list[Import]:
    files = sorted((ROOT / folder).rglob("*.py"))
    assert files, f"no Python files under {folder}/"
    return [found for path in files for found in imports_in(path)]


def is_within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def violations(found: list[Import], forbidden: set[str], why: str) -> list[str]:
    return [
        f"{each} ({why})"
        for each in found
        if any(is_within(each.module, banned) for banned in forbidden)
    ]


def adapter_packages() -> list[str]:
    return sorted(init.parent.name for init in (ROOT / "adapters").glob("*/__init__.py"))


def test_dialogs_import_no_platform_code_or_outer_layer():
    forbidden = {"adapters", "bot", "aiohttp", *SLACK_SDKS, *TEAMS_SDKS}
    bad = violations(imports_under("dialogs"), forbidden, "dialogs/ must stay platform-neutral")
    assert not bad, "\n".join(bad)


def test_storage_imports_no_outer_layer():
    forbidden = {"dialogs", "adapters", "bot"}
    bad = violations(imports_under("storage"), forbidden, "storage/ is the innermost layer")
    assert not bad, "\n".join(bad)


def test_adapters_import_no_composition_code():
    bad = violations(imports_under("adapters"), {"bot"}, "adapters/ must not import bot/")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("adapter", adapter_packages())
def test_each_adapter_imports_no_other_adapter(adapter):
    others = {f"adapters.{other}" for other in adapter_packages() if other != adapter}
    found = imports_under(f"adapters/{adapter}")
    bad = violations(found, others, f"adapters/{adapter}/ must not import another adapter")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(("sdks", "home"), [(SLACK_SDKS, "slack"), (TEAMS_SDKS, "teams")])
def test_platform_sdks_are_imported_only_by_their_adapter(sdks, home):
    found = [
        each
        for folder in ("bot", "adapters", "dialogs", "storage")
        for each in imports_under(folder)
        if not each.path.startswith(f"adapters/{home}/")
    ]
    bad = violations(found, sdks, f"platform SDK imports live in adapters/{home}/")
    assert not bad, "\n".join(bad)


def test_the_checker_sees_hidden_and_relative_imports(tmp_path):
    module = tmp_path / "dialogs" / "sneaky.py"
    module.parent.mkdir()
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from ..adapters.slack import render\n"
        "def later():\n"
        "    import aiohttp.web\n"
        "    from botbuilder.core import TurnContext\n"
    )
    bad = violations(imports_in(module, tmp_path), {"adapters", "aiohttp", *TEAMS_SDKS}, "no")
    assert bad == [
        "dialogs/sneaky.py:3 imports adapters.slack.render (no)",
        "dialogs/sneaky.py:5 imports aiohttp.web (no)",
        "dialogs/sneaky.py:6 imports botbuilder.core.TurnContext (no)",
    ]
