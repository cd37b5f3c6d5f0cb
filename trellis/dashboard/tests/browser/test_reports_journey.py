"""Reports in a real browser: the PD leader filters the dashboard to one school, opens the list
behind a number and downloads it as CSV; the principal only ever sees their own school."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from trellis.dashboard.tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_admin_filters_drills_down_and_exports_a_csv(demo, page):
    sign_in(page, "admin@pinevalley.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    assert_accessible(page, "reports dashboard")

    school_select = page.get_by_label("School", exact=True)
    school = school_select.locator("option").nth(1)
    school_name = school.inner_text()
    school_select.select_option(school.get_attribute("value"))
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    expect(page.get_by_text(f"Showing: School {school_name}.")).to_be_visible()
    table = page.get_by_role("table", name="Participation by school")
    expect(table.get_by_role("row")).to_have_count(2)  # the header and the one school
    row = table.get_by_role("row", name=re.compile(school_name))
    link = row.get_by_role("link", name=re.compile(rf"^{re.escape(school_name)}, Participants: "))
    count = link.inner_text()
    link.click()
    page.wait_for_load_state()
    heading = page.get_by_role("heading", level=1)
    expect(heading).not_to_have_text("Reports")
    expect(page.get_by_text(f"Filters: School {school_name}.")).to_be_visible()
    expect(page.get_by_text(f"{count} in all.")).to_be_visible()
    assert_accessible(page, "drill-down list")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert re.fullmatch(
        r"trellis-list-participants-\d{4}-\d\d-\d\d\.csv", download.suggested_filename
    )
    lines = Path(download.path()).read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + int(count.replace(",", ""))  # the header and one row each

    page.get_by_role("link", name="← Reports").click()
    page.wait_for_load_state()
    expect(page.get_by_label("School", exact=True)).to_have_value(school.get_attribute("value"))


def test_principal_sees_only_their_school(demo, page):
    sign_in(page, "principal@pinevalley.test")
    page.goto("/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    expect(page.get_by_label("School", exact=True).locator("option")).to_have_count(1)
    expect(
        page.get_by_role("table", name="Participation by school").get_by_role("row")
    ).to_have_count(2)
    expect(page.get_by_role("button", name="Refresh now")).to_have_count(0)
