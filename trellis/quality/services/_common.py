"""Guards shared by the quality services."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from trellis.districts.models import Role
from trellis.districts.queries import DistrictAccess


def own(access: DistrictAccess, obj: Any, what: str) -> None:
    """Another district's object does not exist, as far as this district can tell."""
    if obj.district_id != access.district.pk:
        raise Http404(f"No such {what}.")


def role_label(access: DistrictAccess) -> str:
    """The acting person's most senior role, for records like "vetted by a District PD leader"."""
    order = [Role.DISTRICT_ADMIN, Role.APPROVER, Role.COACH, Role.ASSESSOR, Role.EDUCATOR]
    for role in order:
        if role.value in access.roles:
            return str(role.label)
    return ""
