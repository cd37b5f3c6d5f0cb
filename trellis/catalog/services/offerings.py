"""Writing the catalog: create, edit, copy and delete offerings, and move them through their
statuses (draft → proposed → under review → published → retired)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from trellis.audit import services as audit
from trellis.catalog.models import (
    ACTIVE,
    SEAT_HOLDING,
    Enrollment,
    Offering,
    OfferingSession,
    OfferingStatus,
)
from trellis.catalog.services.offering_fields import (
    OFFERING_FIELDS,
    TRANSITIONS,
    clean_offering_fields,
    publish_problems,
)
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess

MAX_TITLE = 200


def require_manager(access: DistrictAccess) -> None:
    if not access.can(Perm.MANAGE_CATALOG):
        raise PermissionDenied("Only the district's catalog managers may change offerings.")


def _own(access: DistrictAccess, offering: Offering) -> None:
    if offering.district_id != access.district.pk:
        raise Http404("No such offering.")


def _write_fields(offering: Offering, clean: dict[str, Any]) -> list[str]:
    """Set the plain fields; return the names of the ones that changed (competencies apart)."""
    changed = []
    for name, value in clean.items():
        if name == "competencies":
            continue
        if getattr(offering, name) != value:
            setattr(offering, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def create_offering(
    *, access: DistrictAccess, actor: Any, source_id: str = "", **fields: Any
) -> Offering:
    """A new offering, always a draft. Fields: see offering_fields.OFFERING_FIELDS."""
    require_manager(access)
    clean = clean_offering_fields(access.district, fields)
    offering = Offering(
        district=access.district,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        status=OfferingStatus.DRAFT,
        source_id=source_id[:100],
    )
    _write_fields(offering, clean)
    offering.save()
    offering.competencies.set(clean["competencies"])
    audit.record(
        action="offering.created",
        summary=f"Created the offering “{offering.title}”",
        actor=actor,
        district=access.district,
        target=offering,
        data={"kind": offering.kind},
    )
    return offering


def _check_change_keeps_enrolments(offering: Offering, clean: dict[str, Any]) -> None:
    """Edits that would strand the people already enrolled are refused."""
    active = Enrollment.objects.filter(offering=offering, status__in=ACTIVE)
    if clean["registration"] != offering.registration and active.exists():
        raise ConflictError(
            "registration_locked",
            "People are already enrolled, so how they register (whole offering or one session) "
            "cannot change. Copy the offering to run it the other way.",
            details={"field": "registration"},
        )
    if clean["capacity"] is not None and clean["capacity"] != offering.capacity:
        taken = Enrollment.objects.filter(offering=offering, status__in=SEAT_HOLDING).count()
        if clean["capacity"] < taken:
            raise ConflictError(
                "capacity_below_taken",
                f"{taken} seats are already taken, so the capacity cannot be less than {taken}.",
                details={"field": "capacity"},
            )


@transaction.atomic
def update_offering(
    *, access: DistrictAccess, actor: Any, offering: Offering, **fields: Any
) -> Offering:
    """Replace the offering's fields (every field of OFFERING_FIELDS; missing ones take their
    defaults). The status does not change here: see change_status."""
    require_manager(access)
    _own(access, offering)
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    clean = clean_offering_fields(access.district, fields)
    _check_change_keeps_enrolments(offering, clean)
    if offering.status == OfferingStatus.PUBLISHED:
        sessions = offering.sessions.filter(status=OfferingSession.Status.SCHEDULED).count()
        problems = publish_problems(
            kind=clean["kind"],
            hours=clean["hours"],
            provider=clean["provider"],
            description=clean["description"],
            scheduled_sessions=sessions,
        )
        if problems:
            raise DomainError(
                "published_needs",
                "A published offering must keep what publishing needs: " + " ".join(problems),
                details={"problems": problems},
            )
    changed = _write_fields(offering, clean)
    before = set(offering.competencies.values_list("pk", flat=True))
    after = {item.pk for item in clean["competencies"]}
    if before != after:
        offering.competencies.set(clean["competencies"])
        changed.append("competencies")
    if changed:
        offering.save()
        audit.record(
            action="offering.updated",
            summary=f"Edited the offering “{offering.title}”",
            actor=actor,
            district=access.district,
            target=offering,
            data={"changed": changed},
        )
    return offering


def allowed_transitions(offering: Offering) -> tuple[str, ...]:
    return TRANSITIONS.get(offering.status, ())


@transaction.atomic
def change_status(
    *, access: DistrictAccess, actor: Any, offering: Offering, status: str
) -> Offering:
    require_manager(access)
    _own(access, offering)
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if status not in OfferingStatus.values:
        raise DomainError(
            "bad_status",
            f"Unknown status “{status}”. Choose one of: {', '.join(OfferingStatus.values)}.",
            details={"field": "status"},
        )
    current = OfferingStatus(offering.status)
    if status == current:
        raise ConflictError("same_status", f"The offering is already {current.label.lower()}.")
    allowed = TRANSITIONS.get(current, ())
    if status not in allowed:
        targets = " or ".join(OfferingStatus(s).label.lower() for s in allowed) or "nothing else"
        raise ConflictError(
            "bad_transition",
            f"A {current.label.lower()} offering can go to {targets}, not to "
            f"{OfferingStatus(status).label.lower()}.",
            details={"field": "status"},
        )
    if status == OfferingStatus.PUBLISHED:
        problems = publish_problems(
            kind=offering.kind,
            hours=offering.hours,
            provider=offering.provider,
            description=offering.description,
            scheduled_sessions=offering.sessions.filter(
                status=OfferingSession.Status.SCHEDULED
            ).count(),
        )
        if problems:
            raise DomainError(
                "cannot_publish",
                "Before publishing: " + " ".join(problems),
                details={"problems": problems},
            )
        offering.published_at = timezone.now()
    offering.status = status
    offering.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(
        action="offering.status_changed",
        summary=f"“{offering.title}”: {current.label} → {OfferingStatus(status).label}",
        actor=actor,
        district=access.district,
        target=offering,
        data={"from": current.value, "to": status},
    )
    return offering


@transaction.atomic
def delete_offering(*, access: DistrictAccess, actor: Any, offering: Offering) -> None:
    """Only an offering nobody ever enrolled in; otherwise retire it."""
    require_manager(access)
    _own(access, offering)
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    enrolments = Enrollment.objects.filter(offering=offering).count()
    if enrolments:
        raise ConflictError(
            "offering_has_enrolments",
            f"“{offering.title}” has {enrolments} enrolment{'s' if enrolments != 1 else ''}, so "
            "it cannot be deleted: retire it instead (it leaves the catalog and its records stay).",
        )
    title = offering.title
    audit.record(
        action="offering.deleted",
        summary=f"Deleted the offering “{title}”",
        actor=actor,
        district=access.district,
        target=offering,
        data={"status": offering.status, "source_id": offering.source_id},
    )
    offering.delete()


@transaction.atomic
def copy_offering(*, access: DistrictAccess, actor: Any, offering: Offering) -> Offering:
    """A draft with the same fields and competencies, without sessions or enrolments (a new run
    gets new dates)."""
    require_manager(access)
    _own(access, offering)
    fields = {name: getattr(offering, name) for name in OFFERING_FIELDS if name != "competencies"}
    fields["title"] = f"Copy of {offering.title}"[:MAX_TITLE]
    fields["competencies"] = list(offering.competencies.all())
    copy = create_offering(access=access, actor=actor, **fields)
    audit.record(
        action="offering.copied",
        summary=f"Copied “{offering.title}” to a new draft",
        actor=actor,
        district=access.district,
        target=copy,
        data={"copied_from": str(offering.public_id)},
    )
    return copy
