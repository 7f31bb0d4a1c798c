"""Cards and forms in Slack: every message posts, nothing typed pings anyone, nothing is lost.

Each rendering is checked against slack_sdk's models and the limits they miss
(tests/slack_blocks.py), the same checks a local Slack Web API server applies.
"""

from __future__ import annotations

import pytest

from adapters.slack.render import render_message, render_modal
from dialogs.core.cards import (
    Actions,
    Bar,
    Button,
    Card,
    Choice,
    ChoiceInput,
    Context,
    Divider,
    FieldItem,
    Fields,
    Form,
    Heading,
    Image,
    Notify,
    OpenForm,
    ResultBars,
    Select,
    Text,
    TextInput,
)
from dialogs.core.events import ActionInvoked
from tests.stand_ins.slack_blocks import (
    assert_valid_message,
    assert_valid_modal,
    mrkdwn_texts,
    objects,
    unescaped,
)
from tests.support.conversation import ASHA, BEN, NORTH, Conversation

PUBLIC = "https://concord.example.nhs.uk"
HOSTILE = ["<!channel> hi", "<https://evil.example|click>", "<@U123> & <!here|here>"]


def card_with_everything(text: str) -> Card:
    return Card(
        blocks=[
            Heading(text=text),
            Text(text=text),
            Text(text=text, tone="warning"),
            Text(text=text, tone="muted"),
            Fields(items=[FieldItem(label=text, value=text)]),
            ResultBars(bars=[Bar(label=text, count=2, percent=67, leading=True)], summary=text),
            Actions(
                elements=[
                    Button(label=text, action="vote:1:1", style="primary"),
                    Button(label=text, action="close:1", style="danger"),
                    Select(placeholder=text, choices=[Choice(label=text, value="vote:1:2")]),
                ]
            ),
            Image(url="/charts/abc.png", alt=text),
            Context(text=text),
            Divider(),
        ],
        fallback=text,
    )


def form_with_everything(text: str, error: str | None = None) -> Form:
    yes = [Choice(label="Yes", value="yes")]
    many = [Choice(label=f"Option {n}", value=str(n)) for n in range(15)]
    return Form(
        title="New poll",
        action="submit:poll",
        submit_label="Start poll",
        error=error,
        inputs=[
            TextInput(name="question", label="Question", value=text, placeholder="Which?"),
            TextInput(name="options", label="Options", value="A\nB", multiline=True),
            ChoiceInput(name="type", label="Type", choices=many, value=["3"]),
            ChoiceInput(
                name="anonymous", label="Anonymous", choices=yes, value=["yes"], multiple=True
            ),
            ChoiceInput(
                name="orgs", label="Organisations", choices=many, value=["1", "2"], multiple=True
            ),
        ],
    )


def block_types(payload: dict) -> list[str]:
    return [block["type"] for block in payload["blocks"]]


def test_every_kind_of_block_renders_as_valid_block_kit():
    payload = render_message(card_with_everything("Which priority first?"), public_url=PUBLIC)

    assert_valid_message(payload)
    assert block_types(payload) == [
        "header",
        "section",
        "section",
        "context",
        "section",
        "section",
        "context",
        "actions",
        "image",
        "context",  # the chart's figures in words
        "context",
        "divider",
    ]
    assert payload["text"] == "Which priority first?"


def test_buttons_carry_the_action_with_unique_ids_and_their_style():
    payload = render_message(card_with_everything("Q?"), public_url=PUBLIC)
    primary, danger, select = next(b for b in payload["blocks"] if b["type"] == "actions")[
        "elements"
    ]

    assert (primary["value"], primary["style"]) == ("vote:1:1", "primary")
    assert (danger["value"], danger["style"]) == ("close:1", "danger")
    assert select["options"][0]["value"] == "vote:1:2"
    assert [e["action_id"] for e in (primary, danger, select)] == [
        "concord-1",
        "concord-2",
        "concord-3",
    ]


def test_result_bars_show_counts_and_percentages_with_the_leader_in_bold_and_in_words():
    bars = ResultBars(
        bars=[
            Bar(label="Discharge delays", count=4, percent=57, leading=True),
            Bar(label="Workforce", count=3, percent=43),
        ],
        summary="7 voted",
    )
    payload = render_message(Card(blocks=[bars], fallback="Results"), public_url=PUBLIC)

    assert payload["blocks"][0]["text"]["text"] == (
        "*Discharge delays (leading)*\n▇▇▇▇▇▇▁▁▁▁ 4 · 57%\nWorkforce\n▇▇▇▇▁▁▁▁▁▁ 3 · 43%"
    )
    assert payload["blocks"][1]["elements"][0]["text"] == "7 voted"


def test_a_poll_with_twenty_long_options_meets_every_slack_limit():
    labels = [f"Option {n}: " + "a very long and detailed proposal " * 8 for n in range(20)]
    card = Card(
        blocks=[
            Heading(text="Which? " * 60),
            ResultBars(
                bars=[Bar(label=label, count=n, percent=50) for n, label in enumerate(labels)],
                summary="20 voted " * 400,
            ),
            Actions(
                elements=[
                    *(Button(label=label, action=f"vote:1:{n}") for n, label in enumerate(labels)),
                    *(
                        Button(label=label, action=f"vote:1:{n + 20}")
                        for n, label in enumerate(labels)
                    ),
                    Select(
                        placeholder="Pick " * 50,
                        choices=[Choice(label=labels[0], value=f"vote:1:{n}") for n in range(150)],
                    ),
                ]
            ),
            Fields(items=[FieldItem(label=label, value=label * 10) for label in labels]),
            Text(text="x" * 5000),
        ],
        fallback="Which? " * 1000,
    )
    payload = render_message(card, public_url=PUBLIC)

    assert_valid_message(payload)
    buttons = [o for o in objects(payload) if o.get("type") == "button"]
    assert len(buttons) == 40 and all(b["text"]["text"].endswith("…") for b in buttons)
    assert block_types(payload).count("actions") == 2
    assert len(payload["text"]) <= 4000 and payload["text"].endswith("…")
    bar_sections = [b for b in payload["blocks"] if "▇" in b.get("text", {}).get("text", "")]
    assert sum(b["text"]["text"].count(" · ") for b in bar_sections) == 20  # no bar lost


@pytest.mark.parametrize(
    "blocks",
    [
        [Text(text=f"Line {n}") for n in range(200)],
        [Fields(items=[FieldItem(label=f"Org {n}", value=str(n)) for n in range(600)])],
    ],
    ids=["200 lines", "600 fields"],
)
def test_a_very_long_card_is_cut_to_fifty_blocks_saying_how_much_was_left_out(blocks):
    payload = render_message(Card(blocks=blocks, fallback="Long"), public_url=PUBLIC)

    assert_valid_message(payload)
    assert len(payload["blocks"]) == 50
    rendered_before_cut = 200 if isinstance(blocks[0], Text) else 60
    note = payload["blocks"][-1]["elements"][0]["text"]
    assert note.startswith(f"… and {rendered_before_cut - 49} more parts not shown")


@pytest.mark.parametrize("typed", HOSTILE)
def test_mentions_and_links_typed_by_people_are_inert(typed):
    payload = render_message(card_with_everything(typed), public_url=PUBLIC)

    assert_valid_message(payload)
    texts = mrkdwn_texts(payload)
    assert texts and all(not unescaped(text) for text in texts), texts
    assert any("&lt;" in text for text in texts)
    assert payload["blocks"][0]["text"]["text"] == typed  # plain_text: shown as typed, once


def test_a_long_escaped_text_is_split_into_sections_never_cut_nor_inside_an_entity():
    payload = render_message(Card(blocks=[Text(text="<" * 2000)], fallback="x"), public_url="")
    texts = [block["text"]["text"] for block in payload["blocks"]]

    assert_valid_message(payload)
    assert len(texts) == 3 and all(len(text) <= 3000 for text in texts)
    assert "".join(texts) == "&lt;" * 2000 and not any(unescaped(text) for text in texts)


def test_a_long_text_keeps_every_line_across_sections():
    lines = [f"{n:05d},Riverside,1,0,0" for n in range(1000)]
    payload = render_message(
        Card(blocks=[Text(text="\n".join(lines))], fallback="x"), public_url=""
    )

    assert_valid_message(payload)
    shown = "".join(block["text"]["text"] for block in payload["blocks"])
    assert shown.splitlines() == lines


def test_every_message_has_a_plain_text_fallback():
    titled = Card(blocks=[Heading(text="Poll #3"), Divider()], fallback="")
    empty = Card(blocks=[Divider()], fallback=" ")

    assert render_message(titled, public_url="")["text"] == "Poll #3"
    assert render_message(empty, public_url="")["text"] == "Concord"


@pytest.mark.parametrize(
    ("public_url", "expected"),
    [
        (PUBLIC, f"{PUBLIC}/charts/abc.png"),
        (f"{PUBLIC}/concord/", f"{PUBLIC}/concord/charts/abc.png"),
    ],
)
def test_chart_images_get_an_absolute_url_under_the_public_https_address(public_url, expected):
    payload = render_message(card_with_everything("Q"), public_url=public_url)

    image = next(b for b in payload["blocks"] if b["type"] == "image")
    assert (image["image_url"], image["alt_text"]) == (expected, "Q")


@pytest.mark.parametrize("public_url", ["", "http://127.0.0.1:3978"])
def test_without_a_public_https_address_an_image_becomes_a_line_of_its_alt_text(public_url):
    card = Card(blocks=[Image(url="/charts/abc.png", alt="Chart of <poll> #3")], fallback="x")
    payload = render_message(card, public_url=public_url)

    assert_valid_message(payload)
    assert payload["blocks"] == [
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Chart of &lt;poll&gt; #3"}]}
    ]


def test_a_modal_keeps_what_the_person_typed_and_shows_the_error():
    form = form_with_everything("<!channel> Which?", error="Give at least <two> options.")
    view = render_modal(form, private_metadata='{"channel": "C1"}')

    assert_valid_modal(view)
    error, question, options, kind, anonymous, orgs = view["blocks"]
    assert error["text"]["text"] == ":warning: Give at least &lt;two&gt; options."
    assert question["element"]["initial_value"] == "<!channel> Which?"
    assert options["element"]["multiline"] is True
    assert kind["element"]["initial_option"]["value"] == "3"
    assert anonymous["element"]["type"] == "checkboxes"
    assert [o["value"] for o in anonymous["element"]["initial_options"]] == ["yes"]
    assert orgs["element"]["type"] == "multi_static_select"  # checkboxes hold 10 at most
    assert [o["value"] for o in orgs["element"]["initial_options"]] == ["1", "2"]
    for block in (question, options, kind, anonymous, orgs):
        assert block["block_id"] == block["element"]["action_id"]
    assert view["private_metadata"] == '{"channel": "C1"}'


def revision_form(error: str | None = None) -> Form:
    """A form with read-only notes above its input, as the purpose revision form has."""
    return Form(
        title="Revise the statement",
        action="submit:revision:1",
        submit_label="Ask for consent",
        error=error,
        notes=[
            "The statement now: “Join up <care> & *support*”",
            "Object — harm: “Leaves out [carers](https://evil)”; would resolve it: “Ask `them`”",
        ],
        inputs=[TextInput(name="statement", label="The statement", multiline=True)],
    )


def test_a_modals_notes_are_shown_escaped_between_its_error_and_its_inputs():
    view = render_modal(revision_form(error="Write it."), private_metadata="")

    assert_valid_modal(view)
    error, draft, objection, statement = view["blocks"]
    assert error["text"]["text"] == ":warning: Write it."
    assert draft == {
        "type": "section",
        "text": {
            "type": "mrkdwn",
            "text": "The statement now: “Join up &lt;care&gt; &amp; *support*”",
        },
    }
    assert objection["text"]["text"].startswith(
        "Object — harm: “Leaves out [carers](https://evil)”"
    )
    assert statement["block_id"] == "statement"


def test_a_long_modal_title_is_shortened_and_shown_in_full_inside():
    form = Form(
        title="Poll #12: Spread up to 10 dots",
        action="submit:ballot:12",
        submit_label="Vote now, then see the results",
        inputs=[TextInput(name="dots0", label="A", max_length=3, optional=True)],
    )
    view = render_modal(form, private_metadata="")

    assert_valid_modal(view)
    assert view["title"]["text"] == "Poll #12: Spread up to…"
    assert view["blocks"][0]["text"]["text"] == "Poll #12: Spread up to 10 dots"
    assert len(view["submit"]["text"]) <= 24
    assert view["blocks"][1]["optional"] is True


@pytest.fixture
def chat(sqlite_database, clock):
    conversation = Conversation(sqlite_database, clock)
    conversation.set_up_two_channels()
    yield conversation
    conversation.close()


POLLS = [
    'poll "Which first? <!channel>" "Discharge <https://evil|click>" "Beds" "Workforce" '
    '--description "Read <!here> *this* [first](https://evil.example)"',
    'poll "Pick two" "A" "B" "C" --type multi --max 2',
    'poll "Rank them" "A" "B" "C" --type ranked',
    'poll "Score them" "A" "B" --type score',
    'poll "Spread dots" "A" "B" "C" --type dots',
    'poll "Adopt the purpose?" "Adopt" --type consent',
    'poll "Anonymous?" "Yes" "No" --anonymous --results after-close',
]


def engine_cards_and_forms(chat: Conversation) -> tuple[list[Card], list[Form]]:
    """Everything the engine shows while polls of every type and a check-in run."""
    forms = [chat.form(ASHA, NORTH)]
    refused = chat.engine.handle(ActionInvoked(ASHA, NORTH, forms[0].action, {"question": "?"}))
    forms += [e.form for e in refused if isinstance(e, OpenForm)]
    private: list[Card] = []
    for command in [*POLLS, 'checkin add "every monday 09:00"', "checkin now 1", "help"]:
        chat.says(ASHA, NORTH, command)
    forms.append(chat.form(ASHA, NORTH, "poll edit 1"))
    chat.says(ASHA, NORTH, 'poll edit 1 --option 3 "Beds <!channel> **now**"')
    for card in list(chat.messages(NORTH)):
        for block in card.blocks:
            if isinstance(block, Actions):
                for element in block.elements:
                    if isinstance(element, Button):
                        effects = chat.engine.handle(ActionInvoked(BEN, NORTH, element.action, {}))
                        forms += [e.form for e in effects if isinstance(e, OpenForm)]
                        private += [e.card for e in effects if isinstance(e, Notify)]
    chat.deliver()
    for number in range(1, len(POLLS) + 1):
        chat.says(ASHA, NORTH, f"poll close {number}")
    cards = chat.messages(NORTH) + [card for _, card in chat.platform.private] + private
    return cards, forms


def test_every_card_and_form_the_engine_makes_is_valid_block_kit(chat):
    cards, forms = engine_cards_and_forms(chat)

    assert len(cards) > 20 and len(forms) >= 5 and forms[1].error
    for card in cards:
        payload = render_message(card, public_url=PUBLIC)
        assert_valid_message(payload)
        assert not [t for t in mrkdwn_texts(payload) if unescaped(t)]
    for form in forms:
        assert_valid_modal(render_modal(form, private_metadata="{}"))
    assert any(
        o.get("type") == "image"
        for c in cards
        for o in objects(render_message(c, public_url=PUBLIC))
    )
