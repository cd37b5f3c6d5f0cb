"""Suspension with the Bitstring Status List: a second, reversible status entry for credentials
of a suspendable issuer, suspend and lift (service, admin pages, API), and what verifiers see."""

import json
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.http import Http404
from jsonschema import Draft201909Validator

from trellis.audit.models import AuditEvent
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.credentials.core import schema, statuslist
from trellis.credentials.models import CredentialStatus, IssuedCredential, StatusList
from trellis.credentials.services import keys, lifecycle
from trellis.credentials.tests.core_helpers import shared_path
from trellis.credentials.tests.test_issuing import NOW, issue
from trellis.credentials.verification import verify_for_server
from trellis.notifications.models import Notification

pytestmark = pytest.mark.django_db

SUSPENDED = "Suspended: the issuer's status list marks it suspended."
REVOKED = "Revoked: the issuer's status list marks it revoked."


def suspendable(cast):
    issuer = keys.ensure_issuer(cast.district_a)
    issuer.suspendable = True
    issuer.save(update_fields=["suspendable"])
    return issuer


def served_entry(client, credential, purpose):
    entries = {e["statusPurpose"]: e for e in credential.document["credentialStatus"]}
    entry = entries[purpose]
    listing = client.get(urlsplit(entry["statusListCredential"]).path).json()
    return statuslist.entry_status(entry, listing)


def test_suspendable_issuer_gives_both_entries_in_their_own_lists(cast):
    suspendable(cast)
    first, second = issue(cast, key="a"), issue(cast, key="b")
    entries = first.document["credentialStatus"]
    assert [e["statusPurpose"] for e in entries] == ["revocation", "suspension"]
    site = settings.SITE_URL.rstrip("/")
    revocation_url = f"{site}/credentials/status/{first.revocation_list.public_id}"
    suspension_url = f"{site}/credentials/status/{first.suspension_list.public_id}"
    assert entries == [
        {
            "id": f"{revocation_url}#0",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "0",
            "statusListCredential": revocation_url,
        },
        {
            "id": f"{suspension_url}#0",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "suspension",
            "statusListIndex": "0",
            "statusListCredential": suspension_url,
        },
    ]
    assert (second.revocation_index, second.suspension_index) == (1, 1)
    assert first.suspension_list.purpose == "suspension"
    assert first.suspension_list_id != first.revocation_list_id
    assert StatusList.objects.filter(purpose="suspension").count() == 1
    report = verify_for_server(first.document)
    assert report.ok, [(c.id, c.detail) for c in report.failed]
    assert report.check("status").detail == "Not revoked or suspended."
    assert report.check("schema").outcome == "passed"
    assert verify_for_server(first.jwt).ok


def test_two_entries_match_the_ob3_schema_entry_by_entry_but_not_as_a_list(cast):
    """The 1EdTech OB 3.0 schema describes credentialStatus as ONE object: each entry matches
    it, the list itself does not. That is why suspension is an issuer's choice, off by default."""
    suspendable(cast)
    document = issue(cast).document
    path = shared_path("schemas/ob_v3p0/ob_v3p0_achievementcredential_schema.json")
    validator = Draft201909Validator(json.loads(path.read_text(encoding="utf-8")))
    for entry in document["credentialStatus"]:
        assert list(validator.iter_errors({**document, "credentialStatus": entry})) == []
    errors = list(validator.iter_errors(document))
    assert [(list(e.absolute_path), e.validator) for e in errors] == [
        (["credentialStatus"], "type")
    ]
    assert schema.validate({**document, "credentialStatus": document["credentialStatus"][1]}) == []


def test_default_issuer_is_not_suspendable_and_stays_schema_valid(cast):
    credential = issue(cast)
    assert isinstance(credential.document["credentialStatus"], dict)
    assert credential.suspension_list_id is None
    assert schema.validate(credential.document) == []
    with pytest.raises(ConflictError) as error:
        lifecycle.suspend_credential(
            cast.access(cast.dana), credential.public_id, reason="Review", actor=cast.dana
        )
    assert error.value.code == "not_suspendable"
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.ACTIVE
    assert not AuditEvent.objects.filter(action="credential.suspended").exists()


def test_suspend_then_lift_flips_only_the_suspension_bit(cast, client):
    suspendable(cast)
    credential = issue(cast)
    dana = cast.access(cast.dana)
    lifecycle.suspend_credential(
        dana, credential.public_id, reason="Under review", actor=cast.dana, now=NOW
    )
    credential.refresh_from_db()
    assert (credential.status, credential.status_reason) == ("suspended", "Under review")
    assert credential.status_changed_by == cast.dana
    assert served_entry(client, credential, "suspension") is True
    assert served_entry(client, credential, "revocation") is False
    report = verify_for_server(credential.document)
    assert not report.ok
    assert report.check("status").detail == SUSPENDED
    assert verify_for_server(credential.jwt).check("status").detail == SUSPENDED
    event = AuditEvent.objects.get(action="credential.suspended")
    assert event.data == {"reason": "Under review"}
    told = Notification.objects.filter(recipient=cast.alice).order_by("-id").first()
    assert told.subject == "Your credential “Hinge questions” is suspended"

    lifecycle.unsuspend_credential(dana, credential.public_id, actor=cast.dana)
    credential.refresh_from_db()
    assert (credential.status, credential.status_reason) == ("active", "")
    assert served_entry(client, credential, "suspension") is False
    assert verify_for_server(credential.document).ok
    assert AuditEvent.objects.filter(action="credential.unsuspended").count() == 1
    told = Notification.objects.filter(recipient=cast.alice).order_by("-id").first()
    assert told.subject == "Your credential “Hinge questions” is valid again"


def test_revoked_is_reported_distinctly_and_wins_over_suspended(cast):
    suspendable(cast)
    credential = issue(cast)
    dana = cast.access(cast.dana)
    lifecycle.suspend_credential(dana, credential.public_id, reason="Review", actor=cast.dana)
    lifecycle.revoke_credential(dana, credential.public_id, reason="Fraud", actor=cast.dana)
    assert verify_for_server(credential.document).check("status").detail == REVOKED
    with pytest.raises(ConflictError) as error:
        lifecycle.suspend_credential(dana, credential.public_id, reason="x", actor=cast.dana)
    assert error.value.code == "already_revoked"
    with pytest.raises(ConflictError) as error:
        lifecycle.unsuspend_credential(dana, credential.public_id, actor=cast.dana)
    assert error.value.code == "not_suspended"


def test_suspension_refusals_write_nothing(cast):
    suspendable(cast)
    credential = issue(cast)
    dana = cast.access(cast.dana)
    with pytest.raises(DomainError) as error:
        lifecycle.suspend_credential(dana, credential.public_id, reason="  ", actor=cast.dana)
    assert error.value.code == "reason_required"
    with pytest.raises(DomainError) as error:
        lifecycle.suspend_credential(dana, credential.public_id, reason="x" * 301, actor=cast.dana)
    assert error.value.code == "reason_too_long"
    with pytest.raises(ConflictError) as error:
        lifecycle.unsuspend_credential(dana, credential.public_id, actor=cast.dana)
    assert error.value.code == "not_suspended"
    with pytest.raises(PermissionDenied):
        lifecycle.suspend_credential(
            cast.access(cast.alice), credential.public_id, reason="x", actor=cast.alice
        )
    with pytest.raises(Http404):
        lifecycle.suspend_credential(
            cast.access(cast.bea), credential.public_id, reason="x", actor=cast.bea
        )
    lifecycle.suspend_credential(dana, credential.public_id, reason="Review", actor=cast.dana)
    with pytest.raises(ConflictError) as error:
        lifecycle.suspend_credential(dana, credential.public_id, reason="Again", actor=cast.dana)
    assert error.value.code == "already_suspended"
    credential.refresh_from_db()
    assert credential.status_reason == "Review"
    assert AuditEvent.objects.filter(action="credential.suspended").count() == 1


def test_api_suspend_and_unsuspend(cast, api_client_for):
    suspendable(cast)
    credential = issue(cast)
    url = f"/api/v1/credentials/{credential.public_id}"
    dana = api_client_for(cast.dana)
    missing = dana.post(f"{url}/suspend", {"reason": ""}, content_type="application/json")
    assert (missing.status_code, missing.json()["error"]["code"]) == (400, "reason_required")
    done = dana.post(f"{url}/suspend", {"reason": "Under review"}, content_type="application/json")
    assert done.status_code == 200
    body = done.json()
    assert (body["status"], body["status_reason"]) == ("suspended", "Under review")
    again = dana.post(f"{url}/suspend", {"reason": "Again"}, content_type="application/json")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_suspended")
    assert (
        api_client_for(cast.alice)
        .post(f"{url}/unsuspend", {}, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        api_client_for(cast.bea)
        .post(f"{url}/unsuspend", {}, content_type="application/json")
        .status_code
        == 404
    )
    lifted = dana.post(f"{url}/unsuspend", {}, content_type="application/json")
    assert (lifted.status_code, lifted.json()["status"]) == (200, "active")
    not_now = dana.post(f"{url}/unsuspend", {}, content_type="application/json")
    assert (not_now.status_code, not_now.json()["error"]["code"]) == (409, "not_suspended")
    assert IssuedCredential.objects.get(pk=credential.pk).status == CredentialStatus.ACTIVE


def test_admin_pages_and_public_page_show_the_state(cast, client_for):
    suspendable(cast)
    credential = issue(cast)
    dana = client_for(cast.dana)
    listing = dana.get("/credentials/manage/").content.decode()
    assert f"/credentials/manage/{credential.public_id}/suspend" in listing
    page = f"/credentials/manage/{credential.public_id}/suspend"
    assert dana.get(page).status_code == 200
    assert dana.post(page, {"reason": ""}).status_code == 400
    assert dana.post(page, {"reason": "Under review"}).status_code == 302
    detail = client_for(cast.alice).get(f"/credentials/{credential.public_id}").content.decode()
    assert "This credential is <strong>suspended</strong>" in detail
    assert "Under review" in detail
    listing = dana.get("/credentials/manage/").content.decode()
    assert f"/credentials/manage/{credential.public_id}/unsuspend" in listing
    lift = f"/credentials/manage/{credential.public_id}/unsuspend"
    assert dana.post(lift, {"reason": ""}).status_code == 302
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.ACTIVE
    assert client_for(cast.bea).get(lift).status_code == 404
    assert client_for(cast.alice).get(lift).status_code == 403
