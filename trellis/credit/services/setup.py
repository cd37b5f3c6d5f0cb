"""The district's credit setup (MANAGE_CREDIT): settings, licences and salary lanes."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from trellis.audit import services as audit
from trellis.core.errors import DomainError
from trellis.credit.models import CreditSettings, License, SalaryLane
from trellis.credit.rules import RULE_SETS, RenewalCycle
from trellis.credit.rules.wording import number as plain_number
from trellis.credit.services._common import (
    MAX_CYCLE_YEARS,
    MAX_SALARY_CREDIT_HOURS,
    _require_manager,
    _require_member,
)
from trellis.credit.validation import (
    LaneSpec,
    clean_date,
    clean_decimal,
    clean_lane,
    clean_lanes,
    clean_text,
)
from trellis.districts.queries import DistrictAccess

JURISDICTIONS = frozenset(rule_set.jurisdiction for rule_set in RULE_SETS.values())


@transaction.atomic
def update_credit_settings(
    *,
    access: DistrictAccess,
    actor: Any,
    jurisdiction: str,
    default_cycle_start: dt.date | str | None,
    hours_per_salary_credit: Any,
) -> CreditSettings:
    """Which state's rules apply (blank: the district's state), the default cycle start for
    educators without a licence, and the clock hours worth one salary-lane credit."""
    _require_manager(access)
    code = str(jurisdiction or "").strip().upper()
    known = sorted(JURISDICTIONS)
    if code and code not in JURISDICTIONS:
        raise DomainError(
            "unknown_jurisdiction",
            f"Trellis has no renewal rules for “{code}”; it ships {', '.join(known)}. Leave it "
            f"empty to use the district's state ({access.district.state_code}).",
            details={"field": "jurisdiction"},
        )
    start = (
        None
        if default_cycle_start in (None, "")
        else clean_date(
            default_cycle_start, field="default_cycle_start", label="default cycle start"
        )
    )
    hours = clean_decimal(
        hours_per_salary_credit,
        field="hours_per_salary_credit",
        label="hours per salary-lane credit",
        max_value=MAX_SALARY_CREDIT_HOURS,
    )
    row = CreditSettings.objects.select_for_update().filter(
        district=access.district
    ).first() or CreditSettings(district=access.district)
    before = _settings_facts(row)
    row.jurisdiction, row.default_cycle_start, row.hours_per_salary_credit = code, start, hours
    after = _settings_facts(row)
    if row.pk is not None and before == after:
        return row
    row.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    row.save()
    audit.record(
        action="credit.settings_changed",
        summary=f"Credit settings: rules {code or 'of the district state'}, "
        f"{plain_number(hours)} hours per salary-lane credit",
        actor=actor,
        district=access.district,
        target=row,
        target_label=f"Credit settings of {access.district.name}",
        data={"before": before, "after": after},
    )
    return row


def _settings_facts(row: CreditSettings) -> dict[str, str]:
    return {
        "jurisdiction": row.jurisdiction,
        "default_cycle_start": row.default_cycle_start.isoformat()
        if row.default_cycle_start
        else "",
        "hours_per_salary_credit": plain_number(Decimal(row.hours_per_salary_credit)),
    }


@transaction.atomic
def set_license(
    *,
    access: DistrictAccess,
    actor: Any,
    educator: Any,
    rule_set_key: str,
    number: str = "",
    cycle_start: dt.date | str,
    cycle_end: dt.date | str | None = None,
) -> License:
    """Record or replace an educator's licence. Without an end date the cycle runs the rule
    set's years from the start (Tennessee's rules fix none, so its licences need the end)."""
    _require_manager(access)
    _require_member(access, educator)
    rule_set = RULE_SETS.get(str(rule_set_key or "").strip())
    if rule_set is None:
        raise DomainError(
            "unknown_rule_set",
            f"Choose one of the rule sets Trellis ships ({', '.join(sorted(RULE_SETS))}), "
            f"not “{rule_set_key}”.",
            details={"field": "rule_set_key"},
        )
    certificate = clean_text(
        number, field="number", label="certificate number", max_length=60, required=False
    )
    start = clean_date(cycle_start, field="cycle_start", label="cycle start")
    if cycle_end in (None, ""):
        if rule_set.cycle_years is None:
            raise DomainError(
                "cycle_end_required",
                f"The {rule_set.jurisdiction_name} rules leave the cycle to the licence: enter "
                "the date the licence expires.",
                details={"field": "cycle_end"},
            )
        end = RenewalCycle.of_years(start, rule_set.cycle_years).end
    else:
        end = clean_date(cycle_end, field="cycle_end", label="cycle end")
    if end < start:
        raise DomainError(
            "cycle_end_before_start",
            f"The cycle ends ({end.isoformat()}) before it starts ({start.isoformat()}).",
            details={"field": "cycle_end"},
        )
    if end > RenewalCycle.of_years(start, MAX_CYCLE_YEARS).end:
        raise DomainError(
            "cycle_too_long",
            f"A renewal cycle of more than {MAX_CYCLE_YEARS} years ({start.isoformat()} to "
            f"{end.isoformat()}) is probably a typo; check the dates.",
            details={"field": "cycle_end"},
        )
    found = (
        License.objects.select_for_update()
        .filter(district=access.district, educator=educator)
        .first()
    )
    before = _license_facts(found) if found else None
    found = found or License(district=access.district, educator=educator)
    found.rule_set_key, found.number = rule_set.key, certificate
    found.cycle_start, found.cycle_end = start, end
    after = _license_facts(found)
    if before == after:
        return found
    found.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    found.save()
    audit.record(
        action="credit.license_set",
        summary=f"Licence {rule_set.key}, cycle {start.isoformat()} to {end.isoformat()}",
        actor=actor,
        subject=educator,
        district=access.district,
        target=found,
        target_label=f"Licence of {educator}",
        data={"before": before, "after": after},
    )
    return found


def _license_facts(row: License) -> dict[str, str]:
    return {
        "rule_set_key": row.rule_set_key,
        "number": row.number,
        "cycle_start": row.cycle_start.isoformat(),
        "cycle_end": row.cycle_end.isoformat(),
    }


@transaction.atomic
def remove_license(*, access: DistrictAccess, actor: Any, educator: Any) -> None:
    """Forget an educator's licence: their progress falls back to the district's defaults."""
    _require_manager(access)
    found = License.objects.filter(district=access.district, educator=educator).first()
    if found is None:
        raise DomainError("no_license", f"No licence is on record for {educator}.")
    facts = _license_facts(found)
    found.delete()
    audit.record(
        action="credit.license_removed",
        summary=f"Licence {facts['rule_set_key']} removed",
        actor=actor,
        subject=educator,
        district=access.district,
        target_label=f"Licence of {educator}",
        data={"before": facts},
    )


# salary lanes ---------------------------------------------------------------------------------


def _lane_facts(lane: SalaryLane | LaneSpec) -> dict[str, Any]:
    credits = lane.credits_required
    return {
        "name": lane.name,
        "position": lane.position,
        "credits_required": plain_number(Decimal(credits)) if credits is not None else None,
        "micro_credentials_required": lane.micro_credentials_required,
    }


def _spec_of(lane: SalaryLane) -> LaneSpec:
    return LaneSpec(
        lane.name,
        lane.position,
        lane.credits_required,
        lane.micro_credentials_required,
        lane.description,
        lane.public_id,
    )


@transaction.atomic
def set_salary_lanes(
    *, access: DistrictAccess, actor: Any, lanes: Sequence[LaneSpec | dict[str, Any]]
) -> list[SalaryLane]:
    """Replace the district's salary lanes with `lanes`: entries naming an existing lane's
    `public_id` update it, the others are new, and lanes left out are deleted."""
    _require_manager(access)
    existing = {
        lane.public_id: lane
        for lane in SalaryLane.objects.select_for_update().filter(district=access.district)
    }
    wanted = clean_lanes(lanes)
    for spec in wanted:
        if spec.public_id is not None and _uuid(spec.public_id) not in existing:
            raise DomainError(
                "unknown_lane",
                f"“{spec.name}” names a lane that is not one of {access.district.name}'s.",
                details={"field": "public_id"},
            )
    before = [_lane_facts(lane) for lane in sorted(existing.values(), key=lambda x: x.position)]
    kept = {_uuid(spec.public_id) for spec in wanted if spec.public_id is not None}
    SalaryLane.objects.filter(district=access.district).exclude(public_id__in=kept).delete()
    # Park kept lanes on free positions first, so swapping two positions never collides.
    for offset, public_id in enumerate(kept):
        SalaryLane.objects.filter(public_id=public_id).update(position=20000 + offset)
    saved = []
    for spec in wanted:
        lane = existing.get(_uuid(spec.public_id)) if spec.public_id is not None else None
        lane = lane or SalaryLane(district=access.district)
        lane.name, lane.position, lane.description = spec.name, spec.position, spec.description
        lane.credits_required = spec.credits_required
        lane.micro_credentials_required = spec.micro_credentials_required
        lane.save()
        saved.append(lane)
    after = [_lane_facts(lane) for lane in saved]
    if before != after:
        audit.record(
            action="credit.salary_lanes_changed",
            summary=f"Salary lanes: {', '.join(lane.name for lane in saved) or 'none'}",
            actor=actor,
            district=access.district,
            target_label=f"Salary lanes of {access.district.name}",
            data={"before": before, "after": after},
        )
    return saved


def _uuid(value: Any) -> Any:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise DomainError(
            "unknown_lane", f"“{value}” is not a lane id.", details={"field": "public_id"}
        ) from None


def _current_specs(access: DistrictAccess) -> list[LaneSpec]:
    return [
        _spec_of(lane)
        for lane in SalaryLane.objects.select_for_update()
        .filter(district=access.district)
        .order_by("position")
    ]


def add_salary_lane(*, access: DistrictAccess, actor: Any, **fields: Any) -> SalaryLane:
    """Add one lane (name, position, credits_required, micro_credentials_required, description)."""
    with transaction.atomic():
        _require_manager(access)
        specs = [*_current_specs(access), LaneSpec(**{**fields, "public_id": None})]
        saved = set_salary_lanes(access=access, actor=actor, lanes=specs)
    return next(lane for lane in saved if lane.name == clean_lane(specs[-1]).name)


def update_salary_lane(
    *, access: DistrictAccess, actor: Any, lane: SalaryLane, **fields: Any
) -> SalaryLane:
    with transaction.atomic():
        _require_manager(access)
        if lane.district_id != access.district.pk:
            raise DomainError("unknown_lane", "That lane is not one of this district's.")
        specs = [
            LaneSpec(**{**fields, "public_id": spec.public_id})
            if spec.public_id == lane.public_id
            else spec
            for spec in _current_specs(access)
        ]
        saved = set_salary_lanes(access=access, actor=actor, lanes=specs)
    return next(item for item in saved if item.public_id == lane.public_id)


def delete_salary_lane(*, access: DistrictAccess, actor: Any, lane: SalaryLane) -> None:
    with transaction.atomic():
        _require_manager(access)
        if lane.district_id != access.district.pk:
            raise DomainError("unknown_lane", "That lane is not one of this district's.")
        specs = [spec for spec in _current_specs(access) if spec.public_id != lane.public_id]
        set_salary_lanes(access=access, actor=actor, lanes=specs)


# the ledger ---------------------------------------------------------------------------------
