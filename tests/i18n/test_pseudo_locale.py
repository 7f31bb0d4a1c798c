"""Every word a person reads comes from the catalogs: Concord run through the engine in the
pseudo-locale (tests/support/pseudo.py), read as the engine's cards and forms and as Slack,
Teams and the playground show them, holds no word outside ⟦ ⟧ but what people typed.

One conversation, set up once for the module, in a collaborative whose default language is
the pseudo-locale, goes through the scenarios of tests/support/scenarios.py (every poll type
at every stage, a tie in every governance mode and a decision, a check-in, a purpose round),
opens every form any button it showed opens, and then asks for everything Concord refuses
(tests/support/refusals.py). Every card, private answer, form and refusal it was shown is
read on every surface. The scenarios run again by people whose platforms report English:
what they post to the channels must still be all in the collaborative's language.

A few texts are excused, each with its reason, in `KNOWN`: data and command syntax that
people read as they type them.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from adapters.playground import render as playground
from adapters.slack import render as slack
from adapters.teams import render as teams
from dialogs.core.actions import FormKind, parse
from dialogs.core.cards import Card, Form, Text
from dialogs.core.language import current, speaking
from storage.database import Database
from storage.models import Collaborative
from tests.support.conversation import ASHA, BEN, CARYS, DEE, NORTH, SOUTH, Conversation
from tests.support.fakes import FakeClock
from tests.support.pseudo import (
    PSEUDO,
    Untranslated,
    card_texts,
    install_pseudo,
    page_texts,
    platform_texts,
    untranslated,
)
from tests.support.refusals import ask_everything_refused
from tests.support.scenarios import (
    DEPUTIES_ORGANISATION,
    MEMBERS,
    OBJECTION,
    POLLS,
    PROPOSALS,
    PROXY_POLL,
    REVISED,
    Seen,
    a_check_in,
    a_deputys_proxy_ballot,
    a_purpose_round,
    a_tie_in_every_mode,
    every_poll_type_at_every_stage,
    newest_poll,
)

PUBLIC = "https://concord.example.nhs.uk"
COLLABORATIVE = "Northshire Provider Collaborative"
PEOPLE = tuple(who.display_name for who in (ASHA, BEN, CARYS, DEE, *MEMBERS))
MONTHLY = "Shall we meet monthly?"
TYPED = (
    *(quoted for typed, _ in POLLS for quoted in re.findall(r'"([^"]+)"', typed)),
    *PROPOSALS,
    *OBJECTION.values(),
    "Tea or coffee?",
    "Tea",
    "Coffee",
    "Tea, with coffee on Fridays",
    MONTHLY,
    REVISED,
    PROXY_POLL,
    DEPUTIES_ORGANISATION,
)
DATA = (COLLABORATIVE, *PEOPLE, *TYPED, "north", "south", "Concord")
CODE = r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}"
SURFACES = ("engine", "slack", "teams", "playground")
Shown = Card | Form


@pytest.fixture(scope="module")
def seen(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seen]:
    with _scenarios(sqlite_template, tmp_path_factory) as seen:
        _open_the_forms_commands_open(seen)
        seen.cards["home"] = seen.chat.engine.home(replace(ASHA, locale=PSEUDO))
        ask_everything_refused(seen, PSEUDO)
        yield seen


@pytest.fixture(scope="module")
def posted_for_english_readers(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[Card]]:
    """The channels' messages when people whose platforms report English do it all."""
    with _scenarios(sqlite_template, tmp_path_factory, reported="en-GB") as seen:
        yield [*seen.chat.messages(NORTH), *seen.chat.messages(SOUTH)]


@contextmanager
def _scenarios(
    template: Path, factory: pytest.TempPathFactory, reported: str | None = None
) -> Iterator[Seen]:
    """The scenarios, run in a collaborative whose default is the pseudo-locale by people
    whose platforms report `reported` (None: no language, so they read the default)."""
    install_pseudo()
    path = factory.mktemp("pseudo") / "concord.db"
    shutil.copy(template, path)
    database = Database(f"sqlite:///{path}")
    clock = FakeClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    chat = Conversation(database, clock)
    chat.says(ASHA, NORTH, f'setup "{COLLABORATIVE}"')
    _speak_pseudo(database)
    code = re.findall(r"`link (\S+)`", chat.says(ASHA, NORTH, "link"))[0]
    chat.says(ASHA, SOUTH, f"link {code}")
    seen = Seen(chat, opening_forms=reported is None, reported=reported)
    for someone in (BEN, CARYS, DEE):
        seen.says(someone, "help")
    every_poll_type_at_every_stage(seen)
    a_tie_in_every_mode(seen)
    a_purpose_round(seen)
    a_check_in(seen, clock)
    a_deputys_proxy_ballot(seen)
    seen.look()
    try:
        yield seen
    finally:
        chat.close()
        database.dispose()


def _speak_pseudo(database: Database) -> None:
    """The collaborative's default language becomes the pseudo-locale (`language default`
    offers only English and Welsh), so its channels and members read it."""
    with database.session() as session:
        for collaborative in session.exec(select(Collaborative)).all():
            collaborative.language = PSEUDO
            session.add(collaborative)
        session.commit()


def _open_the_forms_commands_open(seen: Seen) -> None:
    """The forms commands open: a new poll's, and an open poll's changes and copy."""
    seen.says(ASHA, f'poll "{MONTHLY}" "Yes" "No" --open-options')
    seen.look()
    number = re.findall(r"#(\d+)", newest_poll(seen.chat).fallback)[0]
    for typed in ("poll", f"poll edit {number}", f"poll clone {number}", "checkin add"):
        seen.says(ASHA, typed)


def _texts(surface: str, shown: Shown) -> list[str]:
    if surface == "engine":
        return card_texts(shown)
    if surface == "playground":
        markup = (
            playground.render_form(shown)
            if isinstance(shown, Form)
            else playground.render_card(shown, private=True)
        )
        return page_texts(markup)
    if surface == "slack":
        if isinstance(shown, Form):
            return platform_texts(slack.render_modal(shown, private_metadata=""))
        return platform_texts(slack.render_message(shown, public_url=PUBLIC))
    if isinstance(shown, Form):
        return platform_texts(teams.render_form(shown))
    return platform_texts(teams.render_card(shown, public_url=PUBLIC))


def refused(card: Card) -> bool:
    """Whether a card is a refusal (its first words a warning)."""
    first = card.blocks[0] if card.blocks else None
    return isinstance(first, Text) and first.tone == "warning"


def _shown(seen: Seen, what: str) -> list[Shown]:
    if what == "forms":
        return list(seen.forms.values())
    cards = list(seen.cards.values())
    return [card for card in cards if refused(card) == (what == "refusals")]


# Texts outside the catalogs, each with why: the list only shrinks. Any other text fails.
KNOWN = {
    rf"(\*?⟦[^⟧]*⟧\*?\s*)?{CODE}": "a ballot receipt's code: data, not words",
    r".*Cut waiting times.*": "a theme's title, drawn by the grouping from people's proposals",
    r"(live|after-vote|after-close|joint|advisory|delegated|committees-in-common)\b.*": (
        "the new-poll form offers results and modes by their command words"
    ),
    r"@person|6 months": "the new-poll form's decider and review placeholders (command syntax)",
    r".*\(text\)": "the questions form's marker of a free-text question (syntax people type)",
}


def _excused(found: Untranslated) -> bool:
    """Whether `found` is one of the `KNOWN` texts."""
    return any(re.fullmatch(known, found.text.strip(), re.DOTALL) for known in KNOWN)


def test_everything_people_can_be_shown_was_seen(seen: Seen):
    kinds = {getattr(parse(form.action), "kind", None) for form in seen.forms.values()}
    assert set(FormKind) <= kinds
    assert len(_shown(seen, "cards")) > 200
    assert len(_shown(seen, "refusals")) > 100


@pytest.mark.parametrize("what", ["cards", "forms", "refusals"])
@pytest.mark.parametrize("surface", SURFACES)
def test_every_word_shown_comes_from_the_catalogs(seen: Seen, surface: str, what: str):
    left: list[Untranslated] = []
    with speaking(PSEUDO):
        for shown in _shown(seen, what):
            found = untranslated(_texts(surface, shown), DATA)
            left += [each for each in found if not _excused(each)]
    assert not left, f"words outside the catalogs in {what} on {surface}:\n" + "\n".join(
        sorted({f"  {each.words} in {each.text[:200]!r}" for each in left})
    )
    assert current() == "en"


@pytest.mark.parametrize("surface", SURFACES)
def test_what_english_readers_do_is_posted_in_the_collaboratives_language(
    posted_for_english_readers: list[Card], surface: str
):
    """Shared messages speak the collaborative's language, not that of whoever acted."""
    left: list[Untranslated] = []
    with speaking(PSEUDO):
        for card in posted_for_english_readers:
            found = untranslated(_texts(surface, card), DATA)
            left += [each for each in found if not _excused(each)]
    assert not left, f"words outside the catalogs in the channels on {surface}:\n" + "\n".join(
        sorted({f"  {each.words} in {each.text[:200]!r}" for each in left})
    )
