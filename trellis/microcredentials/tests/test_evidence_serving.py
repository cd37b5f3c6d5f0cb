"""Evidence files: who may open them (educator, assigned assessors, admins; everyone else 404,
other districts 404) and the headers that keep active content from running."""

from __future__ import annotations

import pytest
from django.utils import timezone

from trellis.microcredentials.models import Assignment
from trellis.microcredentials.services import artifacts as services
from trellis.microcredentials.tests.earning_support import (
    PDF,
    PNG,
    docx_bytes,
    make_definition,
    part,
    start,
    upload,
    use_tmp_storage,
)


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    use_tmp_storage(settings, tmp_path)


@pytest.fixture
def draft(cast):
    return start(cast, cast.alice, make_definition(cast))


def add(cast, draft, name, data):
    return services.add_artifact(
        access=cast.access(cast.alice),
        actor=cast.alice,
        submission=draft,
        part=part(draft.version, "artifact"),
        upload=upload(name, data, "text/html"),
    )


def url(artifact):
    return f"/micro-credentials/evidence/{artifact.public_id}/"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def assign(draft, assessor, status=Assignment.Status.ASSIGNED):
    now = timezone.now()
    return Assignment.objects.create(
        submission=draft, assessor=assessor, assigned_at=now, due_at=now, status=status
    )


def test_educator_gets_an_image_inline_with_safe_headers(cast, draft, client_for):
    artifact = add(cast, draft, "board.png", PNG)
    response = client_for(cast.alice).get(url(artifact))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="board.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert body(response) == PNG


def test_pdf_inline_and_everything_else_as_attachment(cast, draft, client_for):
    pdf = add(cast, draft, "plan.pdf", PDF)
    docx = add(cast, draft, "plan.docx", docx_bytes())
    text = add(cast, draft, "notes.txt", b"Plain notes\n")
    client = client_for(cast.alice)
    assert client.get(url(pdf))["Content-Disposition"] == 'inline; filename="plan.pdf"'
    response = client.get(url(docx))
    assert response["Content-Disposition"] == 'attachment; filename="plan.docx"'
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response = client.get(url(text))
    assert response["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Security-Policy"] == "sandbox"


def test_assigned_assessor_and_admin_may_open_it(cast, draft, client_for):
    artifact = add(cast, draft, "board.png", PNG)
    assert client_for(cast.ada).get(url(artifact)).status_code == 404
    assign(draft, cast.ada)
    assert client_for(cast.ada).get(url(artifact)).status_code == 200
    assert client_for(cast.dana).get(url(artifact)).status_code == 200


def test_a_reassigned_assessor_no_longer_may(cast, draft, client_for):
    artifact = add(cast, draft, "board.png", PNG)
    assign(draft, cast.ada, status=Assignment.Status.REASSIGNED)
    assert client_for(cast.ada).get(url(artifact)).status_code == 404


@pytest.mark.parametrize("who", ["eve", "carol", "pat"])
def test_anyone_else_in_the_district_gets_404(cast, draft, client_for, who):
    artifact = add(cast, draft, "board.png", PNG)
    assert client_for(getattr(cast, who)).get(url(artifact)).status_code == 404


@pytest.mark.parametrize("who", ["bob", "bea"])
def test_another_district_gets_404_even_its_admin(cast, draft, client_for, who):
    artifact = add(cast, draft, "board.png", PNG)
    assert client_for(getattr(cast, who)).get(url(artifact)).status_code == 404


def test_signed_out_is_sent_to_sign_in_and_unknown_ids_are_404(cast, draft, client):
    artifact = add(cast, draft, "board.png", PNG)
    response = client.get(url(artifact))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_unknown_file_is_404(cast, client_for):
    response = client_for(cast.alice).get(
        "/micro-credentials/evidence/00000000-0000-0000-0000-000000000000/"
    )
    assert response.status_code == 404


def test_link_artifacts_have_no_file_to_serve(cast, draft, client_for):
    link = services.add_artifact(
        access=cast.access(cast.alice),
        actor=cast.alice,
        submission=draft,
        part=part(draft.version, "artifact"),
        url="https://video.example.org/lesson",
    )
    assert client_for(cast.alice).get(url(link)).status_code == 404


def test_evidence_is_not_under_media_url(cast, draft, client_for):
    artifact = add(cast, draft, "board.png", PNG)
    response = client_for(cast.alice).get(f"/media/{artifact.file.name}")
    assert response.status_code == 404
