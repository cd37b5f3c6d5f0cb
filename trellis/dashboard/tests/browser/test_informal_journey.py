"""The informal-learning journey (issue 8): Jordan logs a YouTube video from the quick form in
under a minute with a handful of interactions, then attaches it to a micro-credential draft.
The log page is checked with axe-core."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from trellis.accounts.models import User
from trellis.dashboard.tests.browser.helpers import assert_accessible, sign_in
from trellis.districts.models import District
from trellis.districts.queries import access_for
from trellis.informal.models import InformalEntry
from trellis.microcredentials.models import Artifact, MicroCredential, RequirementPart, Submission
from trellis.microcredentials.services import submissions

pytestmark = pytest.mark.browser

EMAIL = "educator@pinevalley.test"
TITLE = "Formative assessment in 5 minutes"
VIDEO = "https://www.youtube.com/watch?v=formative5"


def _draft(educator: User, district: District) -> Submission:
    """Jordan's editable draft with an evidence part (the demo history usually gives one)."""
    for draft in Submission.objects.filter(educator=educator, status="draft"):
        if RequirementPart.objects.filter(version=draft.version, kind="artifact").exists():
            return draft
    taken = Submission.objects.filter(educator=educator).values_list(
        "version__micro_credential", flat=True
    )
    credential = (
        MicroCredential.objects.filter(district=district, status="published")
        .exclude(pk__in=list(taken))
        .order_by("slug")
        .first()
    )
    return submissions.start_submission(
        access=access_for(educator, district), actor=educator, micro_credential=credential
    )


def test_log_a_video_in_under_a_minute_and_attach_it(page: Page, demo) -> None:
    district = District.objects.get(slug="pine-valley")
    educator = User.objects.get(email=EMAIL)
    draft = _draft(educator, district)
    sign_in(page, EMAIL)

    started = time.monotonic()
    page.goto("/informal/")
    page.wait_for_load_state()
    interactions = 0
    page.get_by_label("What did you learn from?").fill(TITLE)
    interactions += 1
    page.get_by_label("Link").fill(VIDEO)
    interactions += 1
    page.get_by_label("15 min").check()  # "Video" and today's date are the defaults
    interactions += 1
    page.get_by_role("button", name="Log it").click()
    interactions += 1
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text(f"Logged “{TITLE}”")
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"logging took {elapsed:.1f} s"
    assert interactions <= 5
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    entry = InformalEntry.objects.get(educator=educator, title=TITLE)
    assert (entry.url, entry.minutes, entry.format) == (VIDEO, 15, "video")
    assert_accessible(page, "the informal learning log")

    page.goto(f"/micro-credentials/submissions/{draft.public_id}/")
    page.wait_for_load_state()
    picker = page.get_by_label("Or attach informal learning you logged").first
    picker.select_option(str(entry.public_id))
    picker.locator("xpath=ancestor::form").get_by_role(
        "button", name="Attach informal learning"
    ).click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text(f"Attached “{TITLE}”")
    artifact = Artifact.objects.get(submission=draft, url=f"/informal/{entry.public_id}/")
    assert artifact.description.startswith(f"Informal learning: {TITLE} (Video, 15 min, ")
