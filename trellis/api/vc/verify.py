"""VC-API verification: POST /vc-api/credentials/verify and /vc-api/presentations/verify.

Public. 200 {"verified": true, "checks", "warnings", "errors": []} when every check passes (or
only warns); 400 problem details with the failed checks in `errors` when not."""

from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Field, Router, Schema

from trellis.credentials.core.verify import Check, VerificationReport
from trellis.credentials.verification import verify_for_server

router = Router(tags=["vc-api"])

VCDM = "https://www.w3.org/TR/vc-data-model#"
PROBLEM_TYPES = {
    "parse": VCDM + "PARSING_ERROR",
    "data-model": VCDM + "MALFORMED_VALUE_ERROR",
    "contexts": VCDM + "MALFORMED_VALUE_ERROR",
    "schema": VCDM + "MALFORMED_VALUE_ERROR",
    "signature": VCDM + "CRYPTOGRAPHIC_SECURITY_ERROR",
    "issuer": VCDM + "CRYPTOGRAPHIC_SECURITY_ERROR",
    "holder-proof": VCDM + "CRYPTOGRAPHIC_SECURITY_ERROR",
    "dates": VCDM + "RANGE_ERROR",
    "status": "https://www.w3.org/TR/vc-bitstring-status-list#STATUS_VERIFICATION_ERROR",
    "credentials": VCDM + "MALFORMED_VALUE_ERROR",
    "challenge": VCDM + "CRYPTOGRAPHIC_SECURITY_ERROR",
}


class VerifyOptions(Schema):
    challenge: str | None = Field(None, max_length=500)
    domain: str | None = Field(None, max_length=500)

    class Config:
        extra = "allow"


class CredentialVerifyIn(Schema):
    verifiableCredential: dict[str, Any] | str  # noqa: N815 (VC-API field name)
    options: VerifyOptions | None = None


class PresentationVerifyIn(Schema):
    verifiablePresentation: dict[str, Any]  # noqa: N815 (VC-API field name)
    options: VerifyOptions | None = None


class ProblemOut(Schema):
    type: str
    title: str
    detail: str


class VerifiedOut(Schema):
    verified: bool
    checks: list[str]
    warnings: list[ProblemOut]
    errors: list[ProblemOut]


class ProblemDetailsOut(Schema):
    type: str
    title: str
    detail: str
    verified: bool = False
    checks: list[str] = []
    warnings: list[ProblemOut] = []
    errors: list[ProblemOut] = []


def _problem(check: Check) -> dict[str, str]:
    base = check.id.split(":", 1)[-1]
    return {
        "type": PROBLEM_TYPES.get(base, VCDM + "MALFORMED_VALUE_ERROR"),
        "title": check.label,
        "detail": check.detail,
    }


def _respond(request: HttpRequest, report: VerificationReport, extra: list[Check]) -> Any:
    failed = [*report.failed, *extra]
    body = {
        "verified": not failed,
        "checks": [check.id for check in report.checks if check.outcome == "passed"],
        "warnings": [_problem(check) for check in report.warnings],
        "errors": [_problem(check) for check in failed],
    }
    if not failed:
        return 200, body
    first = failed[0]
    problem = {
        "type": _problem(first)["type"],
        "title": "The verification failed.",
        "detail": f"{first.label}: {first.detail}"
        + (f" ({len(failed) - 1} more problems below.)" if len(failed) > 1 else ""),
        **body,
    }
    return JsonResponse(problem, status=400, content_type="application/problem+json")


def _not_a(report: VerificationReport, wanted: str) -> list[Check]:
    if report.format == "unknown":
        return []  # the parse check already failed
    is_presentation = report.format == "presentation"
    if wanted == "credential" and is_presentation:
        return [
            Check(
                "parse",
                "Reading the credential",
                "failed",
                "This is a presentation: use /vc-api/presentations/verify.",
            )
        ]
    if wanted == "presentation" and not is_presentation:
        return [
            Check(
                "parse",
                "Reading the presentation",
                "failed",
                "verifiablePresentation must have type VerifiablePresentation.",
            )
        ]
    return []


def _challenge(presentation: dict[str, Any], options: VerifyOptions | None) -> list[Check]:
    if options is None or options.challenge is None:
        return []
    proofs = presentation.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    if any(isinstance(p, dict) and p.get("challenge") == options.challenge for p in proofs):
        return []
    return [
        Check(
            "challenge",
            "Challenge",
            "failed",
            "The presentation's proof does not carry the requested challenge.",
        )
    ]


@router.post(
    "/credentials/verify",
    auth=None,
    response={200: VerifiedOut, 400: ProblemDetailsOut},
    summary="Verify a credential",
)
def verify_credential(request: HttpRequest, payload: CredentialVerifyIn) -> Any:
    """Verify a Data Integrity credential (object) or a VC-JWT (string)."""
    report = verify_for_server(payload.verifiableCredential)
    return _respond(request, report, _not_a(report, "credential"))


@router.post(
    "/presentations/verify",
    auth=None,
    response={200: VerifiedOut, 400: ProblemDetailsOut},
    summary="Verify a presentation",
)
def verify_presentation(request: HttpRequest, payload: PresentationVerifyIn) -> Any:
    """Verify a presentation's holder proof (when it has one) and every credential in it."""
    report = verify_for_server(payload.verifiablePresentation)
    extra = _not_a(report, "presentation")
    if not extra and report.format == "presentation":
        extra = _challenge(payload.verifiablePresentation, payload.options)
    return _respond(request, report, extra)
