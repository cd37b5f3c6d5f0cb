"""Who sees which part of the district's reports.

A district PD leader (`VIEW_REPORTS`) sees the whole district; a principal
(`VIEW_SCHOOL_REPORTS` only) sees the school(s) their roles are tied to; anyone else none of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from trellis.core.errors import PermissionDenied
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess


@dataclass(frozen=True)
class ReportScope:
    """`school_ids` None: the whole district; otherwise only these schools (possibly none)."""

    school_ids: frozenset[int] | None

    @property
    def whole_district(self) -> bool:
        return self.school_ids is None

    def allows_school(self, school_id: int | None) -> bool:
        return self.school_ids is None or (school_id is not None and school_id in self.school_ids)


def can_view_reports(access: DistrictAccess | None) -> bool:
    return access is not None and (
        access.can(Perm.VIEW_REPORTS) or access.can(Perm.VIEW_SCHOOL_REPORTS)
    )


def report_scope(access: DistrictAccess) -> ReportScope:
    """The part of the district the caller may report on; 403 for roles without reports."""
    if access.can(Perm.VIEW_REPORTS):
        return ReportScope(school_ids=None)
    if access.can(Perm.VIEW_SCHOOL_REPORTS):
        return ReportScope(school_ids=frozenset(access.school_ids))
    raise PermissionDenied("Reports are for district PD leaders and principals.")


def can_refresh(access: DistrictAccess) -> bool:
    """Only a district-wide reader may ask for a refresh (it recomputes the whole district)."""
    return access.can(Perm.VIEW_REPORTS)
