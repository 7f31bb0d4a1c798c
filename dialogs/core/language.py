"""The language Concord speaks to a reader: British English or Welsh, from gettext catalogs.

Every user-facing string in `dialogs/` and the adapters' renderers is written in British
English inside `_()` (or `ngettext()` when it counts something) and translated at the moment
it is built, into the language of the turn: `speaking(language)` sets it for a block of work
(the engine does so for each turn, from the reader's choice, their platform's locale or
their collaborative's default). A string kept in a module-level table is marked with `N_()`
so extraction finds it, and translated with `_()` where it is used.

The Welsh catalog is `dialogs/locale/cy/*.po`, one file per area of the code, merged when
first needed; English needs no catalog (its messages are the source). `pybabel extract`
with `babel.cfg` lists every message, and `tests/test_catalogs.py` fails on any message the
Welsh catalog lacks, or holds only as fuzzy.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Literal, Protocol, TypeGuard

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

Language = Literal["en", "cy"]
LANGUAGES: tuple[Language, ...] = ("en", "cy")
DEFAULT: Language = "en"
# Each language by its own name, the same whatever language is spoken.
NAMES: dict[Language, str] = {"en": "English", "cy": "Cymraeg"}  # i18n: not for readers
LOCALES: dict[Language, str] = {"en": "en_GB", "cy": "cy_GB"}  # Babel's, for dates and numbers
CATALOGS = Path(__file__).resolve().parent.parent / "locale"


class Catalog(Protocol):
    def gettext(self, message: str) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int) -> str: ...


_speaking: ContextVar[str] = ContextVar("concord_language", default=DEFAULT)
_extra: dict[str, Catalog] = {}  # catalogs a test installs (a pseudo-locale)


def current() -> str:
    """The language of the work in hand."""
    return _speaking.get()


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Build every message in `language` until the block ends."""
    token = _speaking.set(language)
    try:
        yield
    finally:
        _speaking.reset(token)


def _(message: str) -> str:
    """`message` (British English) in the language of the work in hand."""
    return catalog(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message that fits `n`, in the language of the work in hand
    (Welsh has six forms; the catalog's plural rule chooses)."""
    return catalog(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for the catalogs without translating it yet (module-level tables)."""
    return message


def from_locale(locale: str | None) -> str | None:
    """The language a platform's locale ("cy-GB", "cy_GB", "en-US") asks for, if we speak it
    (or a test installed it: the pseudo-locale "qps")."""
    if not locale:
        return None
    prefix = locale.replace("_", "-").split("-", 1)[0].lower()
    return prefix if spoken(prefix) else None


def spoken(language: str | None) -> TypeGuard[str]:
    """Whether Concord speaks `language`: English, Welsh, or one a test installed (the
    pseudo-locale "qps", which a test may also make a collaborative's default)."""
    return language in LANGUAGES or language in _extra


def from_environment(environment: Mapping[str, str]) -> str:
    """The language a command line speaks: the locale POSIX says decides messages (LC_ALL,
    else LC_MESSAGES, else LANG), if we speak it; English otherwise ("C.UTF-8", "fr_FR")."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if locale := environment.get(variable):
            return from_locale(locale.split(".", 1)[0]) or DEFAULT
    return DEFAULT


def babel_locale(language: str | None = None) -> str:
    """Babel's locale name for dates and numbers in `language` (else the current one)."""
    return LOCALES.get(language or current(), LOCALES[DEFAULT])  # type: ignore[call-overload]


def install(language: str, translations: Catalog) -> None:
    """Speak `language` through `translations` (tests' pseudo-locale)."""
    _extra[language] = translations


def catalog(language: str) -> Catalog:
    """The translations of `language`: its catalog, or the English source when it has none."""
    if language in _extra:
        return _extra[language]
    return _compiled(language)


@cache
def _compiled(language: str) -> Catalog:
    files = sorted((CATALOGS / language).glob("*.po"))
    if not files:
        return NullTranslations()
    merged: Translations | None = None
    for path in files:
        with path.open("rb") as source:
            po = read_po(source, locale=language)
        compiled = BytesIO()
        write_mo(compiled, po)
        compiled.seek(0)
        translations = Translations(compiled)
        merged = translations if merged is None else merged.merge(translations)
    assert merged is not None
    return merged
