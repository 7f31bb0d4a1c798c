"""Cards and forms in Teams: every card parses, nothing typed links or pings, nothing is lost.

Each rendering is parsed and validated by Microsoft's `adaptivecards` npm package
(tests/parser.py, one Node process for the module); markdown is checked
by rendering it with markdown-it as that package's renderer does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.teams.buttons import MAX_REFRESH_USERS
from adapters.teams.escape import escape, markdown, shorten
from adapters.teams.inbound import card_action
from adapters.teams.render import (
    MAX_CARD_BYTES,
    TEAMS_MESSAGE_BYTES,
    card_bytes,
    render_card,
    render_form,
    summary,
)
from adapters.teams.universal_actions import Click, read_click
from dialogs.core.cards import (
    Actions,
    Bar,
    Button,
    Card,
    Choice,
    ChoiceInput,
    Divider,
    FieldItem,
    Fields,
    Form,
    Heading,
    Image,
    ResultBars,
    Select,
    Text,
    TextInput,
)
from tests.adapters.slack.test_slack_render import (
    card_with_everything,
    engine_cards_and_forms,
    form_with_everything,
    revision_form,
)
from tests.stand_ins.adaptive_cards import (
    AdaptiveCardsNode,
    Rendered,
    markdown_texts,
    objects,
    running_parser,
)
from tests.support.conversation import Conversation

PUBLIC = "https://concord.example.nhs.uk"
HOSTILE = [
    "[click](https://evil.example)",
    "<at>Everyone</at> <at id='0'>General</at>",
    "**bold** __bold__ _italic_ *italic* ~~struck~~ `code`",
    "# Heading\n- item\n+ item\n1. one\n2) two\n> quote\n---\n    indented code",
    "&lt;at&gt;x&lt;/at&gt; &#91;click&#93;(https://evil.example) &amp; Health & Care",
    "![pixel](https://evil.example/p.png) <https://evil.example> <b>html</b>",
    "{{DATE(2017-02-14T06:08:00Z, SHORT)}} \\*already escaped\\* C:\\path\\",
]

# Adaptive Card types Teams renders (Adaptive Cards 1.5 on desktop, web and mobile).
TEAMS_TYPES = {
    "AdaptiveCard",
    "TextBlock",
    "FactSet",
    "Image",
    "ActionSet",
    "Action.Execute",  # Universal Actions, each with an Action.Submit fallback
    "Action.Submit",
    "Action.ShowCard",
    "Input.Text",
    "Input.ChoiceSet",
    "Input.Date",  # the deadline's pickers, side by side in a ColumnSet
    "Input.Time",
    "ColumnSet",
    "Column",
}


@pytest.fixture(scope="module")
def parser() -> Iterator[AdaptiveCardsNode]:
    """One Node process for the whole module."""
    with running_parser() as node:
        yield node


def assert_valid(node: AdaptiveCardsNode, *cards: dict) -> None:
    for card, problems in zip(cards, node.problems(cards), strict=True):
        assert problems == [], json.dumps(card, indent=1)[:3000]
        assert card_bytes(card) <= MAX_CARD_BYTES <= TEAMS_MESSAGE_BYTES


def shown(node: AdaptiveCardsNode, texts: list[str]) -> list[Rendered]:
    return [Rendered(html) for html in node.markdown_html(texts)]


def flat(text: str) -> str:
    return " ".join(text.split())


def element_types(card: dict) -> list[str]:
    return [element["type"] for element in card["body"]]


def submits(card: dict) -> list[dict]:
    """Every Action.Submit, the Action.Execute buttons' fallbacks among them."""
    return [o for o in objects(card) if o.get("type") == "Action.Submit"]


def executes(card: dict) -> list[dict]:
    return [o for o in objects(card) if o.get("type") == "Action.Execute"]


def test_every_kind_of_block_renders_as_a_valid_adaptive_card(parser):
    card = render_card(card_with_everything("Which priority first?"), public_url=PUBLIC)

    assert_valid(parser, card)
    assert (card["type"], card["version"], card["$schema"]) == (
        "AdaptiveCard",
        "1.5",
        "http://adaptivecards.io/schemas/adaptive-card.json",
    )
    assert element_types(card) == [
        "TextBlock",  # heading
        "TextBlock",  # text
        "TextBlock",  # warning
        "TextBlock",  # muted
        "FactSet",
        "TextBlock",  # the bar
        "TextBlock",  # the results' summary
        "ActionSet",
        "Image",
        "TextBlock",  # the chart's figures in words
        "TextBlock",  # context; the closing divider has nothing to separate
    ]
    heading, _, warning, muted = card["body"][:4]
    assert (heading["size"], heading["weight"], heading["wrap"]) == ("Large", "Bolder", True)
    assert warning["color"] == "Warning" and warning["text"].startswith("⚠️ ")
    assert muted["isSubtle"] is True
    assert card["fallbackText"] == "Which priority first?"


def test_a_divider_is_a_separator_line_above_what_follows_it(parser):
    card = render_card(
        Card(blocks=[Text(text="A"), Divider(), Text(text="B"), Divider()], fallback="x")
    )

    assert_valid(parser, card)
    assert card["body"] == [
        {"type": "TextBlock", "text": "A", "wrap": True},
        {"type": "TextBlock", "text": "B", "wrap": True, "separator": True},
    ]


def test_buttons_are_universal_actions_with_a_submit_fallback_teams_hands_back(parser):
    card = render_card(card_with_everything("Q?"), public_url=PUBLIC)
    primary, danger, select = next(e for e in card["body"] if e["type"] == "ActionSet")["actions"]

    assert_valid(parser, card)
    assert primary == {
        "type": "Action.Execute",
        "title": primary["title"],
        "verb": "vote",
        "style": "positive",
        "data": {"action": "vote:1:1"},
        "fallback": {
            "type": "Action.Submit",
            "title": primary["title"],
            "style": "positive",
            "data": {"action": "vote:1:1"},
        },
    }
    assert (danger["verb"], danger["data"], danger["style"]) == (
        "close",
        {"action": "close:1"},
        "destructive",
    )
    assert select["type"] == "Action.ShowCard"
    (choice,) = executes(select["card"])
    assert (choice["verb"], choice["data"]) == ("vote", {"action": "vote:1:2"})
    assert [a["data"] for a in submits(select["card"])] == [{"action": "vote:1:2"}]
    for button in executes(card):
        assert button["fallback"]["data"] == button["data"]
        execute = {"type": "Action.Execute", "verb": button["verb"], "data": button["data"]}
        assert read_click({"action": execute}) == Click(
            button["verb"], button["data"]["action"], None, {}
        )
    for button in submits(card):
        clicked = dict(type="message", value=button["data"])
        assert card_action(clicked) == (button["data"]["action"], {})


def test_a_button_that_opens_a_form_asks_teams_for_a_dialog(parser):
    buttons = [
        Button(label="Rank the options", action="form:ballot:1", style="primary"),
        Button(label="Object", action="form:consent:1:object"),
        Button(label="Agree", action="stance:1:agree"),
    ]
    card = render_card(Card(blocks=[Actions(elements=buttons)], fallback="Poll #1"))

    assert_valid(parser, card)
    (row,) = card["body"]
    assert [(a["type"], a.get("verb")) for a in row["actions"]] == [
        ("Action.Submit", None),
        ("Action.Submit", None),
        ("Action.Execute", "stance"),
    ]
    assert [button["data"] for button in row["actions"][:2]] == [
        {"msteams": {"type": "task/fetch"}, "action": "form:ballot:1"},
        {"msteams": {"type": "task/fetch"}, "action": "form:consent:1:object"},
    ]
    fetched = dict(type="invoke", name="task/fetch", value={"data": submits(card)[0]["data"]})
    assert card_action(fetched) == ("form:ballot:1", {})  # the msteams key is Teams' alone


def test_a_keyed_card_names_its_view_in_every_button_and_asks_teams_to_refresh_it(parser):
    keyed = card_with_everything("Q?").model_copy(update={"key": "poll:1"})
    people = [f"29:person-{n}" for n in range(MAX_REFRESH_USERS)]

    card = render_card(keyed, public_url=PUBLIC, user_ids=people)

    assert_valid(parser, card)
    assert card["refresh"] == {
        "action": {"type": "Action.Execute", "verb": "refresh", "data": {"view": "poll:1"}},
        "userIds": people,
    }
    assert {b["data"]["view"] for b in executes(card) + submits(card)} == {"poll:1"}
    too_many = render_card(keyed, user_ids=[*people, "29:one-more"])
    assert "userIds" not in too_many["refresh"]  # Teams offers "Refresh card" instead
    unknown = render_card(keyed)
    assert "userIds" not in unknown["refresh"]
    assert "refresh" not in render_card(card_with_everything("Q?"))  # no key, nothing to refresh


def test_a_fallback_the_parser_would_not_accept_is_reported(parser):
    """The parser never writes a fallback back, so the stand-in checks each on its own."""
    card = render_card(
        Card(blocks=[Actions(elements=[Button(label="Go", action="close:1")])], fallback="x")
    )
    (button,) = card["body"][0]["actions"]
    button["fallback"] = {**button["fallback"], "colour": "red"}
    same = {**button, "fallback": {**button, "fallback": None}}

    assert parser.problems([card])[0] == [
        "$.body[0].actions[0].fallback: $.body[0].actions[0].colour: not kept by the parser "
        "(unknown, misplaced or a default)"
    ]
    card["body"][0]["actions"][0] = same
    assert any("the same type" in p for p in parser.problems([card])[0])


def test_result_bars_show_counts_and_percentages_with_the_leader_in_bold_and_in_words(parser):
    bars = ResultBars(
        bars=[
            Bar(label="Discharge delays", count=4, percent=57, leading=True),
            Bar(label="Workforce", count=3, percent=43),
        ],
        summary="7 voted",
    )
    card = render_card(Card(blocks=[bars], fallback="Results"))

    assert_valid(parser, card)
    leader, other, votes = card["body"]
    assert (leader["text"], leader["weight"]) == (
        "Discharge delays (leading)\n\n▇▇▇▇▇▇▁▁▁▁ 4 · 57%",
        "Bolder",
    )
    assert other["text"] == "Workforce\n\n▇▇▇▇▁▁▁▁▁▁ 3 · 43%" and "weight" not in other
    assert (votes["text"], votes["size"], votes["isSubtle"]) == ("7 voted", "Small", True)


def test_many_fields_and_buttons_are_split_into_sets_teams_accepts(parser):
    card = render_card(
        Card(
            blocks=[
                Fields(items=[FieldItem(label=f"Org {n}", value=str(n)) for n in range(23)]),
                Actions(elements=[Button(label=str(n), action=f"vote:1:{n}") for n in range(12)]),
            ],
            fallback="x",
        )
    )

    assert_valid(parser, card)
    assert [len(e.get("facts", e.get("actions"))) for e in card["body"]] == [10, 10, 3, 5, 5, 2]


def long_poll(options: int, *, emoji: bool = False, selects: int = 0) -> Card:
    """A poll card like the engine's with `options` long labels, and `selects` big drop-downs."""
    words = (
        "a very long and detailed proposal 🏥 " if emoji else "a very long and detailed proposal "
    )
    labels = [(f"Option {n}: " + words * 8)[:150] for n in range(options)]
    return Card(
        blocks=[
            Heading(text="Which? " * 300),
            Text(text="Context " * 2000),
            ResultBars(
                bars=[Bar(label=label, count=n, percent=n % 101) for n, label in enumerate(labels)],
                summary=f"{options} voted " * 400,
            ),
            Actions(
                elements=[
                    Button(label=label, action=f"vote:1:{n}") for n, label in enumerate(labels)
                ]
            ),
            Actions(
                elements=[
                    Select(
                        placeholder="Pick " * 50,
                        choices=[Choice(label=label, value=f"vote:2:{n}") for n in range(150)],
                    )
                    for label in labels[:selects]
                ]
            ),
        ],
        fallback="Which? " * 1000,
    )


def bars_in(card: dict) -> list[str]:
    return [text for text in markdown_texts(card) if text.endswith("%") and " · " in text]


def test_a_poll_with_twenty_long_options_fits_by_shortening_alone(parser):
    card = render_card(long_poll(20, emoji=True), public_url=PUBLIC)

    assert_valid(parser, card)
    assert len(bars_in(card)) == 20 and not [t for t in markdown_texts(card) if "not shown" in t]
    votes = [
        b["data"]["action"] for b in submits(card) if b["data"]["action"].startswith("vote:1:")
    ]
    assert votes == [f"vote:1:{n}" for n in range(20)]


def test_a_poll_with_a_hundred_long_options_is_cut_to_28_kb_saying_so(parser):
    card = render_card(long_poll(100, selects=3), public_url=PUBLIC)

    assert_valid(parser, card)
    assert card_bytes(json.loads(json.dumps(card))) <= MAX_CARD_BYTES
    votes = [b for b in submits(card) if b["data"]["action"].startswith("vote:1:")]
    actions = [b["data"]["action"] for b in votes]
    assert actions == [f"vote:1:{n}" for n in range(len(actions))] and len(actions) >= 50
    assert all(b["title"].endswith("…") for b in votes)
    assert len(bars_in(card)) >= 50 and bars_in(card)[0].startswith("Option 0")
    notes = [t for t in markdown_texts(card) if t.startswith("… more not shown")]
    assert notes and all("28 KB" in note for note in notes)
    assert len(card["fallbackText"]) <= 300


def test_a_keyed_poll_keeps_its_refresh_for_60_people_within_28_kb(parser):
    people = [f"29:{'x' * 80}-{n}" for n in range(MAX_REFRESH_USERS)]  # MRIs are long
    keyed = long_poll(100, selects=3).model_copy(update={"key": "poll:1"})

    card = render_card(keyed, public_url=PUBLIC, user_ids=people)

    assert_valid(parser, card)
    assert card["refresh"]["userIds"] == people  # what fitting cuts is the body, not this
    assert [t for t in markdown_texts(card) if t.startswith("… more not shown")]


@pytest.mark.parametrize(
    "blocks",
    [
        [Text(text=f"Line {n}: " + "long words " * 30) for n in range(400)],
        [Fields(items=[FieldItem(label=f"Org {n}", value="x" * 200) for n in range(600)])],
    ],
    ids=["400 long lines", "600 fields"],
)
def test_a_card_too_long_even_when_shortened_is_cut_from_its_end(parser, blocks):
    card = render_card(
        Card(blocks=[Heading(text="Results"), *blocks, Text(text="The end")], fallback="Long")
    )

    assert_valid(parser, card)
    first, *_, note, last = card["body"]
    assert (first["text"], last["text"]) == ("Results", "The end")
    assert note["text"] == "… more not shown here: a Teams card holds at most 28 KB."


def test_one_huge_text_is_shortened_with_an_ellipsis(parser):
    card = render_card(Card(blocks=[Text(text="😀" * 200_000)], fallback="Long"))

    assert_valid(parser, card)
    assert card["body"][0]["text"].endswith("😀…")


@pytest.mark.parametrize("typed", HOSTILE)
def test_links_mentions_and_markup_typed_by_people_are_shown_as_typed(parser, typed):
    card = render_card(card_with_everything(typed), public_url=PUBLIC)

    assert_valid(parser, card)
    texts = markdown_texts(card)
    assert len(texts) >= 8
    for text, rendered in zip(texts, shown(parser, texts), strict=True):
        assert rendered.markup() == [], (text, rendered.tags, rendered.links)
        assert flat(typed) in rendered.text, (text, rendered.text)
    assert not [t for t in texts if re.search(r"(?<!\\)<", t)]  # no `<at>`, no `<https://…>`
    # Plain-text properties are not read as markdown: they show the text as typed.
    titles = [o["title"] for o in objects(card) if o.get("type", "").startswith("Action.")]
    # 4 buttons; 3 of them Action.Execute, whose Action.Submit fallbacks have titles too.
    assert len(titles) == 7 and all(title == shorten(typed, 75) for title in titles), titles
    assert next(o for o in objects(card) if o.get("type") == "Image")["altText"] == typed


def test_a_markdown_link_is_not_a_link_and_a_mention_pings_nobody(parser):
    link, mention, bold = shown(
        parser,
        [escape("[click](https://evil.example)"), escape("<at>x</at>"), escape("**loud**")],
    )

    assert link.links == [("https://evil.example", "https://evil.example")]  # the bare address
    assert link.text == "[click](https://evil.example)"
    assert (mention.tags, mention.text) == (["p"], "<at>x</at>")
    assert (bold.tags, bold.text) == (["p"], "**loud**")


MARKDOWN_ALPHABET = st.sampled_from(list("ab 1.\n\t\\*_~`[]()<>#+-=!|{}&;:/@x'\"é😀"))


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(st.text(MARKDOWN_ALPHABET, max_size=40), min_size=20, max_size=20))
def test_any_text_escaped_renders_as_exactly_that_text_and_nothing_more(parser, texts):
    rendered = shown(parser, [escape(text) for text in texts])

    for text, each in zip(texts, rendered, strict=True):
        assert set(each.tags) <= {"p"}, (text, escape(text), each.tags)
        assert each.text == flat(text), (text, escape(text))


def test_shortening_ends_in_an_ellipsis_and_never_cuts_an_escape():
    assert shorten("abcdef", 4) == "abc…"
    assert shorten("   ", 10) == "—"
    assert markdown("*" * 100, 10) == "\\*" * 9 + "…"
    assert markdown("Health & Care", 50) == "Health & Care"


@pytest.mark.parametrize(
    ("public_url", "url", "expected"),
    [
        (PUBLIC, "/charts/abc.png", f"{PUBLIC}/charts/abc.png"),
        (f"{PUBLIC}/concord/", "/charts/abc.png", f"{PUBLIC}/concord/charts/abc.png"),
        (PUBLIC, f"{PUBLIC}/charts/abc.png", f"{PUBLIC}/charts/abc.png"),
    ],
)
def test_chart_images_get_an_absolute_url_under_the_public_https_address_and_words_below(
    parser, public_url, url, expected
):
    card = render_card(
        Card(blocks=[Image(url=url, alt="Chart")], fallback="x"), public_url=public_url
    )

    assert_valid(parser, card)
    assert card["body"] == [
        {"type": "Image", "url": expected, "altText": "Chart"},
        {"type": "TextBlock", "text": "Chart", "wrap": True, "size": "Small", "isSubtle": True},
    ]


@pytest.mark.parametrize(
    ("public_url", "url"),
    [
        ("", "/charts/abc.png"),
        ("http://127.0.0.1:3978", "/charts/abc.png"),
        (PUBLIC, "https://evil.example/tracker.png"),
        (PUBLIC, "https://concord.example.nhs.uk.evil.example/x.png"),
    ],
)
def test_any_other_image_becomes_a_line_of_its_alt_text(parser, public_url, url):
    card = render_card(
        Card(blocks=[Image(url=url, alt="Chart of <poll> #3")], fallback="x"), public_url=public_url
    )

    assert_valid(parser, card)
    assert card["body"] == [
        {
            "type": "TextBlock",
            "text": "Chart of \\<poll\\> #3",
            "wrap": True,
            "size": "Small",
            "isSubtle": True,
        }
    ]


def test_a_form_keeps_what_the_person_typed_and_shows_the_error_first(parser):
    form = form_with_everything(
        "[click](https://evil) Which?", error="Give at least <two> options."
    )
    card = render_form(form)

    assert_valid(parser, card)
    title, error, question, options, kind, anonymous, orgs = card["body"]
    assert title["text"] == "New poll"
    assert (error["text"], error["color"]) == ("⚠️ Give at least \\<two\\> options.", "Attention")
    assert (question["type"], question["id"], question["value"]) == (
        "Input.Text",
        "question",
        "[click](https://evil) Which?",  # an input's value is plain text
    )
    assert (question["placeholder"], question["maxLength"], question["label"]) == (
        "Which?",
        300,
        "Question",
    )
    assert question["isRequired"] is True and question["errorMessage"]
    assert (options["isMultiline"], options["value"]) == (True, "A\nB")
    assert (kind["type"], kind["id"], kind["value"]) == ("Input.ChoiceSet", "type", "3")
    assert "isMultiSelect" not in kind and "style" not in kind  # a single drop-down
    assert (anonymous["isMultiSelect"], anonymous["style"], anonymous["value"]) == (
        True,
        "expanded",
        "yes",
    )
    assert (orgs["isMultiSelect"], orgs["value"], "style" in orgs) == (True, "1,2", False)
    assert card["actions"] == [
        {
            "type": "Action.Submit",
            "title": "Start poll",
            "style": "positive",
            "data": {"action": "submit:poll"},
        }
    ]


def test_a_forms_notes_are_shown_escaped_between_its_error_and_its_inputs(parser):
    card = render_form(revision_form(error="Write the <revised> statement."))

    assert_valid(parser, card)
    title, error, draft, objection, statement = card["body"]
    assert (title["text"], error["color"]) == ("Revise the statement", "Attention")
    assert draft["text"] == "The statement now: “Join up \\<care\\> & \\*support\\*”"
    assert objection["text"].startswith("Object — harm: “Leaves out \\[carers\\]")
    assert (statement["type"], statement["id"]) == ("Input.Text", "statement")
    for note in (draft, objection):
        assert (note["type"], note["wrap"]) == ("TextBlock", True)
    for each in shown(parser, [draft["text"], objection["text"]]):
        assert each.markup() == [], each.tags


def test_a_submitted_form_comes_back_as_its_action_and_values(parser):
    card = render_form(form_with_everything("Which?"))
    typed = {"question": "Which first?", "options": "A\nB\nC", "type": "3", "orgs": "1,2"}
    submitted = dict(type="message", value={**card["actions"][0]["data"], **typed})

    assert card_action(submitted) == ("submit:poll", typed)


def test_a_form_input_named_action_is_refused():
    form = Form(
        title="x",
        action="submit:x",
        submit_label="Go",
        inputs=[TextInput(name="action", label="A")],
    )

    with pytest.raises(ValueError, match="action"):
        render_form(form)


def test_an_optional_input_may_be_left_empty_and_choices_not_offered_are_not_chosen(parser):
    form = Form(
        title="Poll #12: Spread up to 10 dots",
        action="submit:ballot:12",
        submit_label="Vote",
        inputs=[
            TextInput(name="dots0", label="A", max_length=3, optional=True),
            ChoiceInput(
                name="pick", label="Pick", choices=[Choice(label="A", value="a")], value=["gone"]
            ),
        ],
    )
    card = render_form(form)

    assert_valid(parser, card)
    dots, pick = card["body"][1:]
    assert "isRequired" not in dots and dots["maxLength"] == 3
    assert "value" not in pick


def test_empty_blocks_and_choices_still_make_a_valid_card(parser):
    card = render_card(
        Card(
            blocks=[
                Fields(items=[]),
                Actions(elements=[]),
                ResultBars(bars=[], summary=" "),
                Actions(elements=[Select(placeholder="", choices=[])]),
                Text(text=""),
            ],
            fallback="",
        )
    )
    form = Form(
        title="Join",
        action="submit:org",
        submit_label="Join",
        inputs=[ChoiceInput(name="org", label="Organisation", choices=[])],
    )

    assert_valid(parser, card, render_form(form))
    assert element_types(card) == ["ActionSet", "TextBlock"]
    assert render_form(form)["body"][1]["text"] == "Organisation: nothing to choose from."


def test_every_card_has_plain_words_for_notifications():
    assert summary(Card(blocks=[Heading(text="Poll #3")], fallback="")) == "Poll #3"
    assert summary(Card(blocks=[Divider()], fallback=" ")) == "Concord"
    assert summary(Card(blocks=[], fallback="[a](b) " * 100)).endswith("…")
    assert render_card(Card(blocks=[Divider()], fallback="Empty"))["body"][0]["text"] == "Empty"


@pytest.fixture
def chat(sqlite_database, clock):
    conversation = Conversation(sqlite_database, clock)
    conversation.set_up_two_channels()
    yield conversation
    conversation.close()


def test_every_card_and_form_the_engine_makes_parses_and_validates(parser, chat):
    cards, forms = engine_cards_and_forms(chat)
    rendered = [render_card(card, public_url=PUBLIC) for card in cards]
    rendered += [render_form(form) for form in forms]

    assert len(cards) > 20 and len(forms) >= 5
    assert_valid(parser, *rendered)
    texts = [text for card in rendered for text in markdown_texts(card)]
    for text, each in zip(texts, shown(parser, texts), strict=True):
        assert each.markup() == [], (text, each.tags)
    used = {o["type"] for card in rendered for o in objects(card) if "type" in o}
    used -= {"task/fetch"}  # a button's data asking Teams for a dialog: not an element
    assert used <= TEAMS_TYPES and {"Image", "FactSet", "Input.ChoiceSet"} <= used
