"""Every write of the recommend app: the educator's feedback, coaches' suggestions and the
district's settings and priorities. Each checks permission, validates and audits."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from trellis.audit import services as audit
from trellis.catalog.models import Offering, OfferingStatus
from trellis.catalog.notify import notify
from trellis.core.erasure import delete_counted
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.core.text import clean_text
from trellis.districts.models import School
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess
from trellis.frameworks.models import FrameworkItem
from trellis.growth import queries as growth_queries
from trellis.growth.models import CoachingAssignment
from trellis.recommend.core.weights import weights_from
from trellis.recommend.models import (
    MAX_LIST_SIZE,
    MAX_NOTE_LENGTH,
    MAX_RESERVED_SLOTS,
    MIN_LIST_SIZE,
    CoachSuggestion,
    PriorityCompetency,
    PriorityOffering,
    RecommendationFeedback,
    RecommendationSettings,
    RecommendationSnapshot,
)

FEEDBACK_ACTIONS = ("not_for_me", "save", "clear")
SIZE_FIELDS = (
    ("novice_size", "novice"),
    ("developing_size", "developing"),
    ("experienced_size", "experienced"),
    ("veteran_size", "veteran"),
)


def _published(access: DistrictAccess, offering: Offering) -> Offering:
    if offering.district_id != access.district.pk:
        raise DomainError(
            "unknown_offering", "No such offering in this district.", details={"field": "offering"}
        )
    if offering.status != OfferingStatus.PUBLISHED:
        raise DomainError(
            "offering_not_published",
            f"“{offering.title}” is not in the published catalog.",
            details={"field": "offering"},
        )
    return offering


# ---------------------------------------------------------------------------------------------
# the educator's feedback
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def give_feedback(
    *, access: DistrictAccess, actor: Any, offering: Offering, action: str
) -> RecommendationFeedback | None:
    """Not for me, save, or clear (undo) on one offering; the next list reflects it."""
    require(access, Perm.VIEW_OWN_LEARNING)
    if action not in FEEDBACK_ACTIONS:
        raise DomainError(
            "invalid_action",
            "Choose one of: not_for_me, save, clear.",
            details={"field": "action"},
        )
    _published(access, offering)
    existing = RecommendationFeedback.objects.filter(
        district=access.district, educator=actor, offering=offering
    ).first()
    if action == "clear":
        if existing is None:
            return None
        existing.delete()
        result = None
    elif existing is not None:
        if existing.action == action:
            return existing
        existing.action = action
        existing.save(update_fields=["action", "updated_at"])
        result = existing
    else:
        result = RecommendationFeedback.objects.create(
            district=access.district, educator=actor, offering=offering, action=action
        )
    label = {"clear": "cleared feedback on", "save": "saved", "not_for_me": "marked not for me"}
    audit.record(
        action=f"recommend.feedback_{action}",
        summary=f"{actor.full_name or actor.email} {label[action]} “{offering.title}”",
        actor=actor,
        district=access.district,
        target=offering,
        data={"action": action},
    )
    return result


# ---------------------------------------------------------------------------------------------
# coaches' suggestions
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def suggest_offering(
    *, access: DistrictAccess, actor: Any, educator: Any, offering: Offering, note: str = ""
) -> CoachSuggestion:
    """A coach suggests an offering to an educator on their caseload, with an optional note."""
    require(access, Perm.COACH_EDUCATORS)
    if not CoachingAssignment.objects.filter(
        district=access.district, coach=actor, educator=educator
    ).exists():
        raise PermissionDenied("You can suggest offerings to educators on your caseload only.")
    _published(access, offering)
    note = clean_text(note, field="note", label="note", max_length=MAX_NOTE_LENGTH, required=False)
    if CoachSuggestion.objects.filter(
        district=access.district, coach=actor, educator=educator, offering=offering
    ).exists():
        raise ConflictError(
            "already_suggested",
            f"You already suggested “{offering.title}” to {educator.full_name or educator.email}.",
            details={"field": "offering"},
        )
    suggestion = CoachSuggestion.objects.create(
        district=access.district, coach=actor, educator=educator, offering=offering, note=note
    )
    audit.record(
        action="recommend.coach_suggested",
        summary=f"{actor.full_name or actor.email} suggested “{offering.title}” to "
        f"{educator.full_name or educator.email}",
        actor=actor,
        subject=educator,
        district=access.district,
        target=offering,
        data={"note": note},
    )
    lines = [f"Your coach {actor.full_name or actor.email} suggests “{offering.title}”."]
    if note:
        lines.append(note)
    transaction.on_commit(
        lambda: notify(
            educator, subject="A suggestion from your coach", lines=lines, path="/recommendations/"
        )
    )
    return suggestion


@transaction.atomic
def withdraw_suggestion(*, access: DistrictAccess, actor: Any, suggestion: CoachSuggestion) -> None:
    require(access, Perm.COACH_EDUCATORS)
    if suggestion.district_id != access.district.pk or suggestion.coach_id != actor.pk:
        raise PermissionDenied("You can withdraw your own suggestions only.")
    audit.record(
        action="recommend.coach_suggestion_withdrawn",
        summary=f"{actor.full_name or actor.email} withdrew the suggestion of "
        f"“{suggestion.offering.title}”",
        actor=actor,
        subject=suggestion.educator,
        district=access.district,
        target=suggestion.offering,
    )
    suggestion.delete()


# ---------------------------------------------------------------------------------------------
# district settings
# ---------------------------------------------------------------------------------------------


def _size(value: Any, *, field: str, label: str, low: int, high: int) -> int:
    message = f"The {label} must be a whole number from {low} to {high}."
    if isinstance(value, bool):
        raise DomainError(f"invalid_{field}", message, details={"field": field})
    try:
        number = value if isinstance(value, int) else int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(f"invalid_{field}", message, details={"field": field}) from None
    if not low <= number <= high:
        raise DomainError(f"invalid_{field}", message, details={"field": field})
    return number


@transaction.atomic
def update_settings(
    *,
    access: DistrictAccess,
    actor: Any,
    sizes: Mapping[str, Any],
    reserved_slots: Any,
    weight_overrides: Mapping[str, Any],
) -> RecommendationSettings:
    """List sizes per career stage (3–6), reserved slots (0–2, fewer than the smallest list) and
    weight overrides (each within its bounds). Nothing is saved unless every value is valid."""
    require(access, Perm.MANAGE_RECOMMENDATIONS)
    unknown = set(sizes) - {name for name, _ in SIZE_FIELDS}
    if unknown:
        raise DomainError(
            "unknown_size",
            f"Unknown list size: {', '.join(sorted(unknown))}.",
            details={"field": sorted(unknown)[0]},
        )
    row = (
        RecommendationSettings.objects.select_for_update().filter(district=access.district).first()
    )
    row = row or RecommendationSettings(district=access.district)
    clean_sizes = {
        name: _size(
            sizes.get(name, getattr(row, name)),
            field=name,
            label=f"list size for {stage} educators",
            low=MIN_LIST_SIZE,
            high=MAX_LIST_SIZE,
        )
        for name, stage in SIZE_FIELDS
    }
    reserved = _size(
        reserved_slots,
        field="reserved_slots",
        label="number of reserved slots",
        low=0,
        high=MAX_RESERVED_SLOTS,
    )
    if reserved >= min(clean_sizes.values()):
        raise DomainError(
            "invalid_reserved_slots",
            "Reserved slots must leave at least one slot of choice in every list.",
            details={"field": "reserved_slots"},
        )
    try:
        weights = weights_from(dict(weight_overrides))
    except ValueError as error:
        named = re.search(r"'(\w+)'", str(error))
        raise DomainError(
            "invalid_weight", str(error), details={"field": named.group(1) if named else "weights"}
        ) from None
    overrides = {name: float(getattr(weights, name)) for name in weight_overrides}
    before = {
        **{name: getattr(row, name) for name, _ in SIZE_FIELDS},
        "reserved_slots": row.reserved_slots,
        "weight_overrides": dict(row.weight_overrides or {}),
    }
    for name, value in clean_sizes.items():
        setattr(row, name, value)
    row.reserved_slots = reserved
    row.weight_overrides = overrides
    row.updated_by = actor
    row.save()
    after = {**clean_sizes, "reserved_slots": reserved, "weight_overrides": overrides}
    audit.record(
        action="recommend.settings_changed",
        summary="Recommendation settings changed",
        actor=actor,
        district=access.district,
        target=row,
        data={"before": before, "after": after},
    )
    return row


@transaction.atomic
def add_priority_competency(
    *, access: DistrictAccess, actor: Any, item: FrameworkItem, school: School | None = None
) -> PriorityCompetency:
    """A district priority (no school) or a competency in one school's plan."""
    require(access, Perm.MANAGE_RECOMMENDATIONS)
    framework = growth_queries.adopted_framework(access.district)
    if framework is None or item.framework_id != framework.pk:
        raise DomainError(
            "unknown_competency",
            "Choose a competency of the district's adopted framework.",
            details={"field": "competency"},
        )
    if school is not None and school.district_id != access.district.pk:
        raise DomainError(
            "unknown_school", "No such school in this district.", details={"field": "school"}
        )
    if PriorityCompetency.objects.filter(
        district=access.district, school=school, item=item
    ).exists():
        where = f"the plan of {school.name}" if school else "the district priorities"
        raise ConflictError(
            "already_priority", f"“{item}” is already in {where}.", details={"field": "competency"}
        )
    row = PriorityCompetency.objects.create(
        district=access.district, school=school, item=item, added_by=actor
    )
    audit.record(
        action="recommend.priority_added",
        summary=f"“{item}” added to "
        + (f"the plan of {school.name}" if school else "the district priorities"),
        actor=actor,
        district=access.district,
        target=row,
        data={"school": school.name if school else None},
    )
    return row


@transaction.atomic
def remove_priority_competency(
    *, access: DistrictAccess, actor: Any, priority: PriorityCompetency
) -> None:
    require(access, Perm.MANAGE_RECOMMENDATIONS)
    if priority.district_id != access.district.pk:
        raise PermissionDenied()
    audit.record(
        action="recommend.priority_removed",
        summary=f"“{priority.item}” removed from "
        + (f"the plan of {priority.school.name}" if priority.school else "the district priorities"),
        actor=actor,
        district=access.district,
        target=priority,
    )
    priority.delete()


@transaction.atomic
def add_priority_offering(
    *, access: DistrictAccess, actor: Any, offering: Offering
) -> PriorityOffering:
    require(access, Perm.MANAGE_RECOMMENDATIONS)
    _published(access, offering)
    if PriorityOffering.objects.filter(district=access.district, offering=offering).exists():
        raise ConflictError(
            "already_priority",
            f"“{offering.title}” is already a priority offering.",
            details={"field": "offering"},
        )
    row = PriorityOffering.objects.create(
        district=access.district, offering=offering, added_by=actor
    )
    audit.record(
        action="recommend.priority_offering_added",
        summary=f"“{offering.title}” marked as a priority offering",
        actor=actor,
        district=access.district,
        target=offering,
    )
    return row


@transaction.atomic
def remove_priority_offering(
    *, access: DistrictAccess, actor: Any, priority: PriorityOffering
) -> None:
    require(access, Perm.MANAGE_RECOMMENDATIONS)
    if priority.district_id != access.district.pk:
        raise PermissionDenied()
    audit.record(
        action="recommend.priority_offering_removed",
        summary=f"“{priority.offering.title}” is no longer a priority offering",
        actor=actor,
        district=access.district,
        target=priority.offering,
    )
    priority.delete()


@transaction.atomic
def request_recompute(*, access: DistrictAccess, actor: Any) -> None:
    """Queue the background recompute of every educator's stored shortlist."""
    from trellis.recommend.tasks import recompute_recommendations

    require(access, Perm.MANAGE_RECOMMENDATIONS)
    audit.record(
        action="recommend.recompute_requested",
        summary="Recompute of everyone's recommendations requested",
        actor=actor,
        district=access.district,
    )
    district_id = access.district.pk
    transaction.on_commit(lambda: recompute_recommendations.enqueue(district_id=district_id))


def erasable(district: Any, user: Any) -> dict[str, QuerySet]:
    """One educator's recommendation rows in one district, for a privacy erasure
    (trellis/privacy; shared with its preview). Suggestions they made as a coach stay: they are
    the other educator's."""
    return {
        "recommend.feedback": RecommendationFeedback.objects.filter(
            district=district, educator=user
        ),
        "recommend.coach_suggestions": CoachSuggestion.objects.filter(
            district=district, educator=user
        ),
        "recommend.snapshots": RecommendationSnapshot.objects.filter(
            district=district, educator=user
        ),
    }


def erase_personal_data(*, district: Any, user: Any) -> dict[str, int]:
    """Delete the rows of `erasable`; the caller holds the transaction and writes the audit."""
    return delete_counted(erasable(district, user))
