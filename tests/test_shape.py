"""The shape of the code, checked mechanically: sizes, package faces and one home per vocabulary.

Like `tests/test_layers.py` (whose parsing helpers it shares), every module is parsed, never
imported. Each check is a function of a repository root that returns its offenders, one
readable line each; each has a self-test that feeds it a bad example, so a check that silently
stopped matching would fail.
"""

from __future__ import annotations

import ast
import re
from functools import partial
from pathlib import Path

import pytest

from tests.test_layers import LAYERS, ROOT, adapter_packages, syntax_tree, write

MAX_MODULE, MAX_FUNCTION = 400, 60
# The one module allowed past MAX_MODULE: the tally is a single pure, sectioned module whose
# docstring is the counting spec that `concord recount` and auditors read top to bottom;
# splitting it would scatter the spec over files.
MODULE_ALLOWLIST = {"dialogs/polls/tally.py"}
DIALOGS_ROOT = {"__init__.py", "engine.py", "runner.py", "ticker.py", "home.py"}
ACTION_LITERAL = re.compile(
    r"^(vote|form|submit|answer|close|mute|mute-poll|unmute|edit-groups|merge|stance):"
)
ACTIONS_HOME = "dialogs/core/actions.py"
KEY_LITERAL = re.compile(r"^(poll|checkin|purpose):")
KEYS_HOME = "dialogs/core/messages.py"
SINGLE_DEFINITIONS = ("POLL_TYPES", "STANCES", "NEEDS_REASON", "SMALLEST_GROUP")
TESTS_ROOT = {"__init__.py", "conftest.py", "test_layers.py", "test_shape.py"}


def sources(root: Path = ROOT) -> list[Path]:
    """The modules of the four layers, migrations left out."""
    return [
        path
        for layer in LAYERS
        for path in sorted((root / layer).rglob("*.py"))
        if "migrations" not in path.relative_to(root).parts
    ]


def shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of the module, its classes and its functions."""
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def string_parts(tree: ast.AST, *, starts_only: bool = False) -> list[tuple[int, str]]:
    """Every literal piece of text, docstrings left out; with `starts_only`, of an f-string only
    its literal start (what a prefix would match)."""
    skipped = docstrings(tree)
    if starts_only:
        skipped |= {
            id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values[1:]
        }
    return sorted(
        {
            (node.lineno, node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skipped
        }
    )


def module_names(tree: ast.Module) -> list[tuple[int, str]]:
    """The names a module's top level assigns (`A = …`, `A: T = …`, `A, B = …`)."""
    found = []
    for node in tree.body:
        targets = [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
        each = [n for t in targets for n in (t.elts if isinstance(t, ast.Tuple) else [t])]
        found += [(node.lineno, n.id) for n in each if isinstance(n, ast.Name)]
    return found


# Sizes ----------------------------------------------------------------------------------------


def big_modules(root: Path = ROOT) -> list[str]:
    return [
        f"{shown(path, root)}: {lines} lines (at most {MAX_MODULE})"
        for path in sources(root)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE
        and shown(path, root) not in MODULE_ALLOWLIST
    ]


def long_functions(root: Path = ROOT) -> list[str]:
    return [
        f"{shown(path, root)}:{node.lineno} {node.name}: {lines} lines (at most {MAX_FUNCTION})"
        for path in sources(root)
        for node in ast.walk(syntax_tree(path))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (lines := node.end_lineno - node.lineno + 1) > MAX_FUNCTION
    ]


# Roots and package faces ----------------------------------------------------------------------


def dialogs_root_extras(root: Path = ROOT) -> list[str]:
    return [
        f"{shown(path, root)} (dialogs/ root holds only {', '.join(sorted(DIALOGS_ROOT))})"
        for path in sorted((root / "dialogs").glob("*.py"))
        if path.name not in DIALOGS_ROOT
    ]


def extras_in_tests_root(root: Path = ROOT) -> list[str]:
    return [
        f"tests/{path.name} (tests/ root holds {', '.join(sorted(TESTS_ROOT))} and folders)"
        for path in sorted((root / "tests").iterdir())
        if path.is_file() and path.name not in TESTS_ROOT
    ]


def defines(node: ast.stmt) -> bool:
    """Whether a top-level statement of an `__init__` defines something (`__all__` may be set)."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        return False
    if isinstance(node, ast.Assign):
        return any(getattr(t, "id", "") != "__all__" for t in node.targets)
    return True


def bad_faces(root: Path = ROOT) -> list[str]:
    """Package `__init__`s that aren't one paragraph of docstring (imports and `__all__` aside)."""
    bad = []
    for path in sources(root):
        if path.name != "__init__.py":
            continue
        tree = syntax_tree(path)
        doc = ast.get_docstring(tree) or ""
        body = tree.body[1:] if doc else tree.body
        if not doc:
            bad.append(f"{shown(path, root)}: no docstring")
        elif "\n\n" in doc.strip() or len(doc.split()) > 150:
            bad.append(f"{shown(path, root)}: the docstring is not one short paragraph")
        bad += [
            f"{shown(path, root)}:{node.lineno} defines code (a face only says what lives here)"
            for node in body
            if defines(node)
        ]
    return bad


# One home per vocabulary ----------------------------------------------------------------------


def literals_outside(root: Path, *, pattern: re.Pattern[str], home: str) -> list[str]:
    return [
        f"{shown(path, root)}:{line} {text[:40]!r} (only {home} spells these)"
        for path in sources(root)
        if shown(path, root) != home
        for line, text in string_parts(syntax_tree(path), starts_only=True)
        if pattern.match(text)
    ]


def platform_names_in_dialogs(root: Path = ROOT) -> list[str]:
    """Platform names in dialogs/ literals, and platform constants defined there."""
    names = adapter_packages(root)
    word = re.compile(r"\b(" + "|".join(n.capitalize() for n in names) + r")\b")
    constant = re.compile(r"^(" + "|".join(n.upper() for n in names) + r")_\w+$")
    bad = []
    for path in sources(root):
        if not shown(path, root).startswith("dialogs/"):
            continue
        tree = syntax_tree(path)
        bad += [
            f"{shown(path, root)}:{line} {text[:50]!r} (platform names come from adapters)"
            for line, text in string_parts(tree)
            if text.lower() in names or word.search(text)
        ]
        bad += [
            f"{shown(path, root)}:{line} {name} (platform constants live in their adapter)"
            for line, name in module_names(tree)
            if constant.match(name)
        ]
    return bad


def repeated_definitions(root: Path = ROOT) -> list[str]:
    """Each shared name defined at module level exactly once, and `PLATFORM` once per adapter."""
    where: dict[str, list[str]] = {name: [] for name in SINGLE_DEFINITIONS}
    for name in adapter_packages(root):
        where[f"PLATFORM in adapters/{name}/"] = []
    for path in sources(root):
        layer, adapter, *_ = (*path.relative_to(root).parts, "")
        for line, name in module_names(syntax_tree(path)):
            mine = name == "PLATFORM" and layer == "adapters"
            key = f"PLATFORM in adapters/{adapter}/" if mine else name
            if key in where:
                where[key].append(f"{shown(path, root)}:{line}")
    return [
        f"{name}: defined {len(places)} times, not once ({', '.join(places) or 'nowhere'})"
        for name, places in where.items()
        if len(places) != 1
    ]


# Events that are real -------------------------------------------------------------------------


def event_union(root: Path) -> list[str]:
    """The class names in `Event = A | B | ...` of dialogs/core/events.py."""
    for node in syntax_tree(root / "dialogs/core/events.py").body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "Event":
            return sorted({n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)})
    return []


def names_in(path: Path, *, called: bool) -> set[str]:
    """The names a module uses (`A`, `events.A`), or only those it calls."""
    nodes = list(ast.walk(syntax_tree(path)))
    used = [n.func for n in nodes if isinstance(n, ast.Call)] if called else nodes
    kinds = ast.Name | ast.Attribute
    return {getattr(n, "id", None) or getattr(n, "attr", "") for n in used if isinstance(n, kinds)}


def unreal_events(root: Path = ROOT) -> list[str]:
    """Events of the union that no adapter constructs, or that the engine never routes."""
    union = event_union(root)
    if not union:
        return ["dialogs/core/events.py: no `Event = A | B | ...` union found"]
    made = set().union(*(names_in(p, called=True) for p in (root / "adapters").rglob("*.py")))
    routing = [root / "dialogs/engine.py", root / "dialogs/runner.py"]
    routed = set().union(*(names_in(p, called=False) for p in routing if p.exists()))
    return [f"{event}: no adapter constructs it" for event in union if event not in made] + [
        f"{event}: dialogs/engine.py and dialogs/runner.py never name it"
        for event in union
        if event not in routed
    ]


# The checks on this repository ----------------------------------------------------------------

CHECKS = {
    "module_sizes": big_modules,
    "function_sizes": long_functions,
    "dialogs_root": dialogs_root_extras,
    "package_faces": bad_faces,
    "action_literals": partial(literals_outside, pattern=ACTION_LITERAL, home=ACTIONS_HOME),
    "message_keys": partial(literals_outside, pattern=KEY_LITERAL, home=KEYS_HOME),
    "platform_names": platform_names_in_dialogs,
    "single_definitions": repeated_definitions,
    "events": unreal_events,
    "tests_root": extras_in_tests_root,
}


@pytest.mark.parametrize("check", CHECKS)
def test_shape(check):
    bad = CHECKS[check](ROOT)
    assert not bad, "\n".join([f"{check}: {len(bad)} offenders", *bad])


# Self-tests: each check catches a bad example -------------------------------------------------


def test_sizes_are_caught(tmp_path):
    body = "".join(f"    x = {n}\n" for n in range(MAX_FUNCTION))
    write(
        tmp_path,
        {
            "bot/big.py": "x = 1\n" * (MAX_MODULE + 1),
            "dialogs/polls/tally.py": "x = 1\n" * (MAX_MODULE + 1),
            "storage/migrations/versions/v1.py": "x = 1\n" * (MAX_MODULE + 1),
            "adapters/long.py": f"def f():\n{body}",
        },
    )
    assert big_modules(tmp_path) == [f"bot/big.py: {MAX_MODULE + 1} lines (at most {MAX_MODULE})"]
    assert long_functions(tmp_path) == [
        f"adapters/long.py:1 f: {MAX_FUNCTION + 1} lines (at most {MAX_FUNCTION})"
    ]


def test_faces_and_roots_are_caught(tmp_path):
    write(
        tmp_path,
        {
            "dialogs/__init__.py": '"""The engine."""\n',
            "dialogs/grammar.py": "",
            "dialogs/core/__init__.py": "",
            "dialogs/polls/__init__.py": '"""Polls.\n\nAnd more."""\n',
            "dialogs/purpose/__init__.py": '"""Rounds."""\nfrom x import y\n'
            '__all__ = ["y"]\nZ = 1\n',
            "tests/conftest.py": "",
            "tests/fakes.py": "",
            "tests/dialogs/test_home.py": "",
        },
    )
    assert extras_in_tests_root(tmp_path) == [
        "tests/fakes.py (tests/ root holds __init__.py, conftest.py, test_layers.py, test_shape.py"
        " and folders)"
    ]
    assert dialogs_root_extras(tmp_path) == [
        "dialogs/grammar.py (dialogs/ root holds only"
        " __init__.py, engine.py, home.py, runner.py, ticker.py)"
    ]
    assert bad_faces(tmp_path) == [
        "dialogs/core/__init__.py: no docstring",
        "dialogs/polls/__init__.py: the docstring is not one short paragraph",
        "dialogs/purpose/__init__.py:4 defines code (a face only says what lives here)",
    ]


def test_vocabulary_outside_its_home_is_caught(tmp_path):
    write(
        tmp_path,
        {
            "dialogs/core/actions.py": 'VOTE = "vote:"\n',
            "dialogs/core/messages.py": 'def poll_key(n):\n    return f"poll:{n}"\n',
            "dialogs/polls/render.py": '"""vote: in a docstring is fine."""\n'
            'def button(p, o):\n    return f"vote:{p}:{o}", "poll:" + str(p)\n',
            "adapters/slack/inbound.py": 'FAST = value.startswith("edit-groups:")\n',
        },
    )
    assert literals_outside(tmp_path, pattern=ACTION_LITERAL, home=ACTIONS_HOME) == [
        "adapters/slack/inbound.py:1 'edit-groups:' (only dialogs/core/actions.py spells these)",
        "dialogs/polls/render.py:3 'vote:' (only dialogs/core/actions.py spells these)",
    ]
    assert literals_outside(tmp_path, pattern=KEY_LITERAL, home=KEYS_HOME) == [
        "dialogs/polls/render.py:3 'poll:' (only dialogs/core/messages.py spells these)"
    ]


def test_platform_names_in_dialogs_are_caught(tmp_path):
    write(
        tmp_path,
        {
            "adapters/slack/__init__.py": '"""Slack."""\nPLATFORM = "slack"\n',
            "adapters/teams/__init__.py": '"""Teams."""\n',
            "dialogs/collaborative/members.py": '"""Say Slack or Teams here, freely."""\n'
            'if platform == "slack":\n    hint = f"Open {app} in Teams"\n'
            'TEAMS_LIMITS = 40\nteams = "partner teams"\n',
        },
    )
    assert platform_names_in_dialogs(tmp_path) == [
        "dialogs/collaborative/members.py:2 'slack' (platform names come from adapters)",
        "dialogs/collaborative/members.py:3 ' in Teams' (platform names come from adapters)",
        "dialogs/collaborative/members.py:4 TEAMS_LIMITS"
        " (platform constants live in their adapter)",
    ]


def test_repeated_definitions_are_caught(tmp_path):
    write(
        tmp_path,
        {
            "adapters/slack/__init__.py": 'PLATFORM = "slack"\n',
            "adapters/slack/port.py": 'PLATFORM: str = "slack"\n',
            "adapters/teams/__init__.py": 'PLATFORM = "teams"\n',
            "dialogs/core/poll_types.py": "POLL_TYPES = ()\nSTANCES, NEEDS_REASON = (), ()\n",
            "dialogs/polls/tally.py": "POLL_TYPES = ()\n",
            "dialogs/commands/syntax.py": "def f():\n    STANCES = ()\n",
        },
    )
    assert repeated_definitions(tmp_path) == [
        "POLL_TYPES: defined 2 times, not once"
        " (dialogs/core/poll_types.py:1, dialogs/polls/tally.py:1)",
        "SMALLEST_GROUP: defined 0 times, not once (nowhere)",
        "PLATFORM in adapters/slack/: defined 2 times, not once"
        " (adapters/slack/__init__.py:1, adapters/slack/port.py:1)",
    ]


def test_unreal_events_are_caught(tmp_path):
    write(
        tmp_path,
        {
            "dialogs/core/events.py": "class A: ...\nclass B: ...\nclass C: ...\n"
            "Event = A | B | C\n",
            "adapters/slack/inbound.py": "from dialogs.core import events\n"
            "def f():\n    return events.A(), B()\n",
            "dialogs/runner.py": "def g(e):\n    return isinstance(e, A)\n",
            "dialogs/engine.py": "HANDLERS = {events.C: 1}\n",
        },
    )
    assert unreal_events(tmp_path) == [
        "C: no adapter constructs it",
        "B: dialogs/engine.py and dialogs/runner.py never name it",
    ]
