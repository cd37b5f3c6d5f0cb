"""Storing and reading xAPI statements for one integration's district, and turning completed
learning into entries in the matching educator's log."""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError
from trellis.credit.queries.renewal import district_today
from trellis.informal.models import EntrySource, InformalEntry, XapiIntegration, XapiStatement
from trellis.informal.services import counting
from trellis.informal.xapi.mapping import actor_ifi, actor_lookup, entry_draft, related_keys
from trellis.informal.xapi.validate import (
    VOIDED_VERB,
    StatementError,
    attachment_without_file_url,
    is_iri,
    is_uuid,
    parse_timestamp,
    validate_actor,
    validate_batch,
)

VERSION = "1.0.3"
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
# Properties the LRS sets or may normalise: ignored when comparing a resent statement.
_COMPARE_IGNORES = ("stored", "authority", "version", "id")


def _invalid(error: StatementError) -> DomainError:
    return DomainError("invalid_statement", str(error), details={"path": error.path})


def iso_moment(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _authority(integration: XapiIntegration, base_url: str) -> dict:
    return {
        "objectType": "Agent",
        "name": integration.name,
        "account": {"homePage": base_url, "name": integration.username},
    }


def _same(a: dict, b: dict) -> bool:
    def strip(value: dict) -> dict:
        return {k: v for k, v in value.items() if k not in _COMPARE_IGNORES}

    return strip(a) == strip(b)


def _educator_for(district: Any, actor: dict) -> Any:
    lookup = actor_lookup(actor)
    if lookup is None:
        return None
    # Accounts are matched by name against the e-mail address: Trellis keeps no other
    # identifier for educators (see docs/informal-learning.md).
    return (
        get_user_model()
        .objects.filter(
            email__iexact=lookup[1],
            is_active=True,
            memberships__district=district,
            memberships__is_active=True,
        )
        .distinct()
        .first()
    )


@transaction.atomic
def store_statements(
    *, integration: XapiIntegration, payload: Any, base_url: str, statement_id: str | None = None
) -> list[str]:
    """Check every statement, then store all of them or none. `statement_id` is the PUT form.
    Returns the ids in order. A resent identical statement is accepted and not stored twice."""
    try:
        batch = validate_batch(payload)
    except StatementError as error:
        raise _invalid(error) from None
    needs_data = attachment_without_file_url(batch)
    if needs_data:
        where = (
            needs_data if isinstance(payload, list) else needs_data.replace("[0]", "statement", 1)
        )
        raise DomainError(
            "attachment_data_not_stored",
            f"{where}: Trellis keeps attachment details and links but not attachment files; "
            "give the attachment a fileUrl where the file can be fetched.",
            details={"path": where},
        )
    if statement_id is not None:
        if not isinstance(payload, dict):
            raise DomainError("invalid_statement", "PUT takes one statement, not a list.")
        if not is_uuid(statement_id):
            raise DomainError("bad_parameter", "statementId must be a UUID.")
        if "id" in payload and payload["id"].lower() != statement_id.lower():
            raise DomainError("invalid_statement", "id: does not match the statementId parameter")
    district = integration.district
    now = timezone.now()
    ids: list[str] = []
    new_rows: list[tuple[dict, dict]] = []
    for index, received in enumerate(batch):
        where = f"[{index}]" if isinstance(payload, list) else "statement"
        sid = str(uuid.UUID(received.get("id") or statement_id or str(uuid.uuid4())))
        ids.append(sid)
        existing = XapiStatement.objects.filter(district=district, statement_id=sid).first()
        if existing is not None:
            if _same(existing.received, received):
                continue
            raise ConflictError(
                "statement_conflict",
                f"{where}: a different statement with the id {sid} is already stored",
            )
        if received["verb"]["id"] == VOIDED_VERB:
            target_id = received["object"]["id"].lower()
            target = XapiStatement.objects.filter(district=district, statement_id=target_id).first()
            if target is None:
                raise DomainError(
                    "invalid_statement",
                    f"{where}.object.id: no statement {target_id} to void was sent by this district's tools",
                )
            if target.voids_statement_id is not None:
                raise DomainError(
                    "invalid_statement", f"{where}.object.id: a voiding statement cannot be voided"
                )
        stored = copy.deepcopy(received)
        stored["id"] = sid
        stored["stored"] = iso_moment(now)
        stored["authority"] = _authority(integration, base_url)
        stored.setdefault("version", VERSION)
        stored.setdefault("timestamp", stored["stored"])
        new_rows.append((received, stored))
    created = 0
    for received, stored in new_rows:
        _store_one(integration, received, stored, now)
        created += 1
    if created:
        audit.record(
            action="informal.xapi.received",
            summary=f"Received {created} xAPI statement{'s' if created != 1 else ''} from “{integration.name}”",
            district=district,
            target=integration,
            data={"ids": ids[:50]},
        )
    return ids


def _store_one(
    integration: XapiIntegration, received: dict, stored: dict, now: dt.datetime
) -> None:
    district = integration.district
    target = stored["object"]
    voids = target["id"].lower() if stored["verb"]["id"] == VOIDED_VERB else None
    registration = (stored.get("context") or {}).get("registration")
    educator = _educator_for(district, stored["actor"])
    row = XapiStatement.objects.create(
        district=district,
        integration=integration,
        statement_id=stored["id"],
        received=received,
        statement=stored,
        actor_ifi=actor_ifi(stored["actor"])[:600],
        verb_id=stored["verb"]["id"][:500],
        activity_id=(target["id"] if target.get("objectType", "Activity") == "Activity" else "")[
            :2000
        ],
        registration=registration,
        related="\n" + "\n".join(related_keys(stored)) + "\n",
        stored_at=now,
        voids_statement_id=voids,
        educator=educator,
    )
    if voids is not None:
        _void(district, voids)
        return
    if educator is None:
        return
    draft, _why_not = entry_draft(stored, stored=now, today=district_today(district))
    if draft is None:
        return
    entry = InformalEntry.objects.create(
        district=district,
        educator=educator,
        title=draft.title,
        url=draft.url,
        minutes=draft.minutes,
        format=draft.format,
        learned_on=draft.learned_on,
        source=EntrySource.XAPI,
        statement=row,
    )
    counting.count_entry(entry)


def _void(district: Any, statement_id: str) -> None:
    target = XapiStatement.objects.select_for_update().get(
        district=district, statement_id=statement_id
    )
    target.voided = True
    target.save(update_fields=["voided", "updated_at"])
    entry = InformalEntry.objects.filter(statement=target).first()
    if entry is None:
        return
    award = counting.award_for(entry)
    if award is not None and award.revoked_at is None:
        # Credit is final; a credit manager decides whether to revoke it.
        entry.credit_note = (
            "The learning tool withdrew (voided) the statement behind this entry; the credit "
            "stays until a credit manager revokes it."
        )
        entry.save(update_fields=["credit_note", "updated_at"])
    else:
        entry.delete()


# ------------------------------------------------------------------------------------------
# reading
# ------------------------------------------------------------------------------------------

FILTERS = frozenset(
    {"statementId", "voidedStatementId", "agent", "verb", "activity", "registration",
     "related_activities", "related_agents", "since", "until", "limit", "format",
     "attachments", "ascending", "cursor"}
)  # fmt: skip


def _bool(params: dict, name: str) -> bool:
    value = params.get(name, "false").lower()
    if value not in ("true", "false"):
        raise DomainError("bad_parameter", f"{name} must be true or false.")
    return value == "true"


def _moment(params: dict, name: str) -> dt.datetime | None:
    if name not in params:
        return None
    try:
        return parse_timestamp(params[name])
    except ValueError:
        raise DomainError("bad_parameter", f"{name} must be an ISO 8601 date and time.") from None


def _shaped(statement: dict, shape: str) -> dict:
    if shape != "ids":
        return statement
    result = copy.deepcopy(statement)

    def ids_only(node: Any) -> Any:
        if isinstance(node, dict):
            if "verb" in node or "actor" in node:
                return {k: ids_only(v) for k, v in node.items()}
            if node.get("objectType") in ("Agent", "Group") or any(
                k in node for k in ("mbox", "mbox_sha1sum", "openid", "account")
            ):
                return {
                    k: v
                    for k, v in node.items()
                    if k in ("objectType", "mbox", "mbox_sha1sum", "openid", "account", "member")
                }
            if (
                node.get("objectType", "Activity") == "Activity"
                and "id" in node
                and "definition" in node
            ):
                return {"objectType": "Activity", "id": node["id"]}
            return {k: ids_only(v) for k, v in node.items()}
        if isinstance(node, list):
            return [ids_only(v) for v in node]
        return node

    result["actor"] = ids_only(result["actor"])
    result["object"] = ids_only(result["object"])
    if "display" in result.get("verb", {}):
        result["verb"] = {"id": result["verb"]["id"]}
    return result


def read_statements(*, integration: XapiIntegration, params: dict[str, str]) -> dict:
    """One statement (statementId / voidedStatementId) or a page {"statements", "more"}."""
    unknown = sorted(set(params) - FILTERS)
    if unknown:
        raise DomainError("bad_parameter", f"Unknown parameter “{unknown[0]}”.")
    shape = params.get("format", "exact")
    if shape not in ("ids", "exact", "canonical"):
        raise DomainError("bad_parameter", "format must be ids, exact or canonical.")
    _bool(params, "attachments")
    rows = XapiStatement.objects.filter(district=integration.district)
    single = [name for name in ("statementId", "voidedStatementId") if name in params]
    if single:
        others = set(params) - {"format", "attachments", *single}
        if len(single) > 1 or others:
            raise DomainError(
                "bad_parameter",
                "statementId and voidedStatementId cannot be combined with other filters.",
            )
        value = params[single[0]]
        if not is_uuid(value):
            raise DomainError("bad_parameter", f"{single[0]} must be a UUID.")
        found = rows.filter(
            statement_id=value.lower(), voided=single[0] == "voidedStatementId"
        ).first()
        if found is None:
            raise Http404("No such statement.")
        return _shaped(found.statement, shape)
    rows = rows.filter(voided=False)
    if "agent" in params:
        try:
            agent = json.loads(params["agent"])
            validate_actor(agent, "agent")
        except (ValueError, StatementError) as error:
            raise DomainError(
                "bad_parameter", f"agent must be an Agent or Group as JSON ({error})."
            ) from None
        ifi = actor_ifi(agent)
        if _bool(params, "related_agents"):
            rows = rows.filter(related__contains=f"\n{ifi}\n")
        else:
            rows = rows.filter(actor_ifi=ifi)
    if "verb" in params:
        if not is_iri(params["verb"]):
            raise DomainError("bad_parameter", "verb must be an IRI.")
        rows = rows.filter(verb_id=params["verb"])
    if "activity" in params:
        if not is_iri(params["activity"]):
            raise DomainError("bad_parameter", "activity must be an IRI.")
        if _bool(params, "related_activities"):
            rows = rows.filter(related__contains=f"\nactivity:{params['activity']}\n")
        else:
            rows = rows.filter(activity_id=params["activity"])
    if "registration" in params:
        if not is_uuid(params["registration"]):
            raise DomainError("bad_parameter", "registration must be a UUID.")
        rows = rows.filter(registration=params["registration"])
    since, until = _moment(params, "since"), _moment(params, "until")
    if since:
        rows = rows.filter(stored_at__gt=since)
    if until:
        rows = rows.filter(stored_at__lte=until)
    try:
        limit = int(params.get("limit", DEFAULT_LIMIT))
    except ValueError:
        raise DomainError("bad_parameter", "limit must be a whole number.") from None
    if limit < 0:
        raise DomainError("bad_parameter", "limit must not be negative.")
    limit = MAX_LIMIT if limit == 0 else min(limit, MAX_LIMIT)
    ascending = _bool(params, "ascending")
    if "cursor" in params:
        try:
            cursor = int(params["cursor"])
        except ValueError:
            raise DomainError("bad_parameter", "cursor must come from a “more” link.") from None
        rows = rows.filter(pk__gt=cursor) if ascending else rows.filter(pk__lt=cursor)
    rows = rows.order_by("pk" if ascending else "-pk")
    page = list(rows.values_list("pk", "statement")[: limit + 1])
    more = ""
    if len(page) > limit:
        page = page[:limit]
        rest = {k: v for k, v in params.items() if k != "cursor"}
        more = "/xapi/statements?" + urlencode({**rest, "cursor": page[-1][0]})
    return {"statements": [_shaped(statement, shape) for _, statement in page], "more": more}
