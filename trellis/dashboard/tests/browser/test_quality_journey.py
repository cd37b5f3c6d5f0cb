"""Quality in a real browser: an educator suggests an online course, the PD office vets it
against every rubric item and accepts it, and its catalog page shows the quality scorecard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from trellis.dashboard.tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

TITLE = "Checking for understanding in every lesson"


def test_educator_proposes_admin_vets_and_accepts_scorecard_shows(demo, new_context):
    educator = new_context().new_page()
    sign_in(educator, "educator@pinevalley.test")
    educator.goto("/quality/propose/")
    educator.wait_for_load_state()
    assert_accessible(educator, "proposal form")
    educator.get_by_label("I found this online").check()
    educator.get_by_label("Title").fill(TITLE)
    educator.get_by_label("Description").fill(
        "A free online course: short videos of real classrooms and practice with exit tickets."
    )
    educator.get_by_label("Web address").fill("https://learning.example.org/checking")
    educator.get_by_label("Provider").fill("Open Teaching Library")
    educator.get_by_label("Format").select_option("self_paced")
    educator.get_by_label("Hours").fill("3")
    educator.get_by_role("button", name="Send the proposal").click()
    educator.wait_for_load_state()
    expect(educator.get_by_role("heading", level=1)).to_have_text("My proposals")
    expect(educator.get_by_role("row", name=TITLE)).to_contain_text("Submitted")

    admin = new_context().new_page()
    sign_in(admin, "admin@pinevalley.test")
    admin.goto("/quality/")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Vetting queue")
    assert_accessible(admin, "vetting queue")
    admin.get_by_role("link", name=TITLE).click()
    admin.wait_for_load_state()
    expect(admin.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(admin, "proposal page with the vetting form")
    rows = admin.locator("fieldset.rubric-row")
    assert rows.count() == 14
    for index in range(rows.count()):
        rows.nth(index).locator("input[value='3']").check()
    admin.get_by_role("button", name="Accept and publish").click()
    admin.wait_for_load_state()
    expect(admin.get_by_role("heading", level=1)).to_have_text(TITLE)
    scorecard = admin.get_by_role("region", name="Quality scorecard")
    expect(scorecard).to_contain_text("Vetted")
    expect(scorecard).to_contain_text("100% on the district rubric")
    expect(scorecard).to_contain_text("Not enough data yet")
    assert_accessible(admin, "offering page with the scorecard")

    educator.goto("/quality/proposals/")
    expect(educator.get_by_role("row", name=TITLE)).to_contain_text("Accepted")


def test_admin_quality_pages_are_accessible(demo, page):
    sign_in(page, "admin@pinevalley.test")
    page.goto("/quality/rubric/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vetting rubric")
    assert_accessible(page, "vetting rubric")
    page.goto("/quality/reviews/")
    expect(page.get_by_text("Advertising is not allowed in reviews.")).to_be_visible()
    assert_accessible(page, "review moderation")
    page.goto("/quality/")
    page.get_by_role("link", name="Vet").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vet")
    assert_accessible(page, "vetting an offering")
