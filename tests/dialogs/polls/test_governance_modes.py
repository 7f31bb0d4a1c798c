"""Governance modes: how a poll decides (joint, advisory, delegated, committees in common),
for every poll type, from the line under the question to the announced and recounted result."""

from __future__ import annotations

import pytest

from dialogs.core.cards import Actions
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    SOUTH,
    Conversation,
    person,
)
from tests.support.recount import recounted_and_announced

ERIN, FRAN, GITA, HAL, IVY = (
    person(n.lower(), f"{n} Test") for n in ("Erin", "Fran", "Gita", "Hal", "Ivy")
)
# Hilltop Trust and Riverside want “A”; Valley wants “B”.
VOTERS = {
    BEN: ("Hilltop Trust", "A"),
    CARYS: ("Hilltop Trust", "A"),
    ERIN: ("Hilltop Trust", "A"),
    FRAN: ("Riverside", "A"),
    GITA: ("Riverside", "A"),
    HAL: ("Valley", "B"),
    IVY: ("Valley", "B"),
}
POLLS = {
    "single": 'poll "Which first?" "A" "B"',
    "multi": 'poll "Which first?" "A" "B" "C" --type multi --max 2',
    "ranked": 'poll "Which first?" "A" "B" --type ranked',
    "score": 'poll "Which first?" "A" "B" --type score',
    "dots": 'poll "Which first?" "A" "B" --type dots --dots 3',
    "consent": 'poll "We adopt A" --type consent',
}
# What the vote says, as each mode words it.
JOINT = {
    "single": "“A” won with 5 votes of 7 voters.",
    "multi": "“A” won with 5 votes of 7 voters.",
    "ranked": "“A” won after instant run-off.",
    "score": "“A” won with the highest mean score.",
    "dots": "“A” won with 15 dots.",
    "consent": "Not adopted: 2 objections, more than allowed.",
}
ADVICE = {
    **{kind: said.replace(" won ", " came first ") for kind, said in JOINT.items()},
    "consent": "consent not given (2 objections, more than allowed).",
}
HOW = {
    "joint": "How this decides: everyone votes as one group, and the result is the decision.",
    "advisory": "How this decides: the vote is advice to the partnership, which decides.",
    "delegated": "How this decides: the vote informs Dee Sharma, who records the decision "
    "afterwards.",
    "committees-in-common": "How this decides: committees in common. Each organisation's "
    "votes make that organisation's decision, and the partnership agrees where the "
    "organisations do.",
}


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    for name in ("Hilltop Trust", "Riverside", "Valley"):
        conversation.says(ASHA, NORTH, f'org add "{name}"')
    conversation.says(DEE, NORTH, "help")
    for who, (organisation, _) in VOTERS.items():
        conversation.says(who, NORTH, f'org join "{organisation}"')
    yield conversation
    conversation.close()


def _buttons(card) -> dict[str, str]:
    return {e.label: e.action for b in card.blocks if isinstance(b, Actions) for e in b.elements}


def vote(chat: Conversation, kind: str, who, choice: str) -> None:
    """`who` votes for `choice` (“A” or “B”); in a consent poll “A” agrees, “B” objects."""
    position = "AB".index(choice)
    if kind in ("single", "multi"):
        chat.clicks(who, NORTH, _buttons(chat.last_message(NORTH))[choice])
    elif kind == "consent":
        if choice == "A":
            chat.clicks(who, NORTH, "stance:1:agree")
        else:
            chat.clicks(
                who,
                NORTH,
                "submit:consent:1:object",
                {"harm": "Not yet", "resolve": "Wait a month"},
            )
    else:
        values = {
            "ranked": {"rank0": str(position)},
            "score": {f"score{position}": "5", f"score{1 - position}": "0"},
            "dots": {f"dots{position}": "3"},
        }[kind]
        chat.clicks(who, NORTH, "submit:ballot:1", values)


def run(chat: Conversation, kind: str, mode: str) -> str:
    """Start the poll in `mode`, check the line under its question, vote, close; the close."""
    decider = " --decider @Dee Sharma" if mode == "delegated" else ""
    started = chat.says(ASHA, NORTH, f"{POLLS[kind]} --mode {mode}{decider}")
    assert "Poll #1 is open" in started, started
    blocks = [getattr(b, "text", "") for b in chat.last_message(SOUTH).blocks]
    assert blocks[1] == HOW[mode]  # under the question, before anyone votes
    for who, (_, choice) in VOTERS.items():
        vote(chat, kind, who, choice)
    return chat.says(ASHA, NORTH, "poll close 1")


def committees_words(kind: str) -> list[str]:
    agreed = "adopted" if kind == "consent" else "“A”"
    valley = "not adopted" if kind == "consent" else "“B”"
    return [
        f"Agreed by 2 of 3 organisations: {agreed} (Hilltop Trust, Riverside); "
        "Valley did not agree.",
        f"Hilltop Trust decided: {agreed}.",
        f"Riverside decided: {agreed}.",
        f"Valley decided: {valley}.",
    ]


def expected_close(kind: str, mode: str) -> str:
    if mode == "joint":
        return JOINT[kind]
    if mode == "advisory":
        return f"Advice to the partnership: {ADVICE[kind]}"
    if mode == "delegated":
        return f"The vote: {ADVICE[kind]} Waiting for Dee Sharma to decide."
    return " ".join(committees_words(kind))


@pytest.mark.parametrize("mode", list(HOW))
@pytest.mark.parametrize("kind", list(POLLS))
def test_every_mode_decides_every_poll_type_as_it_says(chat, database, tmp_path, kind, mode):
    closed = run(chat, kind, mode)
    assert closed == f"Poll #1 is closed.\n{expected_close(kind, mode)}"
    result = chat.says(BEN, NORTH, "poll results 1")
    assert HOW[mode] in result
    if mode != "joint":
        assert "Decided" not in result and " won " not in result
    # The export carries the mode; recount prints exactly what was announced.
    _, file = chat.exports(ASHA, NORTH, "poll export 1")
    header = file.content.decode()
    assert (f"# mode: {mode}\r\n" in header) is (mode != "joint")
    recounted, announced = recounted_and_announced(database, file, tmp_path)
    assert recounted == announced + "\n"
    if mode == "committees-in-common":
        assert '# organisations: ["Hilltop Trust", "Riverside", "Valley"]' in header
        assert '"agreed_by": ["Hilltop Trust", "Riverside"]' in announced


@pytest.mark.parametrize("kind", list(POLLS))
def test_each_organisations_decision_is_logged_as_its_own(chat, kind):
    run(chat, kind, "committees-in-common")
    log = chat.says(CARYS, NORTH, "decisions")
    for line in committees_words(kind)[1:]:
        question = "We adopt A" if kind == "consent" else "Which first?"
        assert f"{line[:-1]} (poll #1: {question})" in log
    assert "Asha Patel Hilltop Trust" not in log
