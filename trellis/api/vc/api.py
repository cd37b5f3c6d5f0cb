"""The VC-API instance. Errors are problem details (RFC 9457-style JSON), as VC-API clients
expect, not the /api/v1 error shape."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from trellis.api.docs import OFFLINE_SWAGGER
from trellis.api.vc import issue, verify
from trellis.core.errors import DomainError

vc_api = NinjaAPI(
    title="Trellis VC-API",
    version="1.0.0",
    description=(
        "W3C VC-API: POST /vc-api/credentials/issue (Bearer token of a district admin), "
        "POST /vc-api/credentials/verify and /vc-api/presentations/verify (public)."
    ),
    urls_namespace="vc-api",
    docs_url="/docs",
    docs=OFFLINE_SWAGGER,
)

PROBLEM_BASE = "https://www.w3.org/TR/vc-data-model#"


def problem(
    request: HttpRequest, status: int, title: str, detail: str, *, kind: str, **extra: Any
) -> HttpResponse:
    """An RFC 9457 problem-details response."""
    body = {"type": kind, "title": title, "detail": detail, "errors": [], **extra}
    response = vc_api.create_response(request, body, status=status)
    response["Content-Type"] = "application/problem+json"
    return response


@vc_api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(part) for part in err.get("loc", [])[1:]) or "body",
            "message": err.get("msg", ""),
        }
        for err in exc.errors
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "The request is invalid."
    return problem(
        request,
        400,
        "The request body is not valid.",
        detail,
        kind=PROBLEM_BASE + "PARSING_ERROR",
        errors=errors,
    )


@vc_api.exception_handler(DomainError)
def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return problem(
        request,
        exc.status,
        exc.message,
        exc.message,
        kind=f"urn:trellis:error:{exc.code}",
        errors=[exc.details] if exc.details else [],
    )


@vc_api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(
        request,
        401,
        "Not authenticated.",
        "Send a valid token: Authorization: Bearer <token>.",
        kind="urn:trellis:error:not_authenticated",
    )


@vc_api.exception_handler(DjangoPermissionDenied)
def _forbidden(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
    detail = str(exc) or "You do not have permission to do that."
    return problem(
        request, 403, "Permission denied.", detail, kind="urn:trellis:error:permission_denied"
    )


@vc_api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(
        request, 404, "Not found.", str(exc) or "Not found.", kind="urn:trellis:error:not_found"
    )


@vc_api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # e.g. a body that is not JSON
        return problem(
            request,
            400,
            "The request body is not valid.",
            str(exc.message),
            kind=PROBLEM_BASE + "PARSING_ERROR",
            errors=[{"field": "body", "message": str(exc.message)}],
        )
    return problem(
        request,
        exc.status_code,
        str(exc.message),
        str(exc.message),
        kind=f"urn:trellis:error:http_{exc.status_code}",
    )


vc_api.add_router("", issue.router)  # /credentials/issue (token with issuing rights)
vc_api.add_router("", verify.router)  # /credentials/verify, /presentations/verify (public)
