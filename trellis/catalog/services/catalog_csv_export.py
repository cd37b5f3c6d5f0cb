"""The catalog's CSV columns and its export (one offering per row, in the import's columns,
so an exported file imports back unchanged). See docs/catalog.md."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch

from trellis.catalog.models import Offering
from trellis.catalog.offering_choices import short_decimal
from trellis.catalog.services.offering_fields import LIST_CHOICES, ONE_CHOICE
from trellis.frameworks.models import FrameworkItem

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
SEPARATOR = ";"

# (column, what goes in it) — the import page and docs/catalog.md say the same.
CSV_COLUMNS: list[tuple[str, str]] = [
    (
        "id",
        "Required. Your identifier for the offering; a row whose id is already in the catalog "
        "updates that offering (offerings made in Trellis export their Trellis id).",
    ),
    ("title", "Required. At most 200 characters."),
    (
        "status",
        "draft, proposed, under_review, published or retired. Blank: draft for a new "
        "offering, unchanged for an existing one.",
    ),
    ("kind", "Required. " + ", ".join(v for v, _ in ONE_CHOICE["kind"][1]) + "."),
    ("format", "Required. " + ", ".join(v for v, _ in ONE_CHOICE["format"][1]) + "."),
    ("summary", "One sentence for the list, at most 300 characters."),
    ("description", "What participants do and take away (needed to publish)."),
    ("provider", "Who runs it (needed to publish)."),
    ("provider_approved", "yes or no: the provider is state-approved for renewal credit."),
    ("location", "Where it meets."),
    ("link", "A web address (https://…)."),
    ("hours", "Required. Expected hours, e.g. 6 or 7.5."),
    ("cost", "Per participant in dollars, e.g. 0 or 125.50."),
    ("during_school_hours", "yes or no: participants miss class time."),
    (
        "competencies",
        "Codes (e.g. 2.3) or CASE identifiers of the adopted framework's "
        "competencies, separated by ;.",
    ),
    (
        "grade_bands",
        "; separated: " + ", ".join(v for v, _ in LIST_CHOICES["grade_bands"][1]) + ".",
    ),
    ("subjects", "; separated, free text, e.g. Mathematics;Science."),
    ("positions", "; separated: " + ", ".join(v for v, _ in LIST_CHOICES["positions"][1]) + "."),
    (
        "career_stages",
        "; separated: " + ", ".join(v for v, _ in LIST_CHOICES["career_stages"][1]) + ".",
    ),
    (
        "students_served",
        "; separated: " + ", ".join(v for v, _ in LIST_CHOICES["students_served"][1]) + ".",
    ),
    ("evidence_tier", "1, 2, 3, 4 (ESSA tiers) or none."),
    ("evidence_citation", "The study behind the tier (required for tiers 1–4)."),
    (
        "design_features",
        "; separated: " + ", ".join(v for v, _ in LIST_CHOICES["design_features"][1]) + ".",
    ),
    ("credit_amount", "Credit on completion, e.g. 6."),
    ("credit_unit", ", ".join(v for v, _ in ONE_CHOICE["credit_unit"][1]) + "."),
    ("credit_category", ", ".join(v for v, _ in ONE_CHOICE["credit_category"][1]) + "."),
    ("topics", "; separated topic tags that renewal quotas count, e.g. ell."),
    ("registration", "whole (one registration for every session) or session (choose one)."),
    ("capacity", "Seats for a whole-offering registration; blank for no limit."),
    ("waitlist_enabled", "yes or no (blank: yes)."),
    ("enrolment_opens", "yes or no: educators may request to enrol (blank: yes)."),
    ("requires_reflection", "yes or no: completion needs a reflection or artifact."),
    ("leadership", "yes or no: a leadership path (assessor, PLC lead, presenter, mentor)."),
]
COLUMNS = [name for name, _help in CSV_COLUMNS]
REQUIRED_COLUMNS = {"id", "title", "kind", "format", "hours"}
BOOLEAN_COLUMNS = (
    "provider_approved",
    "during_school_hours",
    "waitlist_enabled",
    "enrolment_opens",
    "requires_reflection",
    "leadership",
)
LIST_COLUMNS = (*LIST_CHOICES, "subjects", "topics")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


# ---------------------------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------------------------


def competency_code(item: FrameworkItem, unique_codes: set[str]) -> str:
    """The item's code when it names one item of the framework, else its CASE identifier,
    else its Trellis id (all three are read back by the import)."""
    code = item.human_code.strip()
    if code and code.lower() in unique_codes:
        return code
    return item.case_identifier or str(item.public_id)


def _unique_codes(framework_ids: Iterable[int]) -> set[str]:
    counts: dict[str, int] = defaultdict(int)
    for code in FrameworkItem.objects.filter(framework_id__in=list(framework_ids)).values_list(
        "human_code", flat=True
    ):
        if code.strip():
            counts[code.strip().lower()] += 1
    return {code for code, n in counts.items() if n == 1}


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def export_row(offering: Offering, unique_codes: set[str]) -> list[str]:
    values = {
        "id": offering.source_id or str(offering.public_id),
        "competencies": SEPARATOR.join(
            competency_code(item, unique_codes) for item in offering.competencies.all()
        ),
        "hours": short_decimal(offering.hours),
        "cost": short_decimal(offering.cost),
        "credit_amount": short_decimal(offering.credit_amount),
        "capacity": "" if offering.capacity is None else str(offering.capacity),
    }
    for name in BOOLEAN_COLUMNS:
        values[name] = _yes_no(getattr(offering, name))
    for name in LIST_COLUMNS:
        values[name] = SEPARATOR.join(getattr(offering, name))
    return [values[name] if name in values else str(getattr(offering, name)) for name in COLUMNS]


def export_catalog(offerings: Any) -> str:
    """CSV text of these offerings (a queryset of one district), in the import's columns."""
    offerings = offerings.prefetch_related(
        Prefetch("competencies", FrameworkItem.objects.order_by("depth", "position", "id"))
    )
    rows = list(offerings)
    framework_ids = {item.framework_id for o in rows for item in o.competencies.all()}
    unique_codes = _unique_codes(framework_ids)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for offering in rows:
        writer.writerow(export_row(offering, unique_codes))
    return out.getvalue()


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    example = {
        "id": "PD-2026-014",
        "title": "Number talks in the middle grades",
        "status": "draft",
        "kind": "workshop_series",
        "format": "in_person",
        "summary": "Three evenings on short daily number talks.",
        "description": "Participants plan, rehearse and film number talks with feedback.",
        "provider": "District mathematics team",
        "provider_approved": "yes",
        "location": "Central office, room 4",
        "hours": "9",
        "cost": "0",
        "during_school_hours": "no",
        "competencies": "1.1;2.3",
        "grade_bands": "6_8",
        "subjects": "Mathematics",
        "positions": "teacher;coach",
        "career_stages": "novice;developing",
        "students_served": "english_learners",
        "evidence_tier": "3",
        "evidence_citation": "Parrish (2011), Number Talks: Building Numerical Reasoning.",
        "design_features": "content_focus;active_learning;collaboration;sustained",
        "credit_amount": "9",
        "credit_unit": "clock_hour",
        "credit_category": "workshop",
        "topics": "",
        "registration": "whole",
        "capacity": "30",
        "waitlist_enabled": "yes",
        "enrolment_opens": "yes",
        "requires_reflection": "no",
        "leadership": "no",
    }
    writer.writerow([example.get(name, "") for name in COLUMNS])
    return out.getvalue()
