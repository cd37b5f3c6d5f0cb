"""Every demo role signs in through the real form and lands on a home page that fits the role.

Each page is also checked with axe-core: no serious or critical accessibility violations.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from trellis.dashboard.tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = {
    "admin@pinevalley.test": "/tmp/trellis-admin.png",  # noqa: S108 - asked-for, opt-in output
    "educator@pinevalley.test": "/tmp/trellis-educator.png",  # noqa: S108
}


@dataclass(frozen=True)
class Landing:
    email: str
    first_name: str
    district: str
    career_stage: str
    admin: bool = False
    staff_chart: str | None = None  # title of the "educators by career stage" panel, if any


LANDINGS = [
    Landing("educator@pinevalley.test", "Jordan", "Pine Valley", "Novice (0–3 years)"),
    Landing("veteran@pinevalley.test", "Margaret", "Pine Valley", "Veteran (16+ years)"),
    Landing(
        "coach@pinevalley.test",
        "Samuel",
        "Pine Valley",
        "Experienced (8–15 years)",
        staff_chart="Educators at Pine Valley Middle School",
    ),
    Landing("assessor@pinevalley.test", "Alicia", "Pine Valley", "Experienced (8–15 years)"),
    Landing(
        "principal@pinevalley.test",
        "David",
        "Pine Valley",
        "Veteran (16+ years)",
        staff_chart="Educators at Pine Valley Middle School",
    ),
    Landing(
        "admin@pinevalley.test",
        "Renee",
        "Pine Valley",
        "Experienced (8–15 years)",
        admin=True,
        staff_chart="Educators in Pine Valley",
    ),
    Landing(
        "admin@cedarridge.test",
        "Thomas",
        "Cedar Ridge",
        "Experienced (8–15 years)",
        admin=True,
        staff_chart="Educators in Cedar Ridge",
    ),
    Landing("educator@cedarridge.test", "Priya", "Cedar Ridge", "Developing (4–7 years)"),
]


@pytest.mark.parametrize("landing", LANDINGS, ids=lambda landing: landing.email)
def test_each_demo_role_lands_on_its_home_page(page: Page, demo, landing: Landing) -> None:
    sign_in(page, landing.email)

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {landing.first_name}")
    expect(page.get_by_role("banner")).to_contain_text(landing.district)
    learner = page.get_by_role("region", name="You as a learner")
    expect(learner).to_contain_text(landing.career_stage)

    glance = page.get_by_role("region", name="Your district at a glance")
    audit_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log")
    if landing.admin:
        expect(glance).to_be_visible()
        expect(glance).to_contain_text("School")
        expect(audit_link).to_be_visible()
    else:
        expect(glance).to_have_count(0)
        expect(audit_link).to_have_count(0)

    if landing.staff_chart:
        staff = page.get_by_role("region", name=landing.staff_chart, exact=True)
        expect(staff).to_be_visible()
        expect(staff.get_by_role("img", name="Educators by career stage")).to_be_visible()
        expect(staff).to_contain_text("by career stage")
    else:
        expect(page.get_by_role("img", name="Educators by career stage")).to_have_count(0)

    if os.environ.get("TRELLIS_SCREENSHOTS") == "1" and landing.email in SCREENSHOTS:
        page.screenshot(path=SCREENSHOTS[landing.email], full_page=True)
    assert_accessible(page, f"the home page of {landing.email}")
