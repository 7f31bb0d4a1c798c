"""Splitting a question that asks two things at its "and" into the two questions.

Three shapes: two clauses ("Was it useful and should we repeat it?": each half as it
stands), two actions after one subject ("Should we close X and open Y?": the subject
repeated), and two things judged in one breath ("How happy are you with the rota and
the mileage rates?": the shared start and end around each thing in turn).
"""

from __future__ import annotations

from dialogs.polls.coach.words import ASKING, as_question, word_set

SUBJECTS = word_set("we you they i to")  # i18n: not for readers
DETERMINERS = word_set(
    "the a an its their our your his her this that these those "  # i18n: not for readers
    "each every any"
)
PREPOSITIONS = word_set(
    "with for of on about in at to from by over during since between into "  # i18n: not for readers
    "towards"
)
# Verbs that judge what follows them: "rate X and Y" judges two things, not two actions.
JUDGING = word_set("rate score grade judge describe find assess feel say")  # i18n: not for readers
TAIL = PREPOSITIONS | word_set("this last yesterday today now")  # i18n: not for readers


def split(left: str, right: str) -> tuple[str, str]:
    """The two questions asked by `left` "and" `right`."""
    left = left.rstrip(",")
    words_left, words_right = left.split(), right.rstrip("?").split()
    first_word = words_right[0].lower()
    if ASKING.match(right):
        return as_question(left), as_question(right)
    if first_word in DETERMINERS or first_word in PREPOSITIONS:
        return _split_things(words_left, words_right, first_word, right)
    boundary = subject_end(words_left)
    if boundary is not None:
        head = " ".join(words_left[:boundary])
        return as_question(left), as_question(f"{head} {right}")
    return _split_things(words_left, words_right, first_word, right)


def subject_end(words: list[str]) -> int | None:
    """Where the verb phrase begins: after the last "we", "you", "to"… that a verb follows."""
    for i in range(len(words) - 2, -1, -1):
        following = words[i + 1]
        if words[i].lower() in SUBJECTS and following.islower():
            plain_verb = following not in DETERMINERS | PREPOSITIONS | JUDGING
            return i + 1 if plain_verb else None
    return None


def _split_things(
    words_left: list[str], words_right: list[str], first_word: str, right: str
) -> tuple[str, str]:
    """Two things judged in one breath: the shared start and end, each thing in turn."""
    end = next(
        (i for i, word in enumerate(words_right) if i and word.lower().strip(",") in TAIL),
        len(words_right),
    )
    item, tail = words_right[:end], words_right[end:]
    head = words_left[: _item_start(words_left, first_word, len(item))]
    first = " ".join([*words_left, *tail])
    second = " ".join([*head, *item, *tail])
    asks = right.rstrip().endswith("?")
    return as_question(first, asks), as_question(second, asks)


def _item_start(words_left: list[str], first_word: str, size: int) -> int:
    lowered = [word.lower() for word in words_left]
    if first_word in lowered:
        return len(lowered) - 1 - lowered[::-1].index(first_word)
    if first_word in DETERMINERS:
        found = [i for i, word in enumerate(lowered) if word in DETERMINERS]
        if found:
            return found[-1]
    return max(len(words_left) - size, 1)
