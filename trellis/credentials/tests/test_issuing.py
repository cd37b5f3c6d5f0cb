"""Issuing: the exact document, idempotency, status indexes, revocation through the served list."""

import datetime as dt
import json

import pytest
from django.db import IntegrityError
from django.http import Http404

from trellis.audit.models import AuditEvent
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.credentials.core import statuslist
from trellis.credentials.core.documents import hashed_email
from trellis.credentials.core.specs import (
    AchievementSpec,
    AlignmentSpec,
    ResultDescriptionSpec,
    ResultSpec,
)
from trellis.credentials.models import CredentialStatus, IssuedCredential, StatusList, Visibility
from trellis.credentials.services import issuing, keys, lifecycle
from trellis.credentials.verification import verify_for_server

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)

ACHIEVEMENT = AchievementSpec(
    id="http://testserver/micro-credentials/hinge",
    name="Hinge questions",
    description="Uses hinge questions to check understanding mid-lesson.",
    criteria_narrative="Submit a lesson plan and student work.",
    alignments=(
        AlignmentSpec(
            target_name="Checks for understanding",
            target_url="https://case.example.org/uri/1234",
            target_code="2.3",
            target_type="CFItem",
        ),
    ),
    result_descriptions=(
        ResultDescriptionSpec(
            id="http://testserver/micro-credentials/hinge#c1",
            name="Plan",
            levels=(
                ("http://testserver/micro-credentials/hinge#c1-not_yet", "Not yet", ""),
                ("http://testserver/micro-credentials/hinge#c1-proficient", "Proficient", ""),
            ),
            required_level="http://testserver/micro-credentials/hinge#c1-proficient",
        ),
    ),
    credit_hours=10.0,
)


def issue(cast, *, key="src-1", recipient=None, **extra):
    return issuing.issue_credential(
        district=cast.district_a,
        recipient=recipient or cast.alice,
        source_kind="micro_credential",
        source_key=key,
        achievement=ACHIEVEMENT,
        actor=cast.ada,
        now=NOW,
        **extra,
    )


def test_document_fields(cast, settings):
    credential = issue(
        cast,
        results=(
            ResultSpec(
                result_description="http://testserver/micro-credentials/hinge#c1",
                achieved_level="http://testserver/micro-credentials/hinge#c1-proficient",
            ),
        ),
        credit_hours=10.0,
    )
    doc = credential.document
    key = credential.signing_key
    did = f"did:key:{key.public_key_multibase}"
    assert doc["id"] == f"{settings.SITE_URL}/credentials/{credential.public_id}"
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["issuer"]["id"] == did
    assert doc["issuer"]["name"] == "Northfield"
    assert doc["validFrom"] == "2026-03-02T15:00:00Z"
    subject = doc["credentialSubject"]
    identifier = subject["identifier"][0]
    assert identifier["hashed"] is True
    assert identifier["identityHash"] == hashed_email("alice@northfield.test", identifier["salt"])
    assert subject["achievement"]["name"] == "Hinge questions"
    assert subject["achievement"]["alignment"][0]["targetType"] == "CFItem"
    assert subject["result"][0]["achievedLevel"].endswith("#c1-proficient")
    entry = doc["credentialStatus"]
    assert entry["statusPurpose"] == "revocation"
    assert entry["statusListIndex"] == "0"
    assert entry["statusListCredential"] == (
        f"{settings.SITE_URL}/credentials/status/{credential.revocation_list.public_id}"
    )
    proof = doc["proof"]
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["verificationMethod"] == f"{did}#{key.public_key_multibase}"
    assert proof["created"] == "2026-03-02T15:00:00Z"
    header = json.loads(__import__("base64").urlsafe_b64decode(credential.jwt.split(".")[0] + "=="))
    assert header == {"alg": "EdDSA", "kid": proof["verificationMethod"], "typ": "JWT"}
    assert credential.status == CredentialStatus.ACTIVE
    assert credential.visibility == Visibility.PRIVATE
    assert AuditEvent.objects.filter(action="credential.issued").count() == 1


def test_issued_credential_verifies(cast):
    credential = issue(cast)
    report = verify_for_server(credential.document)
    assert report.ok, [(c.id, c.detail) for c in report.failed]
    assert verify_for_server(credential.jwt).ok


def test_idempotent(cast):
    first = issue(cast)
    again = issue(cast)
    assert again.pk == first.pk
    assert IssuedCredential.objects.count() == 1
    assert AuditEvent.objects.filter(action="credential.issued").count() == 1


def test_integrity_error_path_returns_the_twin(cast, monkeypatch):
    first = issue(cast)
    calls = []
    real = issuing._existing

    def miss_once(*args):  # as if a concurrent call inserted between our check and insert
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(issuing, "_existing", miss_once)
    again = issue(cast)
    assert again.pk == first.pk
    assert IssuedCredential.objects.count() == 1


def test_indexes_allocated_in_order_and_new_list_when_full(cast, settings):
    settings.CREDENTIAL_STATUS_LIST_SIZE = 16
    rows = [issue(cast, key=f"k{i}") for i in range(17)]
    assert [r.revocation_index for r in rows[:16]] == list(range(16))
    assert rows[16].revocation_index == 0
    assert rows[16].revocation_list_id != rows[0].revocation_list_id
    assert StatusList.objects.filter(purpose="revocation").count() == 2
    with pytest.raises(IntegrityError):
        IssuedCredential.objects.filter(pk=rows[1].pk).update(revocation_index=0)


def test_bad_achievement_writes_nothing(cast):
    bad = AchievementSpec(id="not a uri", name="", description="x", criteria_narrative="y")
    with pytest.raises(DomainError) as error:
        issuing.issue_credential(
            district=cast.district_a,
            recipient=cast.alice,
            source_kind="micro_credential",
            source_key="bad",
            achievement=bad,
            now=NOW,
        )
    assert error.value.code == "invalid_credential"
    assert not IssuedCredential.objects.exists()
    with pytest.raises(DomainError):
        issuing.issue_credential(
            district=cast.district_a,
            recipient=cast.alice,
            source_kind="nonsense",
            source_key="x",
            achievement=ACHIEVEMENT,
        )


def test_revoke_flips_the_bit_in_the_served_list(cast, client):
    credential = issue(cast)
    dana = cast.access(cast.dana)
    lifecycle.revoke_credential(
        dana, credential.public_id, reason="Issued in error", actor=cast.dana
    )
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REVOKED
    assert credential.status_reason == "Issued in error"
    entry = credential.document["credentialStatus"]
    response = client.get(f"/credentials/status/{credential.revocation_list.public_id}")
    assert response.status_code == 200
    served = response.json()
    assert served["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert statuslist.entry_status(entry, served) is True
    report = verify_for_server(credential.document)
    assert not report.ok
    assert AuditEvent.objects.filter(action="credential.revoked").count() == 1


def test_revoke_refusals(cast):
    credential = issue(cast)
    dana = cast.access(cast.dana)
    with pytest.raises(DomainError) as error:
        lifecycle.revoke_credential(dana, credential.public_id, reason="  ", actor=cast.dana)
    assert error.value.code == "reason_required"
    with pytest.raises(PermissionDenied):
        lifecycle.revoke_credential(
            cast.access(cast.alice), credential.public_id, reason="x", actor=cast.alice
        )
    with pytest.raises(Http404):
        lifecycle.revoke_credential(
            cast.access(cast.bea), credential.public_id, reason="x", actor=cast.bea
        )
    lifecycle.revoke_credential(dana, credential.public_id, reason="x", actor=cast.dana)
    with pytest.raises(ConflictError):
        lifecycle.revoke_credential(dana, credential.public_id, reason="x", actor=cast.dana)
    assert AuditEvent.objects.filter(action="credential.revoked").count() == 1


def test_visibility_only_by_recipient(cast):
    credential = issue(cast)
    with pytest.raises(Http404):
        lifecycle.set_visibility(
            cast.access(cast.dana), credential.public_id, "public", actor=cast.dana
        )
    with pytest.raises(DomainError):
        lifecycle.set_visibility(
            cast.access(cast.alice), credential.public_id, "everyone", actor=cast.alice
        )
    lifecycle.set_visibility(
        cast.access(cast.alice), credential.public_id, "public", actor=cast.alice
    )
    credential.refresh_from_db()
    assert credential.visibility == Visibility.PUBLIC


def test_issuer_profile_update(cast):
    dana = cast.access(cast.dana)
    issuer = lifecycle.update_issuer_profile(
        dana, actor=cast.dana, name="Northfield ISD", image_url="https://example.org/logo.png"
    )
    assert issuer.name == "Northfield ISD"
    with pytest.raises(DomainError):
        lifecycle.update_issuer_profile(dana, actor=cast.dana, name=" ")
    with pytest.raises(DomainError):
        lifecycle.update_issuer_profile(dana, actor=cast.dana, image_url="http://x.org/a.png")
    with pytest.raises(PermissionDenied):
        lifecycle.update_issuer_profile(cast.access(cast.alice), actor=cast.alice, name="Mine")
    assert keys.ensure_issuer(cast.district_a).name == "Northfield ISD"
