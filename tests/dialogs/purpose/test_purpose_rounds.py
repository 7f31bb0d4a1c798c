"""Purpose rounds through the engine: gather, group, shortlist, choose, consent, adopt.

Each scenario reads as a conversation: people type and click in two linked
channels, time passes on an injected clock, the ticker fires what is due, and
the channels show the round's message, the groups, the polls and the purpose.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from dialogs.core.cards import Actions, Card, Form, OpenForm, Select
from dialogs.core.events import ActionInvoked, CommandIssued
from dialogs.ticker import Ticker
from storage.models import AuditEntry, Poll, PollOption, Proposal, ProposalGroup, PurposeRound
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    SOUTH,
    Conversation,
    all_at_once,
    buttons,
    channel,
    person,
    text_of,
)
from tests.support.paths import DATA

STATEMENTS = [
    json.loads(line)
    for line in (DATA / "purpose_statements_dev.jsonl").read_text().splitlines()
    if line.strip()
]
MEMBERS = [person(f"m{n}", f"Member {n}") for n in range(12)]


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    for who in (BEN, CARYS, DEE):
        conversation.says(who, NORTH, "help")
    yield conversation
    conversation.close()


@pytest.fixture
def ticker(database, clock):
    return Ticker(database, clock)


def round_message(chat: Conversation, place=NORTH) -> Card:
    found = [c for c in chat.messages(place) if c.fallback.startswith("Purpose round #")]
    assert found, f"no round message in {place.channel_id}"
    return found[-1]


def opened_form(effects) -> Form:
    forms = [e.form for e in effects if isinstance(e, OpenForm)]
    assert forms, f"expected a form, got {effects}"
    return forms[0]


def act(chat: Conversation, who, action: str, values: dict | None = None, place=NORTH):
    effects = chat.engine.handle(ActionInvoked(who, place, action, values or {}))
    chat.deliver()
    return effects


def shown(effects) -> str:
    return "\n".join(text_of(e.card) for e in effects if hasattr(e, "card"))


def propose(chat: Conversation, who, text: str, place=NORTH) -> str:
    round_id = current_round(chat).id
    act(chat, who, f"form:proposal:{round_id}", place=place)
    return shown(act(chat, who, f"submit:proposal:{round_id}", {"text": text}, place=place))


def current_round(chat: Conversation) -> PurposeRound:
    with chat.database.session() as session:
        found = session.exec(select(PurposeRound).order_by(PurposeRound.id.desc())).first()
        assert found is not None
        return found


def groups(chat: Conversation) -> list[ProposalGroup]:
    with chat.database.session() as session:
        return list(
            session.exec(
                select(ProposalGroup)
                .where(ProposalGroup.round_id == current_round(chat).id)
                .order_by(ProposalGroup.position)
            ).all()
        )


def poll_of_round(chat: Conversation) -> Poll:
    with chat.database.session() as session:
        poll = session.get(Poll, current_round(chat).current_poll_id)
        assert poll is not None
        return poll


def gather_from_everyone(chat: Conversation, per_person: int = 3) -> None:
    """Twelve members propose the dev set's statements, three each (36 in all)."""
    for n, who in enumerate(MEMBERS):
        chat.says(who, NORTH, "help")
        for k in range(per_person):
            index = n * per_person + k
            if index < len(STATEMENTS):
                propose(chat, who, STATEMENTS[index]["text"])


# Starting


def test_purpose_start_invites_every_linked_channel_with_specific_prompts(chat, clock):
    reply = chat.says(ASHA, NORTH, "purpose start --gather 3d")
    assert "Purpose round #1 is open" in reply
    assert "posted in 2 channels" in reply
    for place in (NORTH, SOUTH):
        card = round_message(chat, place)
        text = text_of(card)
        assert "Who do we serve together that none of us can serve alone?" in text
        assert "What will be different for them in three years if we succeed?" in text
        assert "until Sun 29 Nov 2026 09:00 GMT" in text
        assert {"Propose", "Change my proposals"} <= set(buttons(card))


def test_coordinators_can_edit_the_prompts_while_gathering(chat):
    chat.says(ASHA, NORTH, "purpose start")
    round_id = current_round(chat).id
    form = opened_form(act(chat, ASHA, f"form:prompts:{round_id}"))
    assert [i.value for i in form.inputs][:2] == [
        "Who do we serve together that none of us can serve alone?",
        "What will be different for them in three years if we succeed?",
    ]
    refused = act(chat, ASHA, f"submit:prompts:{round_id}", {"prompt1": "Only one?"})
    assert "at least two prompts" in opened_form(refused).error
    act(
        chat,
        ASHA,
        f"submit:prompts:{round_id}",
        {"prompt1": "Which patients fall between our services?", "prompt2": "What would fix it?"},
    )
    text = text_of(round_message(chat, SOUTH))
    assert "Which patients fall between our services?" in text
    assert "none of us can serve alone" not in text
    assert "form" not in shown(act(chat, BEN, f"form:prompts:{round_id}"))  # members can't
    assert "Only a coordinator" in shown(act(chat, BEN, f"form:prompts:{round_id}"))


def test_a_second_round_while_one_runs_is_refused(chat):
    chat.says(ASHA, NORTH, "purpose start")
    refused = chat.says(ASHA, SOUTH, "purpose start --gather 2d")
    assert "Purpose round #1 is already running (Gathering proposals until" in refused
    assert "`purpose status`" in refused
    with chat.database.session() as session:
        assert len(session.exec(select(PurposeRound)).all()) == 1


def test_members_cannot_start_or_move_a_round(chat):
    assert "Only a coordinator can start a purpose round" in chat.says(BEN, NORTH, "purpose start")
    chat.says(ASHA, NORTH, "purpose start")
    propose(chat, BEN, "Join up care for people who fall between our services")
    refused = chat.says(BEN, NORTH, "purpose next")
    assert "Only a coordinator can move the purpose round on" in refused
    assert current_round(chat).stage == "gathering"


def test_the_shortlist_flag_is_checked_by_the_grammar(chat):
    assert "--shortlist must be from 1 to 7, not 9" in chat.says(
        ASHA, NORTH, "purpose start --shortlist 9"
    )


# Proposing


def test_a_member_proposes_up_to_three_and_a_fourth_is_refused_with_a_way_to_change(chat):
    chat.says(ASHA, NORTH, "purpose start")
    for n in range(3):
        assert "your proposal is in purpose round #1" in propose(chat, BEN, f"Statement {n} a b")
    round_id = current_round(chat).id
    refused = shown(act(chat, BEN, f"form:proposal:{round_id}"))
    assert "You have made 3 proposals, the most" in refused
    forged = act(chat, BEN, f"submit:proposal:{round_id}", {"text": "A fourth, typed anyway"})
    assert "What you wrote: A fourth, typed anyway" in shown(forged)
    assert "Change my proposals" in buttons(forged[0].card)
    with chat.database.session() as session:
        assert len(session.exec(select(Proposal)).all()) == 3


def test_one_person_submitting_many_proposals_at_once_still_gets_three(chat):
    chat.says(ASHA, NORTH, "purpose start")
    round_id = current_round(chat).id
    submissions = [
        ActionInvoked(BEN, NORTH, f"submit:proposal:{round_id}", {"text": f"Idea number {n} here"})
        for n in range(12)
    ]

    told = [shown(effects) for effects in all_at_once(submissions, chat.engine)]

    assert sum("your proposal is in" in t for t in told) == 3
    assert sum("You have made 3 proposals, the most" in t for t in told) == 9
    with chat.database.session() as session:
        assert len(session.exec(select(Proposal)).all()) == 3


def test_empty_and_overlong_proposals_come_back_in_the_form_with_the_text_kept(chat):
    chat.says(ASHA, NORTH, "purpose start")
    round_id = current_round(chat).id
    empty = opened_form(act(chat, BEN, f"submit:proposal:{round_id}", {"text": "   "}))
    assert "Write your proposal first" in empty.error
    long_text = "Better care together. " * 91  # 2,002 characters
    refused = opened_form(act(chat, BEN, f"submit:proposal:{round_id}", {"text": long_text}))
    assert "is 2,001 characters; the most is 280" in refused.error
    assert refused.inputs[0].value == long_text.strip()
    assert refused.inputs[0].max_length >= len(long_text.strip())
    with chat.database.session() as session:
        assert session.exec(select(Proposal)).all() == []


def test_proposals_change_until_gathering_closes_and_not_after(chat, clock, ticker):
    chat.says(ASHA, NORTH, "purpose start --gather 2d")
    propose(chat, BEN, "Join up care for people who fall between our services")
    propose(chat, BEN, "Share our workforce so no ward runs short")
    round_id = current_round(chat).id
    form = opened_form(act(chat, BEN, f"form:proposals:{round_id}"))
    names = [i.name for i in form.inputs]
    values = {names[0]: "Join up care for people who fall between services", names[1]: ""}
    saved = shown(act(chat, BEN, f"submit:proposals:{round_id}", values))
    assert "Your proposals are saved (1 withdrawn)" in saved
    with chat.database.session() as session:
        texts = [p.text for p in session.exec(select(Proposal)).all()]
    assert texts == ["Join up care for people who fall between services"]
    clock.advance(days=2)
    late = shown(act(chat, BEN, f"submit:proposals:{round_id}", {names[0]: "Too late"}))
    assert "Gathering for purpose round #1 closed Sat 28 Nov 2026 09:00 GMT" in late
    ticker.tick()
    chat.deliver()
    assert "no longer be added or changed" in shown(act(chat, CARYS, f"form:proposal:{round_id}"))


def test_observers_follow_but_do_not_propose(chat):
    chat.says(ASHA, NORTH, "role observer @Dee Sharma")
    chat.says(ASHA, NORTH, "purpose start")
    refused = shown(act(chat, DEE, f"form:proposal:{current_round(chat).id}"))
    assert "Observers follow the purpose round but do not propose" in refused


def test_another_collaboratives_round_is_answered_like_a_missing_one(chat):
    chat.says(ASHA, NORTH, "purpose start")
    elsewhere = channel("elsewhere")
    chat.says(CARYS, elsewhere, 'setup "Another Collaborative"')
    refused = shown(act(chat, CARYS, f"form:proposal:{current_round(chat).id}", place=elsewhere))
    assert "isn't part of this channel's collaborative" in refused


# Grouping


def test_purpose_next_with_nothing_proposed_keeps_gathering_open(chat):
    chat.says(ASHA, NORTH, "purpose start")
    refused = chat.says(ASHA, NORTH, "purpose next")
    assert "Nobody has proposed anything in purpose round #1 yet" in refused
    assert current_round(chat).stage == "gathering"


def test_the_deadline_with_no_proposals_keeps_gathering_open_and_tells_coordinators(
    chat, clock, ticker
):
    chat.says(ASHA, NORTH, "purpose start --gather 1d")
    clock.advance(days=1, seconds=1)
    ticker.tick()
    chat.deliver()
    assert current_round(chat).stage == "gathering"
    notes = [text_of(card) for actor, card in chat.platform.private if actor == ASHA]
    assert any("reached its deadline with no proposals, so it stays open" in n for n in notes)


def test_gathering_closes_at_its_deadline_into_at_most_seven_titled_groups(chat, clock, ticker):
    chat.says(ASHA, NORTH, "purpose start --gather 5d")
    gather_from_everyone(chat)
    clock.advance(days=5, seconds=1)
    ticker.tick()
    chat.deliver()
    purpose_round = current_round(chat)
    assert purpose_round.stage == "grouping"
    found = groups(chat)
    assert 2 <= len(found) <= 7
    with chat.database.session() as session:
        proposals = session.exec(select(Proposal)).all()
    assert len(proposals) == 36 and all(p.group_id for p in proposals)
    themes = next(c for c in chat.messages(SOUTH) if c.fallback.startswith("Themes from"))
    for group in found:
        assert len(group.title) <= 75
        assert f"{group.position}. {group.title}" in text_of(themes)
    editor = [card for actor, card in chat.platform.private if actor == ASHA][-1]
    assert editor.fallback == "Adjust the groups"


def test_a_group_id_no_table_can_hold_is_refused_plainly(chat):
    chat.says(ASHA, NORTH, "purpose start")
    gather_from_everyone(chat)
    chat.says(ASHA, NORTH, "purpose next")
    first = groups(chat)[0]
    form = opened_form(act(chat, ASHA, f"form:group:{first.id}"))
    moving = form.inputs[2].choices[0].value
    values = {"title": first.title, "draft": first.draft, "move": [moving], "to": "99999999999"}
    refused = act(chat, ASHA, f"submit:group:{first.id}", values)
    assert "That group isn't there any more." in str(refused)


def test_coordinators_rename_move_split_and_merge_groups(chat):
    chat.says(ASHA, NORTH, "purpose start")
    gather_from_everyone(chat)
    chat.says(ASHA, NORTH, "purpose next")
    first, second = groups(chat)[:2]
    form = opened_form(act(chat, ASHA, f"form:group:{first.id}"))
    assert [i.name for i in form.inputs] == ["title", "draft", "move", "to"]
    moving = form.inputs[2].choices[0].value
    act(
        chat,
        ASHA,
        f"submit:group:{first.id}",
        {"title": "Waiting less", "draft": first.draft, "move": [moving], "to": str(second.id)},
    )
    with chat.database.session() as session:
        assert session.get(Proposal, int(moving)).group_id == second.id
        assert session.get(ProposalGroup, first.id).title == "Waiting less"
    count = len(groups(chat))
    if count < 7:  # split: one statement into a new group
        moving = opened_form(act(chat, ASHA, f"form:group:{second.id}")).inputs[2].choices[0].value
        act(
            chat,
            ASHA,
            f"submit:group:{second.id}",
            {"title": second.title, "draft": second.draft, "move": [moving], "to": "new"},
        )
        assert len(groups(chat)) == count + 1
    itself = shown(act(chat, ASHA, f"merge:{first.id}:{first.id}"))
    assert "A group can't be merged into itself" in itself
    before = len(groups(chat))
    editor = act(chat, ASHA, f"merge:{first.id}:{second.id}")[0].card
    assert len(groups(chat)) == before - 1
    assert [g.position for g in groups(chat)] == list(range(1, before))
    assert any(
        isinstance(e, Select) for b in editor.blocks if isinstance(b, Actions) for e in b.elements
    )
    assert "Only a coordinator can adjust the groups" in shown(
        act(chat, BEN, f"merge:{second.id}:{groups(chat)[-1].id}")
    )
    with chat.database.session() as session:
        logged = session.exec(select(AuditEntry).where(AuditEntry.action == "purpose.groups")).all()
    assert any("merged group" in entry.summary for entry in logged)


def test_a_split_beyond_seven_groups_is_refused_in_the_form(chat):
    chat.says(ASHA, NORTH, "purpose start")
    gather_from_everyone(chat)
    chat.says(ASHA, NORTH, "purpose next")
    while len(groups(chat)) < 7:
        _split_off_one_statement(chat)
    refused = opened_form(_split_off_one_statement(chat))
    assert "There are already 7 groups" in refused.error
    assert len(groups(chat)) == 7


def _split_off_one_statement(chat: Conversation):
    """The coordinator moves the first statement of a group of several into a new group."""
    group = next(g for g in groups(chat) if len(_statements(chat, g)) > 1)
    values = {
        "title": group.title,
        "draft": group.draft,
        "move": [str(_statements(chat, group)[0])],
        "to": "new",
    }
    return act(chat, ASHA, f"submit:group:{group.id}", values)


def _statements(chat: Conversation, group: ProposalGroup) -> list[int]:
    with chat.database.session() as session:
        return [
            p.id for p in session.exec(select(Proposal).where(Proposal.group_id == group.id)).all()
        ]


# The whole round


def _dot_vote(chat: Conversation, voters, option: int, place=NORTH) -> None:
    poll = poll_of_round(chat)
    for who in voters:
        act(chat, who, f"submit:ballot:{poll.id}", {f"dots{option}": "3"}, place=place)


def _rank(chat: Conversation, voters, order: list[int]) -> None:
    poll = poll_of_round(chat)
    values = {f"rank{n}": str(p) for n, p in enumerate(order)}
    for who in voters:
        act(chat, who, f"submit:ballot:{poll.id}", values)


def test_a_whole_round_from_invitation_to_adopted_purpose_with_timers(chat, clock, ticker):
    chat.says(ASHA, NORTH, "purpose start --gather 5d --shortlist 3")
    gather_from_everyone(chat)
    clock.advance(days=5, seconds=1)
    ticker.tick()  # gathering closes: grouped
    clock.advance(days=1, seconds=1)
    ticker.tick()  # the review ends: the shortlist vote opens
    chat.deliver()
    assert current_round(chat).stage == "shortlisting"
    shortlist = poll_of_round(chat)
    assert shortlist.type == "dots" and shortlist.settings["dots"] == 3
    _dot_vote(chat, MEMBERS[:6], 0)
    _dot_vote(chat, MEMBERS[6:9], 1, place=SOUTH)
    _dot_vote(chat, MEMBERS[9:], 2)
    clock.advance(days=3, seconds=1)
    ticker.tick()  # the shortlist closes: three themes go forward
    chat.deliver()
    purpose_round = current_round(chat)
    assert purpose_round.stage == "drafting"
    shortlisted = [g for g in groups(chat) if g.shortlisted]
    assert len(shortlisted) == 3
    clock.advance(days=1, seconds=1)
    ticker.tick()  # drafts reviewed: the ranking opens
    chat.deliver()
    assert current_round(chat).stage == "choosing"
    ranking = poll_of_round(chat)
    assert ranking.type == "ranked"
    _rank(chat, MEMBERS[:8], [1, 0, 2])
    _rank(chat, MEMBERS[8:], [0, 1, 2])
    chat.says(ASHA, NORTH, "purpose next")  # closes the ranking now
    purpose_round = current_round(chat)
    assert purpose_round.stage == "consenting"
    # Who ranked is counted from the ranking, not from the consent poll that replaced it.
    assert (
        purpose_round.history["choosing"]["took_part"]
        == (purpose_round.history["shortlisting"]["took_part"])
    )
    assert not any("none" in v for v in purpose_round.history["choosing"]["took_part"].values())
    with chat.database.session() as session:
        kinds = [poll.type for poll in session.exec(select(Poll).order_by(Poll.number)).all()]
    assert kinds == ["dots", "ranked", "consent"]  # each stage's vote is an ordinary poll
    consent = poll_of_round(chat)
    assert consent.type == "consent" and purpose_round.draft in consent.question
    for who in MEMBERS:
        act(chat, who, f"stance:{consent.id}:agree")
    clock.advance(days=3, seconds=1)
    ticker.tick()
    chat.deliver()
    purpose_round = current_round(chat)
    assert purpose_round.stage == "adopted" and not purpose_round.running
    assert purpose_round.purpose == purpose_round.draft
    for place in (NORTH, SOUTH):
        adopted = [c for c in chat.messages(place) if c.fallback.startswith("Our shared purpose")]
        assert adopted and purpose_round.purpose in text_of(adopted[-1])
    assert len(chat.platform.pinned) == 2  # pinned in both channels
    assert purpose_round.purpose in chat.says(BEN, SOUTH, "purpose show")
    with chat.database.session() as session:
        log = session.exec(select(AuditEntry).where(AuditEntry.action == "purpose.adopt")).one()
    assert purpose_round.purpose in log.summary
    for stage in ("Gathering", "Shortlisting", "Choosing", "Consenting"):
        assert stage in log.details
    assert "Sat 28 Nov 2026" not in log.details  # dates are the round's own
    assert "Thu 26 Nov 2026 09:00 GMT" in log.details
    assert "took part: No organisation given (12 of 16)" in log.details
    home = text_of(chat.engine.home(BEN))
    assert f"Our shared purpose: “{purpose_round.purpose}”" in home


def test_objections_send_the_statement_back_for_revision_at_most_three_times(chat, clock, ticker):
    chat.says(ASHA, NORTH, "purpose start")
    propose(chat, BEN, "Join up care for people who fall between our services")
    chat.says(ASHA, NORTH, "purpose next")  # one group
    chat.says(ASHA, NORTH, "purpose next")  # one theme: no shortlist vote needed
    assert current_round(chat).stage == "drafting"
    chat.says(ASHA, NORTH, "purpose next")  # one draft: straight to consent
    for revision in range(4):
        purpose_round = current_round(chat)
        assert purpose_round.stage == "consenting"
        consent = poll_of_round(chat)
        act(
            chat,
            CARYS,
            f"submit:consent:{consent.id}:object",
            {"harm": f"Too vague {revision}", "resolve": "Name a service"},
        )
        chat.says(ASHA, NORTH, "purpose next")
        if revision == 3:
            break
        assert current_round(chat).stage == "revising"
        assert "drew objections; each says the harm it sees and what would resolve it" in (
            text_of(round_message(chat, SOUTH))
        )
        note = [card for actor, card in chat.platform.private if actor == ASHA][-1]
        objection = f"Object — harm: “Too vague {revision}”; would resolve it: “Name a service”"
        assert f"• {objection}" in text_of(note)
        button = buttons(note)["Revise the statement"]
        opened = opened_form(act(chat, ASHA, button))
        assert opened.inputs[0].value == purpose_round.draft
        assert opened.notes == [f"The statement now: “{purpose_round.draft}”", objection]
        form = opened_form(chat.engine.handle(CommandIssued(ASHA, NORTH, "purpose next")))
        action = form.action
        same = opened_form(act(chat, ASHA, action, {"statement": purpose_round.draft}))
        assert "change it to meet them" in same.error
        assert same.notes == opened.notes  # a refusal keeps the objections beside the draft
        act(chat, ASHA, action, {"statement": f"{purpose_round.draft}, revision {revision + 1}"})
        assert current_round(chat).revisions == revision + 1
    purpose_round = current_round(chat)
    assert purpose_round.stage == "needs-conversation" and not purpose_round.running
    assert "Another vote won't settle it" in text_of(round_message(chat, SOUTH))
    assert "no shared purpose adopted yet" in chat.says(BEN, NORTH, "purpose show")
    assert "Purpose round #2 is open" in chat.says(ASHA, NORTH, "purpose start")


def test_a_consent_vote_nobody_answered_invents_no_objections(chat):
    """Newcomer review, step 34: nobody responded, so there are no objections to meet."""
    chat.says(ASHA, NORTH, "purpose start")
    propose(chat, BEN, "Join up care for people who fall between our services")
    for _ in range(3):
        chat.says(ASHA, NORTH, "purpose next")  # one group, one theme, one draft: consent
    chat.says(ASHA, NORTH, f"poll close {poll_of_round(chat).number}")
    assert current_round(chat).stage == "revising"
    note = text_of([card for actor, card in chat.platform.private if actor == ASHA][-1])
    assert "Nobody responded to the consent poll." in note
    assert "Ask for consent again" in note and "objections" not in note


def test_edits_to_groups_after_the_shortlist_opens_are_refused(chat):
    chat.says(ASHA, NORTH, "purpose start --shortlist 2")
    gather_from_everyone(chat)
    chat.says(ASHA, NORTH, "purpose next")
    chat.says(ASHA, NORTH, "purpose next")
    assert current_round(chat).stage == "shortlisting"
    first, second = groups(chat)[:2]
    refused = shown(act(chat, ASHA, f"merge:{first.id}:{second.id}"))
    assert "can't be changed now: the round is shortlisting" in refused


# Balance


def _with_organisations(chat: Conversation) -> None:
    chat.says(ASHA, NORTH, 'org add "Big Trust"')
    chat.says(ASHA, NORTH, 'org add "Small Trust"')
    for who in MEMBERS[:9]:
        chat.says(who, NORTH, 'org join "Big Trust"')
    for who in MEMBERS[9:]:
        chat.says(who, NORTH, 'org join "Small Trust"')


def test_participation_by_organisation_shows_small_groups_without_counts(chat):
    _with_organisations(chat)
    chat.says(ASHA, NORTH, "purpose start")
    for who in MEMBERS[:4]:
        propose(chat, who, f"Join up care for people in district {who.user_id}")
    propose(chat, MEMBERS[9], "Make the small trust's patients count as much as anyone's")
    text = text_of(round_message(chat, SOUTH))
    fields = {
        item.label: item.value
        for block in round_message(chat, SOUTH).blocks
        if block.kind == "fields"
        for item in block.items
    }
    assert fields == {"Big Trust": "4 of 9", "Small Trust": "fewer than 3 of 3"}
    assert "Proposed, by organisation" in text


def test_an_organisation_of_two_is_never_shown_as_fewer_than_3_of_2(chat):
    """D-12: both members of a two-person trust proposed; the count stays hidden, plainly."""
    chat.says(ASHA, NORTH, 'org add "Tiny Trust"')
    for who in MEMBERS[:2]:
        chat.says(who, NORTH, 'org join "Tiny Trust"')
    chat.says(ASHA, NORTH, "purpose start")
    for who in MEMBERS[:2]:
        propose(chat, who, f"Join up care for people in district {who.user_id}")
    fields = {
        item.label: item.value
        for block in round_message(chat, SOUTH).blocks
        if block.kind == "fields"
        for item in block.items
    }
    assert fields["Tiny Trust"] == "not shown (fewer than 3 members)"
    assert "fewer than 3 of 2" not in text_of(round_message(chat, SOUTH))


def test_one_gentle_nudge_halfway_only_to_quiet_organisations_members_who_have_not_proposed(
    chat, clock, ticker
):
    _with_organisations(chat)
    chat.says(ASHA, NORTH, "purpose start --gather 4d")
    for who in MEMBERS[:6]:
        propose(chat, who, f"Join up care for people in district {who.user_id}")
    clock.advance(days=2, seconds=1)
    ticker.tick()
    chat.deliver()
    nudged = {
        actor.user_id for actor, card in chat.platform.private if "Few have come" in text_of(card)
    }
    assert nudged == {"m9", "m10", "m11"}  # the small trust; nobody from the big one
    note = next(card for actor, card in chat.platform.private if actor.user_id == "m9")
    assert "Small Trust" in text_of(note) and "only nudge" in text_of(note)
    # The nudge's Propose button works from the private chat it arrived in.
    private_chat = channel("dm-m9")
    act(chat, MEMBERS[9], buttons(note)["Propose"], place=private_chat)
    done = act(
        chat,
        MEMBERS[9],
        f"submit:proposal:{current_round(chat).id}",
        {"text": "Count the small trust's patients as much as anyone's"},
        place=private_chat,
    )
    assert "your proposal is in purpose round #1" in shown(done)
    clock.advance(days=1)
    ticker.tick()
    chat.deliver()
    again = [a for a, card in chat.platform.private if "Few have come" in text_of(card)]
    assert len(again) == 3  # one nudge, never a second


def test_the_shortlist_counts_each_organisation_equally(chat):
    """Nine members of a big trust can't outvote three of a small one on their own."""
    _with_organisations(chat)
    chat.says(ASHA, NORTH, "purpose start --shortlist 1")
    gather_from_everyone(chat)
    chat.says(ASHA, NORTH, "purpose next")
    chat.says(ASHA, NORTH, "purpose next")
    poll = poll_of_round(chat)
    assert poll.settings["balance"] == "orgs"
    for who in MEMBERS[:5]:  # the big trust splits between themes 1 and 3 ...
        act(chat, who, f"submit:ballot:{poll.id}", {"dots0": "3"})
    for who in MEMBERS[5:9]:
        act(chat, who, f"submit:ballot:{poll.id}", {"dots2": "3"})
    for who in MEMBERS[9:]:  # ... and all three from the small trust back theme 2
        act(chat, who, f"submit:ballot:{poll.id}", {"dots1": "3"})
    chat.says(ASHA, NORTH, "purpose next")
    shortlisted = [g.position for g in groups(chat) if g.shortlisted]
    assert shortlisted == [2]
    # The result says which count decided, and labels the other (D-7).
    chat.deliver()
    card = next(c for c in reversed(chat.messages(NORTH)) if c.fallback.startswith("Result of"))
    assert "Decided with each organisation counted equally:" in text_of(card)
    bars = next(b for b in card.blocks if b.kind == "results")
    assert bars.summary.endswith("the bars count every person once")


# The adopted purpose, elsewhere


def adopt_quickly(chat: Conversation, statement: str) -> None:
    """One proposal, one theme, one draft: straight to consent, which everyone gives."""
    chat.says(ASHA, NORTH, "purpose start")
    propose(chat, BEN, statement)
    for _ in range(3):
        chat.says(ASHA, NORTH, "purpose next")
    consent = poll_of_round(chat)
    for who in (BEN, CARYS):
        act(chat, who, f"stance:{consent.id}:agree")
    chat.says(ASHA, NORTH, "purpose next")
    assert current_round(chat).stage == "adopted"


def test_home_invites_members_who_have_not_proposed_yet(chat):
    chat.says(ASHA, NORTH, "purpose start")
    assert "Purpose round #1 is gathering proposals" in text_of(chat.engine.home(CARYS))
    propose(chat, CARYS, "Join up care for people who fall between our services")
    home = text_of(chat.engine.home(CARYS))
    assert "yours isn't in yet" not in home
    assert "No shared purpose adopted yet. Purpose round #1 · Gathering proposals" in home


def test_check_ins_about_our_shared_purpose_quote_it_once_adopted(chat):
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00"')
    adopt_quickly(chat, "Join up care for people who fall between our services")
    chat.says(ASHA, NORTH, "checkin now 1")
    checkin = next(c for c in reversed(chat.messages(SOUTH)) if c.fallback.startswith("Check-in"))
    assert "Our shared purpose: “Join up care for people who fall between our services”" in (
        text_of(checkin)
    )


def test_the_decision_log_records_each_stage_and_the_adoption(chat):
    adopt_quickly(chat, "Join up care for people who fall between our services")
    log = chat.says(BEN, NORTH, "decisions")
    assert "purpose round #1" in log and "adopted the shared purpose" in log


def test_process_steps_never_push_a_decision_out_of_the_latest_view(chat):
    """D-22: sixteen steps of polls and rounds after a result; `decisions` still shows it."""
    chat.says(ASHA, NORTH, 'poll "Which site first?" "North" "South"')
    chat.says(ASHA, NORTH, "poll close 1")
    for _ in range(4):
        adopt_quickly(chat, "Join up care for people who fall between our services")
    latest = chat.says(BEN, NORTH, "decisions")
    assert "closed poll #1: Which site first?" in latest
    assert "Proposals grouped" not in latest and "`decisions --all`" in latest
    everything = chat.says(BEN, NORTH, "decisions --all")
    assert "Every step recorded by" in everything
    assert "purpose round #4: Proposals grouped; coordinators are reviewing" in everything


def test_a_restarted_process_prepares_the_proposals_of_a_gathering_round(chat, monkeypatch):
    """So that grouping them later doesn't wait for the model inside someone's turn."""
    from dialogs.purpose.grouping import cluster as grouping

    queued = []
    monkeypatch.setattr(grouping, "prepare_in_background", queued.append)
    chat.says(ASHA, NORTH, "purpose start")
    propose(chat, BEN, "Join up care for people who fall between our services")
    queued.clear()
    chat.engine.prepare()  # as `concord serve` does at start
    assert queued == [["Join up care for people who fall between our services"]]
    chat.says(ASHA, NORTH, "purpose next")
    chat.says(ASHA, NORTH, "purpose next")  # past grouping: nothing left to prepare
    queued.clear()
    chat.engine.prepare()
    assert queued == []


def test_two_groups_cannot_share_a_title_and_the_shortlist_numbers_its_themes(chat):
    chat.says(ASHA, NORTH, "purpose start --shortlist 1")
    gather_from_everyone(chat)
    chat.says(ASHA, NORTH, "purpose next")
    first, second = groups(chat)[:2]
    refused = opened_form(
        act(
            chat,
            ASHA,
            f"submit:group:{second.id}",
            {"title": first.title.upper(), "draft": second.draft},
        )
    )
    assert "Another group is already called" in refused.error
    chat.says(ASHA, NORTH, "purpose next")
    with chat.database.session() as session:
        labels = [o.label for o in session.exec(select(PollOption).order_by(PollOption.id)).all()]
    assert labels[:2] == [f"1. {first.title}", f"2. {second.title}"]


def test_purpose_next_leaves_a_poll_that_only_just_opened_with_no_votes(chat, clock):
    """Two coordinators typing it at once must not close the new vote before anyone votes."""
    chat.says(ASHA, NORTH, "role coordinator @Ben Okafor")
    chat.says(ASHA, NORTH, "purpose start --shortlist 1")
    gather_from_everyone(chat)
    chat.says(ASHA, NORTH, "purpose next")
    chat.says(ASHA, NORTH, "purpose next")  # the shortlist vote opens
    assert "has only just opened and nobody has voted yet" in chat.says(BEN, NORTH, "purpose next")
    assert current_round(chat).stage == "shortlisting"
    clock.advance(minutes=2)
    chat.says(BEN, NORTH, "purpose next")
    assert current_round(chat).stage == "drafting"


def test_a_deadline_handled_late_still_gives_the_next_stage_its_full_time(chat, clock, ticker):
    chat.says(ASHA, NORTH, "purpose start --shortlist 1")
    gather_from_everyone(chat)
    chat.says(ASHA, NORTH, "purpose next")
    chat.says(ASHA, NORTH, "purpose next")
    clock.advance(days=5)  # the shortlist closed two days ago while Concord was down
    ticker.tick()
    purpose_round = current_round(chat)
    assert purpose_round.stage == "drafting"
    assert purpose_round.stage_ends_at == clock.now + timedelta(days=1)
