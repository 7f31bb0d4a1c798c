"""The lint's rule for regular expressions: a pattern is data, a sentence is still prose."""

from __future__ import annotations

import pytest

from tests.i18n.prose import bare_prose, looks_like_prose

PATTERNS = [
    r"\bon track\b",
    r"(?:every|each) ?day|daily",
    r"(?i)how is it going",
    r"^where are we (?:with|on|at)",
    r"how (?:was|were) it going\??$",
    r"^how was [\w' ]+ going",
    r"what happened [^?]* since last week",
    r"between [0-9] and [0-9] days",
    r"before or after [-–—:;] the meeting",
    r"how would you rate [\w'-]+(?: [\w'-]+){0,2}",
    r"rarely|less often|hardly ever|almost never|",
    r"never|not at all",
]
SENTENCES = [
    "Is the new rota working for you?",
    "How was the clinic [optional] last week?",
    "Choose a time (morning or afternoon)?",
    "Which option do you prefer? Pick one.",
    "Costs rose to $400 this year",
    "Hello {0}, your poll is open",
    "A follow-up [e-mail] goes to everyone",
    "People who join start as members (`settings newcomers member|observer` changes it)",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_regular_expression_is_data(pattern: str):
    assert not looks_like_prose(pattern)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_a_sentence_with_question_marks_or_brackets_is_still_prose(sentence: str):
    assert looks_like_prose(sentence)


def test_a_module_of_patterns_needs_no_pragmas_but_its_sentences_are_found(tmp_path):
    module = tmp_path / "coach.py"
    module.write_text(
        "import re\n"
        'VAGUE = re.compile(r"^how (?:is|are) [\\w\' ]+ going\\b", re.I)\n'
        'OPEN = [r"\\bon track\\b", r"never|not at all"]\n'
        'ADVICE = "Ask about one thing at a time?"\n'
    )
    assert bare_prose(module) == [(4, "Ask about one thing at a time?")]
