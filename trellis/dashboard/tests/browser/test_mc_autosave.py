"""Micro-credential workspace in a real browser (earning, helper F): typing is saved without
pressing anything and survives a reload; two tabs editing different answers both keep their
text; a refused answer does not block the others; the image preview loads. Uses this folder's
`new_context` fixture (skipped without Chromium)."""

from __future__ import annotations

import pytest

from trellis.accounts.tests.factories import TEST_PASSWORD
from trellis.microcredentials.models import Answer, AnswerRevision
from trellis.microcredentials.tests.earning_support import make_definition, part, start

pytestmark = pytest.mark.browser


def signed_in_page(context, email):
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    return page


def test_typing_is_saved_and_survives_a_reload_and_two_tabs_keep_both_fields(
    new_context, transactional_db, cast
):
    from playwright.sync_api import expect

    definition = make_definition(cast)
    draft = start(cast, cast.alice, definition)
    overview, reflection = part(definition, "overview"), part(definition, "reflection")
    context = new_context()
    tab_a = signed_in_page(context, cast.alice.email)
    workspace = f"/micro-credentials/submissions/{draft.public_id}/"
    tab_a.goto(workspace)
    tab_b = context.new_page()
    tab_b.goto(workspace)

    tab_a.locator(f"#answer-{overview.public_id}").fill("Typed in tab A, never saved by hand")
    expect(tab_a.locator("#save-status")).to_contain_text("Saved at", timeout=10_000)
    tab_b.locator(f"#answer-{reflection.public_id}").fill("Reflection from tab B")
    expect(tab_b.locator("#save-status")).to_contain_text("Saved at", timeout=10_000)

    tab_a.reload()
    expect(tab_a.locator(f"#answer-{overview.public_id}")).to_have_value(
        "Typed in tab A, never saved by hand"
    )
    expect(tab_a.locator(f"#answer-{reflection.public_id}")).to_have_value("Reflection from tab B")
    answers = {a.part_id: a for a in Answer.objects.filter(submission=draft)}
    assert answers[overview.pk].revision == 1
    assert answers[reflection.pk].revision == 1
    clients = set(AnswerRevision.objects.values_list("client_id", flat=True))
    assert len(clients) == 2  # each tab has its own id (sessionStorage is per tab)
    assert all(c.startswith("tab-") for c in clients)


def test_refusals_privacy_and_image_preview(
    new_context, transactional_db, cast, settings, tmp_path
):
    from playwright.sync_api import expect

    from trellis.microcredentials.tests.earning_support import PNG, use_tmp_storage

    use_tmp_storage(settings, tmp_path)
    definition = make_definition(cast)
    reflection = part(definition, "reflection")
    reflection.max_words = 3
    reflection.save()
    draft = start(cast, cast.alice, definition)
    context = new_context()
    page = signed_in_page(context, cast.alice.email)
    page.goto(f"/micro-credentials/submissions/{draft.public_id}/")
    page.locator(f"#answer-{reflection.public_id}").fill("one two three four")
    expect(page.locator("#save-status")).to_contain_text(
        "Not saved — “Part 3” has 4 words; the limit is 3."
    )
    page.get_by_label("My evidence contains no identifiable student data").check()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    draft.refresh_from_db()
    assert draft.privacy_confirmed is True

    artifact_part = part(definition, "artifact")
    page.locator(f"#answer-{reflection.public_id}").fill("one two three")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.locator(f"#file-{artifact_part.public_id}").set_input_files(
        {"name": "board.png", "mimeType": "image/png", "buffer": PNG}
    )
    page.get_by_role("button", name="Add", exact=True).click()
    preview = page.locator("img.mc-preview")
    expect(preview).to_have_count(1)
    # The preview is the evidence URL itself, served inline to its educator.
    page.wait_for_function("() => document.querySelector('img.mc-preview').naturalWidth === 1")
