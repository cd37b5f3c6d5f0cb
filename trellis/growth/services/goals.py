"""SMART goals linked to competencies, the educator's reflections and their coaches' comments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import DomainError, PermissionDenied
from trellis.core.text import clean_text
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess
from trellis.frameworks.models import FrameworkItem
from trellis.growth import queries
from trellis.growth.models import Goal, GoalComment, GoalReflection
from trellis.growth.services._common import require_adopted_framework

MAX_TITLE = 200
MAX_TEXT = 4000
MAX_COMPETENCIES_PER_GOAL = 10

# Which status a goal may move to from each status.
GOAL_TRANSITIONS: dict[str, set[str]] = {
    Goal.Status.DRAFT: {Goal.Status.ACTIVE, Goal.Status.SET_ASIDE},
    Goal.Status.ACTIVE: {Goal.Status.ACHIEVED, Goal.Status.SET_ASIDE},
    Goal.Status.SET_ASIDE: {Goal.Status.ACTIVE},
    Goal.Status.ACHIEVED: {Goal.Status.ACTIVE},  # reopen
}


def _competencies(access: DistrictAccess, competencies: Sequence[Any]) -> list[FrameworkItem]:
    framework = require_adopted_framework(access)
    if not competencies:
        raise DomainError(
            "competencies_required",
            "Link the goal to at least one competency.",
            details={"field": "competencies"},
        )
    if len(competencies) > MAX_COMPETENCIES_PER_GOAL:
        raise DomainError(
            "too_many_competencies",
            f"Link at most {MAX_COMPETENCIES_PER_GOAL} competencies to one goal; a focused goal is "
            "easier to reach.",
            details={"field": "competencies"},
        )
    available = queries.competency_map(framework).by_public_id()
    chosen: list[FrameworkItem] = []
    for value in competencies:
        key = str(getattr(value, "public_id", value)).strip().lower()
        item = available.get(key)
        if item is None:
            raise DomainError(
                "unknown_competency",
                f"“{value}” is not a competency of {framework.title}.",
                details={"field": "competencies"},
            )
        if item not in chosen:
            chosen.append(item)
    return chosen


def _target_date(value: Any) -> dt.date:
    if not isinstance(value, dt.date):
        raise DomainError(
            "target_date_required", "Enter a target date.", details={"field": "target_date"}
        )
    if value <= timezone.localdate():
        raise DomainError(
            "target_date_not_future",
            "The target date must be in the future, so the goal is time-bound.",
            details={"field": "target_date"},
        )
    return value


def _texts(title: Any, description: Any, measure: Any) -> dict[str, str]:
    return {
        "title": clean_text(
            title, field="title", label="title", max_length=MAX_TITLE, required=True
        ),
        "description": clean_text(
            description,
            field="description",
            label="specific description",
            max_length=MAX_TEXT,
            required=True,
        ),
        "measure": clean_text(
            measure, field="measure", label="measure of success", max_length=MAX_TEXT, required=True
        ),
    }


def _require_owner(actor: Any, goal: Goal, access: DistrictAccess) -> None:
    require(access, Perm.VIEW_OWN_LEARNING)
    if goal.district_id != access.district.pk or goal.educator_id != actor.pk:
        raise PermissionDenied("Only the educator who set the goal can change it.")


@transaction.atomic
def create_goal(
    *,
    access: DistrictAccess,
    actor: Any,
    title: Any,
    description: Any,
    measure: Any,
    target_date: Any,
    competencies: Sequence[Any],
    status: str = Goal.Status.ACTIVE,
) -> Goal:
    require(access, Perm.VIEW_OWN_LEARNING)
    texts = _texts(title, description, measure)
    if status not in {Goal.Status.DRAFT, Goal.Status.ACTIVE}:
        raise DomainError(
            "invalid_status",
            "A new goal starts as a draft or active.",
            details={"field": "status"},
        )
    date = _target_date(target_date)
    items = _competencies(access, competencies)
    goal = Goal.objects.create(
        district=access.district,
        educator=actor,
        target_date=date,
        status=status,
        status_changed_at=timezone.now(),
        **texts,
    )
    goal.competencies.set(items)
    audit.record(
        action="growth.goal_created",
        summary=f"{actor.email} set the goal “{goal.title}”",
        actor=actor,
        district=access.district,
        target=goal,
        data={"status": status, "competencies": [str(i.public_id) for i in items]},
    )
    return goal


UPDATABLE = {"title", "description", "measure", "target_date", "competencies", "status"}


@transaction.atomic
def update_goal(*, access: DistrictAccess, actor: Any, goal: Goal, **changes: Any) -> Goal:
    """Change any of title, description, measure, target_date, competencies, status.

    A changed target date must still be in the future; statuses follow GOAL_TRANSITIONS.
    """
    _require_owner(actor, goal, access)
    unknown = sorted(set(changes) - UPDATABLE)
    if unknown:
        raise DomainError(
            "unknown_fields", f"These goal fields cannot be changed: {', '.join(unknown)}."
        )
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    texts = _texts(
        changes.get("title", goal.title),
        changes.get("description", goal.description),
        changes.get("measure", goal.measure),
    )
    changed = [name for name, value in texts.items() if getattr(goal, name) != value]
    for name in changed:
        setattr(goal, name, texts[name])
    if "target_date" in changes and changes["target_date"] != goal.target_date:
        goal.target_date = _target_date(changes["target_date"])
        changed.append("target_date")
    items = None
    if "competencies" in changes:
        items = _competencies(access, changes["competencies"])
        if {i.pk for i in items} != set(goal.competencies.values_list("pk", flat=True)):
            changed.append("competencies")
        else:
            items = None
    before_status = goal.status
    new_status = changes.get("status", goal.status)
    if new_status != goal.status:
        if new_status not in GOAL_TRANSITIONS.get(goal.status, set()):
            allowed = " or ".join(
                Goal.Status(s).label.lower()
                for s in sorted(GOAL_TRANSITIONS.get(goal.status, set()))
            )
            label = (
                Goal.Status(new_status).label.lower()
                if new_status in Goal.Status.values
                else new_status
            )
            raise DomainError(
                "invalid_status_change",
                f"A goal that is {goal.get_status_display().lower()} cannot become {label}; "
                f"it can become {allowed}.",
                details={"field": "status"},
            )
        goal.status = new_status
        goal.status_changed_at = timezone.now()
        changed.append("status")
    if not changed:
        return goal
    goal.save()
    if items is not None:
        goal.competencies.set(items)
    audit.record(
        action="growth.goal_updated",
        summary=f"{actor.email} updated the goal “{goal.title}” ({', '.join(changed)})",
        actor=actor,
        district=access.district,
        target=goal,
        data={"changed": changed, "status": [before_status, goal.status]},
    )
    return goal


@transaction.atomic
def add_reflection(*, access: DistrictAccess, actor: Any, goal: Goal, body: Any) -> GoalReflection:
    """A dated entry by the educator about their progress on the goal."""
    _require_owner(actor, goal, access)
    text = clean_text(body, field="body", label="reflection", max_length=MAX_TEXT, required=True)
    reflection = GoalReflection.objects.create(
        goal=goal, author=actor, body=text, written_on=timezone.localdate()
    )
    audit.record(
        action="growth.goal_reflection_added",
        summary=f"{actor.email} reflected on the goal “{goal.title}”",
        actor=actor,
        district=access.district,
        target=goal,
    )
    return reflection


@transaction.atomic
def add_comment(*, access: DistrictAccess, actor: Any, goal: Goal, body: Any) -> GoalComment:
    """A coach's comment on a goal of an educator on their caseload."""
    require(access, Perm.VIEW_CASELOAD)
    if goal.district_id != access.district.pk or not queries.is_on_caseload(
        access.district, actor, goal.educator_id
    ):
        raise PermissionDenied("You can comment only on goals of educators on your caseload.")
    text = clean_text(body, field="body", label="comment", max_length=MAX_TEXT, required=True)
    comment = GoalComment.objects.create(goal=goal, author=actor, body=text)
    audit.record(
        action="growth.goal_commented",
        summary=f"{actor.email} commented on the goal “{goal.title}”",
        actor=actor,
        district=access.district,
        target=goal,
        subject=goal.educator,
    )
    return comment
