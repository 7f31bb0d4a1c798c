"""What a poll shows: its live message with the vote controls, its result card, the
outcome in words (the chart's data is `chart_data`'s).

Presentation only: every figure comes from `dialogs.polls.results`, which also
decides who may see a result, so a hidden result stays hidden here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from dialogs.commands.when import describe, moment
from dialogs.core.actions import FormKind, ReasonForm, RequestForm, Stance, Vote
from dialogs.core.cards import (
    Actions,
    Bar,
    Button,
    Card,
    Context,
    FieldItem,
    Fields,
    Heading,
    Image,
    ResultBars,
    Text,
)
from dialogs.core.charts import alt_text
from dialogs.core.poll_types import NEEDS_REASON, POLL_TYPES, STANCE_LABELS, STANCES
from dialogs.polls import agreement_text, deciding, objections, turnout
from dialogs.polls.chart_data import result_chart
from dialogs.polls.confirm import anonymous_vote, poll_named
from dialogs.polls.outcome import outcome_text
from dialogs.polls.recurring import series_line
from dialogs.polls.results import (
    breakdown,
    labels,
    missing_for_quorum,
    options,
    organisation_voters,
    shown_result,
    visible_to_all,
    voter_count,
)
from storage.models import Collaborative, Member, Poll


def render_poll(session: Session, poll: Poll) -> Card:
    """The live poll message every channel shows."""
    if poll.status == "deleted":
        return Card(
            blocks=[
                Heading(text=f"Poll #{poll.number} was deleted"),
                Context(text=poll.notice or ""),
            ],
            fallback=f"Poll #{poll.number} was deleted",
        )
    controls = vote_controls(session, poll) if poll.status == "open" else []
    return poll_message(session, poll, figures=visible_to_all(poll), controls=controls)


def poll_message(
    session: Session,
    poll: Poll,
    *,
    figures: bool,
    controls: Sequence[Actions],
    personal: Sequence[Text | Context] = (),
) -> Card:
    """A poll's message: with its `figures` or the note that they are hidden, then the
    `personal` lines of one person's own view (`dialogs.polls.view`), then `controls`."""
    collaborative = session.get(Collaborative, poll.collaborative_id)
    assert collaborative is not None
    asker = session.get(Member, poll.created_by)
    blocks: list[Any] = [
        Heading(text=poll.question),
        *([Text(text=poll.description)] if poll.description else []),
        deciding.how_line(session, poll),
        Context(text=_status(poll, collaborative)),
        Context(text=f"Asked by {asker.display_name}" if asker else "Asked by a coordinator"),
        *([Context(text=line)] if (line := series_line(session, poll)) else []),
        *([Context(text=poll.notice)] if poll.notice else []),
    ]
    if poll.settings.get("anonymous"):
        blocks.append(
            Text(
                text="Anonymous: nobody, coordinators included, can see who voted what. "
                "Each member votes once, and the vote can't be changed."
            )
        )
    if figures:  # rendered from what is committed (a new poll has no ballots to count)
        result = shown_result(session, poll)
        blocks += result_blocks(result, session, poll) + deciding.after_figures(
            session, poll, result
        )
    else:
        blocks.append(Text(text=_hidden_note(poll), tone="muted"))
        count = voter_count(session, poll)
        blocks.append(
            Context(text=f"{count} {'person has' if count == 1 else 'people have'} voted")
        )
    if turnout_line := turnout.turnout_block(session, poll):
        blocks.append(turnout_line)
    if missing := missing_for_quorum(session, poll):
        blocks.append(
            Text(
                text="Provisional: waiting for voters from " + ", ".join(missing) + ".",
                tone="warning",
            )
        )
    blocks += personal
    if poll.status == "open" and poll.type == "consent":
        blocks.append(Context(text=_stances_explained(poll)))
    blocks += controls  # none on a closed poll, but its decider's button
    return Card(blocks=blocks, fallback=f"Poll #{poll.number}: {poll.question}")


def _stances_explained(poll: Poll) -> str:
    """What each consent stance means, and what it takes to adopt the proposal (D-20)."""
    allowed = poll.settings.get("objections", 0)
    threshold = (
        "no objections" if not allowed else f"at most {allowed} objection{'s' * (allowed != 1)}"
    )
    return (
        "Agree: you support it. Can live with it: not your first choice, but you won't stand "
        "in its way. Object: a concern everyone should hear — the harm it would do to our aim, "
        "and what would resolve it. Block: you can't accept it, with the same two answers. "
        f"It is adopted with no blocks and {threshold}."
    )


def _status(poll: Poll, collaborative: Collaborative) -> str:
    how = POLL_TYPES[poll.type].how
    if poll.type == "multi":
        how = f"up to {poll.settings['max']} choices"
    if poll.type == "dots":
        how = f"spread {poll.settings['dots']} dots"
    if poll.status != "open":
        return f"Poll #{poll.number} · {how} · closed"
    until = moment(poll.closes_at, collaborative.timezone) if poll.closes_at else "it closes"
    change = "" if poll.settings.get("anonymous") else f" · votes can be changed until {until}"
    closes = f" · closes {until}" if poll.settings.get("anonymous") and poll.closes_at else ""
    return f"Poll #{poll.number} · {how} · open{change}{closes}"


def _hidden_note(poll: Poll) -> str:
    if poll.settings.get("results") == "after-vote":
        return "Results are shown to each person after they vote, and to everyone at the close."
    return "Results are hidden until the poll closes."


def vote_controls(session: Session, poll: Poll) -> list[Actions]:
    """The buttons everyone sees. Closing is for coordinators, so it is not among them: they
    close from their own private notice or view (`confirm.close_button`) or `poll close ID`."""
    controls = [vote_buttons(session, poll)]
    if poll.settings.get("open-options"):
        add = Button(
            label="Add an option",
            action=RequestForm(FormKind.OPTION, poll.id).encode(),
            spoken=f"Add an option to {poll_named(poll)}",
        )
        controls.append(Actions(elements=[add]))
    return controls


def vote_buttons(session: Session, poll: Poll) -> Actions:
    """The buttons a voter uses: the options, the consent stances, or the ballot form."""
    kind = POLL_TYPES[poll.type]
    if poll.type == "consent":
        buttons = [_stance_button(poll, s) for s in STANCES]
    elif kind.by_form:
        label = {
            "ranked": "Rank the options",
            "score": "Score the options",
            "dots": "Place your dots",
        }[poll.type]
        buttons = [
            Button(
                label=label,
                action=RequestForm(FormKind.BALLOT, poll.id).encode(),
                style="primary",
                spoken=f"{label} of {poll_named(poll)}",
            )
        ]
    else:
        buttons = [
            Button(
                label=o.label,
                action=Vote(poll.id, o.id).encode(),
                confirm=anonymous_vote(poll, f"Vote “{o.label}”?"),
                spoken=f"Vote for {o.label} in: {poll.question}",
            )
            for o in options(session, poll)
        ]
    return Actions(elements=buttons)


def _stance_button(poll: Poll, stance: str) -> Button:
    label = STANCE_LABELS[stance]
    spoken = f"{label}: your response to {poll_named(poll)}"
    if stance in NEEDS_REASON:  # Object and Block open a form for the reason
        style = "danger" if stance == "block" else "default"
        action = ReasonForm(poll.id, stance).encode()
        return Button(label=label, action=action, style=style, spoken=spoken)
    confirm = anonymous_vote(poll, f"Respond “{label}”?")
    action = Stance(poll.id, stance).encode()
    return Button(label=label, action=action, confirm=confirm, spoken=spoken)


def result_blocks(result: dict[str, Any], session: Session, poll: Poll) -> list[Any]:
    """The figures, as bars or fields, plus the balanced view and consent's reasons."""
    if not result["voters"] and poll.type in ("ranked", "score"):
        listed = " · ".join(f"{n}. {label}" for n, label in enumerate(labels(session, poll), 1))
        return [Text(text=f"The options: {listed}"), Text(text="No votes yet.", tone="muted")]
    blocks: list[Any] = [_figures(result, poll)]
    if poll.type == "ranked":
        blocks += [Context(text=_round_line(n, r)) for n, r in enumerate(result["rounds"], 1)]
    if "balanced" in result and result["voters"]:
        blocks += _other_view(result, poll)
    if poll.type == "consent":
        blocks += [Text(text=objections.line(r)) for r in result["reasons"]]
    return blocks


def _figures(result: dict[str, Any], poll: Poll) -> ResultBars | Fields:
    voters = result["voters"]
    summary = f"{voters} {'person' if voters == 1 else 'people'} voted"
    if balanced_decides(result, poll):
        summary += " · the bars count every person once"
    if poll.type == "score":
        return Fields(
            items=[
                FieldItem(label=label, value=_score_line(score))
                for label, score in result["scores"].items()
            ]
        )
    if poll.type == "ranked":
        counts = result["rounds"][-1]["counts"] if result["rounds"] else {}
        rounds = len(result["rounds"])
        summary += f" · after {rounds} round{'s' * (rounds != 1)} of instant run-off"
    elif poll.type == "consent":
        counts = {STANCE_LABELS[k]: v for k, v in result["counts"].items()}
    else:
        counts = result["counts"]
    total = voters if poll.type in ("single", "multi", "consent") else sum(counts.values())
    winner = result.get("winner")
    return ResultBars(
        bars=[
            Bar(
                label=label,
                count=count,
                percent=round(100 * count / total) if total else 0,
                leading=label == winner,
            )
            for label, count in counts.items()
        ],
        summary=summary,
    )


EQUALLY = "with each organisation counted equally"
WEIGHTS = (
    "Counted equally, each vote weighs 1 ÷ the number of voters from the voter's "
    "organisation (0.5 is one of two); people with no organisation count as one group."
)


def balanced_decides(result: dict[str, Any], poll: Poll) -> bool:
    """Whether the organisation-balanced figures decide this poll (a purpose round's
    polls say so), rather than one person, one vote."""
    return poll.settings.get("decides") == "balanced" and "balanced" in result


def poll_outcome(result: dict[str, Any], poll: Poll, *, final: bool) -> str:
    """The outcome that decides, saying which count it is when it is the balanced one."""
    if balanced_decides(result, poll) and result["voters"]:
        balanced = {**result["balanced"], "type": poll.type, "voters": result["voters"]}
        return f"Decided {EQUALLY}: {outcome_text(balanced, final=final)}"
    return deciding.outcome(result, poll, outcome_text(result, final=final), final=final)


def _other_view(result: dict[str, Any], poll: Poll) -> list[Any]:
    """The balanced count beside the bars (which count every person once): as the outcome
    where it decides, labelled as the other view where it doesn't; and its fractions."""
    final = poll.status == "closed"
    if balanced_decides(result, poll):
        line = poll_outcome(result, poll, final=final)
    else:
        balanced = {**result["balanced"], "type": poll.type, "voters": result["voters"]}
        said = deciding.as_vote(poll, outcome_text(balanced, final=final))
        line = f"{EQUALLY.capitalize()}: {said}"
    return [Text(text=line), Context(text=WEIGHTS)]


def _round_line(number: int, round_: dict[str, Any]) -> str:
    counts = ", ".join(f"{label} {count:g}" for label, count in round_["counts"].items())
    line = f"Round {number}: {counts}; {round_['exhausted']:g} exhausted"
    if round_["eliminated"] is not None:
        line += f"; {round_['eliminated']} eliminated"
    return line + "."


def _score_line(score: dict[str, float | None]) -> str:
    if score["mean"] is None:
        return "no scores yet"
    return f"mean {score['mean']:.2f} · median {score['median']:g} · spread {score['spread']:.2f}"


def result_card(
    session: Session, poll: Poll, collaborative: Collaborative, result: dict[str, Any]
) -> Card:
    final = poll.status == "closed"
    when = f" · closed {describe(poll.closed_at, collaborative.timezone)}" if poll.closed_at else ""
    heading = f"Result of poll #{poll.number}" if final else f"Poll #{poll.number} so far"
    outcome = poll_outcome(result, poll, final=final)
    blocks: list[Any] = [
        Heading(text=heading),
        Text(text=poll.question),
        *result_blocks(result, session, poll),
    ]
    if not (balanced_decides(result, poll) and result["voters"]):  # said in the blocks
        blocks.append(Text(text=outcome))
    anonymous = bool(poll.settings.get("anonymous"))
    blocks += agreement_text.blocks(
        result, organisation_voters(session, poll), anonymous=anonymous, final=final
    )
    blocks += [*deciding.after_figures(session, poll, result), deciding.how_line(session, poll)]
    if missing := missing_for_quorum(session, poll):
        blocks.append(
            Text(
                text="Quorum not met: too few voters from "
                + ", ".join(missing)
                + ". The result stands as provisional.",
                tone="warning",
            )
        )
    if breakdown_items := breakdown(session, poll):
        blocks.append(Fields(items=breakdown_items))
    if final and result["voters"]:
        blocks.append(
            Image(
                url=f"/charts/{poll.chart_token}.png",
                alt=alt_text(result_chart(session, poll, result)),
            )
        )
    blocks.append(
        Context(text=f"{result['voters']} voted{when} · recount it: `poll export {poll.number}`")
    )
    if final and poll.earlier_closed_at:
        earlier = describe(poll.earlier_closed_at, collaborative.timezone)
        blocks.append(Text(text=f"This result replaces the one announced {earlier}."))
    return Card(blocks=blocks, fallback=f"{heading}: {outcome}")
