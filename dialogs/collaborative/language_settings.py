"""`me language`, `me` and `language`: the language a person reads, and a collaborative's.

A person reads Concord in the language they chose, else their platform's, else their
collaborative's default (`dialogs.core.readers`). `me language cy|en` chooses (written to
every platform identity of the member who asked, like `me timezone`), `me language auto`
follows the platform again, and the answer comes in the new language. Coordinators choose
the language of shared messages (`language default cy|en`) and whether they go out in
Welsh and English at once (`language shared both|default`); each change is in the
decision log.
"""

from __future__ import annotations

from sqlmodel import select

from dialogs.collaborative.people import setting_for, zone_for
from dialogs.commands.syntax import Command
from dialogs.commands.values import clip
from dialogs.core import readers
from dialogs.core.language import LANGUAGES, N_, _, speaking
from dialogs.core.turn import Refusal, Turn
from storage.models import Collaborative, Identity

AUTO, BOTH, DEFAULT_ONLY = "auto", "both", "default"  # i18n: not for readers
NAMES = {"en": N_("English"), "cy": N_("Welsh")}
DIGESTS = {"daily": N_("daily"), "weekly": N_("weekly"), "off": N_("off")}
SOURCES = {
    readers.CHOSEN: N_("You chose it; `me language auto` follows your platform's language."),
    readers.PLATFORM: N_(
        "It is the language your platform reports for you; `me language cy` or "
        "`me language en` chooses one."
    ),
    readers.COLLABORATIVE: N_(
        "It is your collaborative's language, because your platform didn't say which is "
        "yours; `me language cy` or `me language en` chooses one."
    ),
    readers.FALLBACK: N_(
        "Nothing says which language is yours, so Concord writes in English; "
        "`me language cy` chooses Welsh."
    ),
}
CHANGING = N_("change the language of shared messages")


def name_of(language: str) -> str:
    """`language`'s name in the language of the work in hand ("Welsh", "Cymraeg"); one a
    test installed (the pseudo-locale) has none, so its code stands for it."""
    return _(NAMES[language]) if language in NAMES else language


def me_language(turn: Turn, command: Command) -> None:
    """`me language [cy|en|auto]`."""
    choice = command.args.get("choice")
    if choice is None:
        _show(turn, N_("Concord writes to you in {language}"))
        return
    word = choice.strip().lower()
    if word != AUTO and word not in LANGUAGES:
        raise Refusal(
            _("“{typed}” is not a language Concord speaks.").format(typed=clip(choice, 30)),
            _("Type `me language cy`, `me language en` or `me language auto`."),
        )
    _choose(turn, None if word == AUTO else word)
    _show(turn, N_("Concord writes to you in {language} from now on"))


def me_settings(turn: Turn, command: Command) -> None:
    """`me`: the person's own settings at a glance."""
    collaborative, member = turn.in_collaborative()
    spoken = _spoken(turn, collaborative)
    digest = setting_for(turn.session, *_key(turn), turn.now).digest
    turn.say(
        _("Your settings"),
        _("Time zone: {zone}").format(zone=zone_for(turn.session, member, collaborative).name),
        _("Language: {language}").format(language=name_of(spoken.language)),
        _("Digest: {digest}").format(digest=_(DIGESTS.get(digest, digest))),
        _("Change them with `me timezone`, `me language` and `me digest`."),
    )


def language(turn: Turn, command: Command) -> None:
    """`language`: the collaborative's default and whether it posts in both."""
    collaborative, _member = turn.in_collaborative()
    turn.say(
        _("Shared messages in {name} are written in {language}").format(
            name=collaborative.name, language=name_of(collaborative.language)
        ),
        _both(collaborative),
        _(
            "Each person reads their own messages in the language they choose with "
            "`me language`, else their platform's."
        ),
        _(
            "Coordinators change this with `language default cy|en` and "
            "`language shared both|default`."
        ),
    )


def language_default(turn: Turn, command: Command) -> None:
    """`language default cy|en` (coordinators)."""
    collaborative, _member = turn.require_coordinator(CHANGING)
    chosen = command.args["language"].strip().lower()
    if chosen not in LANGUAGES:
        raise Refusal(
            _("“{typed}” is not a language Concord speaks.").format(
                typed=clip(command.args["language"], 30)
            ),
            _("Type `language default cy` or `language default en`."),
        )
    was = collaborative.language
    if was != chosen:
        collaborative.language = chosen
        turn.audit(
            "settings",
            lambda: _(
                "set the language of shared messages: {language} (was {old_language})"
            ).format(language=_(NAMES[chosen]), old_language=_(NAMES.get(was, was))),
            language=chosen,
            was=was,
        )
    turn.say(
        _("Shared messages are written in {language}").format(language=name_of(chosen)),
        _both(collaborative),
    )


def language_shared(turn: Turn, command: Command) -> None:
    """`language shared both|default` (coordinators)."""
    collaborative, _member = turn.require_coordinator(CHANGING)
    way = command.args["way"].strip().lower()
    if way not in (BOTH, DEFAULT_ONLY):
        raise Refusal(
            _("“{typed}” is not a choice here.").format(typed=clip(command.args["way"], 30)),
            _("Type `language shared both` or `language shared default`."),
        )
    was = BOTH if collaborative.bilingual else DEFAULT_ONLY
    if was != way:
        collaborative.bilingual = way == BOTH
        turn.audit(
            "settings",
            lambda: _("set shared messages to go out in: `{way}` (was `{old_way}`)").format(
                way=way, old_way=was
            ),
            shared=way,
            was=was,
        )
    turn.say(_both(collaborative), _("Messages already posted change when they are next updated."))


def _both(collaborative: Collaborative) -> str:
    if collaborative.bilingual:
        return _("They go out in Welsh and English together.")
    return _("They go out in {language} only.").format(language=name_of(collaborative.language))


def _show(turn: Turn, heading: str) -> None:
    """Say which language the person reads and why, in that language."""
    collaborative, _member = turn.in_collaborative()
    spoken = _spoken(turn, collaborative)
    with speaking(spoken.language):
        turn.say(_(heading).format(language=name_of(spoken.language)), _(SOURCES[spoken.source]))


def _spoken(turn: Turn, collaborative: Collaborative) -> readers.Spoken:
    setting = readers.setting_of(turn.session, turn.actor)
    return readers.language_of(setting, turn.actor, collaborative)


def _choose(turn: Turn, chosen: str | None) -> None:
    """Write `chosen` (None: follow the platform) to every identity of the member who asked."""
    _collaborative, member = turn.in_collaborative()
    identities = turn.session.exec(select(Identity).where(Identity.member_id == member.id)).all()
    for identity in identities:
        setting = setting_for(
            turn.session, identity.platform, identity.tenant_id, identity.user_id, turn.now
        )
        setting.language, setting.updated_at = chosen, turn.now
        turn.session.add(setting)
    turn.session.flush()


def _key(turn: Turn) -> tuple[str, str, str]:
    return (turn.actor.platform, turn.actor.tenant_id, turn.actor.user_id)
