"""A person's digest: how often it comes, `me digest`, and which are due (the ticker sends).

A digest is one private "waiting for you" message per person, across every collaborative
where any of their linked accounts is a member (`dialogs.home` writes it). It comes weekly
by default, on Mondays at 08:30 in the person's zone, or daily at 08:30, or not at all.
The time is a wall-clock time, so it stays 08:30 across the clock changes
(`dialogs.commands.recurrence`).

When the first one is due: the ticker enrols everyone it finds as a member with no
settings row yet, or with a row whose next digest was never set (`enrol`), and sets their
first digest for the next Monday 08:30. Not at a person's first command: many people only
ever click vote buttons, and those clicks are stored in batches that never start a turn,
so they would never be enrolled; nor only when they choose, as then the weekly default
would reach nobody.

Each due row is claimed with `FOR UPDATE SKIP LOCKED`, the digest written to the outbox and
the next one set in the same transaction, so each period's digest goes once however many
processes tick. A person with two linked accounts has two rows: only the first of their due
rows sends (`first_due_of`), and sending moves every due row of the person on.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, tuple_
from sqlmodel import Session, col, select

from dialogs.collaborative.people import (
    CHOSEN,
    PLATFORM,
    Key,
    Zone,
    linked_identities,
    setting_for,
    zone_for,
)
from dialogs.commands.recurrence import next_occurrence
from dialogs.commands.syntax import Command
from dialogs.commands.when import describe
from dialogs.core.events import Actor
from dialogs.core.language import N_, _
from dialogs.core.turn import Refusal, Turn
from storage.database import insert_rows
from storage.models import DIGEST_CHOICES, Collaborative, Identity, Member, PersonSetting

_AT = {"hour": 8, "minute": 30}
_RULES: dict[str, dict[str, Any]] = {
    "daily": {"kind": "cron", "day_of_week": "*", **_AT},
    "weekly": {"kind": "cron", "day_of_week": "mon", **_AT},
}
# What `me digest` says of each choice, with the zone's words after it.
WHEN = {
    "daily": N_("Your digest comes daily, every day at 08:30 ({zone})."),
    "weekly": N_("Your digest comes weekly, every Monday at 08:30 ({zone})."),
}
# A digest more than this late (Concord was down) is not sent: the next one is set instead.
TOO_LATE = timedelta(hours=12)


def next_due(choice: str, zone: str, after: datetime) -> datetime | None:
    """When a digest `choice` next falls due after `after`, in `zone`; None when it is off."""
    rule = _RULES.get(choice)
    return next_occurrence(rule, zone, after).due_at if rule else None


def key_of(actor: Actor) -> Key:
    return (actor.platform, actor.tenant_id, actor.user_id)


def me_digest(turn: Turn, command: Command) -> None:
    """`me digest daily|weekly|off`, written to every account of the person; `me digest`
    alone says what is set and when the next one is due."""
    choice = command.args.get("choice")
    if choice is not None and choice.lower() not in DIGEST_CHOICES:
        raise Refusal(
            _("“{typed}” isn't a digest choice.").format(typed=choice[:30]),
            _("Type `me digest daily`, `me digest weekly` or `me digest off`."),
        )
    identities = linked_identities(turn.session, key_of(turn.actor))
    if not identities:
        raise Refusal(
            _("You aren't a member of a collaborative yet, so nothing can wait for you."),
            _("Type `help` in a channel of a collaborative to join it."),
        )
    zone = _zone_in_turn(turn, identities)
    mine = setting_for(turn.session, *key_of(turn.actor), turn.now)
    if choice is not None:
        for key in dict.fromkeys((i.platform, i.tenant_id, i.user_id) for i in identities):
            setting = setting_for(turn.session, *key, turn.now)
            setting.digest = choice.lower()
            setting.digest_next_at = next_due(setting.digest, zone.name, turn.now)
            setting.updated_at = turn.now
    elif mine.digest != "off" and mine.digest_next_at is None:
        mine.digest_next_at = next_due(mine.digest, zone.name, turn.now)
    turn.say(*_described(mine, zone, changed=choice is not None))


def _described(setting: PersonSetting, zone: Zone, *, changed: bool) -> tuple[str, ...]:
    if setting.digest == "off":
        return (
            _("Your digest is off.") if changed else _("Your digest is off: none will come."),
            _("Type `me digest weekly` or `me digest daily` to get one again."),
        )
    assert setting.digest_next_at is not None, "a digest that is on has a next time"
    heading = _(WHEN[setting.digest]).format(zone=_zone_words(zone))
    return (
        heading,
        _(
            "The next one: {moment}. It lists what is waiting for you in every collaborative "
            "you belong to, and doesn't come when nothing is. `me digest daily`, `weekly` or "
            "`off` changes it."
        ).format(moment=describe(setting.digest_next_at, zone.name)),
    )


def _zone_words(zone: Zone) -> str:
    if zone.source == CHOSEN:
        return _("{zone}, the zone you chose").format(zone=zone.name)
    if zone.source == PLATFORM:
        return _("{zone}, your zone as your platform reports it").format(zone=zone.name)
    return _("{zone}, your collaborative's zone, as your own isn't known").format(zone=zone.name)


def _zone_in_turn(turn: Turn, identities: list[Identity]) -> Zone:
    if turn.member is not None and turn.collaborative is not None:
        return zone_for(turn.session, turn.member, turn.collaborative)
    return zone_of(turn.session, identities)


def zone_of(session: Session, identities: list[Identity]) -> Zone:
    """The person's zone, read in the first collaborative they joined (`zone_for`)."""
    first = identities[0]
    member = session.get(Member, first.member_id)
    collaborative = session.get(Collaborative, first.collaborative_id)
    assert member is not None and collaborative is not None
    return zone_for(session, member, collaborative)


def enrol(session: Session, now: datetime, limit: int) -> int:
    """Set the first digest of up to `limit` people: members with no settings row, and rows
    whose next digest was never set. Returns how many."""
    new = session.exec(
        select(Identity.platform, Identity.tenant_id, Identity.user_id, Collaborative.timezone)
        .join(Collaborative, col(Collaborative.id) == col(Identity.collaborative_id))
        .outerjoin(PersonSetting, _same_account())
        .where(col(PersonSetting.id).is_(None))
        .limit(limit)
    ).all()
    rows = {
        (platform, tenant, user): {"zone": zone} for platform, tenant, user, zone in new
    }.items()
    insert_rows(
        session,
        PersonSetting,
        [
            {
                "platform": platform,
                "tenant_id": tenant,
                "user_id": user,
                "digest": "weekly",
                "digest_next_at": next_due("weekly", found["zone"], now),
                "updated_at": now,
            }
            for (platform, tenant, user), found in rows
        ],
        unless_present=True,
    )
    unset = session.exec(
        select(PersonSetting)
        .where(
            PersonSetting.digest != "off",
            col(PersonSetting.digest_next_at).is_(None),
            exists(select(Identity.id).where(_same_account())),  # someone who left: never
        )
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for setting in unset:
        identities = linked_identities(session, _key(setting))
        if identities:
            setting.digest_next_at = next_due(
                setting.digest, zone_of(session, identities).name, now
            )
    return len(rows) + len(unset)


def _same_account() -> Any:
    return and_(
        col(PersonSetting.platform) == col(Identity.platform),
        col(PersonSetting.tenant_id) == col(Identity.tenant_id),
        col(PersonSetting.user_id) == col(Identity.user_id),
    )


def claim_due(session: Session, now: datetime, limit: int) -> list[PersonSetting]:
    """Up to `limit` settings rows whose digest is due, locked until this transaction ends
    (rows another process holds are skipped)."""
    return list(
        session.exec(
            select(PersonSetting)
            .where(PersonSetting.digest != "off", col(PersonSetting.digest_next_at) <= now)
            .order_by(col(PersonSetting.digest_next_at), col(PersonSetting.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
    )


def first_due_of(
    session: Session, now: datetime, identities: list[Identity]
) -> PersonSetting | None:
    """Of the person's accounts, the first (by row) whose digest is due: it alone sends."""
    return session.exec(
        select(PersonSetting)
        .where(
            _account_in(identities),
            PersonSetting.digest != "off",
            col(PersonSetting.digest_next_at) <= now,
        )
        .order_by(col(PersonSetting.id))
    ).first()


def move_on(session: Session, now: datetime, identities: list[Identity], zone: str) -> None:
    """Set the next digest of each of the person's due rows, after `now`."""
    rows = session.exec(
        select(PersonSetting).where(
            _account_in(identities),
            PersonSetting.digest != "off",
            col(PersonSetting.digest_next_at) <= now,
        )
    ).all()
    for row in rows:
        row.digest_next_at = next_due(row.digest, zone, now)


def _account_in(identities: list[Identity]) -> Any:
    """The settings rows of these accounts, read through their unique index."""
    columns = tuple_(
        col(PersonSetting.platform), col(PersonSetting.tenant_id), col(PersonSetting.user_id)
    )
    return columns.in_({(i.platform, i.tenant_id, i.user_id) for i in identities})


def after_failure(setting: PersonSetting, now: datetime) -> None:
    """Sending failed (a bug, logged): set the next digest a period on from the one that
    failed, so one person's failure can't hold up everyone else's, time after time."""
    assert setting.digest_next_at is not None, "only a due digest can fail"
    period = timedelta(days=1 if setting.digest == "daily" else 7)
    while setting.digest_next_at <= now:
        setting.digest_next_at += period


def _key(setting: PersonSetting) -> Key:
    return (setting.platform, setting.tenant_id, setting.user_id)
