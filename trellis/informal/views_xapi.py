"""The xAPI endpoint for outside learning tools: /xapi/about and /xapi/statements, with HTTP
Basic credentials per integration. Statement checks live in `xapi/`, storage in the services."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from trellis.core.errors import DomainError
from trellis.informal.services import integrations, statements
from trellis.informal.xapi.payload import MAX_BODY_BYTES, PayloadError, parse_statements_body

VERSION = statements.VERSION
REALM = 'Basic realm="Trellis xAPI", charset="UTF-8"'


def _json(body: Any, status: int = 200) -> HttpResponse:
    response = JsonResponse(body, status=status, safe=False)
    response["X-Experience-API-Version"] = VERSION
    return response


def _error(code: str, message: str, status: int, **details: Any) -> HttpResponse:
    return _json({"error": {"code": code, "message": message, "details": details}}, status)


def _credentials(request: HttpRequest) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, secret = decoded.partition(":")
    return (username, secret) if sep else None


def _version_ok(request: HttpRequest) -> str:
    """Empty when the header is fine; otherwise why not."""
    version = request.headers.get("X-Experience-API-Version", "").strip()
    if not version:
        return "Send the header X-Experience-API-Version: 1.0.3."
    if not version.startswith("1.0."):
        return f"X-Experience-API-Version {version} is not supported; use 1.0.3."
    return ""


@require_http_methods(["GET", "HEAD"])
def about(request: HttpRequest) -> HttpResponse:
    return _json({"version": [VERSION]})


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST", "PUT"])
def statements_view(request: HttpRequest) -> HttpResponse:
    credentials = _credentials(request)
    integration = integrations.authenticate(*credentials) if credentials else None
    if integration is None:
        response = _error(
            "unauthorized", "Send this integration's username and secret with HTTP Basic auth.", 401
        )
        response["WWW-Authenticate"] = REALM
        return response
    why = _version_ok(request)
    if why:
        return _error("bad_version", why, 400)
    try:
        if request.method in ("GET", "HEAD"):
            return _read(request, integration)
        return _write(request, integration)
    except DomainError as error:
        return _error(error.code, error.message, error.status, **error.details)
    except Http404:
        return _error("not_found", "No such statement.", 404)


def _read(request: HttpRequest, integration: Any) -> HttpResponse:
    params = {key: request.GET[key] for key in request.GET}
    for key, value in params.items():
        if "\x00" in key or "\x00" in value:  # no database text column can hold it
            return _error(
                "bad_parameter", f"{key.replace(chr(0), '')}: contains a NUL character.", 400
            )
    result = statements.read_statements(integration=integration, params=params)
    response = _json(result)
    response["X-Experience-API-Consistent-Through"] = statements.iso_moment(timezone.now())
    return response


def _write(request: HttpRequest, integration: Any) -> HttpResponse:
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return _error("too_large", "Send at most 1 MB of statements per request.", 413)
    content_type = request.content_type or ""
    if content_type == "multipart/mixed":
        # xAPI lets an LRS choose its attachment size limit and answer 413 above it; ours is
        # zero bytes: statements are kept, attachment files never are (docs/informal-learning.md).
        return _error(
            "attachment_data_not_stored",
            "Trellis does not store attachment files, so multipart/mixed requests are refused. "
            "Send the statements as application/json and give each attachment a fileUrl.",
            413,
        )
    if content_type != "application/json":
        return _error(
            "bad_content_type", "Send statements as JSON with Content-Type: application/json.", 400
        )
    try:
        payload = parse_statements_body(request.body)
    except RequestDataTooBig:
        return _error("too_large", "Send at most 1 MB of statements per request.", 413)
    except PayloadError as error:
        return _error(error.code, error.message, error.status)
    base_url = request.build_absolute_uri("/")
    if request.method == "PUT":
        statement_id = request.GET.get("statementId")
        if not statement_id:
            return _error("bad_parameter", "PUT needs the statementId parameter.", 400)
        statements.store_statements(
            integration=integration, payload=payload, base_url=base_url, statement_id=statement_id
        )
        response = HttpResponse(status=204)
        response["X-Experience-API-Version"] = VERSION
        return response
    ids = statements.store_statements(integration=integration, payload=payload, base_url=base_url)
    return _json(ids)
