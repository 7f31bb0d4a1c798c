"""`leading`: a question that presumes its answer, and a neutral rewording of it.

People tend to agree with whoever asks, so the coach looks for the ways a question leans:
asking for agreement ("Don't you agree…", "…, aren't they?"), negative questions
("Shouldn't we…"), framing that states the answer first ("Given how well…", "We all
know…", "Most managers think…"), comparisons that assume a direction ("How much better…")
and loaded words ("brilliant", "nightmare", "far too much").
"""

from __future__ import annotations

import re

from dialogs.core.language import _
from dialogs.polls.coach.findings import LEADING, Finding
from dialogs.polls.coach.words import ASKING, as_question, quote, tidy

NEGATIVE = (
    r"(?:isn't|aren't|wasn't|weren't|don't|doesn't|didn't|won't|wouldn't|shouldn't|couldn't|"
    r"can't|haven't|hasn't)"
)
AGREE = re.compile(
    rf"\b(?:{NEGATIVE} you|would you|wouldn't you) (?:agree|accept)(?: that)?\s*", re.I
)
NEGATIVE_START = re.compile(rf"^{NEGATIVE}(?= (?:we|it|you|they|this|that|there|the|our)\b)", re.I)
TAG = re.compile(
    rf"(?:,?\s*{NEGATIVE} (?:it|they|we|you|there|that|this|he|she)|,\s*(?:right|surely))\s*\?*$",
    re.I,
)
PREAMBLE = re.compile(r"^(.+?)\s*(?:[-–—:;]|[.!](?=\s))\s+(.+)$")
# "Given how well…", "Given the success of…": the answer stated as the premise. "Given the
# pressures, …" only sets the scene.
GIVEN = re.compile(
    r"^given (?:how (?:well|badly|much|good|bad|poorly|successful)|what an? |that [^,]* "
    r"(?:so|clearly|obviously|such)\b|the (?:success|failure|obvious|clear|problems|benefits|"
    r"improvements|excellent|brilliant|great)\b|all the (?:problems|benefits|improvements)\b)"
    r"[^,]*,\s*",
    re.I,
)
# An opening clause that judges before asking ("Considering the great results so far, …").
PREMISE = re.compile(
    r"^(?:considering|in light of|with|after|now that|seeing as|since) [^,]*\b(?:great|excellent|"
    r"brilliant|fantastic|success|successful|obvious|obviously|clear|clearly|terrible|awful|"
    r"failure|failing|failed|problems|improvements|benefits|disaster|mess)\b[^,]*,\s*",
    re.I,
)
# "Why is X failing?": the question asks for reasons for what it has already decided.
WHY = re.compile(
    r"^why (?:do you think |do people think )?(?:is|are|has|have|does|did|was|were)?\b[^?]*"
    r"\b(?:failing|failed|better|worse|wrong|broken|not working|so \w+|such an?)\b",
    re.I,
)
# "Like most of your colleagues, do you…": the answer others gave, offered as a model.
LIKE_MOST = re.compile(
    r"^(?:like|as with|just like|along with) (?:most|many|all|the majority|everyone|everybody|"
    r"other)\b[^,]*,\s*",
    re.I,
)
SOCIAL = re.compile(
    r"^(?:as )?(?:we all know|(?:everyone|everybody|most|many|all|lots of|the majority of)"
    r"(?: [\w' ]{1,40}?)? (?:think|say|feel|agree|believe|find|know|want|prefer)s?)"
    r"(?: that)?\s+(.*?)\s*[-–—.:;!]\s+(.+)$",
    re.I,
)
JUSTIFIED = re.compile(
    r",?\s*(?:seeing as|given that|since|because|as) "
    r"(?:nobody|no one|everyone|everybody|we all)\b[^?]*",
    re.I,
)
EVERYONE = re.compile(
    r"\b(?:nobody|no one|everyone|everybody|we all)\s+(?:\w+\s+)?"
    r"(?:knows|thinks|says|agrees|feels|finds|believes|wants|likes|prefers|hates)\b|"
    r"\b(?:everyone|everybody|nobody|no one)(?:'s| is) (?:fed up|unhappy|happy|sick|tired|"
    r"frustrated|pleased|agreed|keen)\b|"
    r"\b(?:which|that) (?:would|will) (?:finally |really |at last )?(?:fix|solve|sort out|end|"
    r"transform)\b",
    re.I,
)
OPINION = re.compile(r"(?:what's|what is|what are) your (?:view|thoughts)|thoughts|agree", re.I)
POSITIVE = {"won't": "will", "can't": "can", "shan't": "shall"}
COMPARE = {
    "better": "better, worse or about the same",  # i18n: not for readers
    "worse": "better, worse or about the same",  # i18n: not for readers
    "easier": "easier, harder or about the same",  # i18n: not for readers
    "harder": "easier, harder or about the same",  # i18n: not for readers
    "quicker": "quicker, slower or about the same",  # i18n: not for readers
    "faster": "quicker, slower or about the same",  # i18n: not for readers
    "slower": "quicker, slower or about the same",  # i18n: not for readers
    "simpler": "simpler, more complicated or about the same",  # i18n: not for readers
    "safer": "safer, less safe or about the same",  # i18n: not for readers
}
HOW_MUCH = re.compile(rf"^how much ({'|'.join(COMPARE)}) (?:is|are|was|were|has|have) (.+)$", re.I)
HOW_MUCH_MORE = re.compile(r"^how much (more|less) (\w+) (?:is|are|was|were) (.+)$", re.I)
# Only one side asked for ("What's the best thing about…", "What do you like most about…").
ONE_SIDED = re.compile(
    r"^what(?:'s| is| are)? (?:the )?(?:best|worst|greatest|most annoying|most frustrating) "
    r"(?:thing|part|bit|feature)s? about\b|^what do you (?:like|love|hate|dislike) "
    r"(?:most |best |least )?about\b|\bas \w+ as (?:we|i|everyone|everybody|the rest of us|"
    r"others) (?:are|am|is)\b",
    re.I,
)
EMOTIVE = (
    r"frustrating|annoying|disappointing|worrying|upsetting|embarrassing|ridiculous|infuriating|"
    r"exciting|reassuring|pleased|delighted|thrilled|relieved|fed up"
)
HOW_EMOTIVE = re.compile(
    rf"^how ({EMOTIVE}) (?:is|are|was|were) (?:it that |it |you that |you )?(.+)$", re.I
)
LOADED = re.compile(
    r"\b(?:fantastic|brilliant|excellent|amazing|wonderful|superb|fabulous|outstanding|"
    r"marvellous|terrific|great (?=new|work|job|success|idea)|much-needed|long-overdue|"
    r"awful|terrible|dreadful|appalling|shambolic|pointless|useless|obvious|ridiculous|"
    r"outrageous|disgraceful|unworkable|chaotic|hopeless|dire|horrendous|clunky|"
    r"(?:overly|needlessly|unnecessarily|excessively) (?=\w)|"
    r"obviously|clearly|surely|of course|so-called)\b\s*",
    re.I,
)
LOADED_NOUNS = re.compile(
    r"\b(?:a |an )?(?:nightmare|disaster|shambles|waste of time|joke)\b", re.I
)
INTENSIFIERS = re.compile(
    r"\b(?:far|way|loads|massively|hugely|really|totally|completely|just|so much|a lot|"
    r"massive|huge)\s+(?=\w)",
    re.I,
)


def check(question: str) -> Finding | None:
    text = question.replace("’", "'").strip()
    if not _leans(text):
        return None
    rewording = neutral(text)
    rewrites: tuple[str, ...]
    if rewording != as_question(text):
        advice = _("Ask it neutrally, for example: {example}").format(example=quote(rewording))
        rewrites = (rewording,)
    elif word := PRESUMING.search(text) or EVERYONE.search(text):
        advice = _(
            "Take out what judges the answer in advance ({words}) and offer both sides."
        ).format(words=quote(word.group(0)))
        rewrites = ()
    else:
        advice = _("Take out what judges the answer in advance and offer both sides.")
        rewrites = ()
    message = _("The question suggests which answer is wanted.")
    return Finding(LEADING, message, (advice,), rewrites)


TOO_MUCH = re.compile(r"\b(?:far|way|much) too (?:much|many|long|little|few|slow)\b", re.I)
# Valenced words that presume a direction without being removable adjectives.
PRESUMING = re.compile(
    r"\b(?:so much|far|loads|massively|a lot|way) (?:better|worse|easier|harder|quicker|slower)\b|"
    r"\b(?:agree|side) with (?:the majority|most|everyone|everybody|many)\b|"
    r"\b(?:wasting|squandering|ripping off)\b",
    re.I,
)
# "What problems has X caused?" presumes problems, unless it allows for none.
PRESUMED_EFFECT = re.compile(
    r"^what (?:problems|issues|difficulties|harm|damage|benefits|improvements|good) "
    r"(?:has|have|did|does|do|will)\b(?![^?]*\bif (?:any|anything)\b)",
    re.I,
)


def _leans(text: str) -> bool:
    patterns = (
        AGREE,
        NEGATIVE_START,
        TAG,
        GIVEN,
        PREMISE,
        WHY,
        LIKE_MOST,
        SOCIAL,
        EVERYONE,
        HOW_MUCH,
        HOW_MUCH_MORE,
        ONE_SIDED,
        HOW_EMOTIVE,
        LOADED,
        LOADED_NOUNS,
        PRESUMING,
        PRESUMED_EFFECT,
    )
    return any(pattern.search(text) for pattern in patterns) or bool(TOO_MUCH.search(text))


# The coach reads English questions and rewords them in English, the question's own
# language; what it says about them (`check`) comes from the catalogs.
AGREE_OR_NOT = "Do you agree or disagree that "  # i18n: not for readers
WHAT_DIFFERENCE = "What difference, if any, does it make to you that "  # i18n: not for readers


def neutral(question: str) -> str:
    """The question with its lean taken out: framing dropped, loaded words removed, and
    a presumption turned into a balanced choice."""
    text = GIVEN.sub("", question.replace("’", "'").strip())
    text = LIKE_MOST.sub("", PREMISE.sub("", text))
    if found := SOCIAL.match(text):
        claim, asked = found.groups()
        text = AGREE_OR_NOT + claim if OPINION.match(asked) else asked
    elif (found := PREAMBLE.match(text)) and _leans(found.group(1)):
        text = found.group(2) if ASKING.match(found.group(2)) else text
    text = JUSTIFIED.sub("", text)
    text = LOADED_NOUNS.sub("a problem", LOADED.sub("", text))
    text = re.sub(r"\b(?:far|way|much) too\b", "too", text, flags=re.I)
    text = INTENSIFIERS.sub("", text)
    text = re.sub(r"\ba (?=[aeiou])", "an ", text, flags=re.I)
    return as_question(_balanced(tidy(text)))


def _balanced(text: str) -> str:
    """A presuming construction as a question that offers both answers."""
    if AGREE.search(text):
        return AGREE_OR_NOT + AGREE.split(text, maxsplit=1)[-1]
    if TAG.search(text) and not NEGATIVE_START.match(text):
        return AGREE_OR_NOT + _lower_first(TAG.sub("", text))
    if found := HOW_MUCH_MORE.match(text.rstrip("?")):
        more, quality, subject = found.groups()
        return (
            f"Compared with before, is {subject} more {quality}, less "  # i18n: not for readers
            f"{quality} or about the same"
        )
    if found := HOW_MUCH.match(text.rstrip("?")):
        compared = COMPARE[found.group(1).lower()]
        return f"Compared with before, is {found.group(2)} {compared}"  # i18n: not for readers
    if found := HOW_EMOTIVE.match(text.rstrip("?")):
        if re.search(r"\bthat\b", found.group(0)[: -len(found.group(2))]):
            return WHAT_DIFFERENCE + found.group(2)
        return f"How would you rate {found.group(2)}"  # i18n: not for readers
    if found := PRESUMED_EFFECT.match(text):
        asked, verb = found.group(0).rsplit(" ", 1)
        return f"{asked}, if any, {verb} {text[found.end() :].strip()}"  # i18n: not for readers
    if found := NEGATIVE_START.match(text):
        positive = POSITIVE.get(found.group(0).lower(), found.group(0)[:-3])
        rest = TAG.sub("", text[found.end() :]).strip().rstrip("?")
        return f"{positive} {rest}, or not"  # i18n: not for readers
    if not ASKING.match(text):
        return f"Do you agree or disagree that {_lower_first(text)}"  # i18n: not for readers
    return text


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) < 2 else text
