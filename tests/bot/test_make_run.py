"""What `make run` installs, as the README tells it: Concord alone, no test tools and no
PyTorch; `make test` adds the dev and semantic extras. Read from `make -n` (nothing runs)."""

from __future__ import annotations

import re
import subprocess

from tests.support.paths import REPO


def installs(target: str) -> list[str]:
    """The pip installs `make TARGET` would run in a fresh checkout, as make would print them."""
    printed = subprocess.run(
        ["make", "-n", "-B", "--no-print-directory", target],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return re.findall(r"pip install --quiet -e (\S+)", printed)


def test_make_run_installs_concord_without_its_test_tools_or_pytorch():
    assert installs("run") == ["."]


def test_make_test_installs_the_dev_semantic_and_agents_extras():
    assert installs("test") == ["'.[dev,semantic,agents]'"]


def test_the_readme_tells_the_same_story():
    readme = " ".join((REPO / "README.md").read_text().split())

    assert "installs Concord into it (only what serving needs" in readme
    assert "no test tools and no PyTorch" in readme
    assert "the `semantic` extra (PyTorch" in readme
    assert "and the `agents` extra (the Microsoft 365 Agents SDK" in readme
