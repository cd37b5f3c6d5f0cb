"""Artifact uploads: types sniffed from the bytes (never the name or declared type), active
content refused, size limits per kind, accepted kinds and max files, safe storage names,
links, removing, and completed offerings attached as evidence."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile

import pytest
from django.utils import timezone

from trellis.catalog.models import EnrollmentStatus
from trellis.catalog.tests.factories import EnrollmentFactory, OfferingFactory
from trellis.core.errors import ConflictError, DomainError
from trellis.microcredentials import filetypes
from trellis.microcredentials.models import Artifact, SubmissionEvent
from trellis.microcredentials.services import artifacts as services
from trellis.microcredentials.tests.earning_support import (
    GIF,
    HTML,
    JPEG,
    MP3,
    MP4,
    PDF,
    PNG,
    SVG,
    docx_bytes,
    make_definition,
    part,
    start,
    upload,
    use_tmp_storage,
)


@pytest.fixture
def media(settings, tmp_path):
    return use_tmp_storage(settings, tmp_path)


@pytest.fixture
def definition(cast):
    return make_definition(cast)


@pytest.fixture
def draft(cast, definition, media):
    return start(cast, cast.alice, definition)


def add(cast, draft, f=None, *, url="", description="", kind="artifact", user=None):
    user = user or cast.alice
    return services.add_artifact(
        access=cast.access(user),
        actor=user,
        submission=draft,
        part=part(draft.version, kind),
        upload=f,
        url=url,
        description=description,
    )


# ---- sniffing (pure) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type", "kind"),
    [
        (PDF, "application/pdf", "document"),
        (PNG, "image/png", "image"),
        (JPEG, "image/jpeg", "image"),
        (GIF, "image/gif", "image"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp", "image"),
        (MP4, "video/mp4", "video"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", "video/quicktime", "video"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01", "video/webm", "video"),
        (MP3, "audio/mpeg", "audio"),
        (b"\xff\xfb\x90\x64" + b"\x00" * 20, "audio/mpeg", "audio"),
        (b"\x1a\x45\xdf\xa3\xa3\x42\x82\x88matroska", "video/x-matroska", "video"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav", "audio"),
        (b"OggS\x00\x02" + b"\x00" * 20, "audio/ogg", "audio"),
        (docx_bytes(), filetypes.DOCX, "document"),
        ("Plain notes — café\n".encode(), "text/plain; charset=utf-8", "document"),
    ],
)
def test_sniff_recognises_each_accepted_format(data, content_type, kind):
    found = filetypes.sniff(io.BytesIO(data))
    assert (found.content_type, found.kind) == (content_type, kind)


@pytest.mark.parametrize(
    ("data", "message_start"),
    [
        (SVG, "The file contains web page or script content"),
        (HTML, "The file contains web page or script content"),
        (b"GIF89a/*<script>alert(1)</script>*/", "The file contains web page or script content"),
        (b'<?xml version="1.0"?><note/>', "Markup files (HTML, SVG, XML) are not accepted"),
        (b"\x00\x01\x02\x03garbage\xfe\xfd", "This type of file is not accepted."),
        (b"MZ\x90\x00\x03\x00\x00\x00", "This type of file is not accepted."),
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\nGARBAGEGARBAGE", "The file claims to be a PNG image but is damaged."),
        (docx_bytes(macros=True), "Files with macros are not accepted"),
        (b"PK\x03\x04not really a zip", "The file looks like a damaged ZIP archive."),
    ],
)
def test_sniff_refuses_active_garbage_and_polyglot_files(data, message_start):
    with pytest.raises(filetypes.UnsupportedFile) as caught:
        filetypes.sniff(io.BytesIO(data))
    assert str(caught.value).startswith(message_start)


def test_utf16_text_does_not_pass_for_mp3_audio():
    # Its FF FE byte order mark looks like an MPEG sync word, but not like a layer III header.
    with pytest.raises(filetypes.UnsupportedFile) as caught:
        filetypes.sniff(io.BytesIO("\ufeffUTF-16 notes".encode("utf-16-le")))
    assert str(caught.value).startswith("This type of file is not accepted.")


def test_a_plain_zip_archive_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(filetypes.UnsupportedFile) as caught:
        filetypes.sniff(buffer)
    assert str(caught.value).startswith("ZIP archives are not accepted")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("...hidden.png", "hidden.png"),
        ('lesson<plan>:"v2"?.pdf', "lesson_plan_v2_.pdf"),
        ("", "file"),
        ("/", "file"),
    ],
)
def test_display_names_are_sanitised(name, shown):
    assert filetypes.display_name(name) == shown


# ---- uploads ------------------------------------------------------------------------------


def test_upload_is_stored_under_a_random_name_with_its_sniffed_type(cast, draft, media):
    artifact = add(cast, draft, upload("../../evil/board photo.pdf", PNG, "application/pdf"))
    assert artifact.kind == "image"  # a PNG renamed .pdf is a PNG
    assert artifact.content_type == "image/png"
    assert artifact.original_name == "board photo.pdf"
    assert artifact.size == len(PNG)
    assert artifact.sha256 == hashlib.sha256(PNG).hexdigest()
    stored = artifact.file.name
    assert stored.startswith("microcredentials/evidence/")
    assert stored.endswith(".png")
    assert "evil" not in stored
    assert "board" not in stored
    assert ".." not in stored
    path = media / stored
    assert path.read_bytes() == PNG
    assert os.path.commonpath([str(media), str(path.resolve())]) == str(media)
    event = SubmissionEvent.objects.get(submission=draft, action="artifact_added")
    assert event.data["kind"] == "image"


@pytest.mark.parametrize(("name", "data"), [("lesson.png", SVG), ("photo.png", HTML)])
def test_active_content_is_refused_even_with_an_image_name(cast, draft, media, name, data):
    with pytest.raises(DomainError) as caught:
        add(cast, draft, upload(name, data, "image/png"))
    assert caught.value.code == "unsupported_file"
    assert caught.value.details == {"field": "file"}
    assert Artifact.objects.count() == 0
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_kinds_the_part_does_not_accept_are_refused(cast, draft):
    with pytest.raises(DomainError) as caught:
        add(cast, draft, upload("talk.mp3", MP3, "audio/mpeg"))
    assert caught.value.code == "kind_not_accepted"
    assert caught.value.message == (
        "This file is a MP3 audio; “Part 2” takes documents, images, video, links."
    )
    assert Artifact.objects.count() == 0


def test_size_limit_per_kind_from_settings(cast, draft, settings):
    settings.MICRO_CREDENTIAL_UPLOAD_LIMITS = {"image": 1024}
    with pytest.raises(DomainError) as caught:
        add(cast, draft, upload("big.png", PNG + b"\x00" * 2048))
    assert caught.value.code == "file_too_large"
    assert caught.value.message == "The file is 2 KB; images may be at most 1 KB."
    add(cast, draft, upload("pdf.pdf", PDF + b"\x00" * 2048))  # documents keep their 20 MB
    assert Artifact.objects.count() == 1


def test_default_limits():
    assert services.upload_limit("image") == 20 * 1024 * 1024
    assert services.upload_limit("document") == 20 * 1024 * 1024
    assert services.upload_limit("audio") == 50 * 1024 * 1024
    assert services.upload_limit("video") == 200 * 1024 * 1024


def test_max_files_per_part(cast, draft):
    draft.version.parts.filter(kind="artifact").update(max_files=2)
    add(cast, draft, upload("a.png", PNG))
    add(cast, draft, url="https://video.example.org/lesson-1")
    with pytest.raises(DomainError) as caught:
        add(cast, draft, upload("c.jpg", JPEG))
    assert caught.value.code == "too_many_files"
    assert caught.value.message == "“Part 2” takes at most 2 items; remove one to add another."
    assert Artifact.objects.count() == 2


def test_text_parts_take_no_files(cast, draft):
    with pytest.raises(DomainError) as caught:
        add(cast, draft, upload("a.png", PNG), kind="overview")
    assert caught.value.code == "not_an_artifact_part"


def test_video_by_link_only_http_or_https(cast, draft):
    link = add(cast, draft, url="https://video.example.org/lesson", description="Lesson video")
    assert (link.kind, link.url, link.description) == (
        "link",
        "https://video.example.org/lesson",
        "Lesson video",
    )
    for bad in ("javascript:alert(1)", "ftp://files.example.org/x", "data:text/html,hi", "notaurl"):
        with pytest.raises(DomainError) as caught:
            add(cast, draft, url=bad)
        assert caught.value.code == "invalid_url"
    assert Artifact.objects.count() == 1


def test_file_or_link_but_not_both_nor_neither(cast, draft):
    with pytest.raises(DomainError) as caught:
        add(cast, draft)
    assert caught.value.code == "file_or_link_required"
    with pytest.raises(DomainError) as caught:
        add(cast, draft, upload("a.png", PNG), url="https://example.org/")
    assert caught.value.code == "file_or_link"


def test_overlong_description_is_refused(cast, draft):
    with pytest.raises(DomainError) as caught:
        add(cast, draft, url="https://example.org/", description="x" * 301)
    assert caught.value.code == "description_too_long"


def test_remove_artifact_deletes_row_and_file(
    cast, draft, media, django_capture_on_commit_callbacks
):
    artifact = add(cast, draft, upload("a.png", PNG))
    path = media / artifact.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_artifact(
            access=cast.access(cast.alice), actor=cast.alice, submission=draft, artifact=artifact
        )
    assert Artifact.objects.count() == 0
    assert not path.exists()
    assert SubmissionEvent.objects.filter(submission=draft, action="artifact_removed").count() == 1


def test_another_educator_cannot_add_to_the_draft(cast, draft):
    from trellis.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        add(cast, draft, upload("a.png", PNG), user=cast.eve)


# ---- completed offerings as evidence -------------------------------------------------------


def completed_enrolment(cast, user, title="Formative assessment workshop"):
    offering = OfferingFactory(district=cast.district_a, title=title)
    return EnrollmentFactory(
        offering=offering,
        district=cast.district_a,
        educator=user,
        status=EnrollmentStatus.COMPLETED,
        completed_at=timezone.now(),
    )


def attach(cast, draft, enrollment):
    return services.attach_offering_evidence(
        access=cast.access(cast.alice),
        actor=cast.alice,
        submission=draft,
        part=part(draft.version, "artifact"),
        enrollment=enrollment,
    )


def test_attach_a_completed_offering_as_a_link(cast, draft):
    enrollment = completed_enrolment(cast, cast.alice)
    artifact = attach(cast, draft, enrollment)
    assert artifact.kind == "link"
    assert artifact.url == f"/catalog/{enrollment.offering.public_id}/"
    assert artifact.description.startswith("Completed offering: Formative assessment workshop (")
    with pytest.raises(ConflictError) as caught:
        attach(cast, draft, enrollment)
    assert caught.value.code == "already_attached"


def test_only_own_completed_offerings_can_be_attached(cast, draft):
    eves = completed_enrolment(cast, cast.eve)
    with pytest.raises(DomainError) as caught:
        attach(cast, draft, eves)
    assert caught.value.code == "not_completed"
    enrolled = completed_enrolment(cast, cast.alice, title="Still going")
    enrolled.status = EnrollmentStatus.ENROLLED
    enrolled.save()
    with pytest.raises(DomainError):
        attach(cast, draft, enrolled)
    assert Artifact.objects.count() == 0
