"""Resumable evidence uploads: start, append chunks in order, resume after a dropped chunk, a
wrong offset answered with the right one, the finished file checked exactly like a one-shot
upload (refusals fail the session with the reason and leave nothing behind), owners only,
submitted drafts refused, cancelling, and the cleanup of expired sessions."""

from __future__ import annotations

import datetime as dt
import hashlib
import os

import pytest
from django.utils import timezone

from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.microcredentials import filetypes
from trellis.microcredentials.models import (
    Artifact,
    SubmissionEvent,
    SubmissionStatus,
    UploadSession,
    UploadStatus,
)
from trellis.microcredentials.services import uploads as services
from trellis.microcredentials.tasks import clean_up_uploads
from trellis.microcredentials.tests.earning_support import (
    HTML,
    PDF,
    PNG,
    make_definition,
    part,
    start,
    use_tmp_storage,
)

BIG_PDF = PDF + b"%" + os.urandom(3000).hex().encode()  # 6 KB of "PDF"


@pytest.fixture
def media(settings, tmp_path):
    return use_tmp_storage(settings, tmp_path)


@pytest.fixture
def definition(cast):
    return make_definition(cast)


@pytest.fixture
def draft(cast, definition, media):
    return start(cast, cast.alice, definition)


def partial_files(media):
    folder = media / "uploads-partial"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def begin(cast, draft, *, filename="plan.pdf", size=None, user=None, description=""):
    user = user or cast.alice
    size = len(BIG_PDF) if size is None else size
    return services.start_upload(
        access=cast.access(user),
        actor=user,
        submission=draft,
        part=part(draft.version, "artifact"),
        filename=filename,
        size=size,
        description=description,
    )


def append(cast, session, offset, data, user=None):
    user = user or cast.alice
    return services.append_chunk(
        access=cast.access(user), actor=user, session=session, offset=offset, data=data
    )


# ---- services ------------------------------------------------------------------------------


def test_start_append_finish_makes_the_artifact_and_removes_the_temp_file(
    cast, draft, media, django_capture_on_commit_callbacks
):
    session = begin(cast, draft, filename="../Lesson plan.pdf", description="  Week 3  plan ")
    assert session.status == UploadStatus.RECEIVING
    assert session.filename == "Lesson plan.pdf"
    assert session.description == "Week 3 plan"
    assert session.received == 0
    assert session.expires_at - timezone.now() > dt.timedelta(hours=23, minutes=59)
    assert partial_files(media) == [session.temp_name]
    assert (media / "uploads-partial" / session.temp_name).stat().st_size == 0

    session = append(cast, session, 0, BIG_PDF[:4000])
    assert session.received == 4000
    assert (media / "uploads-partial" / session.temp_name).read_bytes() == BIG_PDF[:4000]
    assert not Artifact.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        session = append(cast, session, 4000, BIG_PDF[4000:])
    assert session.status == UploadStatus.COMPLETE
    artifact = Artifact.objects.get()
    assert session.artifact == artifact
    assert artifact.kind == "document"
    assert artifact.content_type == "application/pdf"
    assert artifact.original_name == "Lesson plan.pdf"
    assert artifact.description == "Week 3 plan"
    assert artifact.size == len(BIG_PDF)
    assert artifact.sha256 == hashlib.sha256(BIG_PDF).hexdigest()
    assert artifact.file.read() == BIG_PDF
    assert partial_files(media) == []
    actions = list(
        SubmissionEvent.objects.filter(submission=draft).values_list("action", flat=True)
    )
    assert actions[-2:] == ["upload_started", "artifact_added"]
    state = services.status(access=cast.access(cast.alice), actor=cast.alice, session=session)
    assert (state.status, state.received, state.artifact) == ("complete", len(BIG_PDF), artifact)


def test_the_same_file_started_again_resumes_its_session(cast, draft, media):
    first = begin(cast, draft)
    append(cast, first, 0, BIG_PDF[:1000])
    again = begin(cast, draft)
    assert again.pk == first.pk
    assert again.received == 1000
    other = begin(cast, draft, filename="other.pdf")
    assert other.pk != first.pk


def test_a_dropped_chunk_is_resumed_from_the_status(cast, draft, media):
    session = begin(cast, draft)
    append(cast, session, 0, BIG_PDF[:2000])
    # The second chunk never arrives; the client asks where to continue.
    state = services.status(access=cast.access(cast.alice), actor=cast.alice, session=session)
    assert (state.status, state.received, state.size) == ("receiving", 2000, len(BIG_PDF))
    append(cast, session, state.received, BIG_PDF[2000:])
    assert Artifact.objects.get().file.read() == BIG_PDF


def test_a_wrong_offset_is_a_conflict_that_tells_the_right_one(cast, draft, media):
    session = begin(cast, draft)
    append(cast, session, 0, BIG_PDF[:1000])
    for offset in (0, 1500, "abc"):
        with pytest.raises(ConflictError) as caught:
            append(cast, session, offset, BIG_PDF[1000:2000])
        assert caught.value.code == "wrong_offset"
        assert caught.value.details == {"received": 1000}
    session.refresh_from_db()
    assert session.received == 1000
    assert (media / "uploads-partial" / session.temp_name).read_bytes() == BIG_PDF[:1000]


@pytest.mark.parametrize(
    ("offset", "data", "code"),
    [
        (0, b"", "empty_chunk"),
        (0, b"x" * (services.MAX_CHUNK + 1), "chunk_too_large"),
        (0, BIG_PDF + b"more", "beyond_size"),
    ],
)
def test_bad_chunks_are_refused_and_nothing_is_written(cast, draft, media, offset, data, code):
    session = begin(cast, draft)
    with pytest.raises(DomainError) as caught:
        append(cast, session, offset, data)
    assert caught.value.code == code
    session.refresh_from_db()
    assert session.received == 0
    assert (media / "uploads-partial" / session.temp_name).read_bytes() == b""


@pytest.mark.parametrize(
    ("filename", "size", "code", "message"),
    [
        ("plan.pdf", 0, "invalid_size", "The file's size is missing"),
        ("plan.pdf", "lots", "invalid_size", "The file's size is missing"),
        ("plan.pdf", 2_000, "file_too_large", "The file is 2 KB; documents may be at most 1 KB."),
        ("clip.mp4", 6_000, "file_too_large", "The file is 6 KB; video may be at most 5 KB."),
        ("notes.zzz", 6_000, "file_too_large", "The file is 6 KB; the largest accepted here is"),
    ],
)
def test_bad_starts_are_refused_and_nothing_is_written(
    cast, draft, media, settings, filename, size, code, message
):
    settings.MICRO_CREDENTIAL_UPLOAD_LIMITS = {
        "document": 1024,
        "image": 1024,
        "video": 5 * 1024,
        "audio": 1024,
    }
    with pytest.raises(DomainError) as caught:
        begin(cast, draft, filename=filename, size=size)
    assert caught.value.code == code
    assert caught.value.message.startswith(message)
    assert not UploadSession.objects.exists()
    assert partial_files(media) == []


def test_a_part_that_takes_no_files_refuses_uploads(cast, draft, media):
    artifact_part = part(draft.version, "artifact")
    artifact_part.accepted_types = ["link"]
    artifact_part.save()
    with pytest.raises(DomainError) as caught:
        begin(cast, draft)
    assert caught.value.code == "kind_not_accepted"
    assert caught.value.message == "“Part 2” does not take files; it takes links."


def test_a_text_part_refuses_uploads(cast, draft, media):
    with pytest.raises(DomainError) as caught:
        services.start_upload(
            access=cast.access(cast.alice),
            actor=cast.alice,
            submission=draft,
            part=part(draft.version, "reflection"),
            filename="plan.pdf",
            size=100,
        )
    assert caught.value.code == "not_an_artifact_part"


def test_at_most_three_uploads_at_once_and_stale_ones_give_way(cast, draft, media):
    sessions = [begin(cast, draft, filename=f"plan-{n}.pdf") for n in range(3)]
    with pytest.raises(ConflictError) as caught:
        begin(cast, draft, filename="plan-4.pdf")
    assert caught.value.code == "too_many_uploads"
    assert UploadSession.objects.count() == 3
    UploadSession.objects.filter(pk=sessions[0].pk).update(
        updated_at=timezone.now() - dt.timedelta(hours=1)
    )
    fourth = begin(cast, draft, filename="plan-4.pdf")
    sessions[0].refresh_from_db()
    assert sessions[0].status == UploadStatus.ABANDONED
    assert fourth.status == UploadStatus.RECEIVING


def test_a_file_over_its_kind_limit_after_sniffing_fails_with_the_reason(
    cast, draft, media, settings, django_capture_on_commit_callbacks
):
    # Named .mp4 (video: 200 MB) but the bytes are a PDF, limited to 1 KB here.
    settings.MICRO_CREDENTIAL_UPLOAD_LIMITS = {"document": 1024}
    session = begin(cast, draft, filename="talk.mp4")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as caught:
        append(cast, session, 0, BIG_PDF)
    assert caught.value.code == "file_too_large"
    assert caught.value.message == "The file is 6 KB; documents may be at most 1 KB."
    session.refresh_from_db()
    assert session.status == UploadStatus.FAILED
    assert session.error == "The file is 6 KB; documents may be at most 1 KB."
    assert not Artifact.objects.exists()
    assert partial_files(media) == []
    assert SubmissionEvent.objects.filter(action="upload_failed").get().data == {
        "upload": str(session.public_id),
        "code": "file_too_large",
    }


def test_html_renamed_pdf_fails_after_sniffing_and_leaves_nothing(
    cast, draft, media, django_capture_on_commit_callbacks
):
    session = begin(cast, draft, filename="report.pdf", size=len(HTML))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as caught:
        append(cast, session, 0, HTML)
    assert caught.value.code == "unsupported_file"
    session.refresh_from_db()
    assert session.status == UploadStatus.FAILED
    assert "web page or script content" in session.error
    assert not Artifact.objects.exists()
    assert partial_files(media) == []
    assert [p for p in media.rglob("*") if p.is_file()] == []  # nothing stored anywhere
    with pytest.raises(ConflictError) as again:
        append(cast, session, len(HTML), b"x")
    assert again.value.code == "upload_failed"


def test_a_full_part_fails_the_finished_upload(
    cast, draft, media, django_capture_on_commit_callbacks
):
    artifact_part = part(draft.version, "artifact")
    artifact_part.max_files = 1
    artifact_part.save()
    first = begin(cast, draft, filename="a.png", size=len(PNG))
    second = begin(cast, draft, filename="b.png", size=len(PNG))
    append(cast, first, 0, PNG)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as caught:
        append(cast, second, 0, PNG)
    assert caught.value.code == "too_many_files"
    assert Artifact.objects.count() == 1
    second.refresh_from_db()
    assert second.status == UploadStatus.FAILED


def test_another_educator_or_district_cannot_use_the_session(cast, draft, media):
    session = begin(cast, draft)
    with pytest.raises(PermissionDenied):
        append(cast, session, 0, BIG_PDF[:10], user=cast.eve)
    from django.http import Http404

    with pytest.raises(Http404):
        append(cast, session, 0, BIG_PDF[:10], user=cast.bob)
    session.refresh_from_db()
    assert session.received == 0


def test_a_submitted_draft_refuses_new_and_continued_uploads(cast, draft, media):
    session = begin(cast, draft)
    type(draft).objects.filter(pk=draft.pk).update(status=SubmissionStatus.SUBMITTED)
    draft.refresh_from_db()
    with pytest.raises(ConflictError) as caught:
        begin(cast, draft, filename="new.pdf")
    assert caught.value.code == "submission_locked"
    with pytest.raises(ConflictError) as caught:
        append(cast, session, 0, BIG_PDF[:10])
    assert caught.value.code == "submission_locked"
    assert UploadSession.objects.count() == 1


def test_abandon_deletes_the_partial_file_and_stops_the_session(
    cast, draft, media, django_capture_on_commit_callbacks
):
    session = begin(cast, draft)
    append(cast, session, 0, BIG_PDF[:100])
    with django_capture_on_commit_callbacks(execute=True):
        services.abandon(access=cast.access(cast.alice), actor=cast.alice, session=session)
    session.refresh_from_db()
    assert session.status == UploadStatus.ABANDONED
    assert partial_files(media) == []
    with pytest.raises(ConflictError) as caught:
        append(cast, session, 100, BIG_PDF[100:200])
    assert caught.value.code == "upload_abandoned"
    services.abandon(access=cast.access(cast.alice), actor=cast.alice, session=session)  # no-op


def test_a_complete_upload_cannot_be_abandoned(cast, draft, media):
    session = begin(cast, draft, filename="a.png", size=len(PNG))
    append(cast, session, 0, PNG)
    with pytest.raises(ConflictError) as caught:
        services.abandon(access=cast.access(cast.alice), actor=cast.alice, session=session)
    assert caught.value.code == "upload_complete"


def test_an_expired_session_reads_as_abandoned_and_refuses_chunks(cast, draft, media):
    session = begin(cast, draft)
    UploadSession.objects.filter(pk=session.pk).update(expires_at=timezone.now())
    session.refresh_from_db()
    state = services.status(access=cast.access(cast.alice), actor=cast.alice, session=session)
    assert state.status == "abandoned"
    with pytest.raises(ConflictError) as caught:
        append(cast, session, 0, BIG_PDF[:10])
    assert caught.value.code == "upload_abandoned"


def test_cleanup_task_removes_expired_sessions_and_stray_files(cast, draft, media):
    expired = begin(cast, draft, filename="old.pdf")
    append(cast, expired, 0, BIG_PDF[:100])
    live = begin(cast, draft, filename="new.pdf")
    UploadSession.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    stray = media / "uploads-partial" / "0123abcd.part"
    stray.write_bytes(b"left over")
    old = (timezone.now() - dt.timedelta(days=2)).timestamp()
    os.utime(stray, (old, old))
    recent = media / "uploads-partial" / "4567abcd.part"
    recent.write_bytes(b"being created")

    result = clean_up_uploads.enqueue()
    assert result.return_value == 1
    assert list(UploadSession.objects.values_list("pk", flat=True)) == [live.pk]
    assert partial_files(media) == sorted([live.temp_name, "4567abcd.part"])
    assert services.clean_up_expired() == 0


def test_kind_from_name():
    assert filetypes.kind_from_name("Talk.MOV") == "video"
    assert filetypes.kind_from_name("plan.pdf") == "document"
    assert filetypes.kind_from_name("noextension") is None
    assert filetypes.kind_from_name("archive.zip") is None


# ---- views ---------------------------------------------------------------------------------


def _urls(draft, session_id=None):
    base = f"/micro-credentials/submissions/{draft.public_id}/uploads/"
    return base if session_id is None else f"{base}{session_id}/"


def put(client, url, data, start, total):
    return client.put(
        url,
        data=data,
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=f"bytes {start}-{start + len(data) - 1}/{total}",
    )


def test_views_start_put_resume_and_finish(client_for, cast, draft, media):
    client = client_for(cast.alice)
    artifact_part = part(draft.version, "artifact")
    response = client.post(
        _urls(draft),
        {"part": str(artifact_part.public_id), "filename": "plan.pdf", "size": len(BIG_PDF)},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    session = UploadSession.objects.get()
    assert body == {
        "id": str(session.public_id),
        "url": _urls(draft, session.public_id),
        "status": "receiving",
        "received": 0,
        "size": len(BIG_PDF),
        "chunk_size": 4 * 1024 * 1024,
        "error": "",
    }
    url = body["url"]
    response = put(client, url, BIG_PDF[:3000], 0, len(BIG_PDF))
    assert response.status_code == 200
    assert response.json()["received"] == 3000

    # A retried chunk the server already has: 409 with where to continue.
    response = put(client, url, BIG_PDF[:3000], 0, len(BIG_PDF))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "wrong_offset"
    assert response.json()["error"]["details"] == {"received": 3000}

    response = client.get(url)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["received"]) == ("receiving", 3000)

    response = put(client, url, BIG_PDF[3000:], 3000, len(BIG_PDF))
    assert response.status_code == 201
    artifact = Artifact.objects.get()
    assert response.json()["artifact"] == {
        "id": str(artifact.public_id),
        "name": "plan.pdf",
        "kind": "document",
        "size": len(BIG_PDF),
    }
    page = client.get(f"/micro-credentials/submissions/{draft.public_id}/")
    assert "Added “plan.pdf” to “Part 2”." in page.content.decode()


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("", "Send the chunk with a Content-Range header"),
        ("bytes 0-9/100", "The Content-Range says 10 bytes but the body has 5."),
        ("bytes 0-4/99", "The Content-Range total is 99 bytes"),
        ("items 0-4/100", "Send the chunk with a Content-Range header"),
    ],
)
def test_put_with_a_bad_content_range_is_refused(client_for, cast, draft, media, header, message):
    session = begin(cast, draft, size=100)
    response = client_for(cast.alice).put(
        _urls(draft, session.public_id),
        data=b"abcde",
        content_type="application/octet-stream",
        HTTP_CONTENT_RANGE=header,
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_range"
    assert response.json()["error"]["message"].startswith(message)
    session.refresh_from_db()
    assert session.received == 0


def test_view_refusals_are_json_errors(client_for, cast, draft, media):
    client = client_for(cast.alice)
    response = client.post(_urls(draft), b"[1]", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"
    response = client.post(
        _urls(draft),
        {"part": str(part(draft.version, "artifact").public_id), "filename": "a.pdf", "size": -1},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_size"
    response = client.post(
        _urls(draft), {"part": "not-a-uuid", "size": 5}, content_type="application/json"
    )
    assert response.status_code == 404
    assert not UploadSession.objects.exists()


def test_a_failed_last_chunk_answers_with_the_reason(client_for, cast, draft, media):
    session = begin(cast, draft, filename="report.pdf", size=len(HTML))
    client = client_for(cast.alice)
    response = put(client, _urls(draft, session.public_id), HTML, 0, len(HTML))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unsupported_file"
    state = client.get(_urls(draft, session.public_id)).json()
    assert state["status"] == "failed"
    assert "web page or script content" in state["error"]


def test_views_are_owner_only(client_for, cast, draft, media):
    session = begin(cast, draft)
    url = _urls(draft, session.public_id)
    for user in (cast.eve, cast.bob, cast.dana):
        client = client_for(user)
        assert client.get(url).status_code == 404
        assert put(client, url, BIG_PDF[:10], 0, len(BIG_PDF)).status_code == 404
        assert client.delete(url).status_code == 404
        response = client.post(
            _urls(draft),
            {
                "part": str(part(draft.version, "artifact").public_id),
                "filename": "x.pdf",
                "size": 5,
            },
            content_type="application/json",
        )
        assert response.status_code == 404
    session.refresh_from_db()
    assert (session.received, session.status) == (0, UploadStatus.RECEIVING)
    assert UploadSession.objects.count() == 1


def test_delete_cancels(client_for, cast, draft, media):
    session = begin(cast, draft)
    response = client_for(cast.alice).delete(_urls(draft, session.public_id))
    assert response.status_code == 204
    session.refresh_from_db()
    assert session.status == UploadStatus.ABANDONED


def test_csrf_token_is_required_and_accepted_in_the_header(cast, draft, media):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.alice, backend="trellis.accounts.backends.EmailBackend")
    page = client.get(f"/micro-credentials/submissions/{draft.public_id}/")
    html = page.content.decode()
    assert 'data-resumable-url="' + _urls(draft) + '"' in html
    assert 'data-chunk-size="4194304"' in html
    assert 'js/uploads.js"' in html
    token = page.cookies["csrftoken"].value
    data = {"part": str(part(draft.version, "artifact").public_id), "filename": "a.pdf", "size": 9}
    assert client.post(_urls(draft), data, content_type="application/json").status_code == 403
    response = client.post(
        _urls(draft), data, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201


# ---- API -----------------------------------------------------------------------------------


def test_api_start_chunks_resume_and_finish(api_client_for, cast, draft, media):
    client = api_client_for(cast.alice)
    response = client.post(
        f"/api/v1/submissions/{draft.public_id}/uploads",
        {
            "part": str(part(draft.version, "artifact").public_id),
            "filename": "plan.pdf",
            "size": len(BIG_PDF),
            "description": "Plan",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["received"], body["artifact"]) == ("receiving", 0, None)
    url = f"/api/v1/uploads/{body['id']}"
    assert put(client, url, BIG_PDF[:1000], 0, len(BIG_PDF)).status_code == 200
    response = put(client, url, BIG_PDF[500:1500], 500, len(BIG_PDF))
    assert response.status_code == 409
    assert response.json()["error"]["details"] == {"received": 1000}
    assert client.get(url).json()["received"] == 1000
    response = put(client, url, BIG_PDF[1000:], 1000, len(BIG_PDF))
    assert response.status_code == 201
    artifact = Artifact.objects.get()
    assert response.json()["artifact"]["id"] == str(artifact.public_id)
    assert response.json()["artifact"]["description"] == "Plan"
    assert response.json()["status"] == "complete"


def test_api_refusals_and_other_users(api_client_for, cast, draft, media):
    session = begin(cast, draft)
    url = f"/api/v1/uploads/{session.public_id}"
    response = api_client_for(cast.alice).put(
        url, data=b"abc", content_type="application/octet-stream"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_range"
    for user in (cast.eve, cast.bob):
        client = api_client_for(user)
        assert client.get(url).status_code == 404
        assert put(client, url, BIG_PDF[:10], 0, len(BIG_PDF)).status_code == 404
        assert client.delete(url).status_code == 404
    response = api_client_for(cast.alice).delete(url)
    assert response.status_code == 204
    session.refresh_from_db()
    assert (session.received, session.status) == (0, UploadStatus.ABANDONED)
