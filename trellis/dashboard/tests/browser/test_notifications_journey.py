"""Notifications in the browser: the bell fetches its count after the page loads, the list
marks a notice read, the choices table saves, and each page passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from trellis.accounts.models import User
from trellis.dashboard.tests.browser.helpers import assert_accessible, sign_in
from trellis.districts.models import District
from trellis.notifications import services
from trellis.notifications.models import Kind, Notification

pytestmark = pytest.mark.browser


def test_the_bell_the_list_and_the_choices(page: Page, demo) -> None:
    educator = User.objects.get(email="educator@pinevalley.test")
    district = District.objects.get(slug="pine-valley")
    Notification.objects.filter(recipient=educator).update(read_at=None)
    for n in range(2):
        services.notify(
            educator,
            district=district,
            kind=Kind.GENERAL,
            subject=f"Browser notice {n}",
            lines=["Something happened."],
            path="/learning/",
        )
    unread = Notification.objects.filter(recipient=educator, read_at__isnull=True).count()

    sign_in(page, "educator@pinevalley.test")
    bell = page.locator(".site-header .notification-bell")
    expect(bell).to_contain_text(f"{unread} unread")

    bell.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Notifications")
    assert_accessible(page, "the notifications list")
    page.get_by_role("button", name=re.compile(r"^Mark read\W+Browser notice 1$")).click()
    page.wait_for_load_state()
    expect(page.locator(".site-header .notification-bell")).to_contain_text(f"{unread - 1} unread")

    page.get_by_role("link", name="Choose how you are notified").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("How you are notified")
    assert_accessible(page, "the notification choices")
    page.get_by_label("Other notices: In Trellis and in the weekly digest e-mail").check()
    page.get_by_role("button", name="Save my choices").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("Your notification choices are saved.")
    expect(
        page.get_by_label("Other notices: In Trellis and in the weekly digest e-mail")
    ).to_be_checked()
