"""No words for a person are left outside the catalogs in dialogs/ and the adapters.

Moving every string into the catalogs is under way (issue 22): the modules listed in
`NOT_YET` still hold literals a person reads (with how many when the list was made). The
list only shrinks: a module off the list must stay clean, and a module on it that has become
clean must leave it, so the list always says what is left.
"""

from __future__ import annotations

import pytest

from tests.i18n.prose import bare_prose
from tests.support.paths import REPO

NOT_YET = {
    "adapters/teams/package.py",  # 10
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
