"""The catalog from CSV: create or update offerings by `id`.

Every row is checked first and nothing is written unless every row is valid; problems are
reported with their row number (the header is row 1) and column. The columns and the export are
in `catalog_csv_export`; a file exported and imported again changes nothing. See docs/catalog.md.
"""

from __future__ import annotations

import contextlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from trellis.audit import services as audit
from trellis.catalog.models import (
    ACTIVE,
    SEAT_HOLDING,
    Enrollment,
    Offering,
    OfferingSession,
    OfferingStatus,
)
from trellis.catalog.services.catalog_csv_export import (
    BOOLEAN_COLUMNS,
    COLUMNS,
    CSV_COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    NO,
    REQUIRED_COLUMNS,
    SEPARATOR,
    YES,
    export_catalog,
    template_csv,
)
from trellis.catalog.services.offering_fields import (
    DEFAULTS,
    LIST_CHOICES,
    ONE_CHOICE,
    TRANSITIONS,
    check_offering_fields,
    publish_problems,
)
from trellis.catalog.services.offerings import require_manager
from trellis.core.csvio import RowError, read_csv_numbered
from trellis.core.errors import DomainError
from trellis.districts.queries import DistrictAccess
from trellis.frameworks.models import Framework, FrameworkItem

__all__ = [
    "COLUMNS",
    "CSV_COLUMNS",
    "CatalogImportResult",
    "PlannedRow",
    "export_catalog",
    "import_catalog",
    "template_csv",
]


# ---------------------------------------------------------------------------------------------
# import
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedRow:
    row: int
    id: str
    title: str
    action: str  # "create", "update" or "unchanged"
    status: str
    changed: tuple[str, ...] = ()


@dataclass
class CatalogImportResult:
    rows: int
    planned: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    def _count(self, action: str) -> int:
        return sum(1 for p in self.planned if p.action == action)

    @property
    def created(self) -> int:
        return self._count("create")

    @property
    def updated(self) -> int:
        return self._count("update")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.errors


class _CompetencyCodes:
    """Codes of the adopted framework (human code or CASE identifier), and Trellis ids of any
    framework of the district."""

    def __init__(self, district: Any) -> None:
        self.district = district
        framework = Framework.objects.filter(district=district, is_adopted=True).first()
        self.by_code: dict[str, list[FrameworkItem]] = defaultdict(list)
        self.by_case: dict[str, FrameworkItem] = {}
        if framework is not None:
            for item in FrameworkItem.objects.filter(framework=framework):
                if item.human_code.strip():
                    self.by_code[item.human_code.strip().lower()].append(item)
                if item.case_identifier:
                    self.by_case[item.case_identifier.lower()] = item
        self._by_id: dict[uuid.UUID, FrameworkItem] | None = None

    def _ids(self) -> dict[uuid.UUID, FrameworkItem]:
        if self._by_id is None:
            self._by_id = {
                item.public_id: item
                for item in FrameworkItem.objects.filter(framework__district=self.district)
            }
        return self._by_id

    def resolve(self, token: str) -> tuple[FrameworkItem | None, str]:
        key = token.strip().lower()
        found = self.by_code.get(key, [])
        if len(found) == 1:
            return found[0], ""
        if len(found) > 1:
            return None, (
                f"The code “{token}” names {len(found)} items of the framework: use the CASE "
                "identifier instead."
            )
        if key in self.by_case:
            return self.by_case[key], ""
        try:
            item = self._ids().get(uuid.UUID(token.strip()))
        except ValueError:
            item = None
        if item is not None:
            return item, ""
        return None, f"Unknown competency “{token}” (not a code of the adopted framework)."


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(SEPARATOR) if part.strip()]


def _choice_value(token: str, choices: list[tuple[str, str]]) -> str:
    """A value given as the value or its label, any case; unknown tokens come back as given."""
    lowered = token.strip().lower()
    for value, label in choices:
        if lowered in (value.lower(), label.lower()):
            return value
    return token.strip()


def _current(offering: Offering | None) -> dict[str, Any]:
    if offering is None:
        return dict(DEFAULTS)
    values = {name: getattr(offering, name) for name in DEFAULTS}
    values.update(
        title=offering.title,
        kind=offering.kind,
        format=offering.format,
        hours=offering.hours,
        competencies=list(offering.competencies.all()),
    )
    return values


def _row_fields(
    row: dict[str, str], present: set[str], base: dict[str, Any], codes: _CompetencyCodes
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The offering's fields after this row (columns absent from the file keep `base`), and
    the problems only the CSV form can have (bad yes/no, unknown codes)."""
    fields = dict(base)
    problems: list[tuple[str, str]] = []
    for name in (
        "title",
        "summary",
        "description",
        "provider",
        "location",
        "link",
        "evidence_citation",
    ):
        if name in present:
            fields[name] = row.get(name, "")
    for name, (_label, choices) in ONE_CHOICE.items():
        if name in present:
            value = row.get(name, "")
            fields[name] = _choice_value(value, choices) if value else DEFAULTS.get(name, "")
    for name in ("hours", "cost", "credit_amount"):
        if name in present:
            value = row.get(name, "").replace("$", "").replace(",", "").strip()
            fields[name] = value if value else DEFAULTS.get(name, "")
    if "capacity" in present:
        fields["capacity"] = row.get("capacity", "") or None
    for name in BOOLEAN_COLUMNS:
        if name not in present:
            continue
        value = row.get(name, "").strip().lower()
        if value in YES:
            fields[name] = True
        elif value in NO:
            fields[name] = False
        elif not value:
            fields[name] = DEFAULTS[name]
        else:
            problems.append((name, f"“{row.get(name)}” is not yes or no."))
    for name, (_label, choices) in LIST_CHOICES.items():
        if name in present:
            fields[name] = [_choice_value(t, choices) for t in _split(row.get(name, ""))]
    for name in ("subjects", "topics"):
        if name in present:
            fields[name] = _split(row.get(name, ""))
    if "competencies" in present:
        items = []
        for token in _split(row.get("competencies", "")):
            item, problem = codes.resolve(token)
            if problem:
                problems.append(("competencies", problem))
            elif item is not None:
                items.append(item)
        fields["competencies"] = items
    return fields, problems


def _changes(offering: Offering, clean: dict[str, Any]) -> list[str]:
    changed = [
        name
        for name, value in clean.items()
        if name != "competencies" and getattr(offering, name) != value
    ]
    if {i.pk for i in offering.competencies.all()} != {i.pk for i in clean["competencies"]}:
        changed.append("competencies")
    return changed


@dataclass
class _Checked:
    planned: PlannedRow
    offering: Offering | None
    clean: dict[str, Any]
    source_id: str


def import_catalog(
    *, access: DistrictAccess, actor: Any, data: bytes, dry_run: bool = False
) -> CatalogImportResult:
    """Create or update offerings from CSV (see CSV_COLUMNS). All rows or none."""
    require_manager(access)
    district = access.district
    rows = read_csv_numbered(data, required_columns=REQUIRED_COLUMNS, max_bytes=MAX_BYTES)
    if not rows:
        raise DomainError("no_rows", "The file has a header but no offerings.")
    if len(rows) > MAX_ROWS:
        raise DomainError(
            "too_many_rows",
            f"At most {MAX_ROWS} offerings per file ({len(rows)} given); split the file.",
        )
    present = set(rows[0][1])
    result = CatalogImportResult(rows=len(rows), dry_run=dry_run)
    ids = [row.get("id", "").strip() for _n, row in rows]
    uuids = []
    for value in ids:
        with contextlib.suppress(ValueError):
            uuids.append(uuid.UUID(value))
    existing = {
        o.pk: o
        for o in Offering.objects.filter(district=district)
        .filter(Q(source_id__in=[i for i in ids if i]) | Q(public_id__in=uuids))
        .prefetch_related("competencies")
    }
    by_source = {o.source_id: o for o in existing.values() if o.source_id}
    by_public = {str(o.public_id): o for o in existing.values()}
    sessions = dict(
        OfferingSession.objects.filter(
            offering_id__in=list(existing), status=OfferingSession.Status.SCHEDULED
        )
        .order_by()
        .values_list("offering_id")
        .annotate(n=Count("pk"))
        .values_list("offering_id", "n")
    )
    enrolled = defaultdict(lambda: {"active": 0, "seats": 0})
    for offering_id, status, n in (
        Enrollment.objects.filter(offering_id__in=list(existing), status__in=ACTIVE)
        .order_by()
        .values_list("offering_id", "status")
        .annotate(n=Count("pk"))
    ):
        enrolled[offering_id]["active"] += n
        if status in SEAT_HOLDING:
            enrolled[offering_id]["seats"] += n
    codes = _CompetencyCodes(district)
    seen: dict[str, int] = {}
    checked: list[_Checked] = []

    for number, row in rows:
        row_id = row.get("id", "").strip()
        errors: list[RowError] = []

        def add(column: str, message: str, number: int = number, errors: list = errors) -> None:
            errors.append(RowError(row=number, column=column, message=message))

        if not row_id:
            add("id", "Give the offering an id (any text unique in your catalog).")
        elif len(row_id) > 100:
            add("id", "The id is too long: at most 100 characters.")
        elif row_id.lower() in seen:
            add("id", f"The id “{row_id}” is also on row {seen[row_id.lower()]}.")
        else:
            seen[row_id.lower()] = number
        offering = by_source.get(row_id) or by_public.get(row_id.lower())
        fields, problems = _row_fields(row, present, _current(offering), codes)
        for column, message in problems:
            add(column, message)
        clean, field_problems = check_offering_fields(district, fields)
        for problem in field_problems:
            if not any(e.column == problem.field for e in errors):
                add(problem.field, problem.message)

        status_text = row.get("status", "").strip().lower() if "status" in present else ""
        status = _choice_value(status_text, list(OfferingStatus.choices)) if status_text else ""
        current = offering.status if offering else ""
        status = status or current or OfferingStatus.DRAFT
        if status not in OfferingStatus.values:
            add(
                "status",
                f"Unknown status “{status_text}”. Choose one of: "
                + ", ".join(OfferingStatus.values)
                + ".",
            )
        elif offering is not None and status != current and status not in TRANSITIONS[current]:
            allowed = (
                " or ".join(OfferingStatus(s).label.lower() for s in TRANSITIONS[current])
                or "no other status"
            )
            add(
                "status",
                f"The offering is {OfferingStatus(current).label.lower()}; it can move to "
                f"{allowed}, not {OfferingStatus(status).label.lower()}.",
            )
        elif status == OfferingStatus.PUBLISHED and not field_problems:
            needs = publish_problems(
                kind=clean["kind"],
                hours=clean["hours"],
                provider=clean["provider"],
                description=clean["description"],
                scheduled_sessions=sessions.get(offering.pk, 0) if offering else 0,
            )
            if needs:
                add("status", "Cannot be published yet: " + " ".join(needs))
        if offering is not None and not field_problems:
            counts = enrolled[offering.pk]
            if counts["active"] and clean["registration"] != offering.registration:
                add("registration", "People are enrolled, so the registration cannot change.")
            if clean["capacity"] is not None and clean["capacity"] < counts["seats"]:
                add("capacity", f"{counts['seats']} seats are taken: the capacity cannot be less.")

        if errors:
            result.errors.extend(errors)
            continue
        if offering is None:
            action, changed = "create", ()
        else:
            changed = tuple(_changes(offering, clean) + (["status"] if status != current else []))
            action = "update" if changed else "unchanged"
        planned = PlannedRow(
            row=number,
            id=row_id,
            title=clean["title"],
            action=action,
            status=status,
            changed=changed,
        )
        result.planned.append(planned)
        checked.append(_Checked(planned, offering, clean, row_id))

    if result.errors or dry_run:
        return result
    _write(access=access, actor=actor, checked=checked, result=result)
    return result


@transaction.atomic
def _write(
    *, access: DistrictAccess, actor: Any, checked: list[_Checked], result: CatalogImportResult
) -> None:
    now = timezone.now()
    creator = actor if getattr(actor, "is_authenticated", False) else None
    for item in checked:
        planned, clean = item.planned, item.clean
        if planned.action == "unchanged":
            continue
        offering = item.offering or Offering(
            district=access.district, created_by=creator, source_id=item.source_id
        )
        for name, value in clean.items():
            if name != "competencies":
                setattr(offering, name, value)
        if planned.status != offering.status or offering.pk is None:
            if planned.status == OfferingStatus.PUBLISHED and offering.published_at is None:
                offering.published_at = now
            offering.status = planned.status
        offering.save()
        offering.competencies.set(clean["competencies"])
    audit.record(
        action="offering.imported",
        summary=f"Imported the catalog from CSV: {result.created} created, {result.updated} "
        f"updated, {result.unchanged} unchanged",
        actor=actor,
        district=access.district,
        data={"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
