"""Reads about approval chains: which rules apply to a request, who may decide a step, and the
approver inbox.

Who decides what (one rule, used by the inbox, the services and the notifications):

- a *principal* step belongs to the approvers whose active approver membership is at the step's
  school (the educator's school when they asked);
- a *PD office* step belongs to the district admins and to approvers without a school.

Nobody ever decides their own request.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from trellis.audit.models import AuditEvent
from trellis.catalog.models import (
    ApprovalCondition,
    ApprovalRule,
    ApprovalStep,
    ApproverKind,
    Offering,
)
from trellis.core.ids import public_id_or_404
from trellis.districts.models import Membership, Role, School
from trellis.districts.queries import DistrictAccess

# The audit action that marks a district's chain as configured (by an admin or by the default):
# from then on an empty chain means "approve everything automatically", not "use the default".
CHAIN_UPDATED = "approval_chain.updated"
DEFAULT_DAYS_TO_DECIDE = 5
# The chain a district gets on first use: its principal when the offering costs money or takes
# class time, then the PD office when it costs money.
DEFAULT_CHAIN: tuple[tuple[str, str, int], ...] = (
    (ApproverKind.PRINCIPAL, ApprovalCondition.COST_OR_SCHOOL_HOURS, DEFAULT_DAYS_TO_DECIDE),
    (ApproverKind.PD_OFFICE, ApprovalCondition.COSTS_MONEY, DEFAULT_DAYS_TO_DECIDE),
)


@dataclass(frozen=True)
class RuleSpec:
    approver: str
    condition: str
    days_to_decide: int


@dataclass(frozen=True)
class PlannedStep:
    approver: str
    school: School | None
    reason_required: str
    days_to_decide: int


def money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def condition_applies(condition: str, offering: Offering) -> bool:
    costs = offering.cost > 0
    if condition == ApprovalCondition.ALWAYS:
        return True
    if condition == ApprovalCondition.COSTS_MONEY:
        return costs
    if condition == ApprovalCondition.SCHOOL_HOURS:
        return offering.during_school_hours
    if condition == ApprovalCondition.COST_OR_SCHOOL_HOURS:
        return costs or offering.during_school_hours
    return False


def condition_reason(condition: str, offering: Offering) -> str:
    """Why a rule applies to this offering, for people: "it costs $120.00"."""
    costs = f"it costs {money(offering.cost)}"
    hours = "it takes place during school hours"
    if condition == ApprovalCondition.COSTS_MONEY:
        return costs
    if condition == ApprovalCondition.SCHOOL_HOURS:
        return hours
    if condition == ApprovalCondition.COST_OR_SCHOOL_HOURS:
        parts = [costs] if offering.cost > 0 else []
        if offering.during_school_hours:
            parts.append(hours)
        return " and ".join(parts)
    return "every request needs it"


def approver_label(approver: str, school: School | None) -> str:
    if approver == ApproverKind.PRINCIPAL and school is not None:
        return f"the principal of {school.name}"
    return "the district PD office"


def step_label(step: ApprovalStep) -> str:
    return approver_label(step.approver, step.school)


def chain_rules(district: Any) -> list[ApprovalRule]:
    return list(ApprovalRule.objects.filter(district=district).order_by("position"))


def chain_configured(district: Any) -> bool:
    return AuditEvent.objects.filter(district=district, action=CHAIN_UPDATED).exists()


def effective_rules(district: Any) -> list[RuleSpec]:
    """The chain that applies now: the district's rules, or the default chain when the district
    never configured one (it is saved on first use by services.chains.ensure_default_chain)."""
    rules = [RuleSpec(r.approver, r.condition, r.days_to_decide) for r in chain_rules(district)]
    if rules or chain_configured(district):
        return rules
    return [RuleSpec(*spec) for spec in DEFAULT_CHAIN]


def educator_school(district: Any, user: Any) -> School | None:
    """The school of the person's educator role (it decides their principal)."""
    membership = (
        Membership.objects.filter(
            district=district, user=user, role=Role.EDUCATOR, is_active=True, school__isnull=False
        )
        .select_related("school")
        .first()
    )
    return membership.school if membership else None


def principal_school(district: Any, educator: Any, school: School | None) -> School | None:
    """The school whose principal decides the educator's principal steps: their school, when
    someone other than the educator holds an active approver role there; None otherwise (the
    step then goes to the PD office, so no request waits for a principal who does not exist or
    would approve their own request)."""
    if school is None:
        return None
    others = (
        Membership.objects.filter(
            district=district, role=Role.APPROVER, is_active=True, school=school
        )
        .exclude(user=educator)
        .exists()
    )
    return school if others else None


def plan_steps(
    rules: list[RuleSpec] | list[ApprovalRule], offering: Offering, principal: School | None
) -> list[PlannedStep]:
    """The steps a request needs, in order. `principal` is the school of the educator's
    principal (see `principal_school`); without one a principal step goes to the PD office.
    Two identical steps in a row are one."""
    planned: list[PlannedStep] = []
    for rule in rules:
        if not condition_applies(rule.condition, offering):
            continue
        approver, step_school = rule.approver, None
        if approver == ApproverKind.PRINCIPAL:
            if principal is None:
                approver = ApproverKind.PD_OFFICE
            else:
                step_school = principal
        if planned and (planned[-1].approver, planned[-1].school) == (approver, step_school):
            continue
        planned.append(PlannedStep(approver, step_school, rule.condition, rule.days_to_decide))
    return planned


def days_to_decide(district: Any, step: ApprovalStep) -> int:
    """Days for a step that becomes pending later: those of the rule it came from today."""
    rules = chain_rules(district)
    for rule in rules:
        if rule.approver == step.approver and rule.condition == step.reason_required:
            return rule.days_to_decide
    for rule in rules:
        if rule.condition == step.reason_required:
            return rule.days_to_decide
    return DEFAULT_DAYS_TO_DECIDE


# ---------------------------------------------------------------------------------------------
# who decides
# ---------------------------------------------------------------------------------------------


def _pd_office_members(district: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(district=district, is_active=True).filter(
        Q(role=Role.DISTRICT_ADMIN) | Q(role=Role.APPROVER, school__isnull=True)
    )


def may_decide(district: Any, user: Any, step: ApprovalStep) -> bool:
    """Whether `user` holds the role a step needs (not whether the step is still open)."""
    if step.approver == ApproverKind.PRINCIPAL:
        if step.school_id is None:
            return False
        return Membership.objects.filter(
            district=district,
            user=user,
            role=Role.APPROVER,
            school_id=step.school_id,
            is_active=True,
        ).exists()
    return _pd_office_members(district).filter(user=user).exists()


def deciders(district: Any, approver: str, school: School | None, *, exclude: Any) -> list[Any]:
    """The people who may decide a step (to tell them it waits for them)."""
    if approver == ApproverKind.PRINCIPAL:
        members = Membership.objects.filter(
            district=district, role=Role.APPROVER, is_active=True, school=school
        )
    else:
        members = _pd_office_members(district)
    return list(
        get_user_model()
        .objects.filter(pk__in=members.values("user_id"), is_active=True)
        .exclude(pk=getattr(exclude, "pk", None))
        .order_by("full_name", "email")
    )


def decidable_steps(access: DistrictAccess, user: Any) -> QuerySet[ApprovalStep]:
    """Pending steps `user` may decide now, soonest deadline first; one query, whatever the
    person's roles (their principal schools and PD-office role are subqueries)."""
    district = access.district
    principal_schools = Membership.objects.filter(
        district=district, user=user, role=Role.APPROVER, is_active=True, school__isnull=False
    ).values("school_id")
    is_pd_office = Exists(_pd_office_members(district).filter(user=user))
    return (
        ApprovalStep.objects.filter(
            enrollment__district=district, status=ApprovalStep.Status.PENDING
        )
        .filter(
            Q(approver=ApproverKind.PRINCIPAL, school_id__in=principal_schools)
            | (Q(approver=ApproverKind.PD_OFFICE) & Q(is_pd_office))
        )
        .exclude(enrollment__educator=user)
        .order_by("due_at", "id")
    )


def pending_count(access: DistrictAccess, user: Any) -> int:
    return decidable_steps(access, user).count()


def with_details(steps: QuerySet[ApprovalStep]) -> QuerySet[ApprovalStep]:
    """What an approver needs beside each step: the request, the educator, the whole chain."""
    return steps.select_related(
        "school",
        "enrollment__educator",
        "enrollment__school",
        "enrollment__offering",
        "enrollment__session",
    ).prefetch_related(
        Prefetch(
            "enrollment__approval_steps",
            ApprovalStep.objects.select_related("school", "decided_by").order_by("position"),
        )
    )


@dataclass(frozen=True)
class InboxRow:
    step: ApprovalStep
    label: str
    overdue: bool
    earlier: list[ApprovalStep]  # decided steps before this one


def inbox_rows(steps: list[ApprovalStep]) -> list[InboxRow]:
    now = timezone.now()
    rows = []
    for step in steps:
        chain = list(step.enrollment.approval_steps.all())
        rows.append(
            InboxRow(
                step=step,
                label=step_label(step),
                overdue=bool(step.due_at and step.due_at < now),
                earlier=[s for s in chain if s.position < step.position],
            )
        )
    return rows


def get_step(access: DistrictAccess, public_id: Any) -> ApprovalStep:
    """A step of the district's requests (deciding it is checked by the service)."""
    found = (
        with_details(ApprovalStep.objects.all())
        .filter(
            enrollment__district=access.district,
            public_id=public_id_or_404(public_id, "approval request"),
        )
        .first()
    )
    if found is None:
        raise Http404("No such approval request.")
    return found
