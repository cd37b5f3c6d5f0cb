"""Public issuer documents: signed status list credentials and did:web DID documents."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from trellis.credentials import queries
from trellis.credentials.services import keys
from trellis.districts.models import District


def _public_json(document: Any, content_type: str) -> HttpResponse:
    response = HttpResponse(json.dumps(document, ensure_ascii=False), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def status_list(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The signed BitstringStatusListCredential (no login; verifiers fetch it)."""
    return _public_json(
        queries.get_status_list(public_id).signed_credential, "application/vc+ld+json"
    )


@require_GET
def did_document(request: HttpRequest, slug: str) -> HttpResponse:
    """The district issuer's did:web document (only when the issuer id is a did:web)."""
    if not keys.uses_did_web():
        raise Http404("This server's issuers use did:key identifiers.")
    district = get_object_or_404(District, slug=slug)
    return _public_json(keys.did_document(district), "application/did+json")
