"""Dependencies point one way: bot → adapters → dialogs → storage.

Inside `dialogs/` the feature packages form a stack, `core < commands < collaborative < polls
< purpose < checkins`, each importing only those below it, and no feature imports the root
(`engine`, `runner`, `ticker`, `home`). Adapters see the engine only through `dialogs.core`
and `dialogs.runner`; `bot/` composes and may use the root and the audit kernel, not a
feature's insides; no module-level import cycle exists anywhere; `bench/` imports the
test helpers as packages, never through `sys.path`.

Every module is parsed, not imported, so an import hidden under
`if TYPE_CHECKING:` or inside a function counts too. A failure names the file,
the line and the import. Each rule has a self-test that feeds it a bad example, so a rule
that silently stopped matching would fail.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SLACK_SDKS = {"slack_bolt", "slack_sdk"}
BOTBUILDER = {"botbuilder", "botframework", "msrest"}
AGENTS_SDK = {"microsoft_agents"}
TEAMS_SDKS = BOTBUILDER | AGENTS_SDK
LAYERS = ("bot", "adapters", "dialogs", "storage")
# Each dialogs/ feature package may import only those ranked below it.
RANK = {"core": 0, "commands": 1, "collaborative": 2, "polls": 3, "purpose": 4, "checkins": 5}
ROOT_MODULES = {"engine", "runner", "ticker", "home"}
ADAPTERS_MAY_IMPORT = {"dialogs.core", "dialogs.runner"}
BOT_MAY_IMPORT = {
    "dialogs.core",
    "dialogs.runner",
    "dialogs.engine",
    "dialogs.ticker",
    "dialogs.polls.tally",  # the audit kernel: `concord recount` counts a ballots file
    "dialogs.polls.ballot_csv",
    "dialogs.polls.committees",  # the audit kernel too: each organisation's outcome
    "dialogs.commands.grammar",  # the grammar as data: `concord teams-package` lists the commands
    "dialogs.polls.coach",  # pure rules on text: `concord coach` reviews a file of questions
    "dialogs.purpose.grouping",  # a published API: `concord group` groups a file of statements
}


@dataclass(frozen=True)
class Import:
    path: str
    line: int
    module: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} imports {self.module}"


@cache
def syntax_tree(path: Path) -> ast.Module:
    """The parsed module, parsed once per run however many rules read it."""
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imports_in(path: Path, root: Path = ROOT) -> list[Import]:
    """Every name `path` imports, relative imports resolved to absolute ones.

    `from a.b import c` is recorded as `a.b.c`, so importing a subpackage by
    name (`from adapters import slack`) is seen for what it is.
    """
    relative = path.relative_to(root)
    package = list(relative.parent.parts)
    shown = relative.as_posix()
    found = []
    for node in ast.walk(syntax_tree(path)):
        if isinstance(node, ast.Import):
            found += [Import(shown, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found += [Import(shown, node.lineno, f"{module}.{a.name}") for a in node.names]
    return sorted(found, key=lambda each: each.line)


def imports_under(folder: str, root: Path = ROOT) -> list[Import]:
    files = sorted((root / folder).rglob("*.py"))
    assert files, f"no Python files under {folder}/"
    return [found for path in files for found in imports_in(path, root)]


def is_within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def violations(found: list[Import], forbidden: set[str], why: str) -> list[str]:
    return [
        f"{each} ({why})"
        for each in found
        if any(is_within(each.module, banned) for banned in forbidden)
    ]


def outside(found: list[Import], allowed: set[str], why: str) -> list[str]:
    """Imports of `dialogs` that fall within none of the `allowed` modules."""
    return [
        f"{each} ({why})"
        for each in found
        if is_within(each.module, "dialogs")
        and not any(is_within(each.module, ok) for ok in allowed)
    ]


def against_the_stack(found: list[Import]) -> list[str]:
    """Imports by a dialogs/ feature package of a package above it, or of the root."""
    bad = []
    for each in found:
        parts = each.path.split("/")
        if parts[0] != "dialogs" or len(parts) < 3 or parts[1] not in RANK:
            continue
        mine, target = parts[1], each.module.split(".")
        if target[0] != "dialogs" or len(target) < 2 or target[1] == mine:
            continue
        if target[1] in ROOT_MODULES:
            bad.append(f"{each} (features never import the root module dialogs.{target[1]})")
        elif target[1] not in RANK:
            bad.append(f"{each} (dialogs.{target[1]} is neither a feature package nor the root)")
        elif RANK[target[1]] > RANK[mine]:
            bad.append(f"{each} ({mine} sits below {target[1]}: {' < '.join(RANK)})")
    return bad


def module_name(path: str) -> str:
    parts = path.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = ROOT) -> dict[str, list[Import]]:
    """Module → its imports of other modules of the four layers, each resolved to a module.

    `from a.b import c` is an edge to `a.b.c` when that is a module (or package), else to `a.b`.
    """
    paths = {
        module_name(path.relative_to(root).as_posix()): path
        for layer in LAYERS
        for path in sorted((root / layer).rglob("*.py"))
    }
    graph: dict[str, list[Import]] = {}
    for name, path in paths.items():
        edges = []
        for each in imports_in(path, root):
            target = each.module if each.module in paths else each.module.rpartition(".")[0]
            if target in paths and target != name:
                edges.append(replace(each, module=target))
        graph[name] = edges
    return graph


def import_cycles(graph: dict[str, list[Import]]) -> list[str]:
    """One cycle per strongly connected tangle, found by depth-first search: each as its edges."""
    state: dict[str, str] = {}
    nodes: list[str] = []
    edges: list[Import] = []
    found: dict[frozenset[str], str] = {}

    def visit(name: str) -> None:
        state[name] = "open"
        nodes.append(name)
        for edge in graph[name]:
            if state.get(edge.module) == "open":
                start = nodes.index(edge.module)
                loop = [*edges[start:], edge]
                found.setdefault(frozenset(nodes[start:]), "; ".join(map(str, loop)))
            elif edge.module not in state:
                edges.append(edge)
                visit(edge.module)
                edges.pop()
        nodes.pop()
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name)
    return sorted(found.values())


def path_hacks(root: Path = ROOT) -> list[str]:
    """`sys.path` touched in bench/: benchmarks run as `python -m bench.x` and import packages."""
    return [
        f"{path.relative_to(root).as_posix()}:{node.lineno} uses sys.path"
        for path in sorted((root / "bench").rglob("*.py"))
        for node in ast.walk(syntax_tree(path))
        if isinstance(node, ast.Attribute)
        and node.attr == "path"
        and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
    ]


def adapter_packages(root: Path = ROOT) -> list[str]:
    return sorted(init.parent.name for init in (root / "adapters").glob("*/__init__.py"))


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


@pytest.mark.parametrize(("sdks", "home"), [(BOTBUILDER, "botbuilder"), (AGENTS_SDK, "agents")])
def test_each_teams_sdk_is_imported_only_by_its_transport(sdks, home):
    """Either SDK can be left uninstalled (CONCORD_TEAMS_SDK): the shared Teams code reads
    the wire's JSON, and only adapters/teams/<sdk>/ knows its SDK."""
    found = [
        each
        for each in imports_under("adapters/teams")
        if not each.path.startswith(f"adapters/teams/{home}/")
    ]
    bad = violations(found, sdks, f"{home}'s imports live in adapters/teams/{home}/")
    assert not bad, "\n".join(bad)


def test_only_the_transport_chooses_a_teams_sdk():
    transports = {"adapters.teams.botbuilder", "adapters.teams.agents"}
    found = [
        each
        for each in imports_under("adapters/teams")
        if each.path.split("/")[2] not in ("botbuilder", "agents", "transport.py")
    ]
    bad = violations(found, transports, "the shared Teams code works on either SDK")
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


def test_dialogs_packages_import_only_those_below_them_and_never_the_root():
    bad = against_the_stack(imports_under("dialogs"))
    assert not bad, "\n".join(bad)


def test_no_import_cycle_anywhere():
    found = import_cycles(import_graph())
    why = "import cycles (imports under TYPE_CHECKING and inside functions count):"
    assert not found, "\n".join([why, *found])


def test_adapters_see_the_engine_only_through_its_face_and_never_storage():
    found = imports_under("adapters")
    bad = outside(found, ADAPTERS_MAY_IMPORT, "adapters use only dialogs.core.* and dialogs.runner")
    bad += violations(found, {"storage"}, "adapters reach the database only through the engine")
    assert not bad, "\n".join(bad)


def test_bot_imports_no_feature_package_but_the_audit_kernel():
    bad = outside(imports_under("bot"), BOT_MAY_IMPORT, "bot/ composes; features stay inside")
    assert not bad, "\n".join(bad)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_the_stack_rule_sees_upward_and_root_imports(tmp_path):
    write(
        tmp_path,
        {
            "dialogs/polls/x.py": "from dialogs.core import cards\n"
            "from dialogs.commands.parser import parse\n"
            "from dialogs.polls.tally import result\n"
            "def later():\n"
            "    from dialogs.purpose import stages\n"
            "from ..engine import Engine\n"
            "import dialogs.grammar\n"
        },
    )
    assert against_the_stack(imports_under("dialogs", tmp_path)) == [
        "dialogs/polls/x.py:5 imports dialogs.purpose.stages"
        " (polls sits below purpose: core < commands < collaborative < polls < purpose < checkins)",
        "dialogs/polls/x.py:6 imports dialogs.engine.Engine"
        " (features never import the root module dialogs.engine)",
        "dialogs/polls/x.py:7 imports dialogs.grammar"
        " (dialogs.grammar is neither a feature package nor the root)",
    ]


def test_the_cycle_search_sees_type_only_and_late_imports(tmp_path):
    write(
        tmp_path,
        {
            "adapters/__init__.py": "",
            "adapters/web/__init__.py": "from adapters.web.app import App\n",
            "adapters/web/app.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n"
            "    from adapters.web.routes import Routes\n",
            "adapters/web/routes.py": "def later():\n    from adapters.web import app\n",
            "storage/models.py": "import adapters.web\n",
        },
    )
    assert import_cycles(import_graph(tmp_path)) == [
        "adapters/web/app.py:3 imports adapters.web.routes;"
        " adapters/web/routes.py:2 imports adapters.web.app"
    ]


def test_the_face_rules_see_reaches_past_the_face(tmp_path):
    write(
        tmp_path,
        {
            "adapters/slack/x.py": "from dialogs.core.cards import Card\n"
            "from dialogs import runner\n"
            "from dialogs.polls.voting import vote\n"
            "from storage.models import Poll\n",
            "bot/x.py": "from dialogs.polls import tally, ballot_csv\n"
            "from dialogs.engine import Engine\n"
            "from dialogs.polls.results import compute\n"
            "import dialogs.home\n",
        },
    )
    adapters = imports_under("adapters", tmp_path)
    assert outside(adapters, ADAPTERS_MAY_IMPORT, "no") == [
        "adapters/slack/x.py:3 imports dialogs.polls.voting.vote (no)"
    ]
    assert violations(adapters, {"storage"}, "no") == [
        "adapters/slack/x.py:4 imports storage.models.Poll (no)"
    ]
    assert outside(imports_under("bot", tmp_path), BOT_MAY_IMPORT, "no") == [
        "bot/x.py:3 imports dialogs.polls.results.compute (no)",
        "bot/x.py:4 imports dialogs.home (no)",
    ]


def test_benchmarks_import_packages_without_path_hacks():
    bad = path_hacks()
    assert not bad, "\n".join(bad)


def test_path_hacks_are_caught(tmp_path):
    write(
        tmp_path,
        {
            "bench/votes.py": "import sys\nsys.path.insert(0, '.')\n",
            "bench/tally.py": "import os\nos.path.join('a')\n",
        },
    )
    assert path_hacks(tmp_path) == ["bench/votes.py:2 uses sys.path"]
