"""Issuer keys: sealing under a KEK, lazy creation, rotation, revocation, did:web documents."""

import base64
import datetime as dt

import pytest
from django.core.management import call_command
from django.http import Http404

from trellis.audit.models import AuditEvent
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.credentials import sealing
from trellis.credentials.models import IssuedCredential, KeyStatus, SigningKey
from trellis.credentials.services import keys, lifecycle
from trellis.credentials.tests.test_issuing import issue
from trellis.credentials.verification import verify_for_server

pytestmark = pytest.mark.django_db
KEK_1 = base64.urlsafe_b64encode(b"1" * 32).decode()
KEK_2 = base64.urlsafe_b64encode(b"2" * 32).decode()


def test_lazy_issuer_and_sealed_key(cast):
    issuer = keys.ensure_issuer(cast.district_a)
    assert issuer.name == "Northfield"
    assert keys.ensure_issuer(cast.district_a).pk == issuer.pk
    key = keys.active_key(issuer)
    assert key.kek_id == "dev"
    assert key.public_key_multibase.startswith("z6Mk")
    raw = keys.private_key(key).public_key().public_bytes_raw()
    assert raw == keys.public_key_bytes(key)
    assert keys.active_key(issuer).pk == key.pk


def test_configured_kek_and_reseal(cast, settings):
    settings.CREDENTIAL_KEKS = [f"one:{KEK_1}"]
    key = keys.active_key(keys.ensure_issuer(cast.district_a))
    assert key.kek_id == "one"
    settings.CREDENTIAL_KEKS = [f"two:{KEK_2}", f"one:{KEK_1}"]
    assert keys.reseal_keys() == 1
    key.refresh_from_db()
    assert key.kek_id == "two"
    settings.CREDENTIAL_KEKS = [f"two:{KEK_2}"]
    assert keys.private_key(key) is not None
    assert keys.reseal_keys() == 0


def test_reseal_command(cast, settings, capsys):
    settings.CREDENTIAL_KEKS = [f"one:{KEK_1}"]
    keys.active_key(keys.ensure_issuer(cast.district_a))
    settings.CREDENTIAL_KEKS = [f"two:{KEK_2}", f"one:{KEK_1}"]
    call_command("reseal_keys")
    assert "Resealed 1 signing key under key-encryption key 'two'." in capsys.readouterr().out
    assert list(SigningKey.objects.values_list("kek_id", flat=True)) == ["two"]


def test_bad_and_missing_kek(cast, settings):
    settings.CREDENTIAL_KEKS = ["one:not-base64-32"]
    with pytest.raises(DomainError) as error:
        keys.active_key(keys.ensure_issuer(cast.district_a))
    assert error.value.code == "bad_kek"
    settings.CREDENTIAL_KEKS, settings.DEBUG, settings.TESTING = [], False, False
    with pytest.raises(DomainError) as error:
        issue(cast)
    assert error.value.code == "no_kek"
    assert "TRELLIS_KEY_ENCRYPTION_KEY" in error.value.message
    assert not SigningKey.objects.exists()
    assert not IssuedCredential.objects.exists()
    assert [m.id for m in sealing.check_kek()] == ["trellis.credentials.W001"]


def test_rotation_keeps_old_credentials_verifying(cast):
    old = issue(cast, key="before")
    rotated = keys.rotate_key(cast.access(cast.dana), actor=cast.dana)
    assert SigningKey.objects.get(pk=old.signing_key_id).status == KeyStatus.RETIRED
    new = issue(cast, key="after")
    assert new.signing_key_id == rotated.pk
    assert new.document["issuer"]["id"] == f"did:key:{rotated.public_key_multibase}"
    assert verify_for_server(old.document).ok
    assert verify_for_server(new.document).ok
    assert AuditEvent.objects.filter(action="credential.key_rotated").count() == 1
    # Each did:key has its own status list, still signed by its own key after a revocation.
    assert new.revocation_list_id != old.revocation_list_id
    lifecycle.revoke_credential(cast.access(cast.dana), old.public_id, reason="x", actor=cast.dana)
    status_checks = [c for c in verify_for_server(old.document).failed if c.id == "status"]
    assert len(status_checks) == 1
    assert "revoked" in status_checks[0].detail.lower()
    assert verify_for_server(new.document).ok
    with pytest.raises(PermissionDenied):
        keys.rotate_key(cast.access(cast.alice), actor=cast.alice)


def test_revoke_key(cast):
    key = keys.active_key(keys.ensure_issuer(cast.district_a))
    dana = cast.access(cast.dana)
    with pytest.raises(DomainError):
        keys.revoke_key(dana, key.public_id, reason="", actor=cast.dana)
    with pytest.raises(Http404):
        keys.revoke_key(cast.access(cast.bea), key.public_id, reason="leak", actor=cast.bea)
    keys.revoke_key(dana, key.public_id, reason="Leaked", actor=cast.dana)
    key.refresh_from_db()
    assert (key.status, key.revocation_reason) == (KeyStatus.REVOKED, "Leaked")
    assert SigningKey.objects.filter(status=KeyStatus.ACTIVE).count() == 1  # a fresh one
    with pytest.raises(ConflictError):
        keys.revoke_key(dana, key.public_id, reason="again", actor=cast.dana)


def test_did_web_document(cast, settings, client):
    settings.SITE_URL = "https://pd.example.org"
    assert keys.uses_did_web()
    credential = issue(cast)
    did = "did:web:pd.example.org:districts:northfield"
    assert credential.document["issuer"]["id"] == did
    rotated = keys.rotate_key(cast.access(cast.dana), actor=cast.dana)
    response = client.get("/districts/northfield/did.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+json"
    document = response.json()
    assert document["id"] == did
    methods = [m["publicKeyMultibase"] for m in document["verificationMethod"]]
    assert methods == [credential.signing_key.public_key_multibase, rotated.public_key_multibase]
    assert document["assertionMethod"] == [f"{did}#{m}" for m in methods]
    assert verify_for_server(credential.document).ok
    keys.revoke_key(
        cast.access(cast.dana), credential.signing_key.public_id, reason="x", actor=cast.dana
    )
    assert len(client.get("/districts/northfield/did.json").json()["verificationMethod"]) == 1
    assert not verify_for_server(credential.document).ok
    assert client.get("/districts/nowhere/did.json").status_code == 404


def test_did_web_with_port_and_local_hosts(settings, cast, client):
    settings.SITE_URL = "https://pd.example.org:8443"
    assert keys.did_web(cast.district_a) == "did:web:pd.example.org%3A8443:districts:northfield"
    settings.SITE_URL = "https://localhost:8000"
    assert not keys.uses_did_web()
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert client.get("/districts/northfield/did.json").status_code == 404


def test_dates_are_given(cast):
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    key = keys.rotate_key(cast.access(cast.dana), actor=cast.dana, now=now)
    assert key.activated_at == now
