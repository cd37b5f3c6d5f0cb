"""axe-core on the pages every role meets besides the home page (those are in test_landing_pages).

A page passes when axe-core reports no violation of serious or critical impact and no ARIA
reference points at a missing id (see helpers.assert_accessible).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from trellis.dashboard.tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


ADMIN_PAGES = [
    ("/people/", 200, "People"),
    ("/district/invitations/", 200, "Invitations"),
    ("/district/audit/", 200, "Audit log"),
    ("/district/schools/", 200, "Schools"),
    ("/accounts/profile/", 200, "Your account"),
    ("/no-such-page/", 404, "Page not found"),
]


def test_district_admin_pages(page: Page, demo) -> None:
    sign_in(page, "admin@pinevalley.test")
    for path, status, heading in ADMIN_PAGES:
        response = page.goto(path)
        assert response is not None
        assert response.status == status, path
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page, f"{path} as a district admin")

    # The audit log filter swaps the table in place (htmx), leaving one table and no stray ids.
    page.goto("/district/audit/")
    page.get_by_label("Action").select_option("districts.district_created")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"action=districts.district_created"))
    rows = page.locator("#audit-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Demo district Pine Valley created")
    assert_accessible(page, "the audit log after an htmx filter")

    # On a phone, wide tables scroll sideways: keyboard users must be able to reach and scroll them.
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/district/audit/", "/people/"):
        page.goto(path)
        assert_accessible(page, f"{path} on a phone-sized screen")
    page.set_viewport_size({"width": 1280, "height": 720})

    # A form sent back with errors: the errors are tied to their fields and still accessible.
    page.goto("/accounts/profile/")
    password = page.get_by_role("region", name="Password")
    password.get_by_label("Current password").fill("wrong-password")
    password.get_by_label("New password").fill("another-long-password")
    password.get_by_role("button", name="Change password").click()
    current = page.get_by_role("region", name="Password").get_by_label("Current password")
    expect(current).to_have_attribute("aria-invalid", "true")
    expect(current).to_have_accessible_description("That is not your current password.")
    assert_accessible(page, "the profile page with a password error")


def test_sign_in_and_educator_pages(page: Page, demo) -> None:
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Trellis")
    assert_accessible(page, "the sign-in page")
    page.get_by_label("Email").fill("educator@pinevalley.test")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "the sign-in page with an error")

    sign_in(page, "educator@pinevalley.test")
    page.goto("/accounts/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_label("Preferred name")).to_have_accessible_description(
        "What colleagues call you; shown in greetings."
    )
    assert_accessible(page, "the profile page of an educator")

    response = page.goto("/district/audit/")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot open this page")
    assert_accessible(page, "the 403 page")

    response = page.goto("/people/no-such-person/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page, "the 404 page of a signed-in educator")
