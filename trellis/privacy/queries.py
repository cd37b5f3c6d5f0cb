"""Reads for erasing an educator's personal data: who may be erased (members of the caller's
district, else 404), the preview of what goes and what stays, and past erasures.

`erasable` is the one source of the rows an erasure deletes: the preview counts it and the
service deletes it, so the numbers shown are the numbers erased."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404

from trellis.audit.models import AuditEvent
from trellis.catalog.models import AttendanceRecord, Enrollment
from trellis.catalog.services import erasure as catalog_erasure
from trellis.core.ids import public_id_or_404
from trellis.credentials.models import IssuedCredential
from trellis.credentials.services import erasure as credentials_erasure
from trellis.credit.models import CreditAward, License
from trellis.credit.services import erasure as credit_erasure
from trellis.districts.models import Membership
from trellis.districts.queries import DistrictAccess
from trellis.growth.services import erasure as growth_erasure
from trellis.informal.services import erasure as informal_erasure
from trellis.microcredentials.models import EarnedMicroCredential
from trellis.microcredentials.services import erasure as microcredentials_erasure
from trellis.notifications import services as notifications_services
from trellis.privacy.models import ErasureRecord
from trellis.privacy.policy import KEPT, KIND_LABELS
from trellis.recommend import services as recommend_services
from trellis.voice.services import erasure as voice_erasure


def educator_for(access: DistrictAccess, public_id: Any) -> Any:
    """A person with a role (active or ended) in the caller's district; 404 for anyone else."""
    found = (
        get_user_model()
        .objects.filter(
            public_id=public_id_or_404(public_id, "person"),
            pk__in=Membership.objects.filter(district=access.district).values("user_id"),
        )
        .first()
    )
    if found is None:
        raise Http404("No such person.")
    return found


def is_last_district(district: Any, user: Any) -> bool:
    """True when no other district gives them access: the account closes with this erasure."""
    return not (
        Membership.objects.filter(user=user, is_active=True).exclude(district=district).exists()
    )


# The owning apps' erasure modules (each with `erasable` and `erase_personal_data`), in
# deletion order: the credit declines before the badges they are about. The preview counts and
# the service deletes through this one list.
ERASERS: tuple[Any, ...] = (
    credit_erasure,
    credentials_erasure,
    catalog_erasure,
    informal_erasure,
    voice_erasure,
    recommend_services,
    notifications_services,
    microcredentials_erasure,
    growth_erasure,
)


def eraser_options(eraser: Any, *, everywhere: bool) -> dict[str, bool]:
    """Notifications also hold rows that belong to no district (reminder and digest
    bookkeeping, preferences for all districts); they go only with the last district."""
    return {"everywhere": everywhere} if eraser is notifications_services else {}


def erasable(district: Any, user: Any, *, everywhere: bool) -> dict[str, QuerySet]:
    """Kind → rows the erasure deletes, in deletion order: the owning apps' rows, then the
    memberships that end access."""
    found: dict[str, QuerySet] = {}
    for eraser in ERASERS:
        found.update(
            eraser.erasable(district, user, **eraser_options(eraser, everywhere=everywhere))
        )
    found["districts.memberships"] = Membership.objects.filter(district=district, user=user)
    return found


def kept(district: Any, user: Any) -> dict[str, QuerySet]:
    """What stays about them in this district, by the headings of the page."""
    return {
        "Credit awards": CreditAward.objects.filter(district=district, educator=user),
        "Licences": License.objects.filter(district=district, educator=user),
        "Enrolments": Enrollment.objects.filter(district=district, educator=user),
        "Attendance records": AttendanceRecord.objects.filter(
            enrollment__district=district, enrollment__educator=user
        ),
        "Earned micro-credentials": EarnedMicroCredential.objects.filter(
            district=district, educator=user
        ),
        "Issued credentials": IssuedCredential.objects.filter(district=district, recipient=user),
        "Audit log entries": AuditEvent.objects.filter(
            Q(actor=user) | Q(subject=user), district=district
        ),
    }


KEPT_REASONS = {
    "Credit awards": KEPT["credit.CreditAward"],
    "Licences": KEPT["credit.License"],
    "Enrolments": KEPT["catalog.Enrollment"],
    "Attendance records": KEPT["catalog.AttendanceRecord"],
    "Earned micro-credentials": KEPT["microcredentials.EarnedMicroCredential"],
    "Issued credentials": KEPT["credentials.IssuedCredential"],
    "Audit log entries": KEPT["audit.AuditEvent"],
}


@dataclass(frozen=True)
class Line:
    kind: str
    label: str
    count: int
    reason: str = ""


@dataclass(frozen=True)
class Preview:
    educator: Any
    erased: list[Line]
    kept: list[Line]
    closes_account: bool

    @property
    def erased_total(self) -> int:
        return sum(line.count for line in self.erased)

    @property
    def counts(self) -> dict[str, int]:
        return {line.kind: line.count for line in self.erased}


def preview(access: DistrictAccess, educator: Any) -> Preview:
    """What erasing `educator` in the caller's district would delete and keep, counted."""
    district = access.district
    everywhere = is_last_district(district, educator)
    rows = erasable(district, educator, everywhere=everywhere)
    erased = [
        Line(kind=kind, label=label, count=rows[kind].count())
        for kind, label in KIND_LABELS.items()
        if kind in rows
    ]
    stays = [
        Line(kind=heading, label=heading, count=found.count(), reason=KEPT_REASONS[heading])
        for heading, found in kept(district, educator).items()
    ]
    return Preview(educator=educator, erased=erased, kept=stays, closes_account=everywhere)


def erasure_records(access: DistrictAccess) -> QuerySet[ErasureRecord]:
    """The caller's district's erasures, newest first (paginate in the view)."""
    return ErasureRecord.objects.filter(district=access.district).select_related("erased_by")


def count_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)
