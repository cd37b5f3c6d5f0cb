"""The educator's iCalendar feed of registered sessions, readable by calendar apps without a
sign-in: the URL carries a signed token (the person's public id and the district's), so it
cannot be guessed or altered; a bad token is a 404. The feed stops working when the person's
membership of the district ends."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from trellis.catalog import ical
from trellis.catalog.models import EnrollmentStatus, OfferingSession
from trellis.catalog.queries import enrolment as queries
from trellis.districts.models import District, Membership

FEED_SALT = "trellis.catalog.calendar-feed"


def feed_token(user: Any, district: Any) -> str:
    return signing.dumps({"u": str(user.public_id), "d": str(district.public_id)}, salt=FEED_SALT)


def read_feed_token(token: str) -> tuple[str, str] | None:
    try:
        value = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not {"u", "d"} <= value.keys():
        return None
    return str(value["u"]), str(value["d"])


def _offering_link(offering: Any) -> str:
    try:
        path = reverse("catalog:offering", kwargs={"public_id": offering.public_id})
    except NoReverseMatch:
        path = f"/catalog/{offering.public_id}/"
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def feed_events(district: Any, user: Any) -> list[ical.Event]:
    events = []
    for enrollment in queries.calendar_enrollments(district, user):
        offering = enrollment.offering
        url = _offering_link(offering)
        pending = enrollment.status == EnrollmentStatus.PENDING_APPROVAL
        for session in queries.sessions_of(enrollment):
            description = offering.summary or ""
            if pending:
                description = (description + "\n\n" if description else "") + (
                    "Your request is waiting for approval."
                )
            events.append(
                ical.Event(
                    uid=f"{session.public_id}-{enrollment.public_id}@trellis",
                    starts_at=session.starts_at,
                    ends_at=session.ends_at,
                    summary=offering.title,
                    location=session.location or session.link or offering.location,
                    description=description,
                    url=url,
                    cancelled=session.status == OfferingSession.Status.CANCELLED,
                    tentative=pending,
                    last_modified=session.updated_at,
                )
            )
    return events


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    found = read_feed_token(token)
    if found is None:
        raise Http404("No such calendar.")
    user_id, district_id = found
    district = District.objects.filter(public_id=district_id).first()
    user = get_user_model().objects.filter(public_id=user_id, is_active=True).first()
    if (
        district is None
        or user is None
        or not Membership.objects.filter(user=user, district=district, is_active=True).exists()
    ):
        raise Http404("No such calendar.")
    body = ical.calendar(
        feed_events(district, user),
        name=f"Trellis: {user.full_name or user.email} ({district.name})",
        stamp=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="trellis-learning.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
