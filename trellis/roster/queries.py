"""Reads of roster imports, always within the caller's district (another district's: 404)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from trellis.districts.queries import DistrictAccess
from trellis.roster.models import RosterImport


def imports_for(access: DistrictAccess) -> QuerySet[RosterImport]:
    return RosterImport.objects.filter(district=access.district).select_related(
        "created_by", "applied_by"
    )


def get_import(access: DistrictAccess, public_id: Any) -> RosterImport:
    try:
        wanted = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404("No such roster import.") from None
    found = imports_for(access).filter(public_id=wanted).first()
    if found is None:
        raise Http404("No such roster import.")
    return found
