"""Options that overlap in meaning rather than in number: how often, and what includes what.

Frequencies are read as rates (times a week), so "Weekly" and "Most weeks" are seen to
overlap while "Daily, Weekly, Monthly, Rarely, Never" is a clean scale. Frequencies
counted in events ("every shift", "most meetings") or in vague words ("sometimes")
cannot be told apart from frequencies counted by the calendar, so a list that mixes
them is flagged. Broader and narrower terms come from the words themselves ("Nursing"
includes "District nursing") and from a short map of the NHS staff groups and
corporate services people are most often asked to choose between.
"""

from __future__ import annotations

import re

from dialogs.polls.coach.words import words

# Times a week, as people mean them; "rarely" and "less often" are whatever is left below.
CALENDAR = [
    (r"(?:every|each) ?day|daily", (5.0, 7.0)),
    (r"most days", (3.5, 6.0)),  # i18n: not for readers
    (
        r"(?:several|a few|a couple of|2-3|two or three) times a week|twice a week",
        (2.0, 4.0),
    ),
    (r"(?:once a |every |each )?week(?:ly)?|once a week", (1.0, 1.0)),
    (r"most weeks", (0.6, 1.0)),  # i18n: not for readers
    (
        r"fortnightly|every (?:two|2|other) weeks?|once a fortnight",
        (0.5, 0.5),
    ),
    (r"(?:once a |every |each )?month(?:ly)?|once a month", (0.23, 0.23)),
    (r"most months", (0.15, 0.23)),  # i18n: not for readers
    (r"quarterly|every (?:few|three|3) months", (0.07, 0.1)),
    (r"(?:once a |every )?year(?:ly)?|annually|once a year", (0.02, 0.02)),
    (r"never|not at all", (0.0, 0.0)),
]
NEVER = (0.0, 0.0)
RESIDUAL = r"rarely|less often|hardly ever|almost never|less than (?:that|monthly|once a \w+)"
EVENTS = (
    r"(?:every|each|most|some|half (?:of )?the|all)\s+"
    r"(?:shifts?|meetings?|visits?|sessions?|clinics?|times?)"
)
FUZZY = r"always|usually|often|frequently|regularly|sometimes|occasionally|now and then|rarely"
# Broader term -> narrower or equivalent terms (lower case, singular where it matters).
FAMILIES = {
    "clinical": [
        "nurse",
        "doctor",
        "therapist",
        "pharmacist",
        "midwife",
        "paramedic",
        "hca",
        "healthcare assistant",  # i18n: not for readers
        "ahp",
        "allied health professional",  # i18n: not for readers
        "physio",
        "consultant",
        "gp",
        "dentist",
        "psychologist",
        "radiographer",
    ],
    "community": [
        "district nursing",  # i18n: not for readers
        "community nursing",  # i18n: not for readers
        "health visiting",  # i18n: not for readers
        "school nursing",  # i18n: not for readers
        "intermediate care",  # i18n: not for readers
        "community therapy",  # i18n: not for readers
        "virtual ward",  # i18n: not for readers
    ],
    "acute": [
        "emergency department",  # i18n: not for readers
        "ed",
        "a&e",
        "theatres",
        "critical care",  # i18n: not for readers
        "acute medicine",  # i18n: not for readers
        "maternity",
    ],
    "doctor": [
        "fy1",
        "fy2",
        "foundation doctor",  # i18n: not for readers
        "junior doctor",  # i18n: not for readers
        "resident doctor",  # i18n: not for readers
        "registrar",
        "consultant",
        "sho",
        "gp",
        "speciality doctor",  # i18n: not for readers
        "specialty doctor",  # i18n: not for readers
        "medic",
    ],
    "nurse": [
        "anp",
        "advanced nurse practitioner",  # i18n: not for readers
        "nurse practitioner",  # i18n: not for readers
        "staff nurse",  # i18n: not for readers
        "district nurse",  # i18n: not for readers
        "community nurse",  # i18n: not for readers
        "ward sister",  # i18n: not for readers
        "matron",
        "charge nurse",  # i18n: not for readers
        "nursing associate",  # i18n: not for readers
        "practice nurse",  # i18n: not for readers
        "cns",
        "clinical nurse specialist",  # i18n: not for readers
    ],
    "therapy": [
        "therapist",
        "physio",
        "physiotherapy",
        "physiotherapist",
        "ot",
        "occupational therapy",  # i18n: not for readers
        "occupational therapist",  # i18n: not for readers
        "speech and language therapy",  # i18n: not for readers
        "salt",
        "dietetics",
        "dietitian",
        "podiatry",
        "ahp",
        "allied health professional",  # i18n: not for readers
    ],
    "finance": [
        "accounts payable",  # i18n: not for readers
        "accounts receivable",  # i18n: not for readers
        "payroll",
        "management accounts",  # i18n: not for readers
        "financial accounts",  # i18n: not for readers
        "income",
        "costing",
        "treasury",
    ],
    "hr": [
        "human resources",  # i18n: not for readers
        "people services",  # i18n: not for readers
        "workforce",
        "recruitment",
        "employee relations",  # i18n: not for readers
        "medical staffing",  # i18n: not for readers
        "occupational health",  # i18n: not for readers
        "learning and development",  # i18n: not for readers
    ],
    "it": [
        "digital",
        "ict",
        "informatics",
        "it service desk",  # i18n: not for readers
        "service desk",  # i18n: not for readers
        "ehr",
        "clinical systems",  # i18n: not for readers
    ],
    "estates": ["facilities", "maintenance", "cleaning", "catering", "portering", "security"],
}


def frequency_clash(options: list[str]) -> tuple[str, str] | None:
    """Two options whose frequencies overlap, or that count frequency in different ways."""
    read = [(option, frequency_kind(option)) for option in options]
    known = [(option, kind) for option, kind in read if kind is not None]
    calendar = [(option, kind) for option, kind in known if isinstance(kind, tuple)]
    for i, (first, a) in enumerate(calendar):
        for second, b in calendar[i + 1 :]:
            if isinstance(a, tuple) and isinstance(b, tuple) and max(a[0], b[0]) <= min(a[1], b[1]):
                return first, second
    counted = [option for option, kind in known if kind in ("events", "fuzzy")]
    dated = [option for option, kind in calendar if kind != NEVER]
    if dated and counted:
        return counted[0], dated[0]
    return None


def frequency_kind(option: str) -> tuple[float, float] | str | None:
    text = " ".join(words(option))
    if re.fullmatch(RESIDUAL, text):
        return "residual"
    for pattern, rate in CALENDAR:
        if re.fullmatch(pattern, text):
            return rate
    if re.fullmatch(EVENTS, text):
        return "events"
    if re.fullmatch(FUZZY, text):
        return "fuzzy"
    return None


# A number of its own ("2 hours", not "FY1s") makes an option an amount, not a category.
NUMBER = re.compile(r"(?<![a-z])\d")


def containing(options: list[str]) -> tuple[str, str] | None:
    """A broader option and a narrower (or the same) one it includes, if any."""
    terms = ["" if NUMBER.search(option.lower()) else _term(option) for option in options]
    for i, broad in enumerate(terms):
        for j, narrow in enumerate(terms):
            if i != j and broad and narrow and _includes(broad, narrow):
                return options[i], options[j]
    return None


def _term(option: str) -> str:
    return " ".join(_singular(word) for word in words(option))


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _includes(broad: str, narrow: str) -> bool:
    """Whether `broad` covers `narrow`: its family, or its words with a modifier in front."""
    if narrow in FAMILIES.get(broad, ()):
        return True
    family = next((name for name, members in FAMILIES.items() if broad in members), None)
    if family and (narrow == family or narrow in FAMILIES[family]) and _is_synonym(broad):
        return True
    nursing = broad.removesuffix("ing") + "e" if broad.endswith("sing") else broad
    for head in (broad, nursing):
        if narrow.endswith(" " + head):
            modifier = set(narrow.removesuffix(" " + head).split())
            return not modifier & DEGREES
    return False


# Words that grade or negate an answer ("Not well", "Very"), rather than narrow a category.
DEGREES = {
    "strongly",
    "totally",
    "completely",
    "neither",
    "nor",
    "not",
    "no",
    "very",
    "fairly",
    "quite",
    "slightly",
    "somewhat",
    "much",
    "a",
    "bit",
    "little",
    "more",
    "less",
    "most",
    "least",
    "really",
    "extremely",
    "mostly",
    "partly",
}


# Members that are other names for the whole family, not parts of it.
SYNONYMS = {
    "human resources",  # i18n: not for readers
    "people services",  # i18n: not for readers
    "workforce",
    "digital",
    "ict",
    "informatics",
    "facilities",
    "ahp",
    "allied health professional",  # i18n: not for readers
    "medic",
}


def _is_synonym(term: str) -> bool:
    return term in SYNONYMS
