"""No words for a person are left outside the catalogs in dialogs/, the adapters and the
words drawn on charts (bot/charts.py)."""

from __future__ import annotations

import pytest

from tests.i18n.prose import bare_prose
from tests.support.paths import REPO

MODULES = sorted(
    str(path.relative_to(REPO))
    for folder in ("dialogs", "adapters")
    for path in (REPO / folder).rglob("*.py")
) + ["bot/charts.py"]


@pytest.mark.parametrize("module", MODULES)
def test_words_for_people_come_from_the_catalogs(module: str):
    left = bare_prose(REPO / module)
    assert not left, f"{module} has words for people outside _():\n" + "\n".join(
        f"  line {line}: {text!r}" for line, text in left
    )
