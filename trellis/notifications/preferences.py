"""How each kind of notice reaches a person by default, which kinds may not be switched off, and
the one-query lookup of a person's choice."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from trellis.notifications.models import Channel, Kind, NotificationPreference

# Time-sensitive or about the person's own requests and work: e-mailed at once. `general` too,
# because callers that have not yet named a kind were e-mailing before notifications existed.
DEFAULTS: dict[str, str] = {
    Kind.APPROVAL_WAITING: Channel.IN_APP_AND_EMAIL,
    Kind.DECISION: Channel.IN_APP_AND_EMAIL,
    Kind.ASSESSOR_ASSIGNMENT: Channel.IN_APP_AND_EMAIL,
    Kind.ASSESSMENT_OVERDUE: Channel.IN_APP_AND_EMAIL,
    Kind.SUBMISSION_OUTCOME: Channel.IN_APP_AND_EMAIL,
    Kind.SESSION_UPCOMING: Channel.IN_APP_AND_EMAIL,
    Kind.RENEWAL_DEADLINE: Channel.IN_APP_AND_EMAIL,
    Kind.CREDENTIAL_ISSUED: Channel.IN_APP_AND_EMAIL,
    Kind.PROPOSAL_OUTCOME: Channel.IN_APP_AND_EMAIL,
    Kind.REQUEST_UPDATE: Channel.DIGEST_ONLY,
    Kind.GENERAL: Channel.IN_APP_AND_EMAIL,
}

# Work waiting for the person, or outcomes and deadlines with consequences for them: these can
# move to the digest or to Trellis only, but never disappear entirely.
MUST_KNOW: frozenset[str] = frozenset(
    {
        Kind.APPROVAL_WAITING,
        Kind.DECISION,
        Kind.ASSESSOR_ASSIGNMENT,
        Kind.ASSESSMENT_OVERDUE,
        Kind.SUBMISSION_OUTCOME,
        Kind.RENEWAL_DEADLINE,
    }
)

HELP: dict[str, str] = {
    Kind.APPROVAL_WAITING: "Someone asks to take part in learning and you decide.",
    Kind.DECISION: "Your requests are approved, declined, waitlisted or you are enrolled.",
    Kind.ASSESSOR_ASSIGNMENT: "A micro-credential submission is assigned to you to score.",
    Kind.ASSESSMENT_OVERDUE: "An assessment is overdue or has no assessor.",
    Kind.SUBMISSION_OUTCOME: "Your micro-credential submissions are scored or earned.",
    Kind.SESSION_UPCOMING: "Sessions you are enrolled in are coming up, moved or cancelled.",
    Kind.RENEWAL_DEADLINE: "Your licence renewal deadline is near and credit is still missing.",
    Kind.CREDENTIAL_ISSUED: "A verifiable credential is issued to you.",
    Kind.PROPOSAL_OUTCOME: "Decisions on your learning proposals and reviews.",
    Kind.REQUEST_UPDATE: "Topic requests you made or support change status.",
    Kind.GENERAL: "Anything else, such as completions and follow-up surveys.",
}


def default_channel(kind: str) -> str:
    return DEFAULTS.get(kind, Channel.IN_APP_AND_EMAIL)


def allowed_channels(kind: str) -> list[str]:
    channels = [choice.value for choice in Channel]
    if kind in MUST_KNOW:
        channels.remove(Channel.OFF)
    return channels


def channel_for(user: Any, district: Any, kind: str) -> str:
    """The person's channel for the kind: their choice for this district, else their choice for
    everywhere, else the default. One query."""
    rows = dict(
        NotificationPreference.objects.filter(user=user, kind=kind)
        .filter(Q(district=district) | Q(district__isnull=True) if district else Q(district=None))
        .values_list("district_id", "channel")
    )
    district_id = getattr(district, "pk", None)
    channel = rows.get(district_id) or rows.get(None) or default_channel(kind)
    if channel == Channel.OFF and kind in MUST_KNOW:  # a row written before the rule changed
        return Channel.IN_APP_ONLY
    return channel


def channels_for(user: Any, district: Any) -> dict[str, str]:
    """Every kind's channel for the person in the district (the preferences page). One query."""
    rows = NotificationPreference.objects.filter(user=user).filter(
        Q(district=district) | Q(district__isnull=True) if district else Q(district=None)
    )
    anywhere: dict[str, str] = {}
    here: dict[str, str] = {}
    for row in rows:
        (here if row.district_id else anywhere)[row.kind] = row.channel
    result = {}
    for kind in Kind:
        channel = here.get(kind) or anywhere.get(kind) or default_channel(kind)
        if channel == Channel.OFF and kind in MUST_KNOW:
            channel = Channel.IN_APP_ONLY
        result[kind.value] = channel
    return result
