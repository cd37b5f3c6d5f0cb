"""Approval chains: the district's default chain, configuring the chain, and starting the chain
of one request (its approval steps).

A district that never configured a chain gets the default one on first use (saved by
`ensure_default_chain`): its principal when the offering costs money or takes class time, then
the PD office when it costs money. Once a chain was saved (by the default or by an admin), an
empty chain means every request is approved automatically. Changing the chain never changes
requests already in flight: their steps were fixed when they started.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from trellis.audit import services as audit
from trellis.catalog.models import (
    ApprovalCondition,
    ApprovalRule,
    ApprovalStep,
    ApproverKind,
    Enrollment,
    EnrollmentStatus,
)
from trellis.catalog.queries.approvals import (
    CHAIN_UPDATED,
    DEFAULT_CHAIN,
    RuleSpec,
    chain_configured,
    chain_rules,
    effective_rules,
    plan_steps,
    principal_school,
)
from trellis.core.errors import DomainError, PermissionDenied
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess

MAX_RULES = 10
MAX_DAYS_TO_DECIDE = 60


def _describe(rules: Iterable[Any]) -> list[dict[str, Any]]:
    return [
        {"approver": r.approver, "condition": r.condition, "days_to_decide": r.days_to_decide}
        for r in rules
    ]


@transaction.atomic
def ensure_default_chain(district: Any) -> list[ApprovalRule]:
    """The district's rules, saving the default chain first when it never had one.

    Call it before taking any row lock (it may insert), so two first requests never deadlock;
    when two of them race, the loser's insert fails on the position constraint and it reads the
    winner's rules.
    """
    rules = chain_rules(district)
    if rules or chain_configured(district):
        return rules
    try:
        with transaction.atomic():
            rules = [
                ApprovalRule.objects.create(
                    district=district,
                    position=position,
                    approver=approver,
                    condition=condition,
                    days_to_decide=days,
                )
                for position, (approver, condition, days) in enumerate(DEFAULT_CHAIN, start=1)
            ]
            audit.record(
                action=CHAIN_UPDATED,
                summary="The default approval chain was set up: the principal when an offering "
                "costs money or takes class time, then the PD office when it costs money",
                district=district,
                data={"before": [], "after": _describe(rules), "default": True},
            )
    except IntegrityError:
        return chain_rules(district)
    return rules


def _clean_rule(index: int, rule: Any) -> RuleSpec:
    where = f"Rule {index}"
    try:
        approver, condition, days = rule
    except (TypeError, ValueError):
        raise DomainError(
            "invalid_rule",
            f"{where}: give an approver, a condition and the days to decide.",
            details={"field": "rules"},
        ) from None
    approver, condition = str(approver or "").strip(), str(condition or "").strip()
    if approver not in ApproverKind.values:
        raise DomainError(
            "unknown_approver",
            f"{where}: choose who approves ({', '.join(ApproverKind.values)}).",
            details={"field": "rules"},
        )
    if condition not in ApprovalCondition.values:
        raise DomainError(
            "unknown_condition",
            f"{where}: choose when the rule applies ({', '.join(ApprovalCondition.values)}).",
            details={"field": "rules"},
        )
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_DAYS_TO_DECIDE:
        raise DomainError(
            "invalid_days",
            f"{where}: the days to decide must be a whole number from 1 to {MAX_DAYS_TO_DECIDE}.",
            details={"field": "rules"},
        )
    return RuleSpec(approver, condition, days)


@transaction.atomic
def set_approval_chain(
    *, access: DistrictAccess, actor: Any, rules: list[tuple[str, str, int]]
) -> list[ApprovalRule]:
    """Replace the district's chain with `rules` (approver, condition, days to decide) in order.

    An empty list is allowed: every request is then approved automatically.
    """
    if not access.can(Perm.MANAGE_CREDIT):
        raise PermissionDenied("Only a district PD leader can change the approval chain.")
    rules = list(rules)
    if len(rules) > MAX_RULES:
        raise DomainError(
            "too_many_rules",
            f"A chain has at most {MAX_RULES} rules ({len(rules)} given).",
            details={"field": "rules"},
        )
    cleaned = [_clean_rule(i, rule) for i, rule in enumerate(rules, start=1)]
    seen: set[tuple[str, str]] = set()
    for i, spec in enumerate(cleaned, start=1):
        if (spec.approver, spec.condition) in seen:
            raise DomainError(
                "duplicate_rule",
                f"Rule {i} repeats an earlier rule ({ApproverKind(spec.approver).label}, "
                f"{ApprovalCondition(spec.condition).label.lower()}).",
                details={"field": "rules"},
            )
        seen.add((spec.approver, spec.condition))
    district = access.district
    before = chain_rules(district)
    if _describe(before) == _describe(cleaned) and chain_configured(district):
        return before
    ApprovalRule.objects.filter(district=district).delete()
    saved = [
        ApprovalRule.objects.create(
            district=district,
            position=position,
            approver=spec.approver,
            condition=spec.condition,
            days_to_decide=spec.days_to_decide,
        )
        for position, spec in enumerate(cleaned, start=1)
    ]
    audit.record(
        action=CHAIN_UPDATED,
        summary=f"{actor.email} set the approval chain ({len(saved)} rule(s))"
        if saved
        else f"{actor.email} emptied the approval chain: requests are approved automatically",
        actor=actor,
        district=district,
        data={"before": _describe(before), "after": _describe(saved)},
    )
    return saved


def start_approval(enrollment: Enrollment, *, now: dt.datetime) -> list[ApprovalStep]:
    """Give a seated request its status and its approval steps (the first one pending):
    PENDING_APPROVAL when a rule applies, ENROLLED at once when none does. Saves the enrolment
    (creating it when new); the caller holds the capacity lock."""
    district = enrollment.district
    planned = plan_steps(
        effective_rules(district),
        enrollment.offering,
        principal_school(district, enrollment.educator, enrollment.school),
    )
    if planned:
        enrollment.status = EnrollmentStatus.PENDING_APPROVAL
    else:
        enrollment.status = EnrollmentStatus.ENROLLED
        enrollment.decided_at = now
    if enrollment.pk is None:
        enrollment.save()
    else:
        enrollment.save(update_fields=["status", "decided_at", "updated_at"])
    return [
        ApprovalStep.objects.create(
            enrollment=enrollment,
            position=position,
            approver=step.approver,
            school=step.school,
            reason_required=step.reason_required,
            status=ApprovalStep.Status.PENDING if position == 1 else ApprovalStep.Status.WAITING,
            due_at=now + dt.timedelta(days=step.days_to_decide) if position == 1 else None,
        )
        for position, step in enumerate(planned, start=1)
    ]
