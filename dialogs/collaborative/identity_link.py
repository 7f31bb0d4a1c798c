"""`me link`: one person's accounts on two platforms become one member with one vote.

`me link` on one platform shows a one-time code privately (the same codes as
`link`: six characters, 15 minutes, single use, only a hash stored, claimed
atomically — `codes.issue_code` and friends, kind `member`). `me link CODE`
typed on the other platform, in a channel of the same collaborative, merges the
member typing it (B, the second platform) into the member who asked for the code
(A, the first), in one transaction:

- B's identities move to A, so from then on both accounts act as A.
- Ballots: where both have a latest ballot in an open poll, B's replaces A's —
  typing the code is the person's latest act, on B, and is what a vote from B
  after the link would have done. A's becomes history. A closed poll's result has
  been announced (and `concord recount` must reproduce it), so there both ballots
  keep counting; B's is detached from the member (no member, as an anonymous
  ballot has none) to keep one latest ballot per member.
- Anonymous polls: their ballots carry no member, so nothing is moved and nothing
  can be matched. If both accounts voted in one, both anonymous ballots stay as
  cast and keep counting; only one participation row is kept, so the merged
  member is still refused a further vote there.
- Participation: one row per poll, the earliest first vote kept.
- Check-in answers: where both answered the same question of the same run, B's
  answer replaces A's (there is no history of answers).
- Role: a role set on purpose beats one given on joining; otherwise the more
  restricted stays, and a collaborative's last coordinator stays one
  (`roles.merged`, which also says why). Organisation: A's if set, else B's.
  Reminders, all or one poll's, stay muted if either account muted them.
- What B made (polls, check-ins, codes, log entries) is credited to A; B's member
  row is removed; the decision log records the link.

Refused: a wrong, expired or used code; a code from another collaborative; a code
typed by the account that asked for it (or one already part of that member); two
accounts on the same platform.
"""

from __future__ import annotations

from sqlalchemy import delete, tuple_, update
from sqlmodel import Session, col, select

from dialogs.collaborative import roles
from dialogs.collaborative.codes import MEMBER_CODE, claim_code, find_code, issue_code
from dialogs.commands.syntax import Command
from dialogs.core import effects
from dialogs.core.language import N_, _
from dialogs.core.messages import checkin_key, poll_key
from dialogs.core.turn import Refusal, Turn, with_article
from storage.models import (
    LATEST_BALLOT,
    AuditEntry,
    Ballot,
    CheckinAnswer,
    CheckinRun,
    CheckinSchedule,
    Collaborative,
    Identity,
    LinkCode,
    Member,
    Participation,
    Poll,
    PollReminderMute,
)

_ASK_AGAIN = N_("type `me link` on your other platform for a new one")


def me_link(turn: Turn, command: Command) -> None:
    code = command.args.get("code")
    if code is None:
        _offer(turn)
    else:
        _merge_with_code(turn, code)


def _offer(turn: Turn) -> None:
    collaborative, member = turn.in_collaborative()
    shown = issue_code(turn, collaborative, member, MEMBER_CODE)
    turn.say(
        _("Your code: {code}").format(code=shown),
        _(
            "On your other platform, in a channel of {name}, type `me link {code}` within 15 "
            "minutes. The code works once; keep it to yourself — whoever types it joins that "
            "account to you."
        ).format(name=collaborative.name, code=shown),
    )


def _merge_with_code(turn: Turn, code: str) -> None:
    collaborative, second = turn.in_collaborative()
    session = turn.session
    found = find_code(turn, code, MEMBER_CODE, _(_ASK_AGAIN))
    # Claimed first, so a racing second claim waits here and is told the code is used;
    # any refusal below rolls the claim back with the rest of the turn.
    claim_code(turn, found, _(_ASK_AGAIN))
    if found.collaborative_id != collaborative.id:
        raise Refusal(
            _("That code belongs to another collaborative, not {name}.").format(
                name=collaborative.name
            ),
            _("Type it in a channel of the collaborative where you asked for it."),
        )
    first = session.get(Member, found.created_by)
    assert first is not None
    if first.id == second.id:
        if len(_platforms(session, first)) > 1:
            raise Refusal(
                _("Your accounts are already one member."), _("There is nothing to link.")
            )
        raise Refusal(
            _("That code is for this account itself: you asked for it here."),
            _("Type it on your other platform, in a channel of {name}.").format(
                name=collaborative.name
            ),
        )
    if _platforms(session, first) & _platforms(session, second):
        raise Refusal(
            _(
                "Both accounts are on the same platform: `me link` joins accounts on two "
                "different platforms."
            ),
            _("Type the code on your other platform."),
        )
    role = roles.merged(session, collaborative, first, second)
    replaced = merge_members(turn, first, second, role)
    turn.member = first
    turn.audit(
        "me.link",
        lambda: _("joined their other account ({name}) to this member").format(
            name=second.display_name
        ),
        merged_member_id=second.id,
        platform=turn.actor.platform,
        role=role.role,
    )
    turn.say(
        _("Your accounts are now one member"), *_merged_lines(first, collaborative, role, replaced)
    )


def _merged_lines(
    first: Member, collaborative: Collaborative, role: roles.Merged, replaced: int
) -> list[str]:
    """What `me link` tells the person once their accounts are one member."""
    who = (
        _(
            "On either platform, you are {name} of {collaborative}, {role} who sees polls "
            "but does not vote."
        )
        if role.role == "observer"
        else _(
            "On either platform, you are {name} of {collaborative}, {role} with one vote in "
            "each poll."
        )
    )
    return [
        who.format(
            name=first.display_name, collaborative=collaborative.name, role=with_article(role.role)
        ),
        role.why,
        (
            _(
                "You had voted from both accounts in {count} open poll(s): the vote from "
                "this account now counts, the other is kept only as history."
            ).format(count=replaced)
            if replaced
            else ""
        ),
    ]


def merge_members(turn: Turn, keep: Member, gone: Member, role: roles.Merged) -> int:
    """Merge `gone` into `keep`, who gets `role` (see the module docstring); return how many
    open polls had a latest ballot from both, where `gone`'s now counts."""
    session, now = turn.session, turn.now
    assert turn.collaborative is not None and keep.id is not None and gone.id is not None
    session.execute(
        update(Identity).where(col(Identity.member_id) == gone.id).values(member_id=keep.id)
    )
    still_open = _merge_ballots(session, keep.id, gone.id)
    _merge_participation(session, keep.id, gone.id)
    _merge_reminder_mutes(session, keep.id, gone.id)
    runs = _merge_answers(session, keep.id, gone.id)
    for table, column in (
        (Poll, Poll.created_by),
        (CheckinSchedule, CheckinSchedule.created_by),
        (LinkCode, LinkCode.created_by),
        (AuditEntry, AuditEntry.actor_member_id),
    ):
        session.execute(update(table).where(col(column) == gone.id).values({column: keep.id}))
    keep.role, keep.role_chosen = role.role, role.chosen
    if keep.organisation_id is None:
        keep.organisation_id = gone.organisation_id
    keep.reminders_muted = keep.reminders_muted or gone.reminders_muted
    session.flush()
    session.delete(gone)
    session.flush()
    for poll in still_open:
        effects.update_everywhere(session, now, turn.collaborative, poll_key(poll))
    for run in runs:
        effects.update_everywhere(session, now, turn.collaborative, checkin_key(run))
    return len(still_open)


def _merge_ballots(session: Session, keep: int, gone: int) -> list[Poll]:
    """Move `gone`'s ballots to `keep`; return the open polls both had a latest ballot in
    (their tallies lose a vote, so their messages must be re-rendered)."""

    def latest_polls(member: int) -> set[int]:
        return set(
            session.exec(
                select(Ballot.poll_id).where(Ballot.member_id == member, LATEST_BALLOT)
            ).all()
        )

    both = latest_polls(keep) & latest_polls(gone)
    polls = list(session.exec(select(Poll).where(col(Poll.id).in_(both))).all()) if both else []
    still_open = [p for p in polls if p.status == "open"]
    closed = [p.id for p in polls if p.status != "open"]
    if still_open:  # gone's vote replaces keep's: keep's steps aside first (one latest each)
        session.execute(
            update(Ballot)
            .where(
                col(Ballot.member_id) == keep,
                col(Ballot.poll_id).in_([p.id for p in still_open]),
                LATEST_BALLOT,
            )
            .values(latest=False)
        )
    if closed:  # announced results stand: both ballots count, gone's belongs to no member
        session.execute(
            update(Ballot)
            .where(col(Ballot.member_id) == gone, col(Ballot.poll_id).in_(closed), LATEST_BALLOT)
            .values(member_id=None)
        )
    session.execute(update(Ballot).where(col(Ballot.member_id) == gone).values(member_id=keep))
    return still_open


def _merge_participation(session: Session, keep: int, gone: int) -> None:
    """One participation row per poll: where both voted (anonymous polls too), keep's row
    stays with the earlier first vote, and gone's goes."""
    rows = session.exec(
        select(Participation).where(col(Participation.member_id).in_([keep, gone]))
    ).all()
    kept = {r.poll_id: r for r in rows if r.member_id == keep}
    for row in rows:
        if row.member_id == gone and (mine := kept.get(row.poll_id)) is not None:
            mine.first_voted_at = min(mine.first_voted_at, row.first_voted_at)
            session.delete(row)
    session.flush()
    session.execute(
        update(Participation).where(col(Participation.member_id) == gone).values(member_id=keep)
    )


def _merge_reminder_mutes(session: Session, keep: int, gone: int) -> None:
    """A poll's reminders stay off if either account turned them off."""
    already = select(PollReminderMute.poll_id).where(PollReminderMute.member_id == keep)
    session.execute(
        delete(PollReminderMute).where(
            col(PollReminderMute.member_id) == gone, col(PollReminderMute.poll_id).in_(already)
        )
    )
    session.execute(
        update(PollReminderMute)
        .where(col(PollReminderMute.member_id) == gone)
        .values(member_id=keep)
    )


def _merge_answers(session: Session, keep: int, gone: int) -> list[CheckinRun]:
    """Move gone's check-in answers to keep, gone's replacing keep's for the same question;
    return the open runs where both had answered (their messages show the count)."""
    pairs = set(
        session.exec(
            select(CheckinAnswer.run_id, CheckinAnswer.question).where(
                CheckinAnswer.member_id == gone
            )
        ).all()
    )
    clashing = [
        (run, question)
        for run, question in session.exec(
            select(CheckinAnswer.run_id, CheckinAnswer.question).where(
                CheckinAnswer.member_id == keep
            )
        ).all()
        if (run, question) in pairs
    ]
    if clashing:
        session.execute(
            delete(CheckinAnswer).where(
                col(CheckinAnswer.member_id) == keep,
                tuple_(CheckinAnswer.run_id, CheckinAnswer.question).in_(clashing),
            )
        )
    session.execute(
        update(CheckinAnswer).where(col(CheckinAnswer.member_id) == gone).values(member_id=keep)
    )
    run_ids = {run for run, __ in clashing}
    if not run_ids:
        return []
    return list(
        session.exec(
            select(CheckinRun).where(col(CheckinRun.id).in_(run_ids), CheckinRun.status == "open")
        ).all()
    )


def _platforms(session: Session, member: Member) -> set[str]:
    return set(session.exec(select(Identity.platform).where(Identity.member_id == member.id)).all())
