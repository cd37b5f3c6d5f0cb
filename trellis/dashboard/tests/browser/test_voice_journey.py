"""The educator-voice journey: an educator requests a topic, a colleague upvotes it, and the
district PD leader sees it on the demand page and drills down to the requests behind the number.
Each page is checked with axe-core once."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from trellis.dashboard.tests.browser.helpers import assert_accessible, sign_in
from trellis.districts.models import District
from trellis.growth import queries
from trellis.voice.models import ACTIVE_REQUEST_STATUSES, TopicRequest

pytestmark = pytest.mark.browser

TITLE = "Teaching with primary sources in history"  # not like any of the demo's requests


def test_a_request_is_upvoted_and_shows_on_the_demand_page(page: Page, new_context, demo) -> None:
    district = District.objects.get(slug="pine-valley")
    competency = queries.competency_map(queries.adopted_framework(district)).competencies[-1]

    # Jordan asks for a topic.
    sign_in(page, "educator@pinevalley.test")
    page.goto("/voice/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ideas & requests")
    page.get_by_role("link", name="Request a topic").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request a topic")
    assert_accessible(page, "the request form")
    page.get_by_label("Topic").fill(TITLE)
    page.get_by_label("What do you need, and why?").fill(
        "My students read textbooks only; I want them to work with real documents."
    )
    page.get_by_label("Competency").select_option(label=str(competency))
    page.get_by_role("button", name="Post the request").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".messages")).to_contain_text("is posted")
    expect(page.get_by_text("0 upvotes")).to_be_visible()

    # Margaret upvotes it from the list.
    veteran = new_context().new_page()
    sign_in(veteran, "veteran@pinevalley.test")
    veteran.goto("/voice/?sort=newest")
    veteran.get_by_role("button", name=f"Upvote {TITLE}").click()
    veteran.wait_for_load_state()
    expect(veteran.locator(".messages")).to_contain_text(f"You upvoted “{TITLE}”")
    expect(veteran.get_by_role("button", name=f"take back your upvote of {TITLE}")).to_be_visible()
    assert_accessible(veteran, "the requests list")
    veteran.goto("/voice/volunteer/?kind=mentor")
    expect(veteran.get_by_role("radio", name="Mentor a new teacher")).to_be_checked()
    expect(veteran.get_by_role("table", name="Your volunteer offers")).to_contain_text(
        "Mentor a new teacher"
    )  # the demo's veteran already offered to mentor
    assert_accessible(veteran, "the volunteer page")

    # Renee sees it on the demand page and drills down.
    wanted = TopicRequest.objects.filter(
        district=district, competency=competency, status__in=ACTIVE_REQUEST_STATUSES
    ).count()
    admin = new_context().new_page()
    sign_in(admin, "admin@pinevalley.test")
    admin.goto("/voice/demand/")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Demand for professional learning")
    table = admin.get_by_role("table", name="Demand and supply by competency, sorted by demand")
    row = table.get_by_role("row").filter(has=admin.get_by_role("rowheader", name=str(competency)))
    expect(row).to_have_count(1)
    assert_accessible(admin, "the demand page")
    noun = "request" if wanted == 1 else "requests"
    row.get_by_role("link", name=f"{wanted} {noun} for {competency}").click()
    admin.wait_for_load_state()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Ideas & requests")
    expect(admin.get_by_role("link", name=TITLE)).to_be_visible()
    expect(admin.locator("tbody tr")).to_have_count(wanted)
    admin.goto("/voice/volunteers/")
    expect(admin.get_by_role("table", name="Volunteer offers")).to_contain_text("Margaret Okafor")
    assert_accessible(admin, "the volunteers page")
