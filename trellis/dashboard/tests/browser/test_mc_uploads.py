"""Resumable evidence uploads in a real browser (issue 5): a ~9 MB video goes up in 4 MB chunks
with the progress shown; one chunk's connection is dropped (Playwright intercepts the request
and aborts it once), the script asks the server how much arrived and resumes, and the artifact
appears in the part's list. Skipped without Chromium."""

from __future__ import annotations

import json

import pytest

from trellis.dashboard.tests.browser.test_mc_autosave import signed_in_page
from trellis.microcredentials.models import Artifact, UploadSession, UploadStatus
from trellis.microcredentials.tests.earning_support import (
    MP4,
    make_definition,
    part,
    start,
    use_tmp_storage,
)

pytestmark = pytest.mark.browser

VIDEO = MP4 + bytes(range(256)) * (9 * 1024 * 4 - 1)  # just under 9 MB: three chunks

# Every text the status line shows, kept in sessionStorage so it survives the final reload.
RECORD_STATUSES = """
(() => {
  const status = document.querySelector(".mc-upload-progress [role=status]");
  new MutationObserver(() => {
    const seen = JSON.parse(sessionStorage.getItem("seen-statuses") || "[]");
    seen.push(status.textContent);
    sessionStorage.setItem("seen-statuses", JSON.stringify(seen));
  }).observe(status, { childList: true, characterData: true, subtree: true });
})();
"""


def test_a_chunked_upload_survives_a_dropped_connection(
    new_context, transactional_db, cast, settings, tmp_path
):
    from playwright.sync_api import expect

    media = use_tmp_storage(settings, tmp_path)
    definition = make_definition(cast)
    artifact_part = part(definition, "artifact")
    draft = start(cast, cast.alice, definition)
    page = signed_in_page(new_context(), cast.alice.email)
    page.goto(f"/micro-credentials/submissions/{draft.public_id}/")
    page.evaluate(RECORD_STATUSES)

    dropped, puts = [], []

    def flaky(route, request):
        if request.method == "PUT":
            puts.append(request.headers["content-range"])
            if request.headers["content-range"].startswith("bytes 4194304-") and not dropped:
                dropped.append(request.headers["content-range"])
                route.abort("connectionreset")
                return
        route.continue_()

    page.route("**/uploads/*/", flaky)
    page.locator(f"#file-{artifact_part.public_id}").set_input_files(
        {"name": "lesson.mp4", "mimeType": "video/mp4", "buffer": VIDEO}
    )
    page.get_by_label("Description").fill("Hinge question in period 3")
    page.get_by_role("button", name="Add", exact=True).click()

    expect(page.get_by_role("status").filter(has_text="Connection lost")).to_have_text(
        "Connection lost — retrying in 2 s"
    )
    expect(page.locator(".mc-artifacts")).to_contain_text("lesson.mp4", timeout=20_000)
    expect(page.locator(".mc-artifacts")).to_contain_text("Hinge question in period 3")
    expect(page.get_by_text("Added “lesson.mp4” to “Part 2”.")).to_be_visible()

    seen = json.loads(page.evaluate("sessionStorage.getItem('seen-statuses')"))
    assert "Uploading 4 MB of 9 MB" in seen
    assert "Connection lost — retrying in 2 s" in seen
    assert "Resuming from 4 MB" in seen
    assert "Uploading 8 MB of 9 MB" in seen
    total = len(VIDEO)
    assert puts == [
        f"bytes 0-4194303/{total}",
        f"bytes 4194304-8388607/{total}",  # dropped
        f"bytes 4194304-8388607/{total}",
        f"bytes 8388608-{total - 1}/{total}",
    ]
    artifact = Artifact.objects.get()
    assert (artifact.kind, artifact.size, artifact.original_name) == ("video", total, "lesson.mp4")
    assert artifact.file.read() == VIDEO
    assert UploadSession.objects.get().status == UploadStatus.COMPLETE
    assert list((media / "uploads-partial").iterdir()) == []
    # The key of the finished upload is gone, so choosing the file again starts a new upload.
    keys = page.evaluate("Object.keys(sessionStorage)")
    assert [k for k in keys if k.startswith("trellis-upload:")] == []
