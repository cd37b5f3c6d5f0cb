"""axe-core on a district PD leader's tools: frameworks and a CASE import preview, the roster
import with a dry-run preview that shows row errors, observation ratings, career stages, and
the growth page on a phone. One test, so the demo is seeded once; a page that is also shown
with errors (or on a phone) is checked in that fuller state only."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from trellis.dashboard.tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

# The project's shared folder sits beside the repository; its real CASE files are optional here.
SHARED_CASE_FILE = (
    Path(__file__).resolve().parents[4]
    / ".."
    / "shared"
    / "data"
    / "case"
    / "act-holistic-framework-math.case-v1p0.json"
)
FRAMEWORK_SCREENSHOT = "/tmp/trellis-framework.png"  # noqa: S108 - asked-for, opt-in output
PHONE = {"width": 390, "height": 844}
SVG_SCALE = """(selector) => {
  const svg = document.querySelector(selector);
  return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
}"""
STAMP = "2025-01-02T03:04:05+00:00"
DOC_ID = "5e1f0a4c-7b2d-4c1e-9a3f-0d6b8e2c4a10"


def _case_id(n: int) -> str:
    return f"5e1f0a4c-7b2d-4c1e-9a3f-{n:012d}"


def small_case_package() -> bytes:
    """A valid CASE 1.1 CFPackage: one domain with two competencies."""
    items = [
        ("A", "Classroom routines", "Domain"),
        ("A.1", "Opens every lesson with a routine students know", "Competency"),
        ("A.2", "Closes every lesson with a check for understanding", "Competency"),
    ]
    links = [(_case_id(1), DOC_ID), (_case_id(2), _case_id(1)), (_case_id(3), _case_id(1))]
    package = {
        "CFDocument": {
            "identifier": DOC_ID,
            "uri": f"https://case.example/{DOC_ID}",
            "creator": "Browser test",
            "title": "Routines sampler",
            "lastChangeDateTime": STAMP,
            "caseVersion": "1.1",
        },
        "CFItems": [
            {
                "identifier": _case_id(n),
                "uri": f"https://case.example/{_case_id(n)}",
                "fullStatement": statement,
                "humanCodingScheme": code,
                "CFItemType": kind,
                "lastChangeDateTime": STAMP,
            }
            for n, (code, statement, kind) in enumerate(items, start=1)
        ],
        "CFAssociations": [
            {
                "identifier": _case_id(100 + n),
                "uri": f"https://case.example/a{n}",
                "associationType": "isChildOf",
                "originNodeURI": {"title": "o", "identifier": origin, "uri": f"u:{origin}"},
                "destinationNodeURI": {"title": "d", "identifier": dest, "uri": f"u:{dest}"},
                "lastChangeDateTime": STAMP,
            }
            for n, (origin, dest) in enumerate(links)
        ],
    }
    return json.dumps(package).encode()


ROSTER_CSV = (
    b"email,full_name,roles,school,position,years_experience\n"
    b"ines.barros@pinevalley.test,Ines Barros,educator,Riverside Elementary,teacher,3\n"
    b"tobias.lind@pinevalley.test,Tobias Lind,educator;coach,Pine Valley High School,coach,9\n"
    b"wren.adeyemi@pinevalley.test,Wren Adeyemi,,Maple Grove Elementary,para,1\n"
    b"not-an-e-mail,Broken Row,educator,Riverside Elementary,teacher,2\n"
)
OBSERVATIONS_CSV = (
    b"educator_email,competency_code,rating,observed_on,observer_role,observer_name\n"
    b"educator@pinevalley.test,1.1,3,2025-03-14,principal,David Thompson\n"
    b"educator@pinevalley.test,9.9,3,2025-03-14,principal,David Thompson\n"
)


def upload(page: Page, label: str, name: str, data: bytes, mime: str) -> None:
    page.get_by_label(label, exact=True).set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )


def stat(page: Page, label: str):
    """The figure shown above `label` in a page's row of statistics."""
    item = page.locator(".stats li").filter(has=page.get_by_text(label, exact=True))
    return item.locator(".value")


def test_district_admin_tools(page: Page, demo) -> None:
    sign_in(page, "admin@pinevalley.test")
    nav = page.get_by_role("navigation", name="Main")

    # Frameworks: the list, then the adopted framework's tree.
    nav.get_by_role("link", name="Frameworks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Competency frameworks")
    frameworks = page.get_by_role("table", name="Frameworks available in Pine Valley")
    adopted = frameworks.locator("tbody tr").filter(has_text="Adopted")
    expect(adopted).to_have_count(1)
    assert_accessible(page, "the frameworks list")
    adopted.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Adopted")
    tree = page.get_by_role("list", name="Competencies")
    expect(tree.get_by_role("listitem").first).to_be_visible()
    expect(page.get_by_role("button", name="Adopt for Pine Valley")).to_have_count(0)
    if os.environ.get("TRELLIS_SCREENSHOTS") == "1":
        page.screenshot(path=FRAMEWORK_SCREENSHOT, full_page=True)
    assert_accessible(page, "the adopted framework's detail page")

    # A CASE import: upload → preview (nothing imported yet).
    page.goto("/frameworks/")
    page.get_by_role("link", name="Import a CASE file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a CASE framework")
    assert_accessible(page, "the CASE upload page")
    upload(page, "CASE file (JSON)", "routines.json", small_case_package(), "application/json")
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview: Routines sampler")
    expect(stat(page, "items in the file")).to_have_text("3")
    expect(stat(page, "new items")).to_have_text("3")
    expect(page.get_by_role("button", name="Import the framework")).to_be_visible()
    assert_accessible(page, "a CASE import preview")
    if SHARED_CASE_FILE.is_file():  # a real file too, when the shared data is there
        page.goto("/frameworks/import/")
        upload(
            page,
            "CASE file (JSON)",
            SHARED_CASE_FILE.name,
            SHARED_CASE_FILE.read_bytes(),
            "application/json",
        )
        page.get_by_role("button", name="Upload and preview").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Preview: ACT Holistic Framework, Math"
        )
        assert_accessible(page, "the preview of a real CASE 1.0 file")

    # Roster import: a dry run of 3 good rows and 1 bad one shows the row error, writes nothing.
    nav.get_by_role("link", name="Roster import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roster import")
    expect(page.get_by_label("Preview first")).to_be_checked()
    upload(page, "Roster file", "staff.csv", ROSTER_CSV, "text/csv")
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roster import: staff.csv")
    expect(page.get_by_role("status").filter(has_text="nothing has been written")).to_be_visible()
    expect(stat(page, "To create")).to_have_text("3")
    expect(stat(page, "Rows with errors")).to_have_text("1")
    errors = page.get_by_role("table", name="Rows with errors")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr")).to_contain_text("not-an-e-mail")
    expect(page.get_by_role("table", name="To add").locator("tbody tr")).to_have_count(3)
    expect(page.get_by_role("button", name="Apply the valid rows")).to_be_visible()
    assert_accessible(page, "a roster dry-run preview with a row error")
    roster_preview = page.url

    # Observation ratings: the page, then a check of a file with one unknown competency.
    nav.get_by_role("link", name="Observations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Observation ratings")
    upload(page, "CSV file", "observations.csv", OBSERVATIONS_CSV, "text/csv")
    page.get_by_role("button", name="Check the file (saves nothing)").click()
    expect(page.get_by_role("heading", level=2, name="Rows to fix")).to_be_visible()
    problems = page.get_by_role("table", name="Problems by row (row 1 is the header)")
    expect(problems.locator("tbody tr")).to_have_count(1)
    expect(problems.locator("tbody tr td").first).to_have_text("3")
    assert_accessible(page, "the observations import with a row error")

    # Career stages: the page, then thresholds out of order.
    page.goto("/career-stages/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Career stages")
    page.get_by_label("Developing starts at year").fill("10")
    page.get_by_label("Experienced starts at year").fill("5")
    page.get_by_role("button", name="Save the career stages").click()
    expect(page.get_by_role("alert")).to_contain_text("Each stage must start later")
    assert_accessible(page, "the career-stage settings with an error")

    # The growth page on a phone: accessible, nothing wider than the screen, and the chart at a
    # readable size (its labels are drawn at 12px) in a box that scrolls sideways, like the tables.
    page.set_viewport_size(PHONE)
    page.goto("/growth/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My growth")
    chart_box = page.get_by_role("region", name="Competency profile chart").bounding_box()
    assert chart_box is not None
    assert chart_box["x"] >= 0
    assert chart_box["x"] + chart_box["width"] <= PHONE["width"]
    scale = page.evaluate(SVG_SCALE, "svg.pair-chart")
    assert scale >= 0.9, f"the chart is drawn at {scale:.0%} of its size: its labels are too small"
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"/growth/ is {overflow}px wider than a 390px screen"
    assert_accessible(page, "/growth/ on a phone-sized screen")
    # Wide tables without links scroll sideways there too: they must be reachable by keyboard.
    for path in ("/roster/", roster_preview):
        page.goto(path)
        assert_accessible(page, f"{path} on a phone-sized screen")
