"""What a poll shows: its live message with the vote controls, its result card, the
outcome in words (the chart's data is `chart_data`'s).

Presentation only: every figure comes from `dialogs.polls.results`, which also
decides who may see a result, so a hidden result stays hidden here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from dialogs.commands.when import describe
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
from dialogs.core.charts import alt_text, chart_url
from dialogs.core.language import N_, _, ngettext
from dialogs.core.poll_types import NEEDS_REASON, POLL_TYPES, STANCE_LABELS, STANCES
from dialogs.polls import agreement_text, deciding, objections, turnout
from dialogs.polls.chart_data import result_chart
from dialogs.polls.confirm import anonymous_vote, poll_named
from dialogs.polls.outcome import outcome_text
from dialogs.polls.poll_lines import (
    ANONYMOUS,
    asked_by,
    have_voted,
    hidden_note,
    stances_explained,
    status_line,
)
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
                Heading(text=_("Poll #{number} was deleted").format(number=poll.number)),
                Context(text=poll.notice or ""),
            ],
            fallback=_("Poll #{number} was deleted").format(number=poll.number),
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
    blocks: list[Any] = [
        Heading(text=poll.question),
        *([Text(text=poll.description)] if poll.description else []),
        deciding.how_line(session, poll),
        Context(text=status_line(poll, collaborative)),
        Context(text=asked_by(session.get(Member, poll.created_by))),
        *([Context(text=line)] if (line := series_line(session, poll)) else []),
        *([Context(text=poll.notice)] if poll.notice else []),
    ]
    if poll.settings.get("anonymous"):
        blocks.append(Text(text=_(ANONYMOUS)))
    if figures:  # rendered from what is committed (a new poll has no ballots to count)
        result = shown_result(session, poll)
        blocks += result_blocks(result, session, poll) + deciding.after_figures(
            session, poll, result
        )
    else:
        count = voter_count(session, poll)
        blocks += [Text(text=hidden_note(poll), tone="muted"), Context(text=have_voted(count))]
    if turnout_line := turnout.turnout_block(session, poll):
        blocks.append(turnout_line)
    if missing := missing_for_quorum(session, poll):
        blocks.append(
            Text(
                text=_("Provisional: waiting for voters from {organisations}.").format(
                    organisations=", ".join(missing)
                ),
                tone="warning",
            )
        )
    blocks += personal
    if poll.status == "open" and poll.type == "consent":
        blocks.append(Context(text=stances_explained(poll)))
    blocks += controls  # none on a closed poll, but its decider's button
    fallback = _("Poll #{number}: {question}").format(number=poll.number, question=poll.question)
    return Card(blocks=blocks, fallback=fallback)


def vote_controls(session: Session, poll: Poll) -> list[Actions]:
    """The buttons everyone sees. Closing is for coordinators, so it is not among them: they
    close from their own private notice or view (`confirm.close_button`) or `poll close ID`."""
    controls = [vote_buttons(session, poll)]
    if poll.settings.get("open-options"):
        add = Button(
            label=_("Add an option"),
            action=RequestForm(FormKind.OPTION, poll.id).encode(),
            spoken=_("Add an option to {poll}").format(poll=poll_named(poll)),
        )
        controls.append(Actions(elements=[add]))
    return controls


def vote_buttons(session: Session, poll: Poll) -> Actions:
    """The buttons a voter uses: the options, the consent stances, or the ballot form."""
    kind = POLL_TYPES[poll.type]
    if poll.type == "consent":
        buttons = [_stance_button(poll, s) for s in STANCES]
    elif kind.by_form:
        label = _(FORM_BUTTONS[poll.type])
        buttons = [
            Button(
                label=label,
                action=RequestForm(FormKind.BALLOT, poll.id).encode(),
                style="primary",
                spoken=_("{label} of {poll}").format(label=label, poll=poll_named(poll)),
            )
        ]
    else:
        buttons = [
            Button(
                label=o.label,
                action=Vote(poll.id, o.id).encode(),
                confirm=anonymous_vote(poll, _("Vote “{option}”?").format(option=o.label)),
                spoken=_("Vote for {option} in: {question}").format(
                    option=o.label, question=poll.question
                ),
            )
            for o in options(session, poll)
        ]
    return Actions(elements=buttons)


FORM_BUTTONS = {
    "ranked": N_("Rank the options"),
    "score": N_("Score the options"),
    "dots": N_("Place your dots"),
}


def _stance_button(poll: Poll, stance: str) -> Button:
    label = _(STANCE_LABELS[stance])
    spoken = _("{stance}: your response to {poll}").format(stance=label, poll=poll_named(poll))
    if stance in NEEDS_REASON:  # Object and Block open a form for the reason
        style = "danger" if stance == "block" else "default"
        action = ReasonForm(poll.id, stance).encode()
        return Button(label=label, action=action, style=style, spoken=spoken)
    confirm = anonymous_vote(poll, _("Respond “{stance}”?").format(stance=label))
    action = Stance(poll.id, stance).encode()
    return Button(label=label, action=action, confirm=confirm, spoken=spoken)


def result_blocks(result: dict[str, Any], session: Session, poll: Poll) -> list[Any]:
    """The figures, as bars or fields, plus the balanced view and consent's reasons."""
    if not result["voters"] and poll.type in ("ranked", "score"):
        listed = " · ".join(f"{n}. {label}" for n, label in enumerate(labels(session, poll), 1))
        return [
            Text(text=_("The options: {options}").format(options=listed)),
            Text(text=_("No votes yet."), tone="muted"),
        ]
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
    summary = ngettext("{count} person voted", "{count} people voted", voters).format(count=voters)
    if balanced_decides(result, poll):
        summary += " · " + _("the bars count every person once")
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
        summary += " · " + ngettext(
            "after {count} round of instant run-off",
            "after {count} rounds of instant run-off",
            rounds,
        ).format(count=rounds)
    elif poll.type == "consent":
        counts = {_(STANCE_LABELS[k]): v for k, v in result["counts"].items()}
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


WEIGHTS = N_(
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
        said = outcome_text(balanced, final=final)
        return _("Decided with each organisation counted equally: {outcome}").format(outcome=said)
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
        line = _("With each organisation counted equally: {outcome}").format(outcome=said)
    return [Text(text=line), Context(text=_(WEIGHTS))]


def _round_line(number: int, round_: dict[str, Any]) -> str:
    counts = ", ".join(f"{label} {count:g}" for label, count in round_["counts"].items())
    exhausted = f"{round_['exhausted']:g}"
    if round_["eliminated"] is None:
        return _("Round {number}: {counts}; {exhausted} exhausted.").format(
            number=number, counts=counts, exhausted=exhausted
        )
    return _("Round {number}: {counts}; {exhausted} exhausted; {eliminated} eliminated.").format(
        number=number, counts=counts, exhausted=exhausted, eliminated=round_["eliminated"]
    )


def _score_line(score: dict[str, float | None]) -> str:
    if score["mean"] is None:
        return _("no scores yet")
    return _("mean {mean} · median {median} · spread {spread}").format(
        mean=f"{score['mean']:.2f}", median=f"{score['median']:g}", spread=f"{score['spread']:.2f}"
    )


def result_card(
    session: Session, poll: Poll, collaborative: Collaborative, result: dict[str, Any]
) -> Card:
    final = poll.status == "closed"
    heading = (_("Result of poll #{number}") if final else _("Poll #{number} so far")).format(
        number=poll.number
    )
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
                text=_(
                    "Quorum not met: too few voters from {organisations}. "
                    "The result stands as provisional."
                ).format(organisations=", ".join(missing)),
                tone="warning",
            )
        )
    if breakdown_items := breakdown(session, poll):
        blocks.append(Fields(items=breakdown_items))
    if final and result["voters"]:
        blocks.append(
            Image(
                url=chart_url(poll.chart_token),
                alt=alt_text(result_chart(session, poll, result)),
            )
        )
    blocks.append(Context(text=_recount_line(result["voters"], poll, collaborative)))
    if final and poll.earlier_closed_at:
        earlier = describe(poll.earlier_closed_at, collaborative.timezone)
        blocks.append(
            Text(text=_("This result replaces the one announced {moment}.").format(moment=earlier))
        )
    return Card(blocks=blocks, fallback=f"{heading}: {outcome}")


def _recount_line(voters: int, poll: Poll, collaborative: Collaborative) -> str:
    if poll.closed_at is None:
        return _("{count} voted · recount it: `poll export {number}`").format(
            count=voters, number=poll.number
        )
    return _("{count} voted · closed {moment} · recount it: `poll export {number}`").format(
        count=voters, number=poll.number, moment=describe(poll.closed_at, collaborative.timezone)
    )
