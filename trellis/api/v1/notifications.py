"""The caller's notifications and notification choices. Mounted at "/" with full paths
(/me/notifications, /me/notifications/{id}/read, /me/notification-preferences).

Notices are personal: no permission beyond being signed in; the working district (header
X-Trellis-District) scopes them like the pages do, plus notices tied to no district."""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from trellis.api.v1.common import ErrorOut, MappedPage
from trellis.notifications import queries, services
from trellis.notifications.models import Notification
from trellis.notifications.preferences import MUST_KNOW, allowed_channels, channels_for

router = Router(tags=["notifications"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class NotificationOut(Schema):
    id: uuid.UUID
    kind: str
    kind_label: str
    subject: str
    body: str
    path: str
    district_id: uuid.UUID | None
    created_at: dt.datetime
    read: bool
    read_at: dt.datetime | None
    in_digest: bool


def _out(row: Notification) -> NotificationOut:
    return NotificationOut(
        id=row.public_id,
        kind=row.kind,
        kind_label=row.get_kind_display(),
        subject=row.subject,
        body=row.body,
        path=row.path,
        district_id=row.district.public_id if row.district_id else None,
        created_at=row.created_at,
        read=row.read_at is not None,
        read_at=row.read_at,
        in_digest=row.in_digest,
    )


def _district(request: HttpRequest) -> Any:
    return getattr(request, "district", None)


@router.get("/me/notifications", response=list[NotificationOut])
@paginate(LimitOffsetPagination)
def list_notifications(request: HttpRequest, unread: bool = False) -> Any:
    """The caller's notifications, unread first then newest first; `?unread=true` for unread
    only."""
    rows = queries.inbox(request.user, _district(request), unread_only=unread)
    return MappedPage(rows.select_related("district"), lambda page: [_out(row) for row in page])


@router.post("/me/notifications/{notification_id}/read", response={200: NotificationOut, **ERRORS})
def read_notification(request: HttpRequest, notification_id: str) -> NotificationOut:
    """Mark one of the caller's notifications read (repeating it changes nothing)."""
    row = queries.get_own(request.user, _district(request), notification_id)
    return _out(services.mark_read(user=request.user, notification=row))


class PreferenceOut(Schema):
    kind: str
    label: str
    channel: str
    allowed_channels: list[str]
    can_turn_off: bool


class PreferencesOut(Schema):
    district_id: uuid.UUID | None
    preferences: list[PreferenceOut]


class PreferencesIn(Schema):
    preferences: dict[str, str] = Field(
        ..., description="kind → channel (in_app_and_email, in_app_only, digest_only, off)"
    )


def _preferences_out(request: HttpRequest) -> PreferencesOut:
    from trellis.notifications.models import Kind

    district = _district(request)
    current = channels_for(request.user, district)
    return PreferencesOut(
        district_id=district.public_id if district else None,
        preferences=[
            PreferenceOut(
                kind=kind.value,
                label=kind.label,
                channel=current[kind.value],
                allowed_channels=allowed_channels(kind),
                can_turn_off=kind not in MUST_KNOW,
            )
            for kind in Kind
        ],
    )


@router.get("/me/notification-preferences", response=PreferencesOut)
def get_preferences(request: HttpRequest) -> PreferencesOut:
    """How each kind of notice reaches the caller in the working district."""
    return _preferences_out(request)


@router.put("/me/notification-preferences", response={200: PreferencesOut, **ERRORS})
def put_preferences(request: HttpRequest, payload: PreferencesIn) -> PreferencesOut:
    """Change some or all kinds' channels; kinds left out keep theirs. Nothing is saved when
    any choice is invalid (400 with the reasons per kind in `details`)."""
    services.set_preferences(
        user=request.user, district=_district(request), choices=payload.preferences
    )
    return _preferences_out(request)
