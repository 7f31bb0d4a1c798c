"""The command grammar: every command and option parses, and bad input is explained."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogs.commands.grammar import SYNTAX
from dialogs.commands.parser import parse
from dialogs.commands.values import GrammarError, parse_duration


@pytest.mark.parametrize(
    ("text", "name", "args", "flags"),
    [
        ("help", "help", {}, {}),
        ("", "help", {}, {}),
        ("/concord", "help", {}, {}),
        (
            'setup "NHS North" --timezone Europe/London',
            "setup",
            {"name": "NHS North"},
            {"timezone": "Europe/London"},
        ),
        ("link", "link", {}, {}),
        ("link k7p-q2m", "link", {"code": "K7PQ2M"}, {}),
        ('org add "Riverside"', "org.add", {"name": "Riverside"}, {}),
        ('org join "Riverside"', "org.join", {"name": "Riverside"}, {}),
        ("org list", "org.list", {}, {}),
        ("role observer <@U123>", "role", {"role": "observer", "person": {"user_id": "U123"}}, {}),
        (
            "role Coordinator @Sam Jones",
            "role",
            {"role": "coordinator", "person": {"name": "Sam Jones"}},
            {},
        ),
        ("poll", "poll", {"options": []}, {}),
        (
            'poll "Lunch?" "Pizza" "Sushi"',
            "poll",
            {"question": "Lunch?", "options": ["Pizza", "Sushi"]},
            {},
        ),
        (
            'poll "Q?" "A" "B" --type multi --max 2 --anonymous --results after-close',
            "poll",
            {"question": "Q?", "options": ["A", "B"]},
            {"type": "multi", "max": 2, "anonymous": True, "results": "after-close"},
        ),
        (
            'poll "Q?" "A" "B" --type=dots --dots 10 --balance orgs --quorum per-org 2',
            "poll",
            {"question": "Q?", "options": ["A", "B"]},
            {"type": "dots", "dots": 10, "balance": "orgs", "quorum": {"per": "org", "minimum": 2}},
        ),
        (
            'poll "Q?" "A" "B" --closes friday 17:00 --remind 24h',
            "poll",
            {"question": "Q?", "options": ["A", "B"]},
            {"closes": "friday 17:00", "remind": 86400},
        ),
        ("poll list", "poll.list", {}, {}),
        ("poll series", "poll.series", {}, {}),
        ("poll series stop S2", "poll.series.stop", {"id": "S2"}, {}),
        (
            'poll "Q?" "A" "B" --every "first monday of the month 09:00" --closes-after 3d',
            "poll",
            {"question": "Q?", "options": ["A", "B"]},
            {"every": "first monday of the month 09:00", "closes-after": 3 * 86400},
        ),
        ("poll close 3", "poll.close", {"id": 3}, {}),
        ("poll results #3", "poll.results", {"id": 3}, {}),
        ("poll export 3", "poll.export", {"id": 3}, {}),
        (
            "purpose start --gather 5d --shortlist 5",
            "purpose.start",
            {},
            {"gather": 432000, "shortlist": 5},
        ),
        ("purpose status", "purpose.status", {}, {}),
        ("purpose next", "purpose.next", {}, {}),
        ("purpose show", "purpose.show", {}, {}),
        (
            'checkin add "every monday 09:00" --window 2d',
            "checkin.add",
            {"recurrence": "every monday 09:00"},
            {"window": 172800},
        ),
        ("checkin list", "checkin.list", {}, {}),
        ("checkin stop 2", "checkin.stop", {"id": 2}, {}),
        ("checkin now 2", "checkin.now", {"id": 2}, {}),
        ("checkin skip 2026-12-25", "checkin.skip", {"date": "2026-12-25"}, {}),
        ("decisions --export md", "decisions", {}, {"export": "md"}),
        ("me link", "me.link", {}, {}),
        ("me timezone", "me.timezone", {}, {}),
        ("me timezone Europe/Paris", "me.timezone", {"zone": "Europe/Paris"}, {}),
        ("me digest daily", "me.digest", {"choice": "daily"}, {}),
        ("me digest", "me.digest", {}, {}),
        ("home", "home", {}, {}),
        (
            'org add "NHS Trust A" --teams-tenant 72F988BF-86F1-41AF-91AB-2D7CD011DB47',
            "org.add",
            {"name": "NHS Trust A"},
            {"teams-tenant": "72F988BF-86F1-41AF-91AB-2D7CD011DB47"},
        ),
        ("org unmap --slack-team T0123ABCD", "org.unmap", {}, {"slack-team": "T0123ABCD"}),
        ("settings newcomers observer", "settings.newcomers", {"role": "observer"}, {}),
        ("me export", "me.export", {}, {}),
        ("me forget", "me.forget", {}, {}),
        ("me forget confirm", "me.forget", {"confirm": "confirm"}, {}),
        (
            "member remove @Ben Okafor --forget",
            "member.remove",
            {"person": {"name": "Ben Okafor"}},
            {"forget": True},
        ),
        ("POLL LIST", "poll.list", {}, {}),
        ("help all", "help", {"topic": "all"}, {}),
        ("poll remind 3", "poll.remind", {"id": 3}, {}),
        ("poll waiting 3", "poll.waiting", {"id": 3}, {}),
        (
            'poll "Q?" "A" "B" --rule every-org',
            "poll",
            {"question": "Q?", "options": ["A", "B"]},
            {"rule": 50},
        ),
        ("poll edit 2 --rule every-org 60%", "poll.edit", {"id": 2}, {"rule": 60}),
        ("poll edit 2 --rule none", "poll.edit", {"id": 2}, {"rule": None}),
        (
            "settings purpose-rule every-org 60",
            "settings.purpose-rule",
            {"rule": "every-org", "percent": "60"},
            {},
        ),
        (
            'poll "Q?" "A" "B" --mode delegated --decider @Dee Sharma',
            "poll",
            {"question": "Q?", "options": ["A", "B"]},
            {"mode": "delegated", "decider": {"name": "Dee Sharma"}},
        ),
        ('poll decide 3 "We go with A"', "poll.decide", {"id": 3, "decision": "We go with A"}, {}),
        (
            "settings governance delegated --decider <@U123>",
            "settings.governance",
            {"mode": "delegated"},
            {"decider": {"user_id": "U123"}},
        ),
        ("decisions review 3 --in 6 months", "decisions.review", {"id": 3}, {"in": "6 months"}),
        ("decisions reviews", "decisions.reviews", {}, {}),
        ("purpose start --review 1 year", "purpose.start", {}, {"review": "1 year"}),
        (
            'vote 3 "Fish pie" --for @Dee Sharma',
            "vote",
            {"id": 3, "choice": "Fish pie"},
            {"for": "@Dee Sharma"},
        ),
        (
            "deputy @Dee Sharma --until friday 17:00",
            "deputy",
            {"person": {"name": "Dee Sharma"}},
            {"until": "friday 17:00"},
        ),
        ("deputy end", "deputy.end", {}, {}),
        ("\u201cpoll\u201d", "poll", {"options": []}, {}),
        ("poll template list", "poll.template", {"action": "list"}, {}),
        ("poll template", "poll.template", {}, {}),
        (
            'poll template delete "Q3 check"',
            "poll.template",
            {"action": "delete", "name": "Q3 check"},
            {},
        ),
        (
            'poll from "Consent proposal" "We adopt it"',
            "poll.from",
            {"template": "Consent proposal", "question": "We adopt it", "options": []},
            {},
        ),
        (
            'poll from "Meeting time" "When?" "Mon 10:00" "Tue 14:00" --closes friday',
            "poll.from",
            {
                "template": "Meeting time",
                "question": "When?",
                "options": ["Mon 10:00", "Tue 14:00"],
            },
            {"closes": "friday"},
        ),
        (
            'poll save-template 4 "Q3 check"',
            "poll.save-template",
            {"id": 4, "name": "Q3 check"},
            {},
        ),
        ("poll clone 4", "poll.clone", {"id": 4}, {}),
        ("retention", "retention", {}, {}),
        (
            "retention free-text 24 months",
            "retention.free-text",
            {"count": "24", "unit": "months"},
            {},
        ),
        ('retention closed-polls "6 years"', "retention.closed-polls", {"count": "6 years"}, {}),
        ("retention removed-words remove", "retention.removed-words", {"way": "remove"}, {}),
    ],
)
def test_every_command_in_the_grammar_parses(text, name, args, flags):
    command = parse(text)
    assert (command.name, command.args, command.flags) == (name, args, flags)


def test_the_table_covers_every_command_in_the_design():
    names = {s.name for s in SYNTAX}
    assert names == {
        "poll.template",
        "poll.from",
        "poll.save-template",
        "poll.clone",
        "help",
        "setup",
        "link",
        "org.add",
        "org.join",
        "org.list",
        "org.unmap",
        "role",
        "settings.newcomers",
        "settings.purpose-rule",
        "poll",
        "poll.list",
        "poll.series",
        "poll.series.stop",
        "poll.remind",
        "poll.waiting",
        "poll.close",
        "poll.results",
        "poll.export",
        "poll.receipt",
        "poll.edit",
        "poll.extend",
        "poll.reopen",
        "poll.delete",
        "poll.decide",
        "settings.governance",
        "purpose.start",
        "purpose.status",
        "purpose.next",
        "purpose.show",
        "checkin.add",
        "checkin.list",
        "checkin.stop",
        "checkin.now",
        "checkin.skip",
        "decisions",
        "decisions.review",
        "decisions.reviews",
        "me.link",
        "me.timezone",
        "me.digest",
        "home",
        "me.export",
        "me.forget",
        "member.remove",
        "vote",
        "deputy",
        "deputy.accept",
        "deputy.decline",
        "deputy.end",
        "deputy.list",
        "retention",
        "retention.free-text",
        "retention.closed-polls",
        "retention.removed-words",
        "me",
        "me.language",
        "language",
        "language.default",
        "language.shared",
    }


def test_typographic_quotes_from_phones_work_like_straight_ones():
    command = parse("poll \u201cLunch?\u201d \u201cPizza\u201d \u201cChildren's services\u201d")
    assert command.args == {"question": "Lunch?", "options": ["Pizza", "Children's services"]}


def test_a_quoted_word_is_text_not_a_subcommand():
    assert parse('poll "list" "A" "B"').args["question"] == "list"


@pytest.mark.parametrize(
    ("text", "problem", "hint"),
    [
        ("frobnicate", "doesn't know the command `frobnicate`", "help"),
        ("hlep", "doesn't know the command", "Did you mean `help`"),
        ("org", "`org` is not something `org` does", "org add | join | list | unmap"),
        ("org delete", "`org delete` is not something `org` does", "org add"),
        ('poll "Lunch?', 'A quote mark opened before "Lunch?" is never closed', "pair of quotes"),
        ('poll x"y', "stuck to other text", "space"),
        ("poll " + "a" * 10_000, "10,005 characters long", "form"),
        ("poll \x00", "control character (U+0000)", "without pasting"),
        ("poll close", "needs ID", "poll close ID"),
        ("poll close three", "needs a whole number", "from 1"),
        ("poll close 0", "The poll number must be from 1", None),
        ("checkin stop 99999999999", "The check-in number must be from 1", None),
        ('poll "Q?" "A" --max', "`--max` needs a value", None),
        ('poll "Q?" "A" --max 99', "must be from 1 to 20", None),
        ('poll "Q?" "A" --max 2 --max 3', "given twice", None),
        ('poll "Q?" "A" --colour red', "has no option `--colour`", "--type"),
        ('poll "Q?" "A" --anonymous yes', "takes no value", None),
        ('poll "Q?" "A" --remind soon', "isn't a length of time", "24h"),
        ('poll "Q?" "A" --remind 200d', "between 1 minute and 90 days", None),
        ('poll "Q?" "A" --quorum everyone', "takes `per-org`", None),
        ('setup "X" --timezone Mars/Olympus', "not a time zone", None),
        ('setup "X" --timezone Europe/Londn', "not a time zone", "Europe/London"),
        ('setup "X" --timezone Europe', "`Europe` is not a time zone", "Europe/London"),
        ('setup "X" --timezone Europe/', "`Europe/` is not a time zone", "Europe/London"),
        ('setup "X" --timezone Amerca/New_York', "not a time zone", "America/New_York"),
        ('setup "X" --timezone ../etc', "`../etc` is not a time zone", None),
        ('setup "X" --timezone /etc/passwd', "is not a time zone", None),
        ('setup "X" --timezone Europe/London/x', "is not a time zone", None),
        ('setup "X" --timezone tzdata.zi', "is not a time zone", None),
        ('setup "X" --timezone ' + "x" * 3000, "is not a time zone", "Europe/London"),
        ("setup", 'needs "Collaborative name"', "setup"),
        ('setup "A" "B"', "got more than it takes", "quotes"),
        ("role king @x", "`king` is not a role", "coordinator, member, observer"),
        ("role observer", "needs @person", None),
        ("link !!", "doesn't look like a link code", None),
        ("decisions --export pdf", "can't be `pdf`", "csv, md"),
    ],
)
def test_bad_input_says_what_was_wrong_and_what_to_type(text, problem, hint):
    with pytest.raises(GrammarError) as raised:
        parse(text)
    assert problem in raised.value.problem
    if hint:
        assert hint in (raised.value.hint or "")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30m", 1800), ("24h", 86400), ("1h30m", 5400), ("3 days", 259200), ("2 weeks", 1209600)],
)
def test_durations_read_the_way_people_write_them(text, seconds):
    assert parse_duration(text) == seconds


@given(st.text(max_size=300))
def test_no_input_crashes_the_parser(text):
    try:
        parse(text)
    except GrammarError as error:
        assert error.problem


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("poll clsoe 1", "poll close"),
        ("poll resluts 1 2", "poll results"),
        ("poll lsit", "poll list"),
        ("poll edti 4", "poll edit"),
        ("poll delte 13", "poll delete"),
        ("poll extnd 4", "poll extend"),
        ("poll reopne 4", "poll reopen"),
    ],
)
def test_a_misspelt_poll_subcommand_asks_instead_of_posting_a_poll(typed, meant):
    """D-16: `poll clsoe 1` used to become a poll asking "clsoe" (or a confusing refusal)."""
    with pytest.raises(GrammarError) as caught:
        parse(typed)
    assert f"Did you mean `{meant}`?" in caught.value.hint
    assert "put it in quotes" in caught.value.hint


def test_a_misspelt_subcommand_of_a_family_without_questions_suggests_only_the_word():
    with pytest.raises(GrammarError) as caught:
        parse("checkin lsit")
    assert caught.value.hint == "Did you mean `checkin list`?"


def test_an_unquoted_question_that_is_no_subcommand_is_still_a_poll():
    command = parse("poll lunch pizza pasta")
    assert (command.args["question"], command.args["options"]) == ("lunch", ["pizza", "pasta"])


@pytest.mark.parametrize("dash", ["\u2014", "\u2013", "\u2212"])
def test_a_phone_dash_before_a_flag_reads_as_two_hyphens(dash):
    command = parse(f'poll "Which?" "A" "B" {dash}closes friday {dash}anonymous')
    assert command.flags["closes"] == "friday" and command.flags["anonymous"] is True


def test_poll_edit_reads_an_options_number_and_wording_and_a_description():
    command = parse('poll edit #4 --option 2 "Mental health beds" --description "See the paper"')
    assert command.name == "poll.edit" and command.args == {"id": 4}
    assert command.flags == {"option": "2 Mental health beds", "description": "See the paper"}


@pytest.mark.parametrize("word", ["extend", "reopen"])
def test_extend_and_reopen_take_a_deadline(word):
    command = parse(f"poll {word} 4 --closes friday 17:00")
    assert (command.name, command.flags) == (f"poll.{word}", {"closes": "friday 17:00"})
