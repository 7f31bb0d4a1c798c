"""Where things are: the repository root, for helpers and tests wherever they sit in tests/."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "dialogs" / "purpose" / "data"
