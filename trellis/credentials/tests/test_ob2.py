"""OB 2.0 hosted Issuer, BadgeClass and Assertion documents (pure core)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from trellis.credentials.core.canon import canonize_safely
from trellis.credentials.core.errors import CredentialError
from trellis.credentials.core.ob2 import (
    hashed_recipient_of,
    ob2_assertion,
    ob2_badge_class,
    ob2_issuer,
)

BASE = "https://trellis.example"
ISSUER = f"{BASE}/ob2/issuers/northfield"
BADGE = f"{BASE}/ob2/badges/6f1c"
ASSERTION = f"{BASE}/ob2/assertions/6f1c"
DEFAULT_IMAGE = f"{BASE}/static/img/badge.png"
ACHIEVEMENT = {
    "id": f"{BASE}/mc/feedback",
    "type": ["Achievement"],
    "name": " Effective Feedback ",
    "description": "Gives students timely, specific feedback.",
    "criteria": {"narrative": "Submit two annotated samples.", "id": f"{BASE}/mc/feedback#c"},
    "image": {"id": f"{BASE}/mc/feedback/image.png", "type": "Image"},
    "alignment": [
        {
            "type": ["Alignment"],
            "targetName": "Assessment",
            "targetUrl": "https://case.example/uri/6b2f",
            "targetCode": "InTASC.6",
            "targetType": "CFItem",
        },
        {"type": ["Alignment"], "targetName": "no url"},
    ],
    "tag": ["feedback", ""],
}


def test_issuer_profile():
    issuer = ob2_issuer(
        id=ISSUER,
        name="Northfield Public Schools",
        url="https://nf.example",
        email="pd@nf.example",
        description=" PD office ",
    )
    assert issuer == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Issuer",
        "id": ISSUER,
        "name": "Northfield Public Schools",
        "url": "https://nf.example",
        "email": "pd@nf.example",
        "description": "PD office",
    }
    canonize_safely(issuer)


def test_badge_class_from_an_ob3_achievement():
    badge = ob2_badge_class(
        id=BADGE, issuer_id=ISSUER, achievement=ACHIEVEMENT, default_image=DEFAULT_IMAGE
    )
    assert badge == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "BadgeClass",
        "id": BADGE,
        "name": "Effective Feedback",
        "description": "Gives students timely, specific feedback.",
        "image": f"{BASE}/mc/feedback/image.png",
        "criteria": {"id": f"{BASE}/mc/feedback#c", "narrative": "Submit two annotated samples."},
        "issuer": ISSUER,
        "alignment": [
            {
                "targetName": "Assessment",
                "targetUrl": "https://case.example/uri/6b2f",
                "targetCode": "InTASC.6",
            }
        ],
        "tags": ["feedback"],
    }
    canonize_safely(badge)


def test_badge_class_falls_back_to_the_default_image():
    achievement = {k: v for k, v in ACHIEVEMENT.items() if k != "image"}
    badge = ob2_badge_class(
        id=BADGE, issuer_id=ISSUER, achievement=achievement, default_image=DEFAULT_IMAGE
    )
    assert badge["image"] == DEFAULT_IMAGE


def test_assertion_hashes_the_recipient_and_is_hosted():
    assertion = ob2_assertion(
        id=ASSERTION,
        badge_id=BADGE,
        email=" Alice@Northfield.test ",
        salt="s4lt",
        issued_on=dt.datetime(2025, 1, 15, 10, 0, tzinfo=dt.UTC),
        expires=dt.datetime(2030, 1, 15, 10, 0, tzinfo=dt.UTC),
    )
    expected_hash = hashlib.sha256(b"alice@northfield.tests4lt").hexdigest()
    assert assertion == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": ASSERTION,
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": "s4lt",
            "identity": f"sha256${expected_hash}",
        },
        "badge": BADGE,
        "verification": {"type": "hosted"},
        "issuedOn": "2025-01-15T10:00:00Z",
        "expires": "2030-01-15T10:00:00Z",
    }
    canonize_safely(assertion)


def test_revoked_assertion_says_so_with_a_reason():
    common = {
        "id": ASSERTION,
        "badge_id": BADGE,
        "email": "alice@northfield.test",
        "salt": "s4lt",
        "issued_on": dt.datetime(2025, 1, 15, tzinfo=dt.UTC),
        "revoked": True,
    }
    assertion = ob2_assertion(**common, revocation_reason="Issued in error")
    assert assertion["revoked"] is True
    assert assertion["revocationReason"] == "Issued in error"
    assert ob2_assertion(**common)["revocationReason"] == "Revoked by the issuer."
    canonize_safely(assertion)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ob2_issuer(id="ftp://x", name="N", url="https://nf.example"), "The issuer id"),
        (lambda: ob2_issuer(id=ISSUER, name=" ", url="https://nf.example"), "needs a name"),
        (
            lambda: ob2_issuer(id=ISSUER, name="N", url="https://nf.example", email="nope"),
            "'nope' is not an e-mail address",
        ),
        (
            lambda: ob2_badge_class(
                id=BADGE,
                issuer_id=ISSUER,
                achievement={**ACHIEVEMENT, "name": ""},
                default_image=DEFAULT_IMAGE,
            ),
            "The achievement has no name.",
        ),
        (
            lambda: ob2_badge_class(
                id=BADGE,
                issuer_id=ISSUER,
                achievement={**ACHIEVEMENT, "criteria": {}},
                default_image=DEFAULT_IMAGE,
            ),
            "The achievement has no criteria.",
        ),
        (
            lambda: ob2_badge_class(
                id=BADGE,
                issuer_id=ISSUER,
                achievement={k: v for k, v in ACHIEVEMENT.items() if k != "image"},
                default_image="",
            ),
            "The badge image must be an http",
        ),
        (
            lambda: ob2_assertion(
                id=ASSERTION,
                badge_id=BADGE,
                email="alice",
                salt="s",
                issued_on=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
            ),
            "The recipient needs an e-mail address.",
        ),
        (
            lambda: ob2_assertion(
                id=ASSERTION,
                badge_id=BADGE,
                email="a@b.test",
                salt="",
                issued_on=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
            ),
            "A hashed recipient needs a salt.",
        ),
        (
            lambda: ob2_assertion(
                id=ASSERTION,
                badge_id=BADGE,
                email="a@b.test",
                salt="s",
                issued_on=dt.datetime(2025, 1, 1),  # noqa: DTZ001
            ),
            "issuedOn has no time zone",
        ),
    ],
)
def test_bad_input_is_refused(call, message):
    with pytest.raises(CredentialError, match=message):
        call()


def test_assertion_reuses_the_hash_an_ob3_credential_carries():
    identity = "sha256$" + hashlib.sha256(b"alice@northfield.tests4lt").hexdigest()
    credential = {
        "credentialSubject": {
            "identifier": [
                {
                    "type": "IdentityObject",
                    "hashed": True,
                    "identityHash": identity,
                    "identityType": "emailAddress",
                    "salt": "s4lt",
                }
            ]
        }
    }
    assert hashed_recipient_of(credential) == (identity, "s4lt")
    assert hashed_recipient_of({"credentialSubject": {"id": "did:example:a"}}) is None
    assertion = ob2_assertion(
        id=ASSERTION,
        badge_id=BADGE,
        identity_hash=identity,
        salt="s4lt",
        issued_on=dt.datetime(2025, 1, 15, tzinfo=dt.UTC),
    )
    assert assertion["recipient"]["identity"] == identity
    with pytest.raises(CredentialError, match="'sha256\\$' and 64 hex digits"):
        ob2_assertion(
            id=ASSERTION,
            badge_id=BADGE,
            identity_hash="md5$abc",
            salt="s4lt",
            issued_on=dt.datetime(2025, 1, 15, tzinfo=dt.UTC),
        )


# --- the hosted OB 2.0 endpoints (Django) --------------------------------------------------------


def _public(cast, **fields):
    from trellis.credentials.tests.portability_helpers import issue

    return issue(cast.district_a, cast.alice, "a1", visibility="public", **fields)


def test_hosted_assertion_badge_and_issuer(cast, client):
    credential = _public(cast)
    assertion = client.get(f"/ob2/assertions/{credential.public_id}")
    assert assertion.status_code == 200
    assert assertion["Access-Control-Allow-Origin"] == "*"
    body = assertion.json()
    base = "http://testserver"
    assert body == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": f"{base}/ob2/assertions/{credential.public_id}",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": "s4lt",
            "identity": "sha256$" + hashlib.sha256(b"alice@northfield.tests4lt").hexdigest(),
        },
        "badge": f"{base}/ob2/badges/{credential.public_id}",
        "verification": {"type": "hosted"},
        "issuedOn": "2025-03-01T12:00:00Z",
    }
    badge = client.get(body["badge"]).json()
    assert badge["type"] == "BadgeClass"
    assert badge["name"] == "Effective Feedback"
    assert badge["issuer"] == f"{base}/ob2/issuers/northfield"
    assert badge["image"] == f"{base}/ob2/badges/{credential.public_id}/image.png"
    assert badge["criteria"] == {"narrative": "Scored proficient on every rubric criterion."}
    image = client.get(badge["image"])
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    issuer = client.get(badge["issuer"]).json()
    assert issuer == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Issuer",
        "id": f"{base}/ob2/issuers/northfield",
        "name": "Northfield",
        "url": f"{base}/",
    }


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        ("revoked", "Issued in error", "Revoked: Issued in error"),
        ("revoked", "", "Revoked"),
        ("suspended", "Under review", "Suspended: Under review"),
    ],
)
def test_revoked_or_suspended_assertion_says_so(cast, client, status, reason, expected):
    credential = _public(cast, status=status, status_reason=reason)
    body = client.get(f"/ob2/assertions/{credential.public_id}").json()
    assert body["revoked"] is True
    assert body["revocationReason"] == expected


def test_private_and_unknown_credentials_are_404(cast, client):
    from trellis.credentials.tests.portability_helpers import issue

    private = issue(cast.district_a, cast.alice, "a1")
    for path in (
        f"/ob2/assertions/{private.public_id}",
        f"/ob2/badges/{private.public_id}",
        f"/ob2/badges/{private.public_id}/image.png",
        "/ob2/assertions/not-a-uuid",
        "/ob2/badges/4f1d1c1e-0000-4000-8000-000000000000",
        "/ob2/issuers/nowhere",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/ob2/assertions/{private.public_id}").status_code == 405
