"""The public verifier page (/verify/) and the server-side wiring: our own keys, DID documents
and status lists come from the database; nothing else is fetched."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from trellis.credentials.core.baking import bake_svg
from trellis.credentials.core.dataintegrity import sign
from trellis.credentials.core.documents import build_credential, date_time_z
from trellis.credentials.core.jwt import sign_jwt
from trellis.credentials.core.specs import (
    AchievementSpec,
    CredentialSpec,
    StatusEntrySpec,
    SubjectSpec,
)
from trellis.credentials.models import IssuedCredential, StatusPurpose, Visibility
from trellis.credentials.services import keys, lifecycle, status
from trellis.credentials.services.issuing import credential_url, issuer_spec
from trellis.credentials.tests.test_verify_core import Issuer, unsigned
from trellis.credentials.verification import (
    fetch_document,
    fetching_enabled,
    public_credential,
    verify_for_server,
)

URL = "/verify/"


def achievement() -> AchievementSpec:
    return AchievementSpec(
        id="https://trellis.example/achievements/feedback",
        name="Effective Feedback",
        description="Gives timely, specific feedback.",
        criteria_narrative="Scored proficient on every rubric criterion.",
    )


def issue(cast, source_key: str = "verify-test-1", *, purpose: str = "revocation"):
    """A credential as the issuing service stores it, with one status entry (`purpose`) in the
    document and both status lists on the row."""
    district = cast.district_a
    now = timezone.now()
    with transaction.atomic():
        issuer = keys.ensure_issuer(district)
        key = keys.active_key(issuer, now=now)
        lists = {
            kind: status.allocate(issuer, kind, now=now)
            for kind in (StatusPurpose.REVOCATION, StatusPurpose.SUSPENSION)
        }
        public_id = uuid.uuid4()
        chosen, index = lists[purpose]
        document = build_credential(
            CredentialSpec(
                id=credential_url(public_id),
                issuer=issuer_spec(issuer, key),
                subject=SubjectSpec(email=cast.alice.email, salt="s4lt"),
                achievement=achievement(),
                valid_from=now,
                status=(StatusEntrySpec(status.list_url(chosen), index, purpose),),
            )
        )
        method = keys.verification_method(issuer, key)
        private = keys.private_key(key)
        return IssuedCredential.objects.create(
            public_id=public_id,
            district=district,
            issuer=issuer,
            recipient=cast.alice,
            source_kind="api",
            source_key=source_key,
            achievement_name="Effective Feedback",
            document=sign(
                document, private_key=private, verification_method=method, created=date_time_z(now)
            ),
            jwt=sign_jwt(document, private_key=private, kid=method),
            signing_key=key,
            revocation_list=lists[StatusPurpose.REVOCATION][0],
            revocation_index=lists[StatusPurpose.REVOCATION][1],
            suspension_list=lists[StatusPurpose.SUSPENSION][0],
            suspension_index=lists[StatusPurpose.SUSPENSION][1],
            issued_at=now,
        )


@pytest.fixture
def issued(cast):
    return issue(cast)


def outcome(report, check_id: str) -> str:
    check = report.check(check_id)
    assert check is not None, report.checks
    return check.outcome


# --- verify_for_server ---------------------------------------------------------------------------


def test_our_credential_verifies_with_its_status_lists(issued):
    report = verify_for_server(issued.document)
    assert report.ok is True, report.failed
    assert report.check("status").detail == "Not revoked or suspended."
    assert report.achievement_name == "Effective Feedback"
    assert report.issuer_name == "Northfield"


def test_our_jwt_verifies(issued):
    report = verify_for_server(issued.jwt)
    assert report.ok is True, report.failed
    assert report.format == "vc-jwt"


def test_revoked_credential_fails_status(cast, issued):
    lifecycle.revoke_credential(
        cast.access(cast.dana), issued.public_id, reason="Issued in error", actor=cast.dana
    )
    report = verify_for_server(issued.document)
    assert [check.id for check in report.failed] == ["status"]
    assert report.check("status").detail == "Revoked: the issuer's status list marks it revoked."


def test_suspended_credential_fails_status(cast):
    suspended = issue(cast, "verify-suspended", purpose="suspension")
    with transaction.atomic():
        status.set_entry(
            suspended.suspension_list_id, suspended.suspension_index, True, now=timezone.now()
        )
    report = verify_for_server(suspended.document)
    assert report.check("status").detail == (
        "Suspended: the issuer's status list marks it suspended."
    )


def test_revoked_key_is_not_trusted(cast, issued):
    keys.revoke_key(
        cast.access(cast.dana), issued.signing_key.public_id, reason="Leaked", actor=cast.dana
    )
    report = verify_for_server(issued.document)
    assert report.check("signature").outcome == "failed"
    assert "The issuer revoked the signing key" in report.check("signature").detail


def test_did_web_document_served_from_the_database(cast, settings):
    settings.SITE_URL = "https://trellis.example.org"
    credential = issue(cast, "verify-did-web")
    assert credential.document["issuer"]["id"] == "did:web:trellis.example.org:districts:northfield"
    report = verify_for_server(credential.document)
    assert report.ok is True, report.failed
    assert report.check("issuer").outcome == "passed"


def test_other_servers_documents_are_refused(settings):
    settings.SITE_URL = "https://trellis.example.org"
    with pytest.raises(Exception, match="does not fetch from the network"):
        fetch_document("https://elsewhere.example/status/1")
    with pytest.raises(Exception, match="publishes nothing at"):
        fetch_document("https://trellis.example.org/credentials/status/not-a-list")


def test_remote_fetch_only_when_enabled(settings, monkeypatch):
    settings.TRELLIS_VERIFIER_FETCH = False
    assert fetching_enabled() is False
    settings.TRELLIS_VERIFIER_FETCH = True
    calls = []

    class Response(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

    def fake_urlopen(request, timeout):
        calls.append((request.full_url, timeout))
        return Response(json.dumps({"id": "x"}).encode())

    monkeypatch.setattr("urllib.request.urlopen", fake_urlopen)
    assert fetch_document("https://elsewhere.example/keys") == {"id": "x"}
    assert calls == [("https://elsewhere.example/keys", 5)]
    with pytest.raises(Exception, match="Only https documents are fetched"):
        fetch_document("http://elsewhere.example/keys")

    def huge(request, timeout):
        return Response(b" " * (1024 * 1024 + 10))

    monkeypatch.setattr("urllib.request.urlopen", huge)
    with pytest.raises(Exception, match="more than 1 MB"):
        fetch_document("https://elsewhere.example/big")


def test_public_credential_lookup(cast, issued):
    url = issued.document["id"]
    assert public_credential(url) is None  # private by default
    issued.visibility = Visibility.PUBLIC
    issued.save(update_fields=["visibility"])
    assert public_credential(url) == issued
    assert public_credential(url.replace("http", "https", 1) + "x") is None
    assert (
        public_credential("https://elsewhere.example/credentials/" + str(issued.public_id)) is None
    )


# --- the page ------------------------------------------------------------------------------------


def test_page_is_public_and_accessible(db):
    response = Client().get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Verify a credential</h1>" in html
    assert 'aria-live="polite"' in html
    assert '<label for="id_credential">' in html
    assert '<label for="id_upload">' in html
    assert 'enctype="multipart/form-data"' in html


def test_footer_links_to_the_verifier(db):
    html = Client().get(URL).content.decode()
    assert f'<a href="{reverse("credentials_verify:verify")}">Verify a credential</a>' in html


def test_paste_a_valid_credential(issued):
    response = Client().post(URL, {"credential": json.dumps(issued.document)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Verified: this credential is authentic and in good standing." in html
    assert "Effective Feedback" in html
    assert "<caption>Every check, with its result and reason</caption>" in html
    assert html.count('class="check-passed"') == 8


def test_paste_a_tampered_credential(issued):
    document = dict(issued.document, name="Forged")
    html = Client().post(URL, {"credential": json.dumps(document)}).content.decode()
    assert "This credential could not be verified." in html
    assert 'class="check-failed"' in html
    assert "does not match the credential" in html


def test_paste_garbage_shows_the_parse_failure(db):
    html = Client().post(URL, {"credential": "not a credential"}).content.decode()
    assert "This is neither JSON nor a compact VC-JWT" in html


def test_upload_a_baked_svg(issued):
    svg = bake_svg("<svg xmlns='http://www.w3.org/2000/svg'></svg>", issued.document)
    upload = SimpleUploadedFile("badge.svg", svg.encode(), content_type="image/svg+xml")
    html = Client().post(URL, {"upload": upload}).content.decode()
    assert "Verified: this credential is authentic and in good standing." in html
    assert "baked into a SVG image" in html


def test_upload_a_jwt_file(issued):
    upload = SimpleUploadedFile("badge.jwt", issued.jwt.encode(), content_type="text/plain")
    html = Client().post(URL, {"upload": upload}).content.decode()
    assert "Verified: this credential is authentic and in good standing." in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Paste a credential or upload a file (one of the two)."),
        (
            {"credential": "{}", "upload": ("a.json", b"{}")},
            "Paste a credential or upload a file, not both.",
        ),
        ({"upload": ("notes.txt", b"{}")}, "Upload a .json, .jwt, .png or .svg file"),
        ({"upload": ("empty.json", b"")}, "The submitted file is empty."),
        ({"upload": ("big.json", b" " * (2 * 1024 * 1024 + 1))}, "The file is larger than 2 MB."),
        ({"credential": "x" * (2 * 1024 * 1024 + 1)}, "The pasted text is larger than 2 MB."),
    ],
)
def test_bad_form_input(db, settings, data, message):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
    if "upload" in data:
        name, content = data["upload"]
        data = {**data, "upload": SimpleUploadedFile(name, content)}
    response = Client().post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "<caption>" not in html


def test_csrf_is_required(db):
    client = Client(enforce_csrf_checks=True)
    assert client.post(URL, {"credential": "{}"}).status_code == 403


def test_open_a_public_credential_by_link(issued):
    issued.visibility = Visibility.PUBLIC
    issued.save(update_fields=["visibility"])
    response = Client().get(URL, {"credential": issued.document["id"]})
    assert response.status_code == 200
    assert (
        "Verified: this credential is authentic and in good standing." in response.content.decode()
    )


@pytest.mark.parametrize("kind", ["private", "elsewhere", "garbage"])
def test_link_to_anything_else_is_refused(issued, kind):
    url = {
        "private": issued.document["id"],
        "elsewhere": f"https://elsewhere.example/credentials/{issued.public_id}",
        "garbage": "javascript:alert(1)",
    }[kind]
    response = Client().get(URL, {"credential": url})
    assert response.status_code == 404
    html = response.content.decode()
    assert "That link is not a public credential issued by this server." in html
    assert "<caption>" not in html


def test_a_foreign_did_key_credential_verifies_offline(db):
    issuer = Issuer()
    report = verify_for_server(issuer.sign(unsigned(issuer.did)))
    assert report.ok is True, report.failed
