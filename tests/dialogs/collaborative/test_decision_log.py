"""The decision log reads as a record: each entry one short headline, its figures below."""

from __future__ import annotations

import pytest

from dialogs.core.cards import Context, Notify, Text
from dialogs.core.events import ActionInvoked, CommandIssued
from tests.support.conversation import ASHA, BEN, CARYS, NORTH, Conversation, person


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    for who in (BEN, CARYS):
        conversation.says(who, NORTH, "help")
    yield conversation
    conversation.close()


def log_blocks(chat: Conversation, command: str = "decisions") -> list[tuple[str, str]]:
    """The log as (kind, text) pairs: "headline" for an entry's line, "details" below it."""
    effects = chat.engine.handle(CommandIssued(BEN, NORTH, command))
    card = next(e.card for e in effects if isinstance(e, Notify))
    kinds = {Text: "headline", Context: "details"}
    return [(kinds[type(b)], b.text) for b in card.blocks if type(b) in kinds]


def test_a_closed_poll_is_a_headline_with_its_figures_underneath(chat):
    chat.says(ASHA, NORTH, 'poll "Which site first?" "North" "South"')
    for who in (BEN, CARYS):
        chat.engine.handle(ActionInvoked(who, NORTH, "vote:1:1", {}))
    chat.says(ASHA, NORTH, "poll close 1")
    blocks = log_blocks(chat)
    at = next(n for n, (_, text) in enumerate(blocks) if "closed poll #1" in text)
    assert blocks[at] == ("headline", blocks[at][1])
    assert blocks[at][1].endswith("Asha Patel closed poll #1: Which site first?")
    kind, details = blocks[at + 1]
    assert kind == "details" and "North" in details and "2 votes" in details


def test_entries_without_figures_are_a_headline_alone(chat):
    chat.says(ASHA, NORTH, 'org add "Riverside"')
    blocks = log_blocks(chat)
    at = next(n for n, (_, text) in enumerate(blocks) if "added the organisation" in text)
    following = blocks[at + 1]
    assert following[0] == "headline" or following[1].startswith("Latest 15")


def test_the_exports_keep_headline_and_details_apart(chat):
    chat.says(ASHA, NORTH, 'poll "Which site first?" "North" "South"')
    chat.engine.handle(ActionInvoked(BEN, NORTH, "vote:1:2", {}))
    chat.says(ASHA, NORTH, "poll close 1")
    _, file = chat.exports(ASHA, NORTH, "decisions --export md")
    markdown = file.content.decode()
    assert "| When | Who | What | Details |" in markdown
    row = next(line for line in markdown.splitlines() if "closed poll #1" in line)
    assert "| closed poll #1: Which site first? | " in row and "South" in row
    csv_text = chat.exports(ASHA, NORTH, "decisions --export csv")[1].content.decode()
    assert "when,timezone,who,what,summary,details" in csv_text
    assert "poll.close,closed poll #1: Which site first?," in csv_text


def test_an_adopted_purpose_is_one_line_and_an_empty_organisation_has_no_members(chat):
    chat.says(ASHA, NORTH, 'org add "Riverside"')
    chat.says(ASHA, NORTH, "purpose start")
    statement = {"text": "Join up care for people between our services"}
    chat.engine.handle(ActionInvoked(BEN, NORTH, "submit:proposal:1", statement))
    for _ in range(3):
        chat.says(ASHA, NORTH, "purpose next")
    for who in (BEN, CARYS):  # the consent poll, the round's first
        chat.engine.handle(ActionInvoked(who, NORTH, "stance:1:agree", {}))
    chat.says(ASHA, NORTH, "purpose next")
    blocks = log_blocks(chat)
    at = next(n for n, (_, text) in enumerate(blocks) if "adopted the shared purpose" in text)
    purpose = "“Join up care for people between our services”"
    assert blocks[at][1].endswith(f"purpose round #1: adopted the shared purpose {purpose}")
    kind, details = blocks[at + 1]
    assert kind == "details" and details.startswith("Gathering ")
    assert "Riverside (no members)" in details and "none of 0" not in details


def test_the_csv_export_never_hands_a_spreadsheet_a_formula(chat):
    mallory = person("mallory", '=HYPERLINK("http://evil")')
    chat.says(ASHA, NORTH, 'org add "Riverside"')
    chat.says(mallory, NORTH, 'org join "Riverside"')
    csv_text = chat.exports(ASHA, NORTH, "decisions --export csv")[1].content.decode()
    joined = next(line for line in csv_text.splitlines() if "joined Riverside" in line)
    assert ',"\'=HYPERLINK(""http://evil"")",org.join,' in joined
