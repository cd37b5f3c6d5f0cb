"""Renewal progress from the ledger: which rule set and cycle apply to an educator, their awards as
engine records, and the engine's answer. One educator at a time for the pages, in chunks for the
state export and the licences list (see docs/credit.md).

Both paths read the same plain rows (`AwardRow`, `LicenseRow`), so a page and the export can
never disagree about what counts.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from trellis.credit.models import CreditAward, CreditSettings, License
from trellis.credit.positions import POSITION_ROLES, default_rule_set_key
from trellis.credit.queries.rows import (
    LICENSE_FIELDS,
    AwardRow,
    LicenseRow,
    awards_of,
    learning_records,
    unit_amount,
)
from trellis.credit.rules import (
    RULE_SETS,
    RenewalCycle,
    RenewalProgress,
    RuleSet,
    Unit,
    renewal_progress,
)
from trellis.credit.rules.wording import day
from trellis.districts.queries import DistrictAccess
from trellis.growth.models import EducatorProfile, Position

ZERO = Decimal(0)
HUNDRED = Decimal(100)
# Tennessee leaves the cycle to the licence; without one, Trellis assumes this many years.
FALLBACK_CYCLE_YEARS = 5
# "Behind pace": the counted share trails the share of the cycle already gone by this many points.
PACE_TOLERANCE = Decimal(10)
SCHOOL_YEAR_START_MONTH = 7  # 1 July


def district_today(district: Any) -> dt.date:
    """Today in the district's own time zone (the server's when the zone name is unknown)."""
    try:
        zone = zoneinfo.ZoneInfo(district.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return timezone.localdate()
    return timezone.localdate(timezone=zone)


def credit_settings(district: Any) -> CreditSettings:
    """The district's credit settings, or an unsaved row holding the defaults."""
    return CreditSettings.objects.filter(district=district).first() or CreditSettings(
        district=district
    )


def jurisdiction_of(district: Any, settings_row: CreditSettings) -> str:
    return (settings_row.jurisdiction or district.state_code or "").upper()


JURISDICTION_NAMES = {
    rule_set.jurisdiction: rule_set.jurisdiction_name for rule_set in RULE_SETS.values()
}


def jurisdiction_name(code: str) -> str:
    return JURISDICTION_NAMES.get(code, code or "the district's state")


# ---------------------------------------------------------------------------------------------
# rule set and cycle
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSetChoice:
    rule_set: RuleSet | None
    source: str  # "licence", "position" or "" (none applies)
    explanation: str


def rule_set_choice(jurisdiction: str, license_row: Any, position: str | None) -> RuleSetChoice:
    """The licence's rule set, else the guess from the jurisdiction and position."""
    if license_row is not None:
        found = RULE_SETS.get(license_row.rule_set_key)
        if found is not None:
            return RuleSetChoice(found, "licence", "From the licence on record.")
        return RuleSetChoice(
            None,
            "",
            f"The licence on record names the rule set {license_row.rule_set_key}, which Trellis "
            "does not know, so only hours are shown. The district can correct the licence.",
        )
    key = default_rule_set_key(jurisdiction, position)
    if key is not None:
        found = RULE_SETS[key]
        return RuleSetChoice(
            found,
            "position",
            f"No licence is on record, so Trellis assumes the {found.jurisdiction_name} rules for "
            f"a {found.role_label}, from the position on the growth profile. If that is not the "
            "certificate held, the district records the licence under Credit & licences.",
        )
    name = jurisdiction_name(jurisdiction)
    if jurisdiction not in POSITION_ROLES:
        explanation = (
            f"Trellis has no renewal rules for {name} yet, so it shows hours without a "
            "requirement. Keep records of what the state asks for."
        )
    else:
        label = _position_label(position)
        explanation = (
            f"The {name} renewal rules in Trellis do not cover the position on the growth profile "
            f"({label}), so hours are shown without a requirement. If the certificate held needs "
            "renewal credit, the district records the licence under Credit & licences."
        )
    return RuleSetChoice(None, "", explanation)


def _position_label(position: str | None) -> str:
    try:
        return Position(position or "teacher").label.lower()
    except ValueError:
        return str(position)


def rule_set_for_educator(district: Any, educator: Any) -> RuleSet | None:
    """The rule set an educator renews under in this district (None: no shipped rule set)."""
    settings_row = credit_settings(district)
    license_row = License.objects.filter(district=district, educator=educator).first()
    position = None
    if license_row is None:
        position = (
            EducatorProfile.objects.filter(district=district, user=educator)
            .order_by("pk")
            .values_list("position", flat=True)
            .first()
        )
    jurisdiction = jurisdiction_of(district, settings_row)
    return rule_set_choice(jurisdiction, license_row, position).rule_set


@dataclass(frozen=True)
class CycleInfo:
    cycle: RenewalCycle
    source: str  # "licence", "district" or "school_year"
    explanation: str


def school_year_start(today: dt.date) -> dt.date:
    year = today.year if today.month >= SCHOOL_YEAR_START_MONTH else today.year - 1
    return dt.date(year, SCHOOL_YEAR_START_MONTH, 1)


def _rolled_forward(start: dt.date, years: int, today: dt.date) -> RenewalCycle:
    """The cycle of `years` from `start`, moved on whole cycles until it contains today."""
    cycle = RenewalCycle.of_years(start, years)
    while cycle.end < today:
        cycle = RenewalCycle.of_years(cycle.end + dt.timedelta(days=1), years)
    return cycle


def cycle_for_educator(
    rule_set: RuleSet, license_row: Any, settings_row: CreditSettings, today: dt.date
) -> CycleInfo:
    """The licence's dates; else the district's default start and the rule set's length (moved
    on to the cycle containing today); else a cycle from 1 July of the current school year."""
    if license_row is not None:
        return CycleInfo(
            RenewalCycle(license_row.cycle_start, license_row.cycle_end),
            "licence",
            "The dates of the licence on record.",
        )
    years = rule_set.cycle_years or FALLBACK_CYCLE_YEARS
    length = (
        f"{years} years"
        if rule_set.cycle_years
        else (
            f"{years} years (the {rule_set.jurisdiction_name} rules leave the length to the "
            "licence, and none is on record)"
        )
    )
    if settings_row.default_cycle_start is not None:
        cycle = _rolled_forward(settings_row.default_cycle_start, years, today)
        return CycleInfo(
            cycle,
            "district",
            f"No licence is on record, so Trellis uses the district's default cycle: {length} "
            f"from {day(settings_row.default_cycle_start)}, repeated up to the current one.",
        )
    start = school_year_start(today)
    return CycleInfo(
        RenewalCycle.of_years(start, years),
        "school_year",
        f"Neither a licence nor a district default cycle is on record, so Trellis counts {length} "
        f"from {day(start)}, the start of this school year. Learning before then is not counted.",
    )


# ---------------------------------------------------------------------------------------------
# one educator's renewal
# ---------------------------------------------------------------------------------------------


@dataclass
class Renewal:
    """An educator's renewal standing: the rule set and cycle that apply, the engine's progress
    (None when no rule set applies) and the awards it was computed from."""

    educator_id: int
    educator_name: str
    educator_email: str
    license: Any  # License (pages) or LicenseRow (bulk); None when none is on record
    jurisdiction: str
    choice: RuleSetChoice
    cycle: CycleInfo | None
    progress: RenewalProgress | None
    awards: list[AwardRow]
    today: dt.date

    @property
    def rule_set(self) -> RuleSet | None:
        return self.choice.rule_set

    @property
    def days_left(self) -> int | None:
        return (self.progress.deadline - self.today).days if self.progress else None

    @property
    def elapsed_percent(self) -> Decimal | None:
        """Share of the cycle gone by today, 0–100."""
        if self.cycle is None:
            return None
        cycle = self.cycle.cycle
        length = (cycle.end - cycle.start).days + 1
        gone = min(max((self.today - cycle.start).days + 1, 0), length)
        return (Decimal(gone) * HUNDRED / length).quantize(Decimal("0.1"))

    @property
    def status(self) -> str:
        """no_rule_set, complete, past_deadline, behind_pace or on_track."""
        progress = self.progress
        if progress is None:
            return "no_rule_set"
        if progress.complete:
            return "complete"
        if self.today > progress.deadline:
            return "past_deadline"
        elapsed = self.elapsed_percent or ZERO
        if progress.percent + PACE_TOLERANCE < elapsed:
            return "behind_pace"
        return "on_track"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def at_risk(self) -> bool:
        return self.status in ("past_deadline", "behind_pace")

    @property
    def hours_total(self) -> Decimal:
        return sum((award.hours for award in self.awards), ZERO)

    @property
    def totals_by_unit(self) -> list[tuple[str, Decimal, str]]:
        """(unit, amount, "12 clock hours") over every award, in unit order."""
        totals: dict[str, Decimal] = {}
        for award in self.awards:
            totals[award.unit] = totals.get(award.unit, ZERO) + award.amount
        order = {unit.value: index for index, unit in enumerate(Unit)}
        return [
            (unit, total, unit_amount(total, unit))
            for unit, total in sorted(totals.items(), key=lambda item: order.get(item[0], 99))
        ]


STATUS_LABELS = {
    "no_rule_set": "No requirement",
    "complete": "Complete",
    "past_deadline": "Past deadline",
    "behind_pace": "Behind pace",
    "on_track": "On track",
}


def evaluate(
    *,
    educator_id: int,
    educator_name: str,
    educator_email: str,
    jurisdiction: str,
    settings_row: CreditSettings,
    license_row: Any,
    position: str | None,
    awards: list[AwardRow],
    today: dt.date,
    cycles: dict[str, CycleInfo] | None = None,
) -> Renewal:
    """Renewal standing from plain inputs; `cycles` caches the default cycle per rule set."""
    choice = rule_set_choice(jurisdiction, license_row, position)
    cycle = progress = None
    if choice.rule_set is not None:
        rule_set = choice.rule_set
        if license_row is None and cycles is not None:
            cycle = cycles.get(rule_set.key)
            if cycle is None:
                cycle = cycles[rule_set.key] = cycle_for_educator(
                    rule_set, None, settings_row, today
                )
        else:
            cycle = cycle_for_educator(rule_set, license_row, settings_row, today)
        progress = renewal_progress(rule_set, cycle.cycle, learning_records(awards))
    return Renewal(
        educator_id=educator_id,
        educator_name=educator_name,
        educator_email=educator_email,
        license=license_row,
        jurisdiction=jurisdiction,
        choice=choice,
        cycle=cycle,
        progress=progress,
        awards=awards,
        today=today,
    )


def renewal_progress_for(
    access: DistrictAccess, educator: Any, *, today: dt.date | None = None
) -> Renewal:
    """The educator's renewal progress in the caller's district: four queries whatever the number
    of awards (settings, licence, profile position, awards)."""
    district = access.district
    settings_row = credit_settings(district)
    license_row = License.objects.filter(district=district, educator=educator).first()
    position = (
        EducatorProfile.objects.filter(district=district, user=educator)
        .order_by("pk")
        .values_list("position", flat=True)
        .first()
    )
    return evaluate(
        educator_id=educator.pk,
        educator_name=educator.full_name,
        educator_email=educator.email,
        jurisdiction=jurisdiction_of(district, settings_row),
        settings_row=settings_row,
        license_row=license_row,
        position=position,
        awards=awards_of(district, [educator.pk]),
        today=today or district_today(district),
    )


# ---------------------------------------------------------------------------------------------
# many educators: the export, the licences list, the benchmark
# ---------------------------------------------------------------------------------------------


def credited_educator_ids(district: Any) -> list[int]:
    """Educators with a non-revoked award or a licence in the district, by id."""
    awarded = CreditAward.objects.filter(district=district, revoked_at__isnull=True).values_list(
        "educator_id", flat=True
    )
    licensed = License.objects.filter(district=district).values_list("educator_id", flat=True)
    return sorted(set(awarded.distinct()) | set(licensed))


def renewal_progress_bulk(
    district: Any,
    *,
    educator_ids: Iterable[int] | None = None,
    today: dt.date | None = None,
    chunk_size: int = 1000,
) -> Iterator[Renewal]:
    """Renewal standing for many educators, in the order of `educator_ids` (default: everyone
    with an award or a licence, by id). Four queries per chunk (people, licences, positions,
    awards) and one chunk in memory at a time, so a district of 100,000 fits."""
    settings_row = credit_settings(district)
    jurisdiction = jurisdiction_of(district, settings_row)
    today = today or district_today(district)
    ids = list(educator_ids) if educator_ids is not None else credited_educator_ids(district)
    cycles: dict[str, CycleInfo] = {}
    user_model = get_user_model()
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        people = {
            pk: (name, email)
            for pk, name, email in user_model.objects.filter(pk__in=chunk).values_list(
                "pk", "full_name", "email"
            )
        }
        licenses = {
            row[0]: LicenseRow(*row)
            for row in License.objects.filter(district=district, educator_id__in=chunk).values_list(
                *LICENSE_FIELDS
            )
        }
        positions = dict(
            EducatorProfile.objects.filter(district=district, user_id__in=chunk)
            .order_by()
            .values_list("user_id", "position")
        )
        by_educator: dict[int, list[AwardRow]] = {}
        for award in awards_of(district, chunk):
            by_educator.setdefault(award.educator_id, []).append(award)
        for educator_id in chunk:
            name, email = people.get(educator_id, ("", ""))
            yield evaluate(
                educator_id=educator_id,
                educator_name=name,
                educator_email=email,
                jurisdiction=jurisdiction,
                settings_row=settings_row,
                license_row=licenses.get(educator_id),
                position=positions.get(educator_id),
                awards=by_educator.get(educator_id, []),
                today=today,
                cycles=cycles,
            )
