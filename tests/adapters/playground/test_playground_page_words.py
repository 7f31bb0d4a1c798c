"""The playground page's own words come from the catalogs, in the language chosen on it:
the server sends the page in the language its cookie names, the words of another language on
request, and its errors in the language the page asks for."""

from __future__ import annotations

import json
import re
from html import unescape

from adapters.playground.page_words import WORDS, page
from adapters.playground.routes import LANGUAGE_COOKIE, STATIC
from tests.adapters.playground.test_playground_http import client  # noqa: F401
from tests.support.pseudo import PSEUDO, install_pseudo, page_texts, untranslated

SCRIPT_WORDS = re.compile(r'data-page-words="([^"]*)"')


async def test_the_page_comes_in_english_unless_welsh_was_chosen(client):  # noqa: F811
    english = await (await client.get("/playground")).text()
    assert '<html lang="en">' in english
    assert '<title data-words="title">Concord playground</title>' in english
    assert ">Skip to the message box</a>" in english
    assert 'placeholder="Your name"' in english

    client.session.cookie_jar.update_cookies({LANGUAGE_COOKIE: "cy"})
    welsh = await (await client.get("/playground")).text()
    assert '<html lang="cy">' in welsh
    assert ">Maes chwarae Concord</title>" in welsh
    assert ">Neidio i'r blwch neges</a>" in welsh
    assert 'placeholder="Eich enw"' in welsh and 'aria-label="Pwy ydych chi a ble"' in welsh
    assert ">Language · Iaith</label>" in welsh, "the way back reads in both languages"
    for_script = json.loads(unescape(SCRIPT_WORDS.search(welsh).group(1)))
    assert for_script["language"] == "cy"
    assert for_script["words"]["composer_label"] == "Neges i {channel} fel {name}"


async def test_a_language_the_page_does_not_offer_gets_english(client):  # noqa: F811
    client.session.cookie_jar.update_cookies({LANGUAGE_COOKIE: "fr"})
    assert '<html lang="en">' in await (await client.get("/playground")).text()
    answer = await (await client.get("/playground/api/words", params={"language": "fr"})).json()
    assert answer["language"] == "en" and answer["words"]["send"] == "Send"


async def test_switching_language_fetches_every_word_of_the_page(client):  # noqa: F811
    answer = await (await client.get("/playground/api/words", params={"language": "cy"})).json()
    assert answer["language"] == "cy"
    assert answer["words"].keys() == WORDS.keys()
    assert answer["words"]["send"] == "Anfon"
    assert answer["words"]["no_messages"] == "Dim negeseuon eto."


async def test_the_servers_errors_come_in_the_pages_language(client):  # noqa: F811
    refused = await client.post("/playground/api/reset", json={}, headers={"Accept-Language": "cy"})
    assert refused.status == 400
    assert (await refused.json())["error"].startswith("Mae ailosod y demo yn dileu popeth")
    english = await client.post("/playground/api/reset", json={})
    assert (await english.json())["error"].startswith("Resetting the demo deletes everything")


def test_every_word_the_page_shows_is_in_the_catalogs_and_every_word_is_shown():
    page = (STATIC / "playground.html").read_text()
    scripts = "".join((STATIC / name).read_text() for name in ("playground.js", "attention.js"))
    marked = set(re.findall(r'data-words(?:-[a-z-]+)?="([a-z_]+)"', page))
    assert marked <= WORDS.keys()
    said = set(re.findall(r'"([a-z_]+)"', scripts)) & WORDS.keys()
    assert marked | said == WORDS.keys(), "words no part of the page shows"


def test_the_page_in_the_pseudo_locale_holds_no_word_outside_the_catalogs():
    install_pseudo()
    examples = re.findall(r'class="example">([^<]+)<', (STATIC / "playground.html").read_text())
    kept = ("Concord", "Language · Iaith", "English", "Cymraeg", *examples)  # commands, names

    left = untranslated(page_texts(page(PSEUDO)), kept)

    assert not left, "\n".join(f"{each.words} in {each.text!r}" for each in left)
