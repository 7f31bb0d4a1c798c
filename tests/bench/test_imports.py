"""`make bench` runs each benchmark as a module (`python -m bench.x`); a benchmark that no
longer imports (a helper moved, a bare `import load` left over) would only fail there, half
an hour in. Importing runs nothing: each script's work is behind `if __name__ == "__main__"`."""

import importlib
from pathlib import Path

import pytest

from tests.support.paths import REPO

MODULES = sorted(p.stem for p in (REPO / "bench").glob("*.py") if p.stem != "__init__")


def test_every_benchmark_the_makefile_runs_is_a_module_here():
    makefile = (REPO / "Makefile").read_text()
    run = [
        line.split("-m bench.")[1].strip() for line in makefile.splitlines() if "-m bench." in line
    ]
    assert run and set(run) <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_each_benchmark_imports_as_a_module(name):
    module = importlib.import_module(f"bench.{name}")
    assert Path(module.__file__).parent == REPO / "bench"
