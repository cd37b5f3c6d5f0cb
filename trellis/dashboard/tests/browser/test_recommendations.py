"""Recommendations in the browser: the demo first-year educator sees three picks with reasons,
dismisses one and sees it replaced; the veteran sees a leadership path. Each page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from trellis.dashboard.tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def _pick_titles(page: Page) -> list[str]:
    return [
        t.strip() for t in page.locator("ol.recommendations li.recommendation h3").all_inner_texts()
    ]


def test_first_year_educator_dismisses_a_pick(page: Page, demo) -> None:
    sign_in(page, "educator@pinevalley.test")
    page.goto("/recommendations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recommended for you")
    picks = page.locator("ol.recommendations li.recommendation")
    expect(picks).to_have_count(3)
    for n in range(3):
        expect(picks.nth(n).locator("ul.reasons li").first).not_to_be_empty()
    expect(page.get_by_role("link", name="See the full catalog")).to_be_visible()
    assert_accessible(page, "the educator's recommendations")

    before = _pick_titles(page)
    dismissed = before[1]
    picks.nth(1).get_by_role("button", name="Not for me").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text(f"Marked “{dismissed}” as not for you")
    expect(picks).to_have_count(3)
    after = _pick_titles(page)
    assert dismissed not in after
    assert len(set(after) - set(before)) == 1  # replaced by one new pick


def test_veteran_sees_a_leadership_path(page: Page, demo) -> None:
    sign_in(page, "veteran@pinevalley.test")
    page.goto("/recommendations/")
    expect(page.locator("ol.recommendations li.recommendation").first).to_be_visible()
    slots = page.locator("ol.recommendations li.recommendation .badge").all_inner_texts()
    reasons = page.locator("ul.reasons li[data-code='leadership']")
    assert "Leadership path" in slots or reasons.count() > 0
    assert_accessible(page, "the veteran's recommendations")
