"""Observation ratings imported from CSV: checked row by row, all or nothing, never overwritten."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.csvio import RowError, read_csv_numbered
from trellis.core.errors import DomainError
from trellis.districts.models import Membership
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess
from trellis.growth import queries
from trellis.growth.models import ObservationRating, ObserverRole
from trellis.growth.services._common import require_adopted_framework

OBSERVATION_COLUMNS = {
    "educator_email",
    "competency_code",
    "rating",
    "observed_on",
    "observer_role",
}
MAX_OBSERVATION_ROWS = 5000
MAX_OBSERVER_NAME = 150


@dataclass(frozen=True)
class ObservationRow:
    """A checked row, ready to write (shown in the dry-run preview)."""

    row: int
    educator: Any
    item: Any
    value: int
    level_label: str
    observed_on: dt.date
    observer_role: str
    observer_name: str

    @property
    def key(self) -> tuple[int, int, dt.date, str, str]:
        return (
            self.educator.pk,
            self.item.pk,
            self.observed_on,
            self.observer_role,
            self.observer_name,
        )

    @property
    def observer_role_label(self) -> str:
        return ObserverRole(self.observer_role).label


@dataclass
class ObservationImportResult:
    rows: int  # data rows in the file
    new: list[ObservationRow] = field(default_factory=list)  # would be / were written
    already_imported: int = 0  # identical rows found from an earlier import: skipped
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def written(self) -> int:
        return 0 if self.dry_run or self.errors else len(self.new)


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def import_observations(
    *, access: DistrictAccess, actor: Any, data: bytes, dry_run: bool = False
) -> ObservationImportResult:
    """Import observation ratings (columns: educator_email, competency_code, rating, observed_on,
    observer_role, observer_name optional). Every row is checked first; if any row is wrong,
    nothing is written and every problem is reported with its row and column. Rows already
    imported (same educator, competency, date, observer role and name) are skipped, so the same
    file can be imported twice without duplicates.
    """
    require(access, Perm.IMPORT_OBSERVATIONS)
    framework = require_adopted_framework(access)
    rows = read_csv_numbered(data, required_columns=OBSERVATION_COLUMNS)
    if not rows:
        raise DomainError("no_rows", "The file has a header but no ratings.")
    if len(rows) > MAX_OBSERVATION_ROWS:
        raise DomainError(
            "too_many_rows",
            f"At most {MAX_OBSERVATION_ROWS} ratings per file ({len(rows)} given); split the file.",
        )
    cmap = queries.competency_map(framework)
    labels = cmap.level_labels
    scale = ", ".join(str(value) for value in labels)
    codes: dict[str, list[Any]] = {}
    for item in cmap.competencies:
        for code in {item.human_code.strip().lower(), item.case_identifier.strip().lower()} - {""}:
            codes.setdefault(code, []).append(item)
    emails = {row.get("educator_email", "").strip().lower() for _n, row in rows} - {""}
    member_ids = Membership.objects.filter(district=access.district, is_active=True).values(
        "user_id"
    )
    people = {
        user.email.lower(): user
        for user in get_user_model().objects.filter(email__in=emails, pk__in=member_ids)
    }
    today = timezone.localdate()
    result = ObservationImportResult(rows=len(rows), dry_run=dry_run)
    first_seen: dict[tuple, int] = {}
    checked: list[ObservationRow] = []
    for number, row in rows:
        problems: list[RowError] = []
        email = row.get("educator_email", "").strip().lower()
        educator = people.get(email)
        if not email:
            problems.append(RowError(number, "educator_email", "The e-mail is empty."))
        elif educator is None:
            problems.append(
                RowError(
                    number,
                    "educator_email",
                    f"No one with the e-mail {email} works in this district.",
                )
            )
        code = row.get("competency_code", "").strip()
        matches = codes.get(code.lower(), [])
        if not code:
            problems.append(RowError(number, "competency_code", "The competency code is empty."))
        elif not matches:
            problems.append(
                RowError(
                    number,
                    "competency_code",
                    f"No competency with the code “{code}” in {framework.title}.",
                )
            )
        elif len(matches) > 1:
            problems.append(
                RowError(
                    number,
                    "competency_code",
                    f"The code “{code}” matches {len(matches)} competencies; use the CASE identifier.",
                )
            )
        raw_rating = row.get("rating", "").strip()
        value = int(raw_rating) if raw_rating.isdigit() else None
        if value not in labels:
            problems.append(
                RowError(
                    number,
                    "rating",
                    f"“{raw_rating}” is not a level of the scale; use one of {scale}.",
                )
            )
        raw_date = row.get("observed_on", "").strip()
        observed_on = _parse_date(raw_date)
        if observed_on is None:
            problems.append(
                RowError(
                    number,
                    "observed_on",
                    f"“{raw_date}” is not a date; write it as YYYY-MM-DD, e.g. 2025-03-14.",
                )
            )
        elif observed_on > today:
            problems.append(RowError(number, "observed_on", f"{raw_date} is in the future."))
        role = row.get("observer_role", "").strip().lower()
        if role not in ObserverRole.values:
            problems.append(
                RowError(
                    number,
                    "observer_role",
                    f"“{row.get('observer_role', '')}” is not an observer role; "
                    f"use one of {', '.join(ObserverRole.values)}.",
                )
            )
        name = " ".join(row.get("observer_name", "").split())
        if len(name) > MAX_OBSERVER_NAME:
            problems.append(
                RowError(
                    number,
                    "observer_name",
                    f"The name is too long: at most {MAX_OBSERVER_NAME} characters.",
                )
            )
        if problems:
            result.errors.extend(problems)
            continue
        checked_row = ObservationRow(
            row=number,
            educator=educator,
            item=matches[0],
            value=value,  # type: ignore[arg-type]
            level_label=labels[value],  # type: ignore[index]
            observed_on=observed_on,  # type: ignore[arg-type]
            observer_role=role,
            observer_name=name,
        )
        if checked_row.key in first_seen:
            result.errors.append(
                RowError(
                    number,
                    "educator_email",
                    f"This row repeats row {first_seen[checked_row.key]} (same educator, competency, "
                    "date and observer).",
                )
            )
            continue
        first_seen[checked_row.key] = number
        checked.append(checked_row)
    existing = {
        (r.educator_id, r.item_id, r.observed_on, r.observer_role, r.observer_name): r.value
        for r in ObservationRating.objects.filter(
            district=access.district, educator_id__in=[c.educator.pk for c in checked]
        )
    }
    for checked_row in checked:
        found = existing.get(checked_row.key)
        if found is None:
            result.new.append(checked_row)
        elif found == checked_row.value:
            result.already_imported += 1
        else:
            result.errors.append(
                RowError(
                    checked_row.row,
                    "rating",
                    f"A rating of {found} is already recorded for this educator, competency, date and "
                    "observer; ratings are never overwritten. If this is another observation, give "
                    "another date or observer_name.",
                )
            )
    result.errors.sort(key=lambda e: (e.row, e.column))
    if result.errors or dry_run or not result.new:
        return result
    _write(access, actor, framework, result)
    return result


@transaction.atomic
def _write(
    access: DistrictAccess, actor: Any, framework: Any, result: ObservationImportResult
) -> None:
    ObservationRating.objects.bulk_create(
        [
            ObservationRating(
                district=access.district,
                educator=row.educator,
                item=row.item,
                value=row.value,
                observed_on=row.observed_on,
                observer_role=row.observer_role,
                observer_name=row.observer_name,
                imported_by=actor,
            )
            for row in result.new
        ],
        ignore_conflicts=True,  # a concurrent import of the same rows must not fail or duplicate
    )
    audit.record(
        action="growth.observations_imported",
        summary=f"Imported {len(result.new)} observation rating(s) for "
        f"{len({row.educator.pk for row in result.new})} educator(s)",
        actor=actor,
        district=access.district,
        target=framework,
        data={
            "rows": result.rows,
            "created": len(result.new),
            "already_imported": result.already_imported,
        },
    )
