"""POST /api/v1/verify: the itemised verifier, public (no token needed)."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from trellis.api.v1.common import ErrorOut
from trellis.credentials.verification import verify_for_server

router = Router(tags=["verify"])


class VerifyIn(Schema):
    credential: dict[str, Any] | str = Field(
        ...,
        description="The credential as a JSON object, JSON text or a compact VC-JWT; "
        "a Verifiable Presentation is accepted too.",
    )


class CheckOut(Schema):
    id: str
    label: str
    outcome: str = Field(..., description="passed, failed, warning or skipped")
    detail: str


class VerificationSummaryOut(Schema):
    issuer_name: str
    issuer_id: str
    achievement_name: str
    subject: str
    valid_from: str
    valid_until: str


class VerifyOut(Schema):
    ok: bool = Field(..., description="True when no check failed")
    format: str = Field(..., description="data-integrity, vc-jwt, unsigned or presentation")
    checks: list[CheckOut]
    summary: VerificationSummaryOut


@router.post("/verify", auth=None, response={200: VerifyOut, 422: ErrorOut})
def verify_credential(request: HttpRequest, payload: VerifyIn) -> dict[str, Any]:
    """Verify a credential: every check (parse, data model, contexts, signature, issuer, dates,
    status, schema) with its outcome and reason. 200 even when the credential fails: read `ok`."""
    return verify_for_server(payload.credential).to_dict()
