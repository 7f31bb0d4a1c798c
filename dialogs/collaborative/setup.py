"""Starting a collaborative and linking channels to it: `setup`, `link` and `link CODE`.

`setup` makes a collaborative in this channel, with the person typing it as its
first coordinator. `link` shows a coordinator a one-time channel code (`codes`);
`link CODE`, typed in another channel, on any platform, joins that channel.
"""

from __future__ import annotations

from functools import partial

from dialogs.collaborative.codes import CHANNEL_CODE, claim_code, find_code, issue_code
from dialogs.collaborative.members import MAX_NAME, add_member, clean_name, member_for
from dialogs.commands.syntax import Command
from dialogs.core.cards import Card, Context, Heading, Text
from dialogs.core.language import N_, _
from dialogs.core.turn import Refusal, Turn
from storage.models import Channel, Collaborative


def setup(turn: Turn, command: Command, default_timezone: str) -> None:
    if turn.collaborative is not None:
        raise Refusal(
            _("This channel already belongs to {name}.").format(name=turn.collaborative.name),
            _("Type `help` to see what you can do here."),
        )
    name = clean_name(command.args["name"], _("The collaborative's name"), MAX_NAME)
    timezone = command.flags.get("timezone", default_timezone)
    collaborative = Collaborative(name=name, timezone=timezone, created_at=turn.now)
    turn.session.add(collaborative)
    turn.session.flush()
    turn.channel = _link_channel(turn, collaborative)
    turn.collaborative = collaborative
    turn.member = add_member(turn, collaborative, turn.actor, "coordinator", chosen=True)
    turn.audit(
        "setup", lambda: _("set up {name} (times shown in {zone})").format(name=name, zone=timezone)
    )
    turn.reply(
        Card(
            blocks=[
                Heading(text=_("{name} is set up").format(name=name)),
                Text(
                    text=_("You are its first coordinator. Times are shown in {zone}.").format(
                        zone=timezone
                    )
                ),
                Context(
                    text=_(
                        'Next: `org add "Organisation name"` for each partner, `link` to add '
                        'another channel (on any platform), then `poll "Question?" "Option" '
                        '"Option"`.'
                    )
                ),
            ],
            fallback=_("{name} is set up").format(name=name),
        )
    )


def link(turn: Turn, command: Command) -> None:
    code = command.args.get("code")
    if code is None:
        _offer_link_code(turn)
    else:
        _join_with_code(turn, code)


def _offer_link_code(turn: Turn) -> None:
    collaborative, member = turn.require_coordinator(N_("link another channel"))
    shown = issue_code(turn, collaborative, member, CHANNEL_CODE)
    turn.say(
        _("Link code: {code}").format(code=shown),
        _(
            "In the other channel, type `link {code}` within 15 minutes. The code works once."
        ).format(code=shown),
    )


def _join_with_code(turn: Turn, code: str) -> None:
    if turn.collaborative is not None:
        raise Refusal(
            _("This channel already belongs to {name}.").format(name=turn.collaborative.name),
            _("Type `link CODE` in a channel that isn't linked yet."),
        )
    session = turn.session
    ask_again = _("ask a coordinator to type `link` for a new one")
    found = find_code(turn, code, CHANNEL_CODE, ask_again)
    claim_code(turn, found, ask_again)
    collaborative = session.get(Collaborative, found.collaborative_id)
    assert collaborative is not None
    turn.channel = _link_channel(turn, collaborative)
    turn.collaborative = collaborative
    turn.member = member_for(turn, collaborative, turn.actor)
    where = {"platform": turn.place.platform, "channel": turn.channel.name or turn.place.channel_id}
    turn.audit("link", lambda: _("linked the {platform} channel {channel}").format(**where))
    # Built for the channels, in the collaborative's language (the person linking may not
    # read it: before this turn the channel had none).
    turn.post_everywhere(partial(_linked_notice, collaborative.name, where))
    turn.say(
        _("This channel is now part of {name}").format(name=collaborative.name),
        _("Type `help` to see what you can do here."),
    )


def _linked_notice(name: str, where: dict[str, str]) -> Card:
    """What every channel of a collaborative reads when another channel joins it."""
    return Card(
        blocks=[
            Text(
                text=_(
                    "This collaborative now also meets in the {platform} channel {channel}. "
                    "Polls and results appear in every linked channel."
                ).format(**where)
            )
        ],
        fallback=_("{name} is now linked to another channel").format(name=name),
    )


def _link_channel(turn: Turn, collaborative: Collaborative) -> Channel:
    channel = Channel(
        collaborative_id=collaborative.id,
        platform=turn.place.platform,
        tenant_id=turn.place.tenant_id,
        channel_id=turn.place.channel_id,
        created_at=turn.now,
    )
    turn.session.add(channel)
    turn.session.flush()
    turn.session.info.pop("channels_of", None)  # outbound's per-transaction cache
    return channel
