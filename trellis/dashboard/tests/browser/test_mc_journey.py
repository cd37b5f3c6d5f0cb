"""The micro-credential journey in a real browser: an educator starts a micro-credential, her
draft survives a reload, she uploads evidence and submits; the assessor says "not yet" with
feedback; she revises the part and resubmits; the assessor awards it, and it appears among her
earned micro-credentials."""

from __future__ import annotations

import re

import pytest
from fpdf import FPDF
from playwright.sync_api import Page, expect

from trellis.accounts.models import User
from trellis.dashboard.tests.browser.helpers import assert_accessible, sign_in
from trellis.microcredentials.models import (
    Assignment,
    MicroCredential,
    RequirementPart,
    RubricCriterion,
    Submission,
)

pytestmark = pytest.mark.browser

EDUCATOR = "educator@pinevalley.test"


def _pdf() -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=12)
    document.cell(0, 10, "Lesson plan with hinge questions")
    return bytes(document.output())


def _fresh_micro_credential(educator: User) -> MicroCredential:
    """A published micro-credential the educator has not touched and may start."""
    touched = Submission.objects.filter(educator=educator).values("version__micro_credential")
    return (
        MicroCredential.objects.filter(district__slug="pine-valley", status="published")
        .exclude(pk__in=touched)
        .exclude(versions__prerequisites__isnull=False)
        .order_by("slug")
        .first()
    )


def _score_open_assignments(new_context, submission: Submission, *, first_not_yet: bool) -> None:
    """Every assessor with an open assignment on the submission scores it the same way."""
    criteria = list(
        RubricCriterion.objects.filter(part__version=submission.version).order_by(
            "part__position", "position"
        )
    )
    for assignment in Assignment.objects.filter(
        submission=submission, status=Assignment.Status.ASSIGNED
    ).select_related("assessor"):
        page = new_context().new_page()
        sign_in(page, assignment.assessor.email)
        page.goto("/micro-credentials/assessment/")
        page.goto(f"/micro-credentials/assessment/{assignment.public_id}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(submission.version.title)
        for index, criterion in enumerate(criteria):
            cid = criterion.public_id
            if first_not_yet and index == 0:
                page.locator(f"#level-{cid}-not_yet").check()
                page.locator(f"#feedback-{cid}").fill(
                    "Show what you changed after reading the exit tickets."
                )
            else:
                page.locator(f"#level-{cid}-proficient").check()
        if not first_not_yet:
            assert_accessible(page, "scoring page")
        page.get_by_role("button", name="Save scores").click()
        expect(page.get_by_text(re.compile("saved|scored", re.IGNORECASE)).first).to_be_visible()


def _fill_workspace(page: Page, submission: Submission) -> None:
    for part in RequirementPart.objects.filter(version=submission.version).order_by("position"):
        pid = part.public_id
        if part.kind == RequirementPart.Kind.ARTIFACT:
            if "document" in part.accepted_types:
                page.locator(f"#file-{pid}").set_input_files(
                    {"name": "lesson plan.pdf", "mimeType": "application/pdf", "buffer": _pdf()}
                )
            else:
                page.locator(f"#url-{pid}").fill("https://video.example.org/lesson/42")
            page.locator(f"#file-{pid}").locator("xpath=ancestor::form").get_by_role(
                "button", name="Add"
            ).click()
        else:
            page.locator(f"#answer-{pid}").fill(
                "I used the method across a two-week unit and kept notes after every lesson."
            )
    expect(page.locator("#save-status")).to_contain_text("Saved at")


def test_draft_survives_reload_submit_not_yet_resubmit_and_earn(demo, new_context):
    educator = User.objects.get(email=EDUCATOR)
    micro_credential = _fresh_micro_credential(educator)

    page = new_context().new_page()
    sign_in(page, EDUCATOR)
    page.goto(f"/micro-credentials/{micro_credential.public_id}/")
    assert_accessible(page, "definition page")
    page.get_by_role("button", name="Start this micro-credential").click()
    submission = Submission.objects.get(
        educator=educator, version__micro_credential=micro_credential
    )
    first = RequirementPart.objects.filter(version=submission.version).order_by("position").first()

    # The draft is saved as she types and is still there after a reload. (Typing waits for the
    # page to load: the click only waits for the navigation to start, and the deferred autosave
    # script attaches its listeners just before DOMContentLoaded.)
    page.wait_for_load_state()
    page.locator(f"#answer-{first.public_id}").fill("My class is a sixth-grade math class.")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.reload()
    expect(page.locator(f"#answer-{first.public_id}")).to_have_value(
        "My class is a sixth-grade math class."
    )

    _fill_workspace(page, submission)
    page.get_by_label(re.compile("no identifiable student data")).check()
    assert_accessible(page, "workspace")
    page.get_by_role("button", name="Submit for assessment").click()
    submission.refresh_from_db()
    assert submission.status == "in_assessment"

    _score_open_assignments(new_context, submission, first_not_yet=True)
    submission.refresh_from_db()
    assert submission.status == "not_yet"

    # She reads the feedback, revises the part marked "to revise" and resubmits.
    page.goto(f"/micro-credentials/submissions/{submission.public_id}/")
    expect(
        page.get_by_text("Show what you changed after reading the exit tickets.")
    ).to_be_visible()
    revisable = page.locator("textarea:not([disabled]):not([readonly])").first
    revisable.fill("Revised: two exit tickets, and how I regrouped students after each.")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.get_by_role("button", name="Resubmit").click()
    submission.refresh_from_db()
    assert submission.status == "in_assessment"
    assert submission.attempt == 2

    _score_open_assignments(new_context, submission, first_not_yet=False)
    submission.refresh_from_db()
    assert submission.status == "earned"

    page.goto("/micro-credentials/my/")
    expect(page.get_by_text(submission.version.title).first).to_be_visible()
    assert_accessible(page, "my micro-credentials")

    # Her Open Badges 3.0 credential is on her credentials page and verifies.
    page.goto("/credentials/")
    page.get_by_role("link", name=submission.version.title).first.click()
    expect(page.get_by_role("heading", name="Verification")).to_be_visible()
    expect(
        page.get_by_text("Verified: the signature, issuer and status check out.")
    ).to_be_visible()
    expect(page.get_by_text("Download and share")).to_be_visible()
    assert_accessible(page, "credential page")
