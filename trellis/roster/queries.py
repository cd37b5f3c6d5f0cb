"""Reads of roster imports, always within the caller's district (another district's: 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from trellis.core.ids import public_id_or_404
from trellis.districts.queries import DistrictAccess
from trellis.roster.models import RosterImport


def imports_for(access: DistrictAccess) -> QuerySet[RosterImport]:
    return RosterImport.objects.filter(district=access.district).select_related(
        "created_by", "applied_by"
    )


def get_import(access: DistrictAccess, public_id: Any) -> RosterImport:
    found = (
        imports_for(access).filter(public_id=public_id_or_404(public_id, "roster import")).first()
    )
    if found is None:
        raise Http404("No such roster import.")
    return found
