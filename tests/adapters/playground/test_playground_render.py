"""The playground page shows cards as HTML: everything a person typed stays plain text."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from adapters.playground.render import render_block, render_card, render_form
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
    ResultBars,
    Select,
    Text,
    TextInput,
)
from tests.adapters.slack.test_slack_render import revision_form

HOSTILE = [
    '<script>alert("x")</script>',
    '<img src=x onerror="alert(1)">',
    '" onmouseover="alert(1)',
    "Tom & Jerry's <b>bold</b>",
]


class _Tags(HTMLParser):
    """Collects the tags and attributes a browser would build from the markup."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text += data


def parsed(html: str) -> _Tags:
    tags = _Tags()
    tags.feed(html)
    tags.close()
    return tags


def card_with_everything(text: str) -> Card:
    return Card(
        blocks=[
            Heading(text=text),
            Text(text=text, tone="warning"),
            Fields(items=[FieldItem(label=text, value=text)]),
            ResultBars(bars=[Bar(label=text, count=2, percent=67, leading=True)], summary=text),
            Actions(
                elements=[
                    Button(label=text, action=text),
                    Select(placeholder=text, choices=[Choice(label=text, value=text)]),
                ]
            ),
            Image(url="https://example.org/chart.png", alt=text),
            Context(text=text),
            Divider(),
        ],
        fallback=text,
    )


@pytest.mark.parametrize("typed", HOSTILE)
def test_text_a_person_typed_never_becomes_markup(typed):
    html = render_card(card_with_everything(typed))

    tags = parsed(html)
    assert "script" not in tags.tags
    assert "b" not in tags.tags
    assert tags.tags.count("img") == 1  # the chart, not the typed one
    assert not any(name.startswith("on") for name, _ in tags.attributes)
    assert typed in tags.text  # shown exactly as typed


def test_actions_keep_their_exact_value_even_with_quotes_and_ampersands():
    action = 'vote:1:2" data-x="&amp;'
    html = render_block(Actions(elements=[Button(label="Yes", action=action)]))

    assert ("data-action", action) in parsed(html).attributes


def test_every_block_kind_shows_up():
    html = render_card(card_with_everything("Discharge delays"))

    tags = parsed(html)
    for tag in ("h3", "p", "dl", "dt", "dd", "ul", "li", "button", "details", "img", "hr"):
        assert tag in tags.tags, tag
    assert "select" not in tags.tags  # a choice of actions is a fold-out of buttons
    assert 'data-testid="result-bar"' in html
    assert "2 · 67%" in html
    assert "width:67%" in html
    assert "bar-leading" in html


def test_result_bars_never_overflow_their_track():
    html = render_block(ResultBars(bars=[Bar(label="A", count=1, percent=250)], summary=""))

    assert "width:100%" in html


def test_engine_code_spans_and_line_breaks_are_kept():
    html = render_block(Text(text="Type `poll list`\nto see polls"))

    assert "<code>poll list</code>" in html
    assert "<br>" in html


def test_an_image_with_a_script_address_shows_its_description_instead():
    html = render_block(Image(url="javascript:alert(1)", alt="Chart of votes"))

    assert "img" not in parsed(html).tags
    assert "javascript" not in html
    assert "Chart of votes" in html


def test_a_private_reply_says_only_you_can_see_it():
    html = render_card(Card(blocks=[Text(text="Done")], fallback="Done"), private=True)

    assert "Only visible to you" in html
    assert 'data-testid="reply"' in html


def poll_form(error: str | None = None) -> Form:
    return Form(
        title="New poll",
        action="poll:form",
        submit_label="Start poll",
        error=error,
        inputs=[
            TextInput(name="question", label="Question", value='Beds & "flow" <now>?'),
            TextInput(name="options", label="Options", value="A\nB", multiline=True),
            ChoiceInput(
                name="type",
                label="People may choose",
                choices=[
                    Choice(label="One", value="single"),
                    Choice(label="Several", value="multi"),
                ],
                value=["multi"],
            ),
            ChoiceInput(
                name="orgs",
                label="Organisations",
                multiple=True,
                choices=[Choice(label="Riverside", value="r"), Choice(label="Hillview", value="h")],
                value=["r", "h"],
            ),
            TextInput(name="max", label="At most", optional=True, max_length=2),
        ],
    )


def test_a_form_that_comes_back_keeps_what_was_typed_and_says_what_was_wrong():
    html = render_form(poll_form(error="A poll needs at least <2> options."))

    tags = parsed(html)
    assert ("value", 'Beds & "flow" <now>?') in tags.attributes
    assert "A\nB" in tags.text  # the textarea keeps its lines
    assert 'data-testid="form-error"' in html
    assert "A poll needs at least <2> options." in tags.text
    assert ("data-form-action", "poll:form") in tags.attributes


def test_a_forms_notes_are_shown_escaped_above_its_inputs():
    html = render_form(revision_form())

    assert html.count('data-testid="form-note"') == 2
    assert "The statement now: “Join up &lt;care&gt; &amp; *support*”" in html
    assert "would resolve it: “Ask <code>them</code>”" in html
    assert html.index("form-note") < html.index("<textarea")
    assert "The statement now: “Join up <care> & *support*”" in parsed(html).text


def test_a_form_marks_the_chosen_choices():
    html = render_form(poll_form())

    assert 'value="multi" checked' in html
    assert 'value="single">' in html
    assert html.count('type="checkbox"') == 2
    assert html.count("checked") == 3
    assert "(optional)" in html
    assert 'data-testid="form-error"' not in html
