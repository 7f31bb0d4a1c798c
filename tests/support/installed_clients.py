"""Test clients that `make test` installs (npm packages, Node): run under CI, skip elsewhere."""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(missing: str | None, install: str) -> None:
    """Nothing if `missing` is None; else fail under CI=true (where everything must run),
    and skip elsewhere saying how to `install` it."""
    if missing is None:
        return
    if IN_CI:
        pytest.fail(f"{missing}; under CI=true these tests must run (`make test` installs it).")
    pytest.skip(f"{missing}: {install}")
