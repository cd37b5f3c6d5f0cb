"""The catalog as CSV: export, import (all rows or none), and the round trip."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from trellis.audit.models import AuditEvent
from trellis.catalog.models import EnrollmentStatus, Offering, OfferingStatus
from trellis.catalog.services.catalog_csv import COLUMNS, export_catalog, import_catalog
from trellis.catalog.tests.factories import (
    EnrollmentFactory,
    OfferingFactory,
    OfferingSessionFactory,
)
from trellis.core.errors import DomainError, PermissionDenied
from trellis.growth.tests.factories import build_framework

HEADER = "id,title,kind,format,hours"


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def snapshot() -> list[tuple]:
    return list(
        Offering.objects.order_by("pk").values_list(
            "pk", "title", "status", "hours", "cost", "grade_bands", "updated_at"
        )
    )


def run(cast, data: bytes, *, dry_run: bool = False, user=None):
    user = user or cast.dana
    return import_catalog(access=cast.access(user), actor=user, data=data, dry_run=dry_run)


# ---------------------------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------------------------


def test_the_export_writes_one_row_per_offering_in_the_import_columns(cast, client_for):
    built = build_framework(cast.district_a)
    o = OfferingFactory(
        district=cast.district_a,
        title="Number talks, part 1",
        hours=Decimal("7.50"),
        cost=Decimal("125.00"),
        grade_bands=["6_8", "9_12"],
        subjects=["Mathematics"],
        design_features=["content_focus", "coaching"],
        evidence_tier="2",
        evidence_citation='Smith, "Talk" (2020)',
        capacity=None,
        source_id="PD-14",
    )
    o.competencies.set([built.competencies[0], built.competencies[3]])
    OfferingFactory(district=cast.district_a, title="A draft", status="draft")
    OfferingFactory(district=cast.district_b, title="Not ours")

    response = client_for(cast.dana).get("/catalog/export.csv?status=any")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="northfield-catalog-')
    text = response.content.decode()
    assert text.splitlines()[0] == ",".join(COLUMNS)
    rows = rows_of(text)
    assert [r["title"] for r in rows] == ["A draft", "Number talks, part 1"]
    row = rows[1]
    assert row["id"] == "PD-14"
    assert row["hours"] == "7.5"
    assert row["cost"] == "125"
    assert row["grade_bands"] == "6_8;9_12"
    assert row["competencies"] == "1.1;2.2"
    assert row["design_features"] == "content_focus;coaching"
    assert row["evidence_citation"] == 'Smith, "Talk" (2020)'
    assert row["capacity"] == ""
    assert row["provider_approved"] == "no"
    assert row["waitlist_enabled"] == "yes"


def test_the_export_follows_the_list_filters(cast, client_for):
    OfferingFactory(district=cast.district_a, title="Workshop", kind="workshop")
    OfferingFactory(district=cast.district_a, title="Book", kind="book_study")
    text = client_for(cast.dana).get("/catalog/export.csv?kind=book_study").content.decode()
    assert [r["title"] for r in rows_of(text)] == ["Book"]


def test_an_offering_made_in_trellis_exports_its_trellis_id(cast):
    o = OfferingFactory(district=cast.district_a)
    rows = rows_of(export_catalog(Offering.objects.all()))
    assert rows[0]["id"] == str(o.public_id)


# ---------------------------------------------------------------------------------------------
# round trip
# ---------------------------------------------------------------------------------------------


def test_export_then_import_changes_nothing(cast):
    built = build_framework(cast.district_a)
    a = OfferingFactory(
        district=cast.district_a,
        title="Series",
        kind="workshop_series",
        grade_bands=["k_5"],
        topics=["ell"],
        subjects=["Reading", "Écriture"],
        evidence_tier="1",
        evidence_citation="A study.",
        capacity=25,
        provider_approved=True,
        link="https://example.org/series",
    )
    a.competencies.set(built.competencies[:3])
    OfferingSessionFactory(offering=a)
    OfferingFactory(district=cast.district_a, title="Self-paced", kind="self_paced", cost=9)
    OfferingFactory(district=cast.district_a, title="Idea", status="draft", source_id="X-1")
    before = snapshot()
    before_competencies = set(a.competencies.values_list("pk", flat=True))

    data = export_catalog(Offering.objects.filter(district=cast.district_a)).encode()
    result = run(cast, data)

    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert snapshot() == before
    assert set(a.competencies.values_list("pk", flat=True)) == before_competencies


def test_an_export_imports_into_another_district_as_new_offerings(cast):
    OfferingFactory(district=cast.district_a, title="Self-paced", kind="self_paced")
    OfferingFactory(district=cast.district_a, title="Idea", status="draft", source_id="X-1")
    data = export_catalog(Offering.objects.filter(district=cast.district_a)).encode()

    result = run(cast, data, user=cast.bea)

    assert result.errors == []
    assert result.created == 2
    copies = Offering.objects.filter(district=cast.district_b).order_by("title")
    assert [(o.title, o.status) for o in copies] == [("Idea", "draft"), ("Self-paced", "published")]
    assert copies[0].source_id == "X-1"


# ---------------------------------------------------------------------------------------------
# import
# ---------------------------------------------------------------------------------------------


def test_import_creates_and_updates_by_id(cast):
    built = build_framework(cast.district_a)
    existing = OfferingFactory(district=cast.district_a, source_id="PD-1", title="Old", hours=3)
    OfferingSessionFactory(offering=existing)
    data = csv_bytes(
        "id,title,kind,format,hours,competencies,grade_bands,provider_approved,status",
        f"PD-1,New title,workshop,in_person,4,1.1;{built.competencies[1].case_identifier},6_8,yes,",
        "PD-2,Brand new,book_study,plc,10.5,,Middle (6–8);k_5,,",
    )
    result = run(cast, data)

    assert result.errors == []
    assert [(p.row, p.action) for p in result.planned] == [(2, "update"), (3, "create")]
    existing.refresh_from_db()
    assert existing.title == "New title"
    assert existing.hours == Decimal(4)
    assert existing.status == OfferingStatus.PUBLISHED  # blank status: unchanged
    assert existing.provider_approved is True
    assert list(existing.competencies.order_by("pk")) == built.competencies[:2]
    assert existing.description  # a column not in the file keeps its value
    new = Offering.objects.get(source_id="PD-2")
    assert new.status == OfferingStatus.DRAFT
    assert new.grade_bands == ["6_8", "k_5"]
    assert new.created_by == cast.dana
    assert AuditEvent.objects.get(action="offering.imported").data == {
        "created": 1,
        "updated": 1,
        "unchanged": 0,
    }


def test_a_check_writes_nothing(cast):
    data = csv_bytes(HEADER, "PD-1,Title,workshop,in_person,3")
    result = run(cast, data, dry_run=True)
    assert result.errors == []
    assert result.created == 1
    assert not Offering.objects.exists()
    assert not AuditEvent.objects.exists()


def test_bad_rows_are_all_reported_and_nothing_is_written(cast):
    build_framework(cast.district_a)
    kept = OfferingFactory(district=cast.district_a, source_id="PD-1", title="Kept")
    OfferingSessionFactory(offering=kept)
    before = snapshot()
    data = csv_bytes(
        "id,title,kind,format,hours,cost,grade_bands,competencies,provider_approved,"
        "evidence_tier,status,capacity",
        "PD-1,Renamed,workshop,in_person,3,0,,,,none,,",  # fine on its own
        "PD-2,,webinar,in_person,lots,-4,13,9.9,perhaps,2,,0",
        "PD-3,Ok,workshop,in_person,2,0,,,,none,archived,",
        "pd-1,Again,workshop,in_person,2,0,,,,none,,",
        ",No id,workshop,in_person,2,0,,,,none,,",
        "PD-4,Publish me,workshop,in_person,2,0,,,,none,published,",
    )
    result = run(cast, data)

    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "provider_approved", "“perhaps” is not yes or no."),
        (3, "competencies", "Unknown competency “9.9” (not a code of the adopted framework)."),
        (3, "title", "Enter the title."),
        (
            3,
            "kind",
            "Unknown kind “webinar”. Choose one of: online_course, workshop, "
            "workshop_series, plc_cycle, coaching_cycle, micro_credential, self_paced, book_study, "
            "conference, external.",
        ),
        (3, "hours", "The number of hours must be a number."),
        (3, "cost", "The cost must be between 0 and 9999999.99 (-4 given)."),
        (3, "grade_bands", "Unknown grade band “13”. Choose from: pre_k, k_5, 6_8, 9_12."),
        (3, "capacity", "The capacity must be between 1 and 100000 seats, or empty for no limit."),
        (
            3,
            "evidence_citation",
            "Give the citation of the study behind the evidence tier (or "
            "choose “No evidence tier”).",
        ),
        (
            4,
            "status",
            "Unknown status “archived”. Choose one of: draft, proposed, under_review, "
            "published, retired.",
        ),
        (5, "id", "The id “pd-1” is also on row 2."),
        (6, "id", "Give the offering an id (any text unique in your catalog)."),
        (
            7,
            "status",
            "Cannot be published yet: Name the provider. Write a description. Add at least one "
            "session (a date when it meets).",
        ),
    ]
    assert snapshot() == before
    assert kept.title == "Kept"
    assert not AuditEvent.objects.exists()


def test_status_changes_follow_the_allowed_moves(cast):
    OfferingFactory(district=cast.district_a, source_id="D", status="draft")
    OfferingFactory(district=cast.district_a, source_id="P", status="proposed")
    data = csv_bytes(
        "id,title,kind,format,hours,status",
        "D,Draft,self_paced,self_paced,2,retired",
        "P,Proposal,self_paced,self_paced,2,under_review",
    )
    result = run(cast, data)
    assert [(e.row, e.message) for e in result.errors] == [
        (2, "The offering is draft; it can move to published or under review, not retired.")
    ]
    assert Offering.objects.get(source_id="P").status == "proposed"


def test_registration_and_capacity_respect_the_people_enrolled(cast):
    o = OfferingFactory(district=cast.district_a, source_id="E", capacity=10)
    OfferingSessionFactory(offering=o)
    for _ in range(3):
        EnrollmentFactory(offering=o, status=EnrollmentStatus.ENROLLED)
    data = csv_bytes(
        "id,title,kind,format,hours,registration,capacity",
        "E,Full,workshop,in_person,6,session,2",
    )
    result = run(cast, data)
    assert [(e.column, e.message) for e in result.errors] == [
        ("registration", "People are enrolled, so the registration cannot change."),
        ("capacity", "3 seats are taken: the capacity cannot be less."),
    ]


def test_an_ambiguous_competency_code_asks_for_the_case_identifier(cast):
    built = build_framework(cast.district_a)
    twin = built.competencies[1]
    twin.human_code = "1.1"
    twin.save()
    data = csv_bytes("id,title,kind,format,hours,competencies", "A,T,self_paced,self_paced,1,1.1")
    result = run(cast, data)
    assert [e.message for e in result.errors] == [
        "The code “1.1” names 2 items of the framework: use the CASE identifier instead."
    ]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"id,title\nA,B\n", "missing_columns"),
        (HEADER.encode() + b"\n", "no_rows"),
        (b"\xff\xfe\x00bad", "bad_encoding"),
    ],
)
def test_a_file_that_is_not_a_catalog_is_refused(cast, data, code):
    with pytest.raises(DomainError) as caught:
        run(cast, data)
    assert caught.value.code == code
    assert not Offering.objects.exists()


def test_only_managers_import(cast):
    with pytest.raises(PermissionDenied):
        run(cast, csv_bytes(HEADER, "A,T,workshop,in_person,1"), user=cast.alice)


# ---------------------------------------------------------------------------------------------
# the import page
# ---------------------------------------------------------------------------------------------


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("catalog.csv", data, content_type="text/csv")


def test_the_import_page_checks_then_imports(cast, client_for):
    client = client_for(cast.dana)
    data = csv_bytes(HEADER, "PD-1,Number talks,workshop,in_person,3")

    check = client.post("/catalog/manage/import/", {"file": upload(data), "action": "check"})
    assert check.status_code == 200
    assert "1 to create, 0 to update, 0 unchanged" in check.content.decode()
    assert not Offering.objects.exists()

    done = client.post("/catalog/manage/import/", {"file": upload(data), "action": "import"})
    assert done.status_code == 302
    assert Offering.objects.get().title == "Number talks"


def test_the_import_page_lists_row_problems(cast, client_for):
    data = csv_bytes(HEADER, "PD-1,Number talks,webinar,in_person,3")
    response = client_for(cast.dana).post(
        "/catalog/manage/import/", {"file": upload(data), "action": "import"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Rows to fix — nothing was imported" in html
    assert "<td>2</td><td>kind</td><td>Unknown kind “webinar”." in html
    assert not Offering.objects.exists()


def test_the_import_page_explains_a_file_level_problem(cast, client_for):
    response = client_for(cast.dana).post(
        "/catalog/manage/import/", {"file": upload(b"id,title\n"), "action": "import"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["Missing column(s): format, hours, kind."]


def test_the_template_imports_after_its_competency_codes_exist(cast, client_for):
    build_framework(cast.district_a, domains=2, per_domain=3)
    text = client_for(cast.dana).get("/catalog/manage/template.csv").content.decode()
    result = run(cast, text.encode())
    assert result.errors == []
    assert Offering.objects.get().title == "Number talks in the middle grades"
