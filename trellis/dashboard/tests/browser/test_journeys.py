"""Whole journeys across pages: inviting someone who then joins, and filtering without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from trellis.dashboard.tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

NEWCOMER_NAME = "Quinn Whitaker"  # a name the demo's random pools never produce
NEWCOMER_EMAIL = "quinn.whitaker@pinevalley.test"
NEWCOMER_PASSWORD = "trellis-newcomer-2026"
WATCH_HISTORY_RESTORES = """() => {
  window.__restores = 0;
  document.body.addEventListener("htmx:historyRestore", () => { window.__restores += 1; });
}"""


def test_admin_invites_a_newcomer_who_joins_and_shows_up_in_the_directory(
    page: Page, new_context, demo, live_server, settings, mailoutbox
) -> None:
    settings.SITE_URL = live_server.url  # the link in the e-mail points at this test server
    sign_in(page, "admin@pinevalley.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Invitations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitations")

    # A mistake first: no role chosen. The form comes back with the error, still accessible.
    invite = page.get_by_role("region", name="Invite one person")
    invite.get_by_label("Email").fill(NEWCOMER_EMAIL)
    invite.get_by_label("Full name").fill(NEWCOMER_NAME)
    invite.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the highlighted fields")
    assert_accessible(page, "the invitations page with errors")
    assert mailoutbox == []

    invite.get_by_role("group", name="Roles").get_by_label("Educator").check()
    invite.get_by_label("School").select_option(label="Pine Valley Middle School")
    invite.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text(f"Invitation sent to {NEWCOMER_EMAIL}")
    sent = page.get_by_role("table", name="Invitations")
    expect(sent.get_by_role("row", name=re.compile(NEWCOMER_EMAIL))).to_contain_text("Pending")
    assert_accessible(page, "the invitations page with a pending invitation")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [NEWCOMER_EMAIL]
    links = re.findall(r"https?://\S+/district/join/\S+/", message.body)
    assert len(links) == 1, message.body
    accept_link = links[0]
    assert accept_link.startswith(live_server.url)

    # The newcomer opens the link in their own browser: nobody is signed in there.
    newcomer = new_context().new_page()
    newcomer.goto(accept_link)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Join Pine Valley")
    assert_accessible(newcomer, "the accept-invitation page")
    expect(newcomer.get_by_label("Full name")).to_have_value(NEWCOMER_NAME)
    newcomer.get_by_label("Password").fill(NEWCOMER_PASSWORD)
    newcomer.get_by_role("button", name="Create my account and join").click()
    newcomer.wait_for_url(f"{live_server.url}/")
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Welcome, Quinn")
    expect(newcomer.get_by_role("status")).to_contain_text("Welcome to Pine Valley!")
    expect(newcomer.get_by_role("banner")).to_contain_text("Pine Valley")
    expect(newcomer.locator(".page-head")).to_contain_text("Educator")
    expect(newcomer.get_by_role("region", name="Where you work")).to_contain_text(
        "Pine Valley Middle School"
    )
    nav = newcomer.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Invitations")).to_have_count(0)
    assert_accessible(newcomer, "the home page of a newcomer")

    # Back to the admin: the htmx search box finds the newcomer without reloading the page.
    page.goto("/people/")
    table = page.locator("#people-table")
    everyone = table.locator("tbody tr").count()
    assert everyone > 1
    page.evaluate("() => { window.__sameDocument = true; }")
    with page.expect_response(
        lambda r: "/people/?" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        page.get_by_label("Search name or e-mail").press_sequentially("Whitaker")
    expect(table.get_by_role("link", name=NEWCOMER_NAME)).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(1)
    assert page.evaluate("() => window.__sameDocument === true"), "the page reloaded"
    expect(page).to_have_url(re.compile(r"/people/\?.*q=Whitaker"))  # hx-push-url
    assert_accessible(page, "the people directory after an htmx search")

    # Back and forward after an htmx search show whole pages, even when htmx's history cache
    # misses and it asks the server for the page again.
    page.evaluate(WATCH_HISTORY_RESTORES)
    page.evaluate("() => sessionStorage.removeItem('htmx-history-cache')")
    page.go_back()
    page.wait_for_function("() => window.__restores === 1")
    expect(page).to_have_url(re.compile(r"/people/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    expect(page.get_by_label("Search name or e-mail")).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(everyone)
    page.go_forward()
    page.wait_for_function("() => window.__restores === 2")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    expect(table.locator("tbody tr")).to_have_count(1)

    table.get_by_role("link", name=NEWCOMER_NAME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NEWCOMER_NAME)
    expect(page.get_by_role("region", name="About")).to_contain_text("Educator")


def test_people_directory_filters_without_javascript(new_context, demo) -> None:
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "admin@pinevalley.test")
    page.goto("/people/")
    search = page.get_by_role("search")
    search.get_by_label("Search name or e-mail").fill("Rivera")
    search.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"/people/\?q=Rivera"))
    rows = page.locator("#people-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Jordan Rivera")

    search.get_by_label("Search name or e-mail").fill("")
    search.get_by_label("Role").select_option(label="Coach or mentor")
    search.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"role=coach"))
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Samuel Chen")
    expect(search.get_by_label("Role")).to_have_value("coach")  # the form keeps the filter


def test_back_to_an_htmx_search_from_another_page_shows_the_whole_page(page: Page, demo) -> None:
    sign_in(page, "admin@pinevalley.test")
    page.goto("/people/")
    table = page.locator("#people-table")
    page.get_by_label("Search name or e-mail").press_sequentially("Rivera")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/people/\?.*q=Rivera"))
    table.get_by_role("link", name="Jordan Rivera").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jordan Rivera")
    page.go_back()  # returns once the page has loaded: no waiting needed below
    expect(page).to_have_url(re.compile(r"/people/\?.*q=Rivera"))
    assert page.get_by_role("heading", level=1, name="People").count() == 1, "only the table shows"
    assert table.locator("tbody tr").count() == 1
