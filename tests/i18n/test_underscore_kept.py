"""A module that translates with `_` never rebinds `_` as a throwaway name.

`for _ in ...` or `a, _, b = ...` in a module that imports `_` from
`dialogs.core.language` would replace the translation function with a value, and the next
`_("...")` in that scope would fail at run time (or worse, in a rarely taken branch).
"""

from __future__ import annotations

import ast

import pytest

from tests.support.paths import REPO

MODULES = sorted(
    str(path.relative_to(REPO))
    for folder in ("dialogs", "adapters", "bot")
    for path in (REPO / folder).rglob("*.py")
)


def _imports_underscore(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "dialogs.core.language"
        and any(alias.name == "_" and alias.asname is None for alias in node.names)
        for node in ast.walk(tree)
    )


def rebinds_underscore(source: str) -> list[int]:
    """The lines where a module importing `_` assigns to the name `_`."""
    tree = ast.parse(source)
    if not _imports_underscore(tree):
        return []
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)
    )


@pytest.mark.parametrize("module", MODULES)
def test_no_module_that_translates_rebinds_underscore(module: str):
    lines = rebinds_underscore((REPO / module).read_text())
    assert not lines, f"{module} assigns to `_` (its translation function) on lines {lines}"


def test_the_check_sees_a_throwaway_loop_and_a_throwaway_unpacking():
    source = "\n".join(
        [
            "from dialogs.core.language import _",
            "for _ in range(3):",
            "    pass",
            "a, _, b = (1, 2, 3)",
        ]
    )
    assert rebinds_underscore(source) == [2, 4]
    assert rebinds_underscore("for _ in range(3):\n    pass\n") == []
