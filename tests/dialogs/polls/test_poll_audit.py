"""Anyone can check a result: `concord recount` on a poll's export prints exactly the
figures the bot announced when the poll closed."""

from __future__ import annotations

import pytest

from dialogs.core.cards import Actions
from tests.support.conversation import ASHA, BEN, CARYS, DEE, NORTH, Conversation, person
from tests.support.recount import recounted_and_announced

VOTERS = [BEN, CARYS, DEE, *(person(f"p{i}", f"Person {i}") for i in range(5))]
ORGS = ["Riverside", "Riverside", "Hillview", "Hillview", "Hillview", None, "Riverside", None]

POLLS = {
    "single": 'poll "Q?" "A, with a comma" "B & <b>tags</b>" "Ünïcode"',
    "multi": 'poll "Q?" "A" "B" "C" --type multi --max 2',
    "ranked": 'poll "Q?" "A" "B" "C" --type ranked --balance orgs',
    "score": 'poll "Q?" "A" "B" --type score',
    "dots": 'poll "Q?" "A" "B" "C" --type dots --dots 4 --balance orgs',
    "consent": 'poll "We share rotas" --type consent --objections 2',
}


def _buttons(card) -> dict[str, str]:
    return {e.label: e.action for b in card.blocks if isinstance(b, Actions) for e in b.elements}


def cast(chat: Conversation, kind: str, index: int, who) -> None:
    buttons = _buttons(chat.last_message(NORTH))
    labels = [k for k in buttons if k not in ("Close poll", "Add an option")]
    if kind in ("single", "multi"):
        chat.clicks(who, NORTH, buttons[labels[index % len(labels)]])
        if kind == "multi" and index % 2:
            chat.clicks(who, NORTH, buttons[labels[(index + 1) % len(labels)]])
    elif kind == "consent":
        stance = ["Agree", "Can live with it", "Object"][index % 3]
        if stance == "Object":
            chat.clicks(
                who,
                NORTH,
                "submit:consent:1:object",
                {"harm": f"Reason {index}", "resolve": "Wait"},
            )
        else:
            chat.clicks(who, NORTH, buttons[stance])
    else:
        values = {
            "ranked": {"rank0": str(index % 3), "rank1": str((index + 1) % 3)},
            "score": {"score0": str(index % 6), "score1": str((index * 2) % 6)},
            "dots": {f"dots{index % 3}": "3", f"dots{(index + 1) % 3}": "1"},
        }[kind]
        chat.clicks(who, NORTH, "submit:ballot:1", values)


@pytest.mark.parametrize("kind", list(POLLS))
def test_recounting_the_export_gives_exactly_the_announced_result(kind, database, clock, tmp_path):
    chat = Conversation(database, clock)
    chat.says(ASHA, NORTH, 'setup "Audit"')
    for name in ("Riverside", "Hillview"):
        chat.says(ASHA, NORTH, f'org add "{name}"')
    for who, org in zip(VOTERS, ORGS, strict=True):
        chat.says(who, NORTH, f'org join "{org}"' if org else "help")
    chat.says(ASHA, NORTH, POLLS[kind])
    for index, who in enumerate(VOTERS):
        cast(chat, kind, index, who)
    chat.says(ASHA, NORTH, "poll close 1")
    said, file = chat.exports(ASHA, NORTH, "poll export 1")
    assert "Ballots of poll #1: 8 ballots, CSV" in said
    assert f"`concord recount {file.filename}`" in said
    recounted, announced = recounted_and_announced(database, file, tmp_path)
    assert recounted == announced + "\n"
    assert '"voters": 8' in announced
    chat.close()
