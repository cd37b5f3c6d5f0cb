"""The strict Content-Security-Policy breaks nothing: the main pages of an admin and an
educator load with no CSP violation reported by Chromium."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from trellis.catalog.models import Offering, OfferingStatus

from .helpers import sign_in

# Chromium reports violations on the console ("Refused to … because it violates the following
# Content Security Policy directive …"); the event listener catches any it might not print.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const what = event.blockedURI || "inline code";
  console.error(`Content Security Policy violation: ${event.violatedDirective} blocked ${what}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""
VIOLATION = re.compile(r"Content Security Policy|Content-Security-Policy", re.IGNORECASE)


def _visit_all(new_context, email: str, paths: list[str]) -> list[str]:
    context = new_context()
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"{page.url}: {message.text}")
            if VIOLATION.search(message.text)
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"{page.url}: script error {error}"))
    sign_in(page, email)
    for path in paths:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    return problems


def test_admin_and_educator_pages_load_without_csp_violations(new_context, demo) -> None:
    offering = (
        Offering.objects.filter(
            status=OfferingStatus.PUBLISHED,
            district__memberships__user__email="educator@pinevalley.test",
        )
        .order_by("title")
        .first()
    )
    assert offering is not None
    main_pages = ["/", "/catalog/", f"/catalog/{offering.public_id}/", "/growth/", "/credentials/"]

    problems = _visit_all(new_context, "admin@pinevalley.test", [*main_pages, "/people/"])
    problems += _visit_all(new_context, "educator@pinevalley.test", [*main_pages, "/learning/"])

    assert problems == []
