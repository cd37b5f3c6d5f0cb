"""Credit writes: the ledger (`ledger`: award_credit, outside credit, revoking) and the district's
credit setup (`setup`: settings, licences, salary lanes). Import from here."""

from trellis.credit.services._common import HOURS_PER_UNIT, MAX_AMOUNT
from trellis.credit.services.ledger import award_credit, record_external_credit, revoke_award
from trellis.credit.services.setup import (
    JURISDICTIONS,
    add_salary_lane,
    delete_salary_lane,
    remove_license,
    set_license,
    set_salary_lanes,
    update_credit_settings,
    update_salary_lane,
)

__all__ = [
    "HOURS_PER_UNIT",
    "JURISDICTIONS",
    "MAX_AMOUNT",
    "add_salary_lane",
    "award_credit",
    "delete_salary_lane",
    "record_external_credit",
    "remove_license",
    "revoke_award",
    "set_license",
    "set_salary_lanes",
    "update_credit_settings",
    "update_salary_lane",
]
