"""Volunteer offers: to lead, present, lead a PLC, mentor or assess; a PD leader follows up."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from trellis.audit import services as audit
from trellis.catalog.notify import notify
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.core.text import clean_text
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess
from trellis.growth import queries as growth_queries
from trellis.notifications.models import Kind as NoticeKind
from trellis.voice import queries
from trellis.voice.models import (
    PENDING_VOLUNTEER_STATUSES,
    VolunteerKind,
    VolunteerOffer,
    VolunteerStatus,
)
from trellis.voice.services._common import MAX_TEXT, resolve_competencies

MAX_AVAILABILITY = 300

VOLUNTEER_TRANSITIONS: dict[str, set[str]] = {
    VolunteerStatus.OPEN: {
        VolunteerStatus.CONTACTED,
        VolunteerStatus.ACCEPTED,
        VolunteerStatus.DECLINED,
    },
    VolunteerStatus.CONTACTED: {VolunteerStatus.ACCEPTED, VolunteerStatus.DECLINED},
    VolunteerStatus.ACCEPTED: set(),
    VolunteerStatus.DECLINED: set(),
    VolunteerStatus.WITHDRAWN: set(),
}


@transaction.atomic
def offer_to_volunteer(
    *,
    access: DistrictAccess,
    actor: Any,
    kind: Any,
    competencies: Sequence[Any] = (),
    note: Any = "",
    availability: Any = "",
) -> VolunteerOffer:
    require(access, Perm.VIEW_OWN_LEARNING)
    kind = str(kind or "")
    if kind not in VolunteerKind.values:
        raise DomainError(
            "unknown_kind",
            "Choose what you offer to do: lead a session, present, lead a PLC, mentor or assess.",
            details={"field": "kind"},
        )
    items = resolve_competencies(access, competencies)
    note = clean_text(note, field="note", label="note", max_length=MAX_TEXT, required=False)
    availability = clean_text(
        availability,
        field="availability",
        label="availability",
        max_length=MAX_AVAILABILITY,
        required=False,
    )
    existing = queries.pending_offer(access, actor, kind)
    if existing is not None:
        raise ConflictError(
            "already_offered",
            f"You already offered to {VolunteerKind(kind).label.lower()}; the district will be "
            "in touch. Withdraw that offer first to send a new one.",
            details={"field": "kind", "offer": str(existing.public_id)},
        )
    schools = growth_queries.schools_of(actor, access.district)
    offer = VolunteerOffer.objects.create(
        district=access.district,
        volunteer=actor,
        school=schools[0] if schools else None,
        kind=kind,
        note=note,
        availability=availability,
    )
    offer.competencies.set(items)
    audit.record(
        action="voice.volunteered",
        summary=f"Offered to {VolunteerKind(kind).label.lower()}",
        actor=actor,
        district=access.district,
        target=offer,
        data={"kind": kind, "competencies": [str(i.public_id) for i in items]},
    )
    return offer


@transaction.atomic
def withdraw_offer(*, access: DistrictAccess, actor: Any, offer: VolunteerOffer) -> VolunteerOffer:
    require(access, Perm.VIEW_OWN_LEARNING)
    if offer.district_id != access.district.pk or offer.volunteer_id != actor.pk:
        raise PermissionDenied("Only the person who made the offer can withdraw it.")
    if offer.status not in PENDING_VOLUNTEER_STATUSES:
        raise ConflictError(
            "offer_closed",
            f"This offer is {offer.get_status_display().lower()}, so it cannot be withdrawn.",
        )
    offer.status = VolunteerStatus.WITHDRAWN
    offer.status_changed_at = timezone.now()
    offer.save(update_fields=["status", "status_changed_at", "updated_at"])
    audit.record(
        action="voice.volunteer_withdrawn",
        summary=f"Withdrew the offer to {offer.get_kind_display().lower()}",
        actor=actor,
        district=access.district,
        target=offer,
    )
    return offer


VOLUNTEER_NOTICES = {
    VolunteerStatus.CONTACTED: "The district PD team has seen your offer and will be in touch.",
    VolunteerStatus.ACCEPTED: "Your offer is accepted. Thank you!",
    VolunteerStatus.DECLINED: "Your offer is declined for now. Thank you for offering.",
}


@transaction.atomic
def set_offer_status(
    *, access: DistrictAccess, actor: Any, offer: VolunteerOffer, status: str, note: Any = ""
) -> VolunteerOffer:
    """A PD leader follows an offer up; the volunteer is told."""
    require(access, Perm.VIEW_DEMAND)
    if offer.district_id != access.district.pk:
        raise PermissionDenied("This offer belongs to another district.")
    if status not in VOLUNTEER_TRANSITIONS.get(offer.status, set()):
        label = dict(VolunteerStatus.choices).get(status, status)
        raise ConflictError(
            "invalid_transition",
            f"An offer that is {offer.get_status_display().lower()} cannot become "
            f"{str(label).lower()}.",
            details={"field": "status"},
        )
    note = clean_text(note, field="note", label="note", max_length=MAX_TEXT, required=False)
    previous = offer.status
    offer.status, offer.status_note = status, note
    offer.status_changed_at = timezone.now()
    offer.save(update_fields=["status", "status_note", "status_changed_at", "updated_at"])
    audit.record(
        action="voice.volunteer_status",
        summary=f"Marked {offer.volunteer}'s offer to {offer.get_kind_display().lower()} {status}",
        actor=actor,
        district=access.district,
        target=offer,
        data={"from": previous, "to": status},
    )
    lines = [f"Your offer: {offer.get_kind_display()}.", VOLUNTEER_NOTICES[status]]
    if note:
        lines.append(f"Note from {access.district.name}: {note}")
    notify(
        offer.volunteer,
        subject=f"Your offer to {offer.get_kind_display().lower()}",
        lines=lines,
        path=reverse("voice:volunteer"),
        kind=NoticeKind.GENERAL,
        district=access.district,
    )
    return offer
