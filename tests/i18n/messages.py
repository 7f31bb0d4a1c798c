"""The messages in the code (as `pybabel extract -F babel.cfg` finds them) and the Welsh catalog."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from dialogs.core.language import CATALOGS
from tests.support.paths import REPO

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
SOURCES = ("dialogs/**.py", "adapters/**.py", "bot/charts.py")  # as babel.cfg lists them
Message = str | tuple[str, str]  # one text, or a counted message's singular and plural


def extracted() -> dict[Message, str]:
    """Every message the code marks for translation, with the first place it is used."""
    found: dict[Message, str] = {}
    method_map = [(pattern, "python") for pattern in SOURCES]
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(REPO), method_map=method_map, keywords=KEYWORDS, comment_tags=()
    ):
        found.setdefault(message, f"{filename}:{lineno}")
    return found


def welsh() -> Catalog:
    """Every `dialogs/locale/cy/*.po` file as one catalog."""
    merged = Catalog(locale="cy")
    for path in sorted((CATALOGS / "cy").glob("*.po")):
        with path.open("rb") as source:
            for entry in read_po(source, locale="cy"):
                if entry.id:
                    merged[entry.id] = entry
    return merged


def po_path(name: str) -> Path:
    return CATALOGS / "cy" / f"{name}.po"
