"""Tenant-scoped reads of credit: renewal progress, transcripts, salary lanes, licences.

`renewal` computes progress (one educator, or many in chunks); `transcript` and `lanes` build on
the same ledger rows; `manage` serves the district's credit pages, `imported` the review of
imported credentials.
"""

from trellis.credit.queries.imported import (
    ImportReview,
    get_import_for_review,
    imported_credit_on,
    imports_of,
)
from trellis.credit.queries.lanes import LaneStanding, get_lane, lane_standing, salary_lanes
from trellis.credit.queries.manage import (
    STATUS_FILTERS,
    LicenceListRow,
    district_educators,
    get_award,
    get_district_person,
    get_visible_person,
    ledger,
    licence_list,
    license_of,
)
from trellis.credit.queries.renewal import (
    CycleInfo,
    Renewal,
    credit_settings,
    credited_educator_ids,
    cycle_for_educator,
    district_today,
    jurisdiction_of,
    renewal_progress_bulk,
    renewal_progress_for,
    rule_set_for_educator,
)
from trellis.credit.queries.rows import AwardRow
from trellis.credit.queries.transcript import Transcript, TranscriptRow, transcript_for

__all__ = [
    "STATUS_FILTERS",
    "AwardRow",
    "CycleInfo",
    "ImportReview",
    "LaneStanding",
    "LicenceListRow",
    "Renewal",
    "Transcript",
    "TranscriptRow",
    "credit_settings",
    "credited_educator_ids",
    "cycle_for_educator",
    "district_educators",
    "district_today",
    "get_award",
    "get_district_person",
    "get_import_for_review",
    "get_lane",
    "get_visible_person",
    "imported_credit_on",
    "imports_of",
    "jurisdiction_of",
    "lane_standing",
    "ledger",
    "licence_list",
    "license_of",
    "renewal_progress_bulk",
    "renewal_progress_for",
    "rule_set_for_educator",
    "salary_lanes",
    "transcript_for",
]
