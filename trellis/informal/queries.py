"""Tenant-scoped reads for informal learning."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.http import Http404

from trellis.core.ids import public_id_or_404
from trellis.credit.queries.renewal import district_today
from trellis.credit.rules.wording import number
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess
from trellis.informal.models import InformalEntry, InformalRules, XapiIntegration
from trellis.informal.services.counting import school_year


def own_entries(access: DistrictAccess, user: Any) -> QuerySet[InformalEntry]:
    return InformalEntry.objects.filter(district=access.district, educator=user).select_related(
        "competency"
    )


def own_entry(access: DistrictAccess, user: Any, public_id: Any) -> InformalEntry:
    entry = own_entries(access, user).filter(public_id=public_id_or_404(public_id, "entry")).first()
    if entry is None:
        raise Http404("No such entry.")
    return entry


def visible_entry(access: DistrictAccess, user: Any, public_id: Any) -> InformalEntry:
    """The owner sees their entries; once attached as micro-credential evidence, so do the
    district's assessors and micro-credential managers."""
    entry = (
        InformalEntry.objects.filter(
            district=access.district, public_id=public_id_or_404(public_id, "entry")
        )
        .select_related("competency", "educator")
        .first()
    )
    if entry is None:
        raise Http404("No such entry.")
    if entry.educator_id == user.pk:
        return entry
    if entry.attached_as_evidence and (
        access.can(Perm.ASSESS_SUBMISSIONS) or access.can(Perm.MANAGE_MICRO_CREDENTIALS)
    ):
        return entry
    raise Http404("No such entry.")


@dataclass(frozen=True)
class Totals:
    year_label: str
    entries: int
    hours: Decimal
    counted_hours: Decimal

    @property
    def hours_text(self) -> str:
        return f"{number(self.hours)} h"

    @property
    def counted_text(self) -> str:
        return f"{number(self.counted_hours)} h"


def totals(access: DistrictAccess, user: Any) -> Totals:
    """This school year's entries, hours logged and hours counted toward credit."""
    start, end = school_year(district_today(access.district))
    found = (
        own_entries(access, user)
        .filter(learned_on__range=(start, end))
        .aggregate(minutes=Sum("minutes"), counted=Sum("counted_hours"))
    )
    count = own_entries(access, user).filter(learned_on__range=(start, end)).count()
    hours = (Decimal(found["minutes"] or 0) / Decimal(60)).quantize(Decimal("0.01"))
    return Totals(
        year_label=f"{start.year}–{str(end.year)[-2:]}",
        entries=count,
        hours=hours,
        counted_hours=Decimal(found["counted"] or 0).quantize(Decimal("0.01")),
    )


def rules_for(district: Any) -> InformalRules | None:
    return InformalRules.objects.filter(district=district).first()


def integrations(access: DistrictAccess) -> QuerySet[XapiIntegration]:
    return XapiIntegration.objects.filter(district=access.district).select_related("created_by")


def integration(access: DistrictAccess, public_id: Any) -> XapiIntegration:
    found = (
        integrations(access).filter(public_id=public_id_or_404(public_id, "integration")).first()
    )
    if found is None:
        raise Http404("No such integration.")
    return found
