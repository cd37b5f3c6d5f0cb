"""Importing badges earned elsewhere: formats, verification, keep-as-unverified, duplicates,
visibility, re-verify, delete, pages and API, tenancy."""

from __future__ import annotations

import base64
import copy
import json
import struct
import zlib

import pytest

from trellis.audit.models import AuditEvent
from trellis.core.errors import ConflictError, DomainError
from trellis.credentials.core.artwork import badge_png, badge_svg
from trellis.credentials.core.baking import bake_png, bake_svg
from trellis.credentials.core.jwt import sign_jwt
from trellis.credentials.models import ImportedBadge, ImportFormat
from trellis.credentials.services import imports, keys
from trellis.credentials.tests.portability_helpers import NOW, signed_document

OB2_ASSERTION = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Assertion",
    "id": "https://badges.example.org/assertions/123",
    "recipient": {"type": "email", "hashed": False, "identity": "alice@northfield.test"},
    "badge": {
        "type": "BadgeClass",
        "id": "https://badges.example.org/badges/9",
        "name": "Community Builder",
        "issuer": {"type": "Issuer", "id": "https://badges.example.org/i", "name": "Example Org"},
    },
    "verification": {"type": "hosted"},
    "issuedOn": "2024-06-01T00:00:00Z",
}


@pytest.fixture
def elsewhere(cast):
    """A credential signed by another district's real key (Southport), earned by Alice."""
    _, issuer, key, document = signed_document(cast.district_b, "alice@northfield.test")
    return issuer, key, document


def _import(cast, data, **options):
    return imports.import_badge(
        access=cast.access(cast.alice), actor=cast.alice, data=data, now=NOW, **options
    )


def test_import_a_verified_data_integrity_credential(cast, elsewhere):
    _, _, document = elsewhere
    badge = _import(cast, json.dumps(document))
    assert badge.format == ImportFormat.OB3_DATA_INTEGRITY
    assert badge.verified is True
    assert badge.credential_id == document["id"]
    assert badge.issuer_name == "Southport"
    assert badge.achievement_name == "Effective Feedback"
    assert badge.issued_on.isoformat() == "2025-03-01T12:00:00+00:00"
    assert badge.verification["ok"] is True
    assert badge.verification["source"] == "json"
    assert all(c["outcome"] != "failed" for c in badge.verification["checks"])
    event = AuditEvent.objects.get(action="credential.badge_imported")
    assert event.summary == "Imported “Effective Feedback” from Southport"


def test_import_a_vc_jwt_and_baked_images(cast, elsewhere):
    issuer, key, document = elsewhere
    token = sign_jwt(
        document | {"id": document["id"] + "-jwt"},
        private_key=keys.private_key(key),
        kid=keys.verification_method(issuer, key),
    )
    jwt_badge = _import(cast, token)
    assert (jwt_badge.format, jwt_badge.verified, jwt_badge.jwt) == (
        ImportFormat.VC_JWT,
        True,
        token,
    )
    png = bake_png(badge_png("A", "B", "seed"), document)
    png_badge = _import(cast, png)
    assert (png_badge.format, png_badge.verified) == (ImportFormat.OB3_DATA_INTEGRITY, True)
    assert png_badge.verification["source"] == "png"
    with pytest.raises(ConflictError):  # the same credential id as the PNG
        _import(cast, bake_svg(badge_svg("A", "B", "seed"), document).encode())
    *_, other = signed_document(cast.district_b, "alice@northfield.test", "q", "Questioning")
    svg_badge = _import(cast, bake_svg(badge_svg("A", "B", "seed"), other).encode())
    assert (svg_badge.verified, svg_badge.achievement_name) == (True, "Questioning")
    assert svg_badge.verification["source"] == "svg"
    assert jwt_badge.verification["source"] == "jwt"


def test_a_failing_credential_is_refused_with_reasons_and_nothing_written(cast, elsewhere):
    _, _, document = elsewhere
    tampered = copy.deepcopy(document)
    tampered["credentialSubject"]["achievement"]["name"] = "Something grander"
    with pytest.raises(imports.VerificationFailed) as raised:
        _import(cast, json.dumps(tampered))
    assert raised.value.message.startswith("This badge did not verify: ")
    failed = [c for c in raised.value.report["checks"] if c["outcome"] == "failed"]
    assert failed, raised.value.report
    assert not ImportedBadge.objects.exists()
    badge = _import(cast, json.dumps(tampered), keep_unverified=True)
    assert badge.verified is False
    assert badge.achievement_name == "Something grander"
    assert AuditEvent.objects.get(action="credential.badge_imported").summary.endswith(
        "(unverified)"
    )


def test_an_ob2_assertion_is_imported_as_unverified(cast):
    badge = _import(cast, json.dumps(OB2_ASSERTION))
    assert badge.format == ImportFormat.OB2
    assert badge.verified is False
    assert badge.verification["note"] == "Unverified (OB 2.0 hosted; not checked)."
    assert badge.issuer_name == "Example Org"
    assert badge.achievement_name == "Community Builder"
    assert badge.credential_id == "https://badges.example.org/assertions/123"


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        ("", "empty", "Paste a badge (JSON or a VC-JWT) or choose a file."),
        (b"", "empty", "The file is empty."),
        (
            "not json",
            "unreadable",
            "This is neither JSON nor a compact VC-JWT (three base64url parts).",
        ),
        ("[1, 2]", "unreadable", "The JSON is not an object, so it cannot be a badge."),
        (
            '{"type": "Thing"}',
            "not_a_badge",
            "This JSON is neither a Verifiable Credential nor an Open Badges 2.0 assertion.",
        ),
        (
            '{"type": ["VerifiablePresentation"]}',
            "presentation",
            "This is a presentation; import its credentials one at a time.",
        ),
        ("x" * (1024 * 1024 + 1), "too_large", "The badge text is larger than 1 MB."),
        (
            b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024),
            "too_large",
            "The file is larger than 5 MB.",
        ),
        (
            b"\xff\xfe\x00binary",
            "unreadable",
            "The file is neither a badge image (PNG or SVG) nor text.",
        ),
        ("aaa.bbb.ccc", "bad_jwt", None),
    ],
)
def test_bad_input_gets_a_clear_error_and_writes_nothing(cast, data, code, message):
    with pytest.raises(DomainError) as raised:
        _import(cast, data)
    assert raised.value.code == code
    if message is not None:
        assert raised.value.message == message
    assert not ImportedBadge.objects.exists()
    assert not AuditEvent.objects.filter(action="credential.badge_imported").exists()


def test_an_image_without_a_baked_credential_is_refused(cast):
    with pytest.raises(
        DomainError, match=r"This PNG image has no Open Badges credential \(3\.0 or 2\.0\)"
    ):
        _import(cast, badge_png("A", "B", "seed"))


def test_duplicates_are_refused_per_educator(cast, elsewhere):
    _, _, document = elsewhere
    _import(cast, json.dumps(document))
    with pytest.raises(ConflictError) as raised:
        _import(cast, json.dumps(document))
    assert raised.value.message == "You already imported this badge (a badge with the same id)."
    other = imports.import_badge(
        access=cast.access(cast.eve),
        actor=cast.eve,
        data=json.dumps(document),
        now=NOW,
        keep_unverified=True,
    )
    assert other.owner == cast.eve


def test_reverify_visibility_and_delete(cast, elsewhere):
    _, key, document = elsewhere
    access = cast.access(cast.alice)
    badge = _import(cast, json.dumps(document))
    key.status = "revoked"
    key.save()
    assert badge.verified is True
    badge = imports.reverify(access=access, actor=cast.alice, badge=badge, now=NOW)
    badge.refresh_from_db()
    assert badge.verified is False
    signature = next(c for c in badge.verification["checks"] if c["id"] == "signature")
    assert signature["outcome"] == "failed"
    assert "revoked the signing key" in signature["detail"]
    imports.set_visibility(access=access, actor=cast.alice, badge=badge, visibility="public")
    badge.refresh_from_db()
    assert badge.visibility == "public"
    with pytest.raises(DomainError, match="Choose private or public visibility"):
        imports.set_visibility(access=access, actor=cast.alice, badge=badge, visibility="world")
    with pytest.raises(DomainError, match="You can only change badges you imported yourself"):
        imports.delete_badge(access=cast.access(cast.eve), actor=cast.eve, badge=badge)
    imports.delete_badge(access=access, actor=cast.alice, badge=badge)
    assert not ImportedBadge.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="credential.badge_")
        .values_list("action", flat=True)
        .order_by("id")
    )
    assert actions == [
        "credential.badge_imported",
        "credential.badge_reverified",
        "credential.badge_visibility",
        "credential.badge_deleted",
    ]


# --- pages ----------------------------------------------------------------------------------------


def test_pages_list_import_detail_and_tenancy(
    cast, client_for, elsewhere, django_assert_max_num_queries
):
    _, _, document = elsewhere
    client = client_for(cast.alice)
    empty = client.get("/credentials/imported/")
    assert b"You have not imported any badges yet." in empty.content
    response = client.post(
        "/credentials/imported/new", {"text": json.dumps(document), "visibility": "private"}
    )
    badge = ImportedBadge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/credentials/imported/{badge.public_id}"
    for n in range(3):
        imports.import_badge(
            access=cast.access(cast.alice),
            actor=cast.alice,
            data=json.dumps(OB2_ASSERTION | {"id": f"https://badges.example.org/a/{n}"}),
            now=NOW,
        )
    with django_assert_max_num_queries(12):
        listing = client.get("/credentials/imported/")
    assert listing.status_code == 200
    assert len(listing.context["page"].object_list) == 4
    detail = client.get(f"/credentials/imported/{badge.public_id}")
    assert detail.status_code == 200
    assert b"Effective Feedback" in detail.content
    assert client_for(cast.eve).get(f"/credentials/imported/{badge.public_id}").status_code == 404
    assert client_for(cast.bob).get(f"/credentials/imported/{badge.public_id}").status_code == 404
    assert client.post(f"/credentials/imported/{badge.public_id}/reverify").status_code == 302
    assert (
        client.post(
            f"/credentials/imported/{badge.public_id}/visibility", {"visibility": "public"}
        ).status_code
        == 302
    )
    badge.refresh_from_db()
    assert badge.visibility == "public"
    assert (
        client_for(cast.eve).post(f"/credentials/imported/{badge.public_id}/delete").status_code
        == 404
    )
    assert client.post(f"/credentials/imported/{badge.public_id}/delete").status_code == 302
    assert not ImportedBadge.objects.filter(pk=badge.pk).exists()


def test_import_page_shows_why_it_failed_and_keeps_the_text(cast, client_for, elsewhere):
    _, _, document = elsewhere
    tampered = copy.deepcopy(document)
    tampered["name"] = "Changed"
    text = json.dumps(tampered)
    client = client_for(cast.alice)
    response = client.post("/credentials/imported/new", {"text": text, "visibility": "private"})
    assert response.status_code == 400
    assert b"Why it did not verify" in response.content
    assert response.context["form"]["text"].value() == text
    assert not ImportedBadge.objects.exists()
    response = client.post(
        "/credentials/imported/new",
        {"text": text, "visibility": "private", "keep_unverified": "on"},
    )
    assert response.status_code == 302
    assert ImportedBadge.objects.get().verified is False


def test_import_page_form_errors(cast, client_for):
    client = client_for(cast.alice)
    response = client.post("/credentials/imported/new", {"visibility": "private"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Paste a badge or choose a file."]
    response = client.post("/credentials/imported/new", {"text": "nope", "visibility": "private"})
    assert response.context["form"].non_field_errors() == [
        "This is neither JSON nor a compact VC-JWT (three base64url parts)."
    ]


# --- API ------------------------------------------------------------------------------------------


def test_api_import_list_get_delete(cast, api_client_for, elsewhere):
    _, _, document = elsewhere
    api = api_client_for(cast.alice)
    created = api.post(
        "/api/v1/me/imported-badges", {"badge": document}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["verified"], body["format"], body["achievement_name"]) == (
        True,
        "ob3",
        "Effective Feedback",
    )
    png = bake_png(badge_png("A", "B", "s"), document | {"id": document["id"] + "-2"})
    from_image = api.post(
        "/api/v1/me/imported-badges",
        {"image_base64": base64.b64encode(png).decode(), "keep_unverified": True},
        content_type="application/json",
    )
    assert from_image.status_code == 201, from_image.content
    listing = api.get("/api/v1/me/imported-badges").json()
    assert listing["count"] == 2
    duplicate = api.post(
        "/api/v1/me/imported-badges", {"badge": document}, content_type="application/json"
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "duplicate"
    neither = api.post("/api/v1/me/imported-badges", {}, content_type="application/json")
    assert neither.json()["error"]["code"] == "badge_required"
    bad64 = api.post(
        "/api/v1/me/imported-badges", {"image_base64": "%%%"}, content_type="application/json"
    )
    assert bad64.json()["error"]["code"] == "bad_base64"
    assert (
        api_client_for(cast.bob).get(f"/api/v1/me/imported-badges/{body['id']}").status_code == 404
    )
    assert (
        api_client_for(cast.eve).delete(f"/api/v1/me/imported-badges/{body['id']}").status_code
        == 404
    )
    assert api.delete(f"/api/v1/me/imported-badges/{body['id']}").status_code == 204
    assert api.get(f"/api/v1/me/imported-badges/{body['id']}").status_code == 404


def test_api_refuses_a_failing_badge_with_the_checks(cast, api_client_for, elsewhere):
    _, _, document = elsewhere
    tampered = copy.deepcopy(document)
    tampered["name"] = "Changed"
    response = api_client_for(cast.alice).post(
        "/api/v1/me/imported-badges", {"badge": tampered}, content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "verification_failed"
    assert any(c["outcome"] == "failed" for c in error["details"]["verification"]["checks"])


def _bake_ob2(png: bytes, text: str) -> bytes:
    """An Open Badges 2.0 baked PNG: an uncompressed `openbadges` iTXt chunk before IEND."""
    data = b"openbadges\x00\x00\x00\x00\x00" + text.encode("utf-8")
    chunk = struct.pack(">I", len(data)) + b"iTXt" + data
    chunk += struct.pack(">I", zlib.crc32(b"iTXt" + data) & 0xFFFFFFFF)
    return png[:-12] + chunk + png[-12:]


def test_an_ob2_baked_png_is_imported_as_unverified(cast):
    png = _bake_ob2(badge_png("A", "B", "seed"), json.dumps(OB2_ASSERTION))

    badge = _import(cast, png)

    assert (badge.format, badge.verified) == (ImportFormat.OB2, False)
    assert badge.achievement_name == "Community Builder"


def test_an_ob2_png_baked_with_only_a_url_is_refused_with_the_reason(cast):
    png = _bake_ob2(badge_png("A", "B", "seed"), "https://badges.example.org/assertions/123")

    with pytest.raises(DomainError) as raised:
        _import(cast, png)

    assert raised.value.code == "ob2_hosted_url"
    assert "https://badges.example.org/assertions/123" in raised.value.message
    assert not ImportedBadge.objects.exists()
