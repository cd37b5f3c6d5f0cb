"""Salary-lane standing: the district's lanes and how far an educator's credit takes them.

Salary-lane credits = clock hours of learning ÷ the district's hours per salary credit (rounded
down to 0.01), plus awards recorded directly in salary-lane credits (their hours are not counted
again). Micro-credentials count as in the transcript. A lane is reached when either of its
requirements is met; the current lane is the highest reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.http import Http404

from trellis.core.ids import public_id_or_404
from trellis.credit.models import SalaryLane
from trellis.credit.queries.renewal import ZERO, credit_settings
from trellis.credit.queries.rows import AwardRow, awards_of
from trellis.credit.queries.transcript import micro_credential_count
from trellis.credit.rules import Unit
from trellis.credit.rules.wording import number
from trellis.districts.queries import DistrictAccess

CENT = Decimal("0.01")


def salary_lanes(district: Any) -> list[SalaryLane]:
    return list(SalaryLane.objects.filter(district=district).order_by("position"))


@dataclass(frozen=True)
class LaneRow:
    lane: SalaryLane
    reached: bool
    current: bool


@dataclass(frozen=True)
class LaneStanding:
    lanes: list[LaneRow]
    hours: Decimal  # clock hours feeding salary-lane credits
    hours_per_credit: Decimal
    direct_credits: Decimal  # awards recorded in salary-lane credits
    credits: Decimal
    micro_credentials: int
    current: SalaryLane | None
    next: SalaryLane | None
    missing: str  # what it takes to reach the next lane; "" at the top or with no lanes


def reaches(lane: SalaryLane, credits: Decimal, micro_credentials: int) -> bool:
    by_credits = lane.credits_required is not None and credits >= lane.credits_required
    by_micro = (
        lane.micro_credentials_required is not None
        and micro_credentials >= lane.micro_credentials_required
    )
    return by_credits or by_micro


def what_is_missing(lane: SalaryLane, credits: Decimal, micro_credentials: int) -> str:
    """ "12 more salary-lane credits or 4 more micro-credentials to reach Master's equivalent." """
    options = []
    if lane.credits_required is not None:
        need = lane.credits_required - credits
        options.append(f"{number(need)} more salary-lane credit{'' if need == 1 else 's'}")
    if lane.micro_credentials_required is not None:
        need_mc = lane.micro_credentials_required - micro_credentials
        options.append(f"{need_mc} more micro-credential{'' if need_mc == 1 else 's'}")
    return f"{' or '.join(options)} to reach {lane.name}."


def standing_from(
    lanes: list[SalaryLane], awards: list[AwardRow], hours_per_credit: Decimal
) -> LaneStanding:
    hours = sum((a.hours for a in awards if a.unit != Unit.SALARY_CREDIT), ZERO)
    direct = sum((a.amount for a in awards if a.unit == Unit.SALARY_CREDIT), ZERO)
    from_hours = (hours / hours_per_credit).quantize(CENT, rounding=ROUND_DOWN)
    credits = from_hours + direct
    micro = micro_credential_count(awards)
    reached = [reaches(lane, credits, micro) for lane in lanes]
    current_index = max((i for i, hit in enumerate(reached) if hit), default=-1)
    current = lanes[current_index] if current_index >= 0 else None
    following = lanes[current_index + 1] if current_index + 1 < len(lanes) else None
    return LaneStanding(
        lanes=[
            LaneRow(lane, hit, index == current_index)
            for index, (lane, hit) in enumerate(zip(lanes, reached, strict=True))
        ],
        hours=hours,
        hours_per_credit=hours_per_credit,
        direct_credits=direct,
        credits=credits,
        micro_credentials=micro,
        current=current,
        next=following,
        missing=what_is_missing(following, credits, micro) if following else "",
    )


def lane_standing(access: DistrictAccess, educator: Any) -> LaneStanding:
    """Where the educator stands on the caller's district's lanes (three queries)."""
    district = access.district
    settings_row = credit_settings(district)
    awards = awards_of(district, [educator.pk])
    return standing_from(salary_lanes(district), awards, settings_row.hours_per_salary_credit)


def get_lane(access: DistrictAccess, public_id: Any) -> SalaryLane:
    lane = SalaryLane.objects.filter(
        district=access.district, public_id=public_id_or_404(public_id, "salary lane")
    ).first()
    if lane is None:
        raise Http404("No such salary lane.")
    return lane
