"""The reports pages: who sees what, filters and their errors, drill-down links, exports."""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import quote

import pypdf
import pytest
from django.urls import reverse

from trellis.audit.models import AuditEvent
from trellis.growth.models import Position
from trellis.reports.drill import drill_key
from trellis.reports.models import SummaryRefresh

pytestmark = pytest.mark.django_db
DASHBOARD = "/reports/"


def drill_links(html: str) -> list[str]:
    return re.findall(r'href="(/reports/drill/[^"]+)"', html)


def test_admin_sees_every_section_with_charts_tables_and_drill_links(known, client_for) -> None:
    response = client_for(known.cast.dana).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "Participation and hours",
        "Micro-credentials",
        "Licence renewal",
        "Competency need and supply",
        "Spending",
        "Quality",
    ):
        assert f">{heading}</h2>" in html
    assert html.count('role="img"') >= 8
    assert html.count("<caption") >= 10
    assert '<th scope="row">Northfield Middle</th>' in html.replace("\n        ", "")
    # the headline number of participants links to its list
    assert f'href="/reports/drill/{quote(drill_key("participants"), safe=":;=")}/"' in html
    assert "Refresh now" in html
    assert "Northfield Middle" in html
    assert "Southport" not in html.split("<main")[1]


def test_dashboard_query_count_is_bounded(known, client_for, django_assert_max_num_queries):
    client = client_for(known.cast.dana)
    # 68 today (16 tables, the headline strip, the filter choices, session and nav); most of it
    # is one refreshed_at read per table. Fixed: it does not grow with the number of rows.
    with django_assert_max_num_queries(72):
        assert client.get(DASHBOARD).status_code == 200
    principal = client_for(known.cast.pat)
    with django_assert_max_num_queries(72):
        assert principal.get(DASHBOARD).status_code == 200


def test_filtered_dashboard_carries_the_filters_into_links_and_exports(known, client_for):
    school = known.cast.middle_a.public_id
    html = (
        client_for(known.cast.dana)
        .get(DASHBOARD, {"school": school, "from": "2026-03-01"})
        .content.decode()
    )
    assert f'<option value="{school}" selected>Northfield Middle</option>' in html
    assert "Showing: From 2026-03-01; School Northfield Middle." in html
    links = drill_links(html)
    assert links
    assert all(f"from=2026-03-01&amp;school={school}" in link for link in links)
    assert (
        f"/reports/export/participation_by_school.csv?from=2026-03-01&amp;school={school}" in html
    )
    assert '<th scope="row">Northfield Elementary</th>' not in html.replace("\n        ", "")


def test_bad_filters_are_shown_per_field_and_nothing_else(known, client_for):
    response = client_for(known.cast.dana).get(
        DASHBOARD, {"from": "2026-13-01", "school": known.cast.school_b.public_id, "role": "wizard"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="filter-from-error"><li>The start date must be a date written YYYY-MM-DD' in html
    assert 'id="filter-school-error"><li>No such school in this district.</li>' in html
    assert 'id="filter-role-error"><li>Unknown role' in html
    assert 'aria-invalid="true" aria-describedby="filter-school-error"' in html
    assert "At a glance" not in html
    assert "Clear filters" in html


def test_principal_sees_only_their_school(known, client_for):
    client = client_for(known.cast.pat)
    html = client.get(DASHBOARD).content.decode()
    assert "Northfield Elementary" not in html
    assert "Refresh now" not in html
    assert "All schools" not in html
    response = client.get(DASHBOARD, {"school": known.cast.elementary_a.public_id})
    assert response.status_code == 400
    assert "You can only see reports for your own school." in response.content.decode()
    other = drill_key("participants", school=str(known.cast.elementary_a.public_id))
    assert client.get(reverse("reports:drill", args=[other])).status_code == 404
    assert client.post(reverse("reports:refresh")).status_code == 403


@pytest.mark.parametrize("who", ["alice", "carol", "ada", "eve"])
def test_educators_coaches_and_assessors_get_403(known, client_for, who):
    client = client_for(getattr(known.cast, who))
    for url in (
        DASHBOARD,
        reverse("reports:drill", args=[drill_key("participants")]),
        reverse("reports:export_csv", args=["participation_by_school"]),
        reverse("reports:export_all_xlsx"),
        reverse("reports:board_report"),
    ):
        assert client.get(url).status_code == 403, url


def test_another_districts_ids_are_404_or_a_clear_error(known, client_for):
    client = client_for(known.cast.dana)
    other = drill_key("participants", school=str(known.cast.school_b.public_id))
    assert client.get(reverse("reports:drill", args=[other])).status_code == 404
    assert client.get(reverse("reports:drill", args=["nonsense"])).status_code == 404
    assert client.get(reverse("reports:export_csv", args=["no_such_table"])).status_code == 404
    response = client.get(
        reverse("reports:export_csv", args=["participation_by_school"]),
        {"school": known.cast.school_b.public_id},
    )
    assert response.status_code == 400
    assert response.content.decode() == "Invalid filters: No such school in this district."


def test_drill_page_lists_the_people_behind_a_number(
    known, client_for, django_assert_max_num_queries
):
    key = drill_key("participants", school=str(known.cast.middle_a.public_id))
    client = client_for(known.cast.dana)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("reports:drill", args=[key]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice Archer" in html
    assert "Carol Cruz" in html
    assert "Eve Evans" not in html
    assert "<p><strong>School:</strong> Northfield Middle</p>" in html
    assert "No dashboard filters: everything you may see, all dates." in html
    assert f'href="/reports/drill/{quote(key, safe=":;=")}/export.csv"' in html
    assert 'href="/reports/#table-participation_over_time"' in html


def test_drill_page_says_which_part_of_a_figure_it_lists(known, client_for) -> None:
    key = drill_key(
        "participants",
        school=str(known.cast.middle_a.public_id),
        role=Position.TEACHER.value,
        month="2026-03",
    )
    html = client_for(known.cast.dana).get(reverse("reports:drill", args=[key])).content.decode()
    assert (
        "<p><strong>School:</strong> Northfield Middle; <strong>Role:</strong> Teacher; "
        "<strong>Month:</strong> March 2026</p>"
    ) in html
    key = drill_key("renewal", status="at_risk")
    html = client_for(known.cast.dana).get(reverse("reports:drill", args=[key])).content.decode()
    assert "<strong>Status:</strong> At risk (behind pace or past the deadline)" in html


def test_drill_csv_export(known, client_for):
    key = drill_key("participants", school=str(known.cast.middle_a.public_id))
    response = client_for(known.cast.dana).get(reverse("reports:drill_csv", args=[key]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="trellis-list-participants-\d{4}-\d\d-\d\d\.csv"',
        response["Content-Disposition"],
    )
    text = response.content.decode("utf-8-sig")
    assert "Alice Archer" in text
    assert "Carol Cruz" in text
    assert "Eve Evans" not in text


def test_table_csv_honours_filters(known, client_for):
    client = client_for(known.cast.dana)
    url = reverse("reports:export_csv", args=["participation_by_school"])
    all_rows = client.get(url).content.decode("utf-8-sig").splitlines()
    assert all_rows == [
        "School,Educators,Participants,Participation rate,Completions,Hours,Hours per educator",
        "Northfield Elementary,2,2,100%,1,4,2",
        "Northfield Middle,3,2,66.7%,1,9,3",
    ]
    one = client.get(url, {"school": known.cast.middle_a.public_id}).content.decode("utf-8-sig")
    assert one.splitlines()[1:] == ["Northfield Middle,3,2,66.7%,1,9,3"]


def test_xlsx_exports(known, client_for):
    client = client_for(known.cast.dana)
    response = client.get(reverse("reports:export_all_xlsx"))
    assert response.status_code == 200
    assert re.fullmatch(
        r'attachment; filename="trellis-reports-\d{4}-\d\d-\d\d\.xlsx"',
        response["Content-Disposition"],
    )
    book = zipfile.ZipFile(io.BytesIO(response.content))
    workbook = book.read("xl/workbook.xml").decode()
    assert 'name="Summary"' in workbook
    assert 'name="Participation by school"' in workbook
    assert workbook.count("<sheet ") == 17  # the summary and the 16 tables
    one = client.get(reverse("reports:export_xlsx", args=["spending_by_school"]))
    assert (
        zipfile.ZipFile(io.BytesIO(one.content)).read("xl/workbook.xml").decode().count("<sheet ")
        == 1
    )


def test_board_report_pdf(known, client_for):
    response = client_for(known.cast.pat).get(reverse("reports:board_report"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "Professional learning board report" in text
    assert "District Northfield" in text
    assert "Filters School: Northfield Middle" in text
    assert "Northfield Elementary" not in text


def test_refresh_now_queues_a_refresh_with_an_audit_row(known, client_for):
    client = client_for(known.cast.dana)
    response = client.post(
        reverse("reports:refresh"), {"school": str(known.cast.middle_a.public_id)}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/reports/?school={known.cast.middle_a.public_id}"
    assert SummaryRefresh.objects.get(district=known.cast.district_a).status in {
        "queued",
        "succeeded",
    }
    assert AuditEvent.objects.filter(action="reports.refresh_requested").count() == 1
    assert client.get(reverse("reports:refresh")).status_code == 405


def test_nav_shows_reports_to_admins_and_principals_only(known, client_for):
    for who, shown in (("dana", True), ("pat", True), ("alice", False)):
        html = client_for(getattr(known.cast, who)).get("/").content.decode()
        assert ('href="/reports/"' in html) is shown, who


def test_the_refresh_time_is_shown_in_utc_as_labelled(known, client_for) -> None:
    import datetime as dt

    moment = dt.datetime(2026, 12, 5, 15, 19, tzinfo=dt.UTC)
    SummaryRefresh.objects.filter(district=known.cast.district_a).update(refreshed_at=moment)
    known.cast.district_a.timezone = "America/Chicago"
    known.cast.district_a.save(update_fields=["timezone"])
    page = client_for(known.cast.dana).get("/reports/").content.decode()
    assert "Figures last refreshed" in page
    assert ">2026-12-05 15:19 UTC</time>" in page
