"""Shared set-up for the earning tests: evidence files stored under a temporary directory, a
published definition in Northfield, and ready-made bytes of each file type."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from trellis.microcredentials.models import (
    Assignment,
    CriterionScore,
    EarnedMicroCredential,
    RequirementPart,
    Submission,
    SubmissionStatus,
)
from trellis.microcredentials.services import submissions as services
from trellis.microcredentials.tests.factories import published_definition


def _png_1x1() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PNG = _png_1x1()  # a real 1×1 image, so browsers can show the preview
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00;"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x0f" + b"\x00" * 64
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def docx_bytes(*, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00\x01")
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def use_tmp_storage(settings, tmp_path):
    """Evidence files go to a temporary directory for the test (call from a fixture)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


def make_definition(cast):
    """A published version in Northfield: overview (part 1), artifact (2), reflection (3)."""
    return published_definition(cast.district_a, title="Hinge questions")


def part(version, kind: str) -> RequirementPart:
    return version.parts.get(kind=kind)


def start(cast, user, version) -> Submission:
    return services.start_submission(
        access=cast.access(user), actor=user, micro_credential=version.micro_credential
    )


def not_yet(submission: Submission, assessor, *, failing_parts) -> Assignment:
    """Mark a submitted submission "not yet" the way assessment does: a completed primary
    assignment with criteria below proficient on `failing_parts`."""
    now = timezone.now()
    assignment = Assignment.objects.create(
        submission=submission,
        assessor=assessor,
        attempt=submission.attempt,
        assigned_at=now,
        due_at=now,
        completed_at=now,
        status=Assignment.Status.COMPLETED,
        outcome=Assignment.Outcome.NOT_YET,
        feedback="Good start; the reflection needs evidence of adjusting.",
    )
    for p in submission.version.parts.all():
        for criterion in p.criteria.all():
            failing = p in failing_parts
            CriterionScore.objects.create(
                assignment=assignment,
                criterion=criterion,
                level="not_yet" if failing else "proficient",
                meets=not failing,
                feedback="Show what you changed." if failing else "Clear.",
            )
    Submission.objects.filter(pk=submission.pk).update(
        status=SubmissionStatus.NOT_YET, decided_at=now
    )
    submission.refresh_from_db()
    return assignment


def earn(user, micro_credential, version) -> EarnedMicroCredential:
    return EarnedMicroCredential.objects.create(
        district=micro_credential.district,
        educator=user,
        micro_credential=micro_credential,
        version=version,
        earned_at=timezone.now(),
    )
