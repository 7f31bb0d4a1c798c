"""What Concord stores about people: every table, the columns that can hold personal data,
why, and how long.

One declaration serves everything that must know where a person is: `me export` gathers
from it, `me forget` and the retention job clear what it names, and `docs/data.md` (what a
data protection officer asks for first) is generated from it. `tests/storage/
test_personal_data.py` fails when a table or column is added without being declared here,
so nothing personal can be stored unseen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What a personal column holds."""

    PERSON = "a member's id: links the row to a person"
    ACCOUNT = "a platform account id (Slack user, Teams user or the playground's name)"
    NAME = "a person's name as their platform shows it"
    WRITTEN = "words a person wrote"
    CHOICE = "how a person voted or answered"
    SETTING = "a choice a person made for themselves"
    COPY = "a copy of a message or file, which can quote names and written words"


@dataclass(frozen=True)
class Personal:
    kind: Kind
    why: str


@dataclass(frozen=True)
class TableUse:
    """One table: what it is for, how long its rows are kept, its personal columns and,
    named so none is missed, every other column."""

    purpose: str
    kept: str
    personal: dict[str, Personal] = field(default_factory=dict)
    other: str = ""

    def columns(self) -> set[str]:
        return set(self.personal) | set(self.other.split())


UNTIL_LEFT = "until the person is removed with `--forget` or asks `me forget`"
WITH_COLLABORATIVE = "as long as the collaborative (removed with it)"
FREE_TEXT = "the collaborative's free-text retention (default 24 months), or until `me forget`"
CLOSED_POLLS = "the collaborative's closed-poll retention (default 6 years) after the close"

P, K = Personal, Kind

TABLES: dict[str, TableUse] = {
    "collaborative": TableUse(
        "the partnership itself and how it decides",
        WITH_COLLABORATIVE,
        {"decider_id": P(K.PERSON, "the member who records delegated decisions")},
        "id name timezone require_organisation newcomer_role governance purpose_rule"
        " created_at retention_free_text_months retention_closed_poll_months forgotten_text"
        " language bilingual",
    ),
    "channel": TableUse(
        "the Slack and Teams channels a collaborative is linked to",
        WITH_COLLABORATIVE,
        other="id collaborative_id platform tenant_id channel_id name delivery created_at",
    ),
    "organisation": TableUse(
        "the partner organisations",
        WITH_COLLABORATIVE,
        other="id collaborative_id name name_key created_at",
    ),
    "organisationhome": TableUse(
        "which Teams tenant or Slack workspace belongs to which organisation",
        WITH_COLLABORATIVE,
        other="id collaborative_id organisation_id platform tenant_id created_at",
    ),
    "member": TableUse(
        "who takes part, with their role and organisation",
        UNTIL_LEFT,
        {"display_name": P(K.NAME, "to say who voted, proposed or acted")},
        "id collaborative_id organisation_id role role_chosen reminders_muted created_at",
    ),
    "identity": TableUse(
        "how each platform knows a member",
        UNTIL_LEFT,
        {"user_id": P(K.ACCOUNT, "to recognise the person when they write or click")},
        "id collaborative_id member_id platform tenant_id",
    ),
    "linkcode": TableUse(
        "one-time codes that join another channel (only a hash is kept)",
        "until used or expired, then with the collaborative",
        {"created_by": P(K.PERSON, "who made the code")},
        "id collaborative_id code_hash expires_at used_at",
    ),
    "personsetting": TableUse(
        "a person's own time zone, language and digest choice",
        UNTIL_LEFT,
        {
            "user_id": P(K.ACCOUNT, "the account the settings belong to"),
            "timezone": P(K.SETTING, "to show times in the person's own zone"),
            "platform_timezone": P(K.SETTING, "the zone their platform reported"),
            "language": P(K.SETTING, "to write to the person in the language they chose"),
            "platform_language": P(K.SETTING, "the language their platform reported"),
            "digest": P(K.SETTING, "how often they want the digest"),
        },
        "id platform tenant_id digest_next_at updated_at",
    ),
    "checkinschedule": TableUse(
        "recurring check-ins and their questions",
        WITH_COLLABORATIVE,
        {"created_by": P(K.PERSON, "the coordinator who set it up")},
        "id collaborative_id number recurrence rule timezone questions window_seconds"
        " skip_dates status next_run_at each_in_own_timezone created_at",
    ),
    "checkinrun": TableUse(
        "each occurrence of a check-in",
        WITH_COLLABORATIVE,
        other="id schedule_id occurrence_key due_at status opened_at closes_at closed_at"
        " chart_token",
    ),
    "checkinanswer": TableUse(
        "check-in answers",
        FREE_TEXT,
        {
            "member_id": P(K.PERSON, "one answer per person, and their own trend"),
            "value": P(K.CHOICE, "the score they gave"),
            "text": P(K.WRITTEN, "what they wrote"),
        },
        "id run_id organisation_id question answered_at",
    ),
    "checkinprompt": TableUse(
        "private check-in prompts sent at each person's own time",
        WITH_COLLABORATIVE,
        {
            "member_id": P(K.PERSON, "who is prompted"),
            "zone": P(K.SETTING, "the zone their prompt was timed in"),
        },
        "id schedule_id run_id occurrence_key zone_source due_at status sent_at",
    ),
    "outbox": TableUse(
        "messages waiting to be delivered",
        "until delivered, then cleared with the collaborative",
        {
            "lane": P(K.ACCOUNT, "names who a private message is for, so it reaches them"),
            "effect": P(K.COPY, "the message itself, kept until the platform has taken it"),
        },
        "id collaborative_id message_key status attempts created_at available_at lease_owner"
        " lease_until attempted_at sent_at error",
    ),
    "deliverylane": TableUse(
        "rate-limit state per delivery lane",
        "as long as the lane is used",
        {
            "lane": P(
                K.ACCOUNT, "names who receives private messages, to pace them as the platform asks"
            )
        },
        "buckets updated_at",
    ),
    "postedmessage": TableUse(
        "which platform message shows which Concord message",
        WITH_COLLABORATIVE,
        other="id key channel_id platform_ref created_at updated_at",
    ),
    "processedevent": TableUse(
        "platform events already handled, so retries are absorbed",
        "a day",
        other="id platform event_id processed_at",
    ),
    "deputy": TableUse(
        "deputies named to vote for a member",
        UNTIL_LEFT,
        {
            "member_id": P(K.PERSON, "who named a deputy"),
            "deputy_id": P(K.PERSON, "who may vote for them"),
        },
        "id collaborative_id until status current created_at accepted_at ended_at",
    ),
    "poll": TableUse(
        "polls",
        CLOSED_POLLS,
        {"created_by": P(K.PERSON, "the poll's coordinator")},
        "id collaborative_id number question type settings status created_at closes_at"
        " closed_at chart_token reminded_at description notice earlier_closed_at opens_at"
        " remind_after scheduled_from",
    ),
    "polldraft": TableUse(
        "poll commands shown to their author before posting",
        FREE_TEXT,
        {
            "member_id": P(K.PERSON, "the author"),
            "text": P(K.WRITTEN, "what they typed"),
        },
        "id collaborative_id created_at outcome",
    ),
    "polloption": TableUse(
        "the options of each poll",
        CLOSED_POLLS,
        other="id poll_id position label",
    ),
    "ballot": TableUse(
        "votes (an anonymous ballot has no member and no time)",
        CLOSED_POLLS,
        {
            "member_id": P(K.PERSON, "whose vote it is (empty when anonymous)"),
            "choices": P(K.CHOICE, "the vote, with any reason written for an objection"),
            "cast_by": P(K.PERSON, "the deputy who cast it"),
        },
        # receipt: a random code only the voter was shown; nothing here links it to them.
        "id poll_id organisation_id latest cast_at receipt",
    ),
    "participation": TableUse(
        "who voted (never how), for reminders and turnout",
        CLOSED_POLLS,
        {"member_id": P(K.PERSON, "who voted")},
        "id poll_id first_voted_at",
    ),
    "pollremindermute": TableUse(
        "people who asked for no more reminders about a poll",
        CLOSED_POLLS,
        {"member_id": P(K.PERSON, "who asked")},
        "id poll_id",
    ),
    "auditentry": TableUse(
        "the decision log",
        "as long as the collaborative: it is the partnership's record",
        {
            "actor_member_id": P(K.PERSON, "who acted"),
            "actor_name": P(K.NAME, "who acted, as the log says it"),
            "summary": P(K.COPY, "what was done, which can name people"),
            "details": P(K.COPY, "the figures behind it, which can name people"),
            "detail": P(K.COPY, "the same, for machines"),
        },
        "id collaborative_id at action seq prev_hash hash salt seal",
    ),
    "timer": TableUse(
        "things due later: deadlines, reminders",
        "until done",
        other="id collaborative_id kind subject_id key due_at status done_at",
    ),
    "export": TableUse(
        "export files made for one member",
        "until the download link expires",
        {
            "member_id": P(K.PERSON, "who asked for it"),
            "content": P(K.COPY, "the file, which can hold names and votes"),
        },
        "id token collaborative_id filename media_type created_at expires_at",
    ),
    "playgroundmessage": TableUse(
        "the local playground's transcript (never used with Slack or Teams)",
        "until the playground is reset",
        {
            "user_id": P(K.ACCOUNT, "who a private message was for"),
            "card": P(K.COPY, "the message shown"),
        },
        "id ref channel_id at",
    ),
    "review": TableUse(
        "dates to ask whether a decision still stands",
        WITH_COLLABORATIVE,
        {
            "set_by": P(K.PERSON, "who set the review"),
            "decided_by": P(K.PERSON, "who answered it"),
        },
        "id collaborative_id poll_id round_id due_at set_at posted_at outcome decided_at",
    ),
    "purposeround": TableUse(
        "purpose rounds",
        WITH_COLLABORATIVE,
        {"created_by": P(K.PERSON, "who started the round")},
        "id collaborative_id number stage running prompts settings history stage_ends_at"
        " current_poll_id revisions draft purpose ended_at created_at",
    ),
    "proposalgroup": TableUse(
        "themes of proposals in a purpose round",
        WITH_COLLABORATIVE,
        other="id round_id position title draft shortlisted",
    ),
    "proposal": TableUse(
        "proposed purpose statements",
        FREE_TEXT,
        {
            "member_id": P(K.PERSON, "the author"),
            "text": P(K.WRITTEN, "the statement they proposed"),
        },
        "id round_id organisation_id group_id created_at updated_at",
    ),
    "pollseries": TableUse(
        "recurring polls",
        WITH_COLLABORATIVE,
        {"created_by": P(K.PERSON, "the coordinator who set it up")},
        "id collaborative_id number definition recurrence rule timezone closes_after status"
        " next_run_at created_at",
    ),
    "pollseriesrun": TableUse(
        "each occurrence of a recurring poll",
        WITH_COLLABORATIVE,
        other="id series_id occurrence_key due_at status poll_id",
    ),
    "polltemplate": TableUse(
        "saved poll templates",
        WITH_COLLABORATIVE,
        other="id collaborative_id name name_key values saved_from created_at",
    ),
}

# Tables a library keeps in the same database, outside Concord's models and migrations:
# slack_sdk's OAuth stores, created only when workspaces install Concord through Slack's
# OAuth flow (SLACK_CLIENT_ID set). Declared so `docs/data.md` shows them too; a test in
# tests/adapters/slack checks these columns against slack_sdk's own tables.
LIBRARY_TABLES: dict[str, TableUse] = {
    "slack_installations": TableUse(
        "Slack workspaces that installed Concord, with the workspace's access tokens",
        "until the workspace uninstalls Concord",
        {
            "user_id": P(
                K.ACCOUNT,
                "the Slack user who installed Concord, as Slack reports it (cleared by their"
                " `me forget`)",
            )
        },
        "id client_id app_id enterprise_id enterprise_name enterprise_url team_id team_name"
        " bot_token bot_id bot_user_id bot_scopes bot_refresh_token bot_token_expires_at"
        " user_token user_scopes user_refresh_token user_token_expires_at incoming_webhook_url"
        " incoming_webhook_channel incoming_webhook_channel_id"
        " incoming_webhook_configuration_url is_enterprise_install token_type installed_at",
    ),
    "slack_bots": TableUse(
        "each workspace's bot token, to post there",
        "until the workspace uninstalls Concord",
        other="id client_id app_id enterprise_id enterprise_name team_id team_name bot_token"
        " bot_id bot_user_id bot_scopes bot_refresh_token bot_token_expires_at"
        " is_enterprise_install installed_at",
    ),
    "slack_oauth_states": TableUse(
        "one-time values that protect an installation in progress",
        "until used (an unused one stops working after ten minutes)",
        other="id state expire_at",
    ),
}


def personal_columns(kind: Kind) -> list[tuple[str, str]]:
    """Every (table, column) holding this kind of personal data."""
    return [
        (table, column)
        for table, use in TABLES.items()
        for column, personal in use.personal.items()
        if personal.kind is kind
    ]
