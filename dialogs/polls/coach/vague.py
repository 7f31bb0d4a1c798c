"""`vague`: a question too broad to answer concretely, and a narrower one built from it.

Specific questions get swifter, fuller answers. A question is broad when it asks how
something is "going" or what people "think" with nothing to pin the answer to (no time,
no measure, no choice), or when it asks about "things", "everything" or "stuff" without
saying when. Naming what, when or who turns it into something people can answer from
what they saw.
"""

from __future__ import annotations

import re

from dialogs.core.language import _
from dialogs.polls.coach.findings import VAGUE, Finding
from dialogs.polls.coach.words import as_question, quote, tidy

BROAD = re.compile(
    r"\b(?:things|everything|stuff|it all|in general|generally|these days)\b|"
    r"^(?:(?:is|was|are|were|has) (?:there )?)?anything\b",
    re.I,
)
# One thing named ("which one meeting", "what single change") pins even a broad question.
ONE = re.compile(r"\b(?:which|what) (?:one|single)\b", re.I)
# How something is going, in the many ways people say it.
PROGRESS = (
    r"going|go|doing|working|getting on|bedding in|settling in|shaping up|coming along|holding up|"
    r"faring|landing|progressing"
)
OPEN = [
    r"^(?:any )?(?:other |more |further )?"
    r"(?:thoughts|feedback|comments|views|concerns|issues|problems|updates|news|business)\b",
    r"^how (?:was|were|is|are|did|has been) [\w' ]{1,30}\??$",
    r"\b(?:doing|done) (?:a )?(?:good|ok|okay|great|decent|bad) (?:job|work)\b",
    r"^(?:is|are) [\w' ]+ (?:good|ok|okay|any good|working well|going well)\??$",
    rf"\bhow(?:'s| is| are| was| were| did)\b[^?]*\b(?:{PROGRESS})\b",
    r"^(?:is|are) [\w' -]+ "
    r"(?:getting it right|in a good place|on the right track|heading in the right direction|"
    r"fit for purpose|working out|doing (?:well|ok|okay|alright))\??$",
    r"\b(?:general|overall) (?:feeling|mood|view|sense|impression)\b|"
    r"\bhow (?:is|are) (?:morale|the mood|spirits)\b",
    r"\bhow (?:are|is|do) (?:we|you|things|everyone|people|staff|the team)\b"
    r"[^?]*\b(?:finding|feeling|feel)\b",
    r"\bhow do (?:you|people|staff|we|teams|colleagues|members) feel about\b",
    r"\bwhat (?:do|did) (?:you|people|staff|we|colleagues) (?:think|reckon|make) (?:of|about)\b",
    r"^what(?:'s| is| isn't| is not) (?:working|going) (?:well|badly)?\??$",
    r"^how would you (?:describe|sum up|characterise|summarise)\b",
    r"^(?:is|are|was|were) [\w' -]+ "
    r"(?:a success|successful|the way forward|the right (?:approach|way|direction|thing)|worth it|"
    r"value for money)\??$",
    r"^(?:is|are) (?:the |our )?[\w' -]+ working"
    r"(?: for (?:you|everyone|us|people)| well| out)?\??$",
    r"^where are we (?:with|on|at)\b",
    r"^how(?:'s| is) (?:life|it|everything|things|the mood)\b",
    r"^how do (?:you|people|staff|colleagues) find\b",
    r"^(?:has|have|did) [\w' -]+ "
    r"(?:made a difference|helped|made things better|worked|paid off)\??$",
    r"\bon track\b",
    r"^rate (?:the |our |your )?[\w' -]+? (?:out of \d+|from \d+|\d+\s*[-–]\s*\d+\s*$)",
    r"^overall\b|\boverall\??$",
    r"\b(?:the mood|morale|spirits|the atmosphere|the vibe)\b",
    r"\b(?:is|are|it's) working(?: well| out| for (?:you|everyone|us|people))?\??$",
    r"^how (?:do|would) you rate (?:the |our |your )?[\w'-]+(?: [\w'-]+){0,2}\??$",
    r"\byour (?:take|views?|thoughts|opinions?|feelings?|experiences?|impressions?) "
    r"(?:on|about|of)\b",
    r"^(?:please )?(?:tell us|tell me|describe)\b[^?]*\b(?:about|experience)\b",
    r"^(?:are|is) (?:you|we|everyone|people|staff) (?:happy|ok|okay|alright|satisfied|content)\??$",
    r"^what (?:could|can|should|would) (?:be|go|we do) (?:better|differently|improved)\??$",
    r"\bhow (?:good|well|healthy) (?:is|are) (?:the |our )?"
    r"(?:partnership|collaborative|collaboration|system|things)\b",
]
OPEN_PATTERNS = [re.compile(pattern, re.I) for pattern in OPEN]
MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
DAYS = (
    r"mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?|"
    r"sun(?:day)?"
)
WHEN = re.compile(
    rf"\b(?:(?:last|this|next|past|previous) (?:\w+ )?(?:shift|week|weekend|month|fortnight|"
    rf"quarter|year|night|morning|afternoon|evening|winter|summer|meeting|huddle|clinic)s?|"
    rf"yesterday|today|tonight|tomorrow|(?:since|in|on|during|by|before|after|from) "
    rf"(?:{MONTHS}|{DAYS}|the \d|\d|q[1-4])\b|q[1-4]|\d+ ?(?:am|pm)|"
    rf"(?:{DAYS})'s)",
    re.I,
)
MEASURE = re.compile(
    r"\b(?:how (?:many|much|long|often|quickly|soon|far)|what time|which|when|"
    r"what (?:one|single|main|biggest|most)|what (?:date|day))\b",
    re.I,
)
TOPIC = [
    r"^(?:any )?(?:thoughts|feedback|comments|views|concerns|issues|updates|news) "
    r"(?:on|about|with|from) (.+)",
    r"\b(?:feel|think|reckon) (?:of |about )(.+)",
    rf"^how(?:'s| is| are| did)? (.+?) (?:{PROGRESS})\b",
    r"^(?:is|are) (.+?) working\b",
    r"^(.+?) [-–—:] ",
    r"^rate (.+?) (?:out of|from) \d",
]
FILLER = re.compile(
    r"\b(?:stuff|things?|atm|at the moment|these days|now|so far|generally|overall|then|"
    r"in general|for you|with you)\b",
    re.I,
)
# The narrower question is English, as the question is: the coach reads English questions.
NARROWER = "What one thing most slowed down {topic} last week?"  # i18n: not for readers
FALLBACK_TOPIC = "our joint work"  # i18n: not for readers
# A question of one or two words ("Thoughts?") leaves an answer in words nothing to go on;
# a poll's options or its type ("Venue?" between Leeds and York) give the answer its shape.
TERSE = re.compile(r"^[\w'-]+(?: [\w'-]+)?\?$")


def check(question: str, open_answer: bool = True) -> Finding | None:
    """A narrower question, if this one is too broad; `open_answer`: it is answered in words
    (a check-in or a purpose prompt), not by choosing."""
    text = question.replace("’", "'").strip()
    if not _is_broad(text, open_answer):
        return None
    example = as_question(NARROWER.format(topic=topic(text)))
    return Finding(
        VAGUE,
        _("The question is too broad to answer concretely."),
        (_("Name what, when or who, for example: {example}").format(example=quote(example)),),
        (example,),
    )


def _is_broad(text: str, open_answer: bool) -> bool:
    pinned = bool(WHEN.search(text))
    if BROAD.search(text) and not pinned and not ONE.search(text):
        return True
    terse = open_answer and bool(TERSE.match(text))
    asks_openly = terse or any(pattern.search(text) for pattern in OPEN_PATTERNS)
    return asks_openly and not pinned and not MEASURE.search(text)


def topic(question: str) -> str:
    """What the question is about, as a phrase to build a narrower question on."""
    text = question.rstrip("?!. ")
    for pattern in TOPIC:
        if found := re.search(pattern, text, re.I):
            phrase = tidy(FILLER.sub("", found.group(1)))
            if phrase != tidy(found.group(1)):  # "the nursing stuff": "nursing"
                phrase = re.sub(r"^the\s+", "", phrase, flags=re.I)
            phrase = re.sub(r"^(?:we|you|people|everyone|it|things)\b\s*", "", phrase, flags=re.I)
            if phrase and not BROAD.search(phrase):
                return phrase if phrase[1:2].isupper() else phrase[:1].lower() + phrase[1:]
    return FALLBACK_TOPIC
