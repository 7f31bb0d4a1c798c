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
    "adapters/playground/demo.py",  # 12
    "adapters/playground/inbound.py",  # 14
    "adapters/playground/render.py",  # 32
    "adapters/playground/routes.py",  # 5
    "adapters/teams/package.py",  # 10
    "dialogs/checkins/answers.py",  # 14
    "dialogs/checkins/own_time.py",  # 7
    "dialogs/checkins/runs.py",  # 9
    "dialogs/checkins/schedules.py",  # 48
    "dialogs/checkins/summary.py",  # 7
    "dialogs/polls/ballot_forms.py",  # 19
    "dialogs/polls/chart_data.py",  # 1
    "dialogs/polls/render.py",  # 36
    "dialogs/polls/results.py",  # 2
    "dialogs/polls/view.py",  # 13
    "dialogs/polls/voting.py",  # 41
    "dialogs/purpose/cards.py",  # 48
    "dialogs/purpose/commands.py",  # 44
    "dialogs/purpose/grouping/lexical.py",  # 1
    "dialogs/purpose/groups.py",  # 31
    "dialogs/purpose/moves.py",  # 11
    "dialogs/purpose/news.py",  # 23
    "dialogs/purpose/nudge.py",  # 4
    "dialogs/purpose/proposals.py",  # 31
    "dialogs/purpose/rounds.py",  # 3
    "dialogs/purpose/rule.py",  # 10
    "dialogs/purpose/stages.py",  # 12
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
