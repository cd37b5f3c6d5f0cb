"""Imported credentials counted toward credit (credit managers): the district's rule, the
verified imports awaiting review, and counting or declining one. See docs/credentials.md."""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from trellis.api.v1.common import ErrorOut, require
from trellis.credit.models import CreditSettings
from trellis.credit.rules.wording import number
from trellis.credit.services import imported
from trellis.districts.permissions import Perm

router = Router(tags=["credit"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ImportedRuleIn(Schema):
    hours_each: str | None = None  # empty or null: imported credentials do not count
    cap_hours: str | None = None  # per school year; empty or null: no cap


class ImportedRuleOut(Schema):
    hours_each: str | None
    cap_hours: str | None
    description: str


class AwaitingOut(Schema):
    id: uuid.UUID
    educator_name: str
    educator_email: str
    achievement_name: str
    issuer_name: str
    issued_on: dt.datetime | None


class DeclineIn(Schema):
    reason: str = ""  # required: the educator is told it


class DeclineOut(Schema):
    badge_id: uuid.UUID
    educator_email: str
    achievement_name: str
    reason: str
    declined_at: dt.datetime


class ImportedCreditOut(Schema):
    award_id: uuid.UUID
    educator_email: str
    title: str
    hours: str
    completed_on: dt.date


def _rule_out(row: CreditSettings | None) -> ImportedRuleOut:
    each = row.imported_credential_hours if row else None
    cap = row.imported_credential_cap_hours if row else None
    return ImportedRuleOut(
        hours_each=number(each) if each is not None else None,
        cap_hours=number(cap) if cap is not None else None,
        description=imported.describe_rule(row),
    )


@router.get("/credit/imported-credentials/rule", response={200: ImportedRuleOut, **ERRORS})
def get_rule(request: HttpRequest) -> ImportedRuleOut:
    access = require(request, Perm.MANAGE_CREDIT)
    return _rule_out(CreditSettings.objects.filter(district=access.district).first())


@router.put("/credit/imported-credentials/rule", response={200: ImportedRuleOut, **ERRORS})
def put_rule(request: HttpRequest, payload: ImportedRuleIn) -> ImportedRuleOut:
    """Hours each verified imported credential counts for, and the yearly cap (400 for a bad
    number, or a cap without hours)."""
    access = require(request, Perm.MANAGE_CREDIT)
    row = imported.set_imported_credential_rule(
        access=access,
        actor=request.user,
        hours_each=payload.hours_each,
        cap_hours=payload.cap_hours,
    )
    return _rule_out(row)


@router.get("/credit/imported-credentials", response={200: list[AwaitingOut], **ERRORS})
def awaiting(request: HttpRequest) -> Any:
    """The district's verified imports awaiting review (neither counted nor declined), oldest
    first."""
    access = require(request, Perm.MANAGE_CREDIT)
    return [
        AwaitingOut(
            id=badge.public_id,
            educator_name=badge.owner.full_name,
            educator_email=badge.owner.email,
            achievement_name=badge.achievement_name,
            issuer_name=badge.issuer_name,
            issued_on=badge.issued_on,
        )
        for badge in imported.awaiting_review(access)
    ]


@router.post(
    "/credit/imported-credentials/{badge_id}/count", response={201: ImportedCreditOut, **ERRORS}
)
def count(request: HttpRequest, badge_id: uuid.UUID) -> tuple[int, ImportedCreditOut]:
    """Count a verified import: 400 `imported_credit_off` / `import_not_verified`, 404 for
    another district's import, 409 `already_counted` / `already_declined` / `cap_reached`."""
    access = require(request, Perm.MANAGE_CREDIT)
    award = imported.count_imported_credential(
        access=access, actor=request.user, badge_public_id=badge_id
    )
    return 201, ImportedCreditOut(
        award_id=award.public_id,
        educator_email=award.educator.email,
        title=award.title,
        hours=number(award.hours),
        completed_on=award.completed_on,
    )


@router.post(
    "/credit/imported-credentials/{badge_id}/decline", response={201: DeclineOut, **ERRORS}
)
def decline(request: HttpRequest, badge_id: uuid.UUID, payload: DeclineIn) -> tuple[int, Any]:
    """Take a verified import out of the review queue without counting it; its owner is told
    the reason. 400 `reason_required` / `reason_too_long` / `import_not_verified`, 404 for
    another district's import, 409 `already_counted` / `already_declined`."""
    access = require(request, Perm.MANAGE_CREDIT)
    row = imported.decline_imported_credential(
        access=access, actor=request.user, badge_public_id=badge_id, reason=payload.reason
    )
    return 201, DeclineOut(
        badge_id=row.badge.public_id,
        educator_email=row.badge.owner.email,
        achievement_name=row.badge.achievement_name,
        reason=row.reason,
        declined_at=row.created_at,
    )
