"""No words for a person are left outside the catalogs in dialogs/ and the adapters.

Moving every string into the catalogs is under way (issue 22): the modules listed in
`NOT_YET` still hold literals a person reads (with how many when the list was made). The
list only shrinks: a module off the list must stay clean, and a module on it that has become
clean must leave it, so the list always says what is left.
"""

from __future__ import annotations

import ast

import pytest

from tests.i18n.prose import bare_prose
from tests.support.paths import REPO

NOT_YET = {
    "adapters/request_json.py",  # 7
    "adapters/slack/confirm.py",  # 4
    "adapters/slack/listeners.py",  # 3
    "adapters/slack/manifest.py",  # 19
    "adapters/slack/port.py",  # 11
    "adapters/slack/render.py",  # 5
    "adapters/slack/shortcut.py",  # 5
    "adapters/slack/transport.py",  # 3
    "adapters/slack/well_formed.py",  # 14
    "adapters/teams/cloud_adapter.py",  # 7
    "adapters/teams/confirm.py",  # 3
    "adapters/teams/inbound.py",  # 2
    "adapters/teams/inputs.py",  # 1
    "adapters/teams/package.py",  # 10
    "adapters/teams/pickers.py",  # 3
    "adapters/teams/port.py",  # 10
    "adapters/teams/render.py",  # 15
    "adapters/teams/service_url.py",  # 12
    "adapters/teams/task_modules.py",  # 2
    "adapters/teams/transport.py",  # 1
    "adapters/teams/universal_actions.py",  # 11
}

MODULES = sorted(
    str(path.relative_to(REPO))
    for folder in ("dialogs", "adapters")
    for path in (REPO / folder).rglob("*.py")
)


@pytest.mark.parametrize("module", MODULES)
def test_words_for_people_come_from_the_catalogs(module: str):
    left = bare_prose(REPO / module)
    if module in NOT_YET:
        assert left, f"{module} holds no bare words any more: take it off NOT_YET"
        return
    assert not left, f"{module} has words for people outside _():\n" + "\n".join(
        f"  line {line}: {text!r}" for line, text in left
    )


def test_the_list_names_only_modules_that_exist():
    assert not NOT_YET - set(MODULES)


def _underscore_assignments(module: str) -> list[int]:
    """The lines where `module`, having imported `_` from the language module, assigns to `_`
    (`for _ in`, `a, _ = …`): from there on its `_("…")` calls a throwaway value."""
    tree = ast.parse((REPO / module).read_text())
    imports = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "dialogs.core.language"
        and any(alias.name == "_" for alias in node.names)
        for node in ast.walk(tree)
    )
    if not imports:
        return []
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)
    ]


@pytest.mark.parametrize("module", MODULES)
def test_a_module_that_translates_never_assigns_to_underscore(module: str):
    lines = _underscore_assignments(module)
    assert not lines, f"{module} imports `_` and assigns to it on lines {lines}: rename those"
