"""Reminders of sessions starting soon, for the periodic runner (`trellis run_periodic`)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from trellis.catalog.models import Enrollment, EnrollmentStatus, OfferingSession, Registration
from trellis.catalog.queries.enrolment import when
from trellis.notifications.models import Kind
from trellis.notifications.services import notify_once

WINDOW = (dt.timedelta(hours=24), dt.timedelta(hours=48))


def send_session_reminders(*, now: dt.datetime | None = None) -> int:
    """Tell everyone enrolled in a scheduled session starting 24–48 hours from now, once per
    session time (a moved session is reminded again). Returns how many reminders went out."""
    now = now or timezone.now()
    sessions = (
        OfferingSession.objects.filter(
            status=OfferingSession.Status.SCHEDULED,
            starts_at__gte=now + WINDOW[0],
            starts_at__lte=now + WINDOW[1],
        )
        .select_related("offering__district")
        .order_by("starts_at", "pk")
    )
    sent = 0
    for session in sessions:
        offering = session.offering
        enrolments = Enrollment.objects.filter(
            offering=offering, status=EnrollmentStatus.ENROLLED
        ).select_related("educator")
        if offering.registration == Registration.ONE_SESSION:
            enrolments = enrolments.filter(session=session)
        place = session.location or session.link or offering.location or offering.link
        lines = [
            f"“{offering.title}” meets on {when(session.starts_at, offering.district)}"
            + (f", {place}." if place else "."),
            "If you can no longer come, withdraw on the offering page so someone on the "
            "waitlist can have your seat.",
        ]
        key = f"session:{session.public_id}:{session.starts_at:%Y%m%d%H%M}"
        for enrolment in enrolments.order_by("pk"):
            sent += notify_once(
                enrolment.educator,
                key=key,
                district=offering.district,
                kind=Kind.SESSION_UPCOMING,
                subject=f"Coming up: {offering.title}",
                lines=lines,
                path=f"/catalog/{offering.public_id}/",
            )
    return sent
