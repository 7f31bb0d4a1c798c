"""Polls from templates and copies of polls: a coordinator asks the usual questions in a
few steps, a good poll is asked again next quarter, and no ballot is ever copied.

Asha coordinates Northshire (channels North and South); Carys coordinates Eastshire.
"""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from dialogs.core.cards import ChoiceInput, DateTimeInput, Form, OpenForm, TextInput
from dialogs.polls import templates
from storage.erase import erase_collaboratives
from storage.models import Ballot, Poll, PollOption, PollTemplate
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    NORTH,
    SOUTH,
    Conversation,
    channel,
    poll_buttons,
    text_of,
)

EAST = channel("east")


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    conversation.says(BEN, NORTH, "help")  # Ben joins Northshire as a member
    conversation.says(CARYS, EAST, 'setup "Eastshire"')
    yield conversation
    conversation.close()


def polls(chat: Conversation) -> list[Poll]:
    with chat.database.session() as session:
        return list(session.exec(select(Poll).order_by(Poll.id)).all())  # type: ignore[arg-type]


def options_of(chat: Conversation, poll: Poll) -> list[str]:
    with chat.database.session() as session:
        rows = session.exec(
            select(PollOption.label)
            .where(PollOption.poll_id == poll.id)
            .order_by(PollOption.position)  # type: ignore[arg-type]
        )
        return list(rows.all())


def saved_templates(chat: Conversation) -> int:
    with chat.database.session() as session:
        return session.exec(select(func.count()).select_from(PollTemplate)).one()


def value(form: Form, name: str) -> str:
    found = next(i for i in form.inputs if i.name == name)
    if isinstance(found, ChoiceInput):
        return found.value[0] if found.value else ""
    assert isinstance(found, TextInput)
    return found.value


def typed(form: Form, **changes: str) -> dict[str, str]:
    """What a person submits: the form as it came, with their `changes`."""
    pickers = ("opens", "closes")  # left empty: a date picker sends nothing when untouched
    values = {i.name: value(form, i.name) for i in form.inputs if i.name not in pickers}
    return values | {name.replace("_", "-"): text for name, text in changes.items()}


def opened(effects: list) -> Form:
    (form,) = [e.form for e in effects if isinstance(e, OpenForm)]
    return form


# --- the built-in templates -------------------------------------------------------------


def test_template_list_names_every_built_in_template_with_what_it_does(chat):
    shown = chat.says(BEN, NORTH, "poll template list")
    assert "Poll templates" in shown
    for name in (
        "Yes / no / abstain",
        "Agreement scale",
        "Consent proposal",
        "Dot-vote priorities",
        "Meeting time",
        "Quarterly partnership health check",
    ):
        assert f"{name} — " in shown
    assert "Saved in Northshire Provider Collaborative: none yet" in shown
    assert 'Start one with `poll from "Name" "Your question"`' in shown


@pytest.mark.parametrize("template", templates.BUILT_IN, ids=lambda t: t.name)
def test_every_built_in_template_makes_a_poll_the_usual_rules_accept(chat, template):
    words = '"Is this the right step?"'
    if templates.needs(template.values | {"question": "Q?"}) == "options":
        words += ' "Tue 10:00" "Wed 14:00" "Thu 09:30"'
    shown = chat.says(ASHA, NORTH, f'poll from "{template.name}" {words}')
    assert "Poll #1 is open" in shown
    (poll,) = polls(chat)
    assert (poll.type, poll.question) == (template.values["type"], "Is this the right step?")


def test_a_consent_proposal_with_its_proposal_posts_in_one_command(chat):
    shown = chat.says(
        ASHA, NORTH, 'poll from "consent PROPOSAL" "We adopt the shared discharge protocol"'
    )
    assert "Poll #1 is open" in shown and "Posted in 2 channels." in shown
    (poll,) = polls(chat)
    assert (poll.question, poll.type, poll.settings["objections"]) == (
        "We adopt the shared discharge protocol",
        "consent",
        0,
    )
    assert "We adopt the shared discharge protocol" in text_of(chat.last_message(SOUTH))


def test_the_health_check_is_complete_so_it_posts_anonymous_with_results_after_it_closes(chat):
    shown = chat.says(ASHA, NORTH, 'poll from "Quarterly partnership health check"')
    assert "Poll #1 is open" in shown
    (poll,) = polls(chat)
    assert poll.type == "score"
    assert poll.settings["anonymous"] is True and poll.settings["results"] == "after-close"
    assert options_of(chat, poll)[0] == "We agreed clear priorities and kept to them"
    assert len(options_of(chat, poll)) == 5


def test_the_agreement_scale_has_five_points_a_neutral_middle_and_dont_know_apart(chat):
    chat.says(ASHA, NORTH, 'poll from "Agreement scale" "Our waiting-list work helps patients."')
    assert options_of(chat, polls(chat)[0]) == [
        "Strongly agree",
        "Agree",
        "Neither agree nor disagree",
        "Disagree",
        "Strongly disagree",
        "Don't know",
    ]


def test_a_meeting_time_posts_with_the_times_given_and_a_deadline(chat):
    shown = chat.says(
        ASHA,
        NORTH,
        'poll from "Meeting time" "Board away day?" "Tue 10:00" "Wed 14:00" --closes friday 17:00',
    )
    assert "Poll #1 is open" in shown and "It closes Fri 27 Nov 2026 17:00 GMT." in shown
    (poll,) = polls(chat)
    assert (poll.type, poll.question) == ("multi", "Board away day?")
    assert list(poll_buttons(chat.last_message(NORTH))) == ["Tue 10:00", "Wed 14:00"]


def test_a_template_without_its_question_opens_the_form_filled_in(chat):
    form = chat.form(ASHA, NORTH, 'poll from "Yes / no / abstain"')
    assert value(form, "question") == "" and value(form, "options") == "Yes\nNo\nAbstain"
    question = next(i for i in form.inputs if i.name == "question")
    assert isinstance(question, TextInput) and question.placeholder.startswith("Should we")
    assert polls(chat) == []


def test_meeting_time_without_times_opens_the_form_with_its_question_and_deadline(chat):
    form = chat.form(ASHA, NORTH, 'poll from "Meeting time" --closes friday 17:00')
    assert value(form, "question") == "Which of these times can you make?"
    assert value(form, "type") == "multi" and value(form, "options") == ""
    closes = next(i for i in form.inputs if i.name == "closes")
    assert isinstance(closes, DateTimeInput) and closes.value is not None
    assert "2026-11-27" in str(closes.value)


def test_a_template_command_concord_may_have_misread_opens_the_form_to_check(chat):
    form = chat.form(ASHA, NORTH, 'poll from "Yes / no / abstain" Shall we merge')
    assert form.error is not None and "weren't in quote marks" in form.error
    assert polls(chat) == []


def test_a_template_that_doesnt_exist_is_refused_with_the_nearest_names(chat):
    refused = chat.says(ASHA, NORTH, 'poll from "Consent proposl" "We adopt it"')
    assert "There is no poll template called “Consent proposl”." in refused
    assert "Did you mean “Consent proposal”?" in refused
    assert "`poll template list` shows them all." in refused
    assert polls(chat) == []


def test_only_a_coordinator_starts_a_poll_from_a_template(chat):
    refused = chat.says(BEN, NORTH, 'poll from "Consent proposal" "We adopt it"')
    assert "Only a coordinator can start a poll" in refused and polls(chat) == []


# --- the form's "Start from a template" ---------------------------------------------------


def test_a_poll_from_a_template_in_the_form_takes_three_steps(chat):
    steps = 0
    form = chat.form(ASHA, NORTH)  # 1: `poll`
    steps += 1
    assert value(form, "template") == "blank"
    offered = next(i for i in form.inputs if i.name == "template")
    assert isinstance(offered, ChoiceInput)
    assert [c.label for c in offered.choices][:3] == [
        "None: a blank poll",
        "Yes / no / abstain",
        "Agreement scale",
    ]
    filled = opened(
        chat.submits(ASHA, NORTH, form.action, typed(form, template="Consent proposal"))
    )
    steps += 1  # 2: pick the template and submit
    assert value(filled, "type") == "consent" and value(filled, "template") == "blank"
    assert filled.refilled  # so Slack shows the template, not what the view held before
    effects = chat.submits(
        ASHA, NORTH, filled.action, typed(filled, question="We adopt the shared protocol")
    )
    steps += 1  # 3: type the proposal and submit
    assert not [e for e in effects if isinstance(e, OpenForm)]
    (poll,) = polls(chat)
    assert (poll.type, poll.question, steps) == ("consent", "We adopt the shared protocol", 3)


def test_a_question_typed_before_picking_a_template_is_kept(chat):
    form = chat.form(ASHA, NORTH)
    filled = opened(
        chat.submits(
            ASHA, NORTH, form.action, typed(form, template="Yes / no / abstain", question="Merge?")
        )
    )
    assert value(filled, "question") == "Merge?" and value(filled, "options") == "Yes\nNo\nAbstain"
    assert polls(chat) == []


def test_a_forged_template_choice_is_refused_and_nothing_changes(chat):
    chat.says(CARYS, EAST, 'poll "East only?" "Yes" "No"')
    chat.says(CARYS, EAST, 'poll save-template 1 "Eastern secret"')
    form = chat.form(ASHA, NORTH)
    refused = chat.clicks(ASHA, NORTH, form.action, typed(form, template="Eastern secret"))
    assert "There is no poll template called “Eastern secret”." in refused
    assert len(polls(chat)) == 1  # only Eastshire's


# --- save-template -------------------------------------------------------------------------


def test_a_saved_template_keeps_the_poll_but_not_its_votes(chat):
    chat.says(ASHA, NORTH, 'poll "Which priority first?" "Discharge" "Workforce" --anonymous')
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["Workforce"])
    shown = chat.says(ASHA, NORTH, 'poll save-template 1 "Priority check"')
    assert "Poll #1 is saved as the template “Priority check”" in shown
    assert "It keeps the question, options and settings, never the votes." in shown
    assert "Priority check (from poll #1)" in chat.says(BEN, NORTH, "poll template list")
    assert "Poll #2 is open" in chat.says(ASHA, NORTH, 'poll from "priority CHECK"')
    second = polls(chat)[1]
    assert (second.question, second.settings["anonymous"]) == ("Which priority first?", True)
    assert options_of(chat, second) == ["Discharge", "Workforce"]
    with chat.database.session() as session:
        assert session.exec(select(func.count()).where(Ballot.poll_id == second.id)).one() == 0


def test_a_saved_template_can_be_deleted_but_a_built_in_one_cannot(chat):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"')
    chat.says(ASHA, NORTH, 'poll save-template 1 "Lunch"')
    refused = chat.says(ASHA, NORTH, 'poll template delete "Meeting time"')
    assert "“Meeting time” is built in, so it can't be deleted." in refused
    shown = chat.says(ASHA, NORTH, 'poll template delete "lunch"')
    assert "The template “Lunch” is deleted" in shown and saved_templates(chat) == 0
    refused = chat.says(ASHA, NORTH, 'poll template delete "Lunch"')
    assert "There is no poll template called “Lunch”." in refused
    assert "Say which template to delete." in chat.says(ASHA, NORTH, "poll template delete")


def test_only_a_coordinator_deletes_a_template(chat):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"')
    chat.says(ASHA, NORTH, 'poll save-template 1 "Lunch"')
    refused = chat.says(BEN, NORTH, 'poll template delete "Lunch"')
    assert "Only a coordinator can delete a poll template" in refused
    assert saved_templates(chat) == 1


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Meeting TIME", "There is already a template called “Meeting time”."),
        ("lunch", "There is already a template called “Lunch”."),
        ("x" * 61, "That name is 61 characters; the most is 60."),
        ("\u200b\u200b", "The template needs a name."),  # nothing a person can see
    ],
)
def test_a_duplicate_or_unusable_template_name_is_refused_and_nothing_changes(chat, name, problem):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"')
    chat.says(ASHA, NORTH, 'poll save-template 1 "Lunch"')
    refused = chat.says(ASHA, NORTH, f'poll save-template 1 "{name}"')
    assert problem in refused and saved_templates(chat) == 1


def test_a_collaborative_keeps_at_most_fifty_templates(chat, monkeypatch):
    monkeypatch.setattr(templates, "MAX_SAVED", 2)
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"')
    for name in ("One", "Two"):
        chat.says(ASHA, NORTH, f'poll save-template 1 "{name}"')
    refused = chat.says(ASHA, NORTH, 'poll save-template 1 "Three"')
    assert "has 2 templates of its own, the most it can keep." in refused
    assert 'Delete one you no longer use with `poll template delete "Name"`.' in refused
    assert saved_templates(chat) == 2


def test_a_poll_from_another_collaborative_cant_be_saved_or_cloned(chat):
    chat.says(CARYS, EAST, 'poll "East only?" "Yes" "No"')
    for command in ('poll save-template 1 "Mine"', "poll clone 1", "poll clone 7"):
        refused = chat.says(ASHA, NORTH, command)
        assert "There is no poll #" in refused and "here." in refused
    assert saved_templates(chat) == 0 and len(polls(chat)) == 1


def test_another_collaboratives_templates_stay_its_own(chat):
    chat.says(CARYS, EAST, 'poll "East only?" "Yes" "No"')
    chat.says(CARYS, EAST, 'poll save-template 1 "Eastern secret"')
    assert "Eastern secret" not in chat.says(ASHA, NORTH, "poll template list")
    refused = chat.says(ASHA, NORTH, 'poll from "Eastern secret"')
    assert "There is no poll template called “Eastern secret”." in refused
    refused = chat.says(ASHA, NORTH, 'poll template delete "Eastern secret"')
    assert "There is no poll template called" in refused and saved_templates(chat) == 1


def test_only_a_coordinator_saves_a_template(chat):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"')
    refused = chat.says(BEN, NORTH, 'poll save-template 1 "Lunch"')
    assert "Only a coordinator can save a poll template" in refused and saved_templates(chat) == 0


# --- clone -----------------------------------------------------------------------------------


def test_clone_opens_the_form_filled_in_with_the_poll_never_its_ballots(chat, clock):
    chat.says(
        ASHA,
        NORTH,
        'poll "Q3 priorities?" "Discharge" "Workforce" "Estates" --type multi --max 2 '
        '--results after-vote --description "For the board" --closes friday 17:00',
    )
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["Estates"])
    form = chat.form(ASHA, NORTH, "poll clone 1")
    assert form.title == "New poll" and value(form, "question") == "Q3 priorities?"
    assert value(form, "options") == "Discharge\nWorkforce\nEstates"
    assert (value(form, "type"), value(form, "max"), value(form, "results")) == (
        "multi",
        "2",
        "after-vote",
    )
    assert value(form, "description") == "For the board"
    effects = chat.submits(ASHA, SOUTH, form.action, typed(form, question="Q4 priorities?"))
    assert not [e for e in effects if isinstance(e, OpenForm)]
    first, second = polls(chat)
    assert (second.number, second.question, second.settings) == (
        2,
        "Q4 priorities?",
        first.settings,
    )
    assert second.closes_at is None  # a fresh deadline is the coordinator's to pick
    with chat.database.session() as session:
        assert session.exec(select(func.count()).where(Ballot.poll_id == second.id)).one() == 0


def test_a_collaboratives_templates_go_with_it_when_it_is_erased(chat):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"')
    chat.says(ASHA, NORTH, 'poll save-template 1 "Lunch"')
    chat.says(CARYS, EAST, 'poll "East only?" "Yes" "No"')
    chat.says(CARYS, EAST, 'poll save-template 1 "Eastern"')
    with chat.database.session() as session:
        north = session.exec(select(PollTemplate).where(PollTemplate.name == "Lunch")).one()
    chat.database.run(lambda session: erase_collaboratives(session, [north.collaborative_id]))
    with chat.database.session() as session:
        assert session.exec(select(PollTemplate.name)).all() == ["Eastern"]
