"""An export in Teams: the reply in the person's 1:1 chat links the file on Concord's own
https address, and says so plainly when Concord has none."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.teams.render import render_card
from dialogs.core.cards import Card, Download, Heading
from tests.stand_ins.adaptive_cards import (
    AdaptiveCardsNode,
    Rendered,
    markdown_texts,
    running_parser,
)

PUBLIC = "https://concord.example.nhs.uk"
OFFER = Card(
    blocks=[
        Heading(text="Ballots of poll #4: 10,000 ballots, CSV, 312 KB"),
        Download(
            filename="ballots-poll-4.csv",
            media_type="text/csv",
            url="/exports/abcdefghijklmnopqrstuvwxyz012345",
            size=312_000,
        ),
    ],
    fallback="Ballots of poll #4: 10,000 ballots, CSV, 312 KB",
)


@pytest.fixture(scope="module")
def parser() -> Iterator[AdaptiveCardsNode]:
    with running_parser() as node:
        yield node


def test_the_reply_links_the_file_under_concords_public_address(parser):
    card = render_card(OFFER, public_url=PUBLIC)

    assert parser.problems([card]) == [[]]
    link = markdown_texts(card)[1]
    assert (
        link
        == f"📄 [Download ballots-poll-4.csv]({PUBLIC}/exports/abcdefghijklmnopqrstuvwxyz012345)"
    )
    [html] = parser.markdown_html([link])
    assert Rendered(html).links == [
        (f"{PUBLIC}/exports/abcdefghijklmnopqrstuvwxyz012345", "Download ballots-poll-4.csv")
    ]


def test_without_a_public_https_address_the_reply_says_there_is_no_link(parser):
    card = render_card(OFFER, public_url="http://localhost:8080")

    assert parser.problems([card]) == [[]]
    texts = markdown_texts(card)
    assert "ballots-poll-4.csv: no link, as Concord has no public address." in texts
    assert not any("/exports/" in text for text in texts)
