"""The catalog's main journey in a real browser, with four people in turn: an educator finds an
offering and asks for a place, the principal and the PD office approve, the facilitator takes
attendance, and the educator answers the survey and sees the credit on the renewal page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from trellis.accounts.models import User
from trellis.catalog.models import Offering, OfferingSession
from trellis.dashboard.tests.browser.helpers import assert_accessible, sign_in
from trellis.districts.models import District

pytestmark = pytest.mark.browser

TITLE = "Questioning that deepens thinking"


def _offering_starting_soon() -> Offering:
    """A paid workshop whose session starts in ten minutes, so attendance can be taken now."""
    district = District.objects.get(slug="pine-valley")
    coach = User.objects.get(email="coach@pinevalley.test")
    offering = Offering.objects.create(
        district=district,
        title=TITLE,
        summary="Plan question sequences that move students from recall to reasoning.",
        description="One afternoon: study examples, write a sequence, try it on colleagues.",
        kind="workshop",
        format="in_person",
        provider="District PD office",
        provider_approved=True,
        hours=Decimal(2),
        cost=Decimal(40),
        credit_amount=Decimal(2),
        credit_unit="clock_hour",
        credit_category="workshop",
        capacity=20,
        status="published",
        published_at=timezone.now(),
    )
    start = timezone.now() + dt.timedelta(minutes=10)
    OfferingSession.objects.create(
        offering=offering,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        location="Pine Valley Middle School library",
        facilitator=coach,
        check_in_code="QWERTY",
    )
    return offering


def test_find_request_approve_attend_survey_and_see_credit(demo, new_context):
    _offering_starting_soon()

    # The educator finds the offering by searching the catalog and asks for a place.
    educator = new_context().new_page()
    sign_in(educator, "educator@pinevalley.test")
    educator.goto("/catalog/")
    educator.get_by_label("Search").fill("questioning that deepens")
    educator.get_by_role("button", name="Show offerings").click()
    educator.get_by_role("link", name=TITLE).click()
    expect(educator.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(educator, "offering page")
    educator.get_by_label("Note for the approvers").fill("It fits my questioning goal.")
    educator.get_by_role("button", name="Request a place").click()
    expect(educator.get_by_text("Waiting for approval").first).to_be_visible()

    # The principal approves it from the inbox; then the PD office does (it costs money).
    for approver in ("principal@pinevalley.test", "admin@pinevalley.test"):
        page = new_context().new_page()
        sign_in(page, approver)
        page.goto("/approvals/")
        request = page.get_by_role("heading", name=re.compile(TITLE))
        expect(request).to_be_visible()
        assert_accessible(page, "approvals inbox")
        page.get_by_role("link", name=f"Jordan Rivera — {TITLE}").click()
        page.get_by_role("button", name="Approve").click()
        expect(page.get_by_text(re.compile("approved", re.IGNORECASE)).first).to_be_visible()

    # The facilitator opens the roster and marks the educator present.
    facilitator = new_context().new_page()
    sign_in(facilitator, "coach@pinevalley.test")
    facilitator.goto("/facilitate/")
    facilitator.get_by_role("link", name=re.compile(TITLE)).first.click()
    expect(facilitator.get_by_role("heading", level=1)).to_contain_text(TITLE)
    assert_accessible(facilitator, "attendance roster")
    facilitator.get_by_role("row", name=re.compile("Jordan Rivera")).get_by_label("Present").check()
    facilitator.get_by_role("button", name="Save attendance").click()
    expect(facilitator.get_by_text(re.compile("saved", re.IGNORECASE)).first).to_be_visible()

    # The afternoon passes: the session is over.
    now = timezone.now()
    OfferingSession.objects.filter(offering__title=TITLE).update(
        starts_at=now - dt.timedelta(hours=2), ends_at=now - dt.timedelta(minutes=1)
    )

    # The educator answers the survey, which completes the workshop and earns the credit.
    educator.goto("/learning/")
    row = educator.get_by_role("row", name=re.compile(TITLE))
    row.get_by_role("link", name="Feedback survey").click()
    expect(educator.get_by_role("heading", level=1)).to_contain_text(TITLE)
    for legend in ("relevant", "quality", "likely"):
        group = educator.get_by_role("group", name=re.compile(legend, re.IGNORECASE))
        group.get_by_label("4").check()
    assert_accessible(educator, "feedback survey")
    educator.get_by_role("button", name="Send answers").click()
    educator.goto("/credit/renewal/")
    expect(educator.get_by_role("heading", level=1)).to_be_visible()
    expect(educator.get_by_text(TITLE).first).to_be_visible()
    assert_accessible(educator, "renewal progress")
