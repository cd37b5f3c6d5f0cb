"""Request helpers shared by views."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse

from trellis.core.errors import DomainError


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address. Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips)."""
    return request.META.get("REMOTE_ADDR") or None


def json_object(request: HttpRequest) -> dict[str, Any]:
    """The request body as a JSON object (an empty body is {}); DomainError otherwise."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise DomainError("invalid_json", "The request body is not a JSON object.")
    return body


def json_error(exc: DomainError) -> JsonResponse:
    """A DomainError in the API's error shape, for the pages' own JSON endpoints."""
    body = {"error": {"code": exc.code, "message": exc.message, "details": exc.details}}
    return JsonResponse(body, status=exc.status)
