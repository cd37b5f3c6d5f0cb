"""OB 2.0 hosted documents for backpacks that only speak 2.0 (public, no login): the Issuer of a
district, and the BadgeClass, badge image and Assertion of each public credential. A revoked or
suspended credential still answers, marked `"revoked": true` (the OB 2.0 hosted rule)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from trellis.credentials import queries_portability as queries
from trellis.credentials.core.artwork import badge_png
from trellis.credentials.core.errors import CredentialError
from trellis.credentials.core.ob2 import (
    hashed_recipient_of,
    ob2_assertion,
    ob2_badge_class,
    ob2_issuer,
)
from trellis.credentials.models import CredentialStatus, IssuedCredential, IssuerProfile

CACHE_SECONDS = 300


def _json(document: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(document, json_dumps_params={"indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


def _url(request: HttpRequest, name: str, key: Any) -> str:
    return request.build_absolute_uri(reverse(f"credentials_portability:{name}", args=[key]))


def issuer_document(request: HttpRequest, issuer: IssuerProfile) -> dict[str, Any]:
    return ob2_issuer(
        id=_url(request, "ob2_issuer", issuer.district.slug),
        name=issuer.name,
        url=issuer.url or request.build_absolute_uri("/"),
        email=issuer.email,
        description=issuer.description,
        image=issuer.image_url,
    )


def badge_document(request: HttpRequest, credential: IssuedCredential) -> dict[str, Any]:
    achievement = credential.document.get("credentialSubject", {}).get("achievement", {})
    return ob2_badge_class(
        id=_url(request, "ob2_badge", credential.public_id),
        issuer_id=_url(request, "ob2_issuer", credential.district.slug),
        achievement=achievement,
        default_image=_url(request, "ob2_badge_image", credential.public_id),
    )


def assertion_document(request: HttpRequest, credential: IssuedCredential) -> dict[str, Any]:
    hashed = hashed_recipient_of(credential.document)
    email = credential.recipient.email if credential.recipient else ""
    if hashed is None and not email:
        raise CredentialError("This credential names no e-mail recipient for OB 2.0.")
    identity, salt = hashed or ("", str(credential.public_id))
    revoked = credential.status != CredentialStatus.ACTIVE
    reason = ""
    if revoked:
        label = "Suspended" if credential.status == CredentialStatus.SUSPENDED else "Revoked"
        reason = f"{label}: {credential.status_reason}" if credential.status_reason else label
    return ob2_assertion(
        id=_url(request, "ob2_assertion", credential.public_id),
        badge_id=_url(request, "ob2_badge", credential.public_id),
        identity_hash=identity,
        email=email,
        salt=salt,
        issued_on=credential.issued_at,
        expires=credential.valid_until,
        revoked=revoked,
        revocation_reason=reason,
    )


@require_GET
def issuer(request: HttpRequest, slug: str) -> HttpResponse:
    return _json(issuer_document(request, queries.issuer_for_slug(slug)))


@require_GET
def badge(request: HttpRequest, public_id: str) -> HttpResponse:
    return _json(badge_document(request, queries.public_credential(public_id)))


@require_GET
def badge_image(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = queries.public_credential(public_id)
    png = badge_png(
        credential.achievement_name[:120], credential.issuer.name[:120], credential.source_key
    )
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


@require_GET
def assertion(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = queries.public_credential(public_id)
    try:
        document = assertion_document(request, credential)
    except CredentialError as error:
        return JsonResponse(
            {"error": {"code": "not_exportable", "message": str(error)}}, status=404
        )
    return _json(document)
