"""VC-API issuing: POST /vc-api/credentials/issue {credential, options} → 201
{verifiableCredential}. Bearer token of a user who manages credentials in the district (the
X-Trellis-District header chooses which). The issuer is ours (or left out for us to fill in);
undefined terms are refused with the list of them; a credential `id` issued before returns the
credential issued then."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from trellis.api.v1.auth import token_auth
from trellis.api.v1.common import require
from trellis.credentials.services.issuing import issue_document
from trellis.districts.permissions import Perm

router = Router(tags=["vc-api"])


class IssueOptions(Schema):
    class Config:
        extra = "allow"


class IssueIn(Schema):
    credential: dict[str, Any]
    options: IssueOptions | None = None


class IssueOut(Schema):
    verifiableCredential: dict[str, Any]  # noqa: N815 - the VC-API field name


@router.post("/credentials/issue", auth=token_auth, response={200: IssueOut, 201: IssueOut})
def issue(request: HttpRequest, payload: IssueIn) -> tuple[int, dict[str, Any]]:
    """201 with the signed credential (200 when its `id` was issued before)."""
    access = require(request, Perm.MANAGE_CREDENTIALS)
    row, created = issue_document(access=access, credential=payload.credential, actor=request.user)
    return (201 if created else 200), {"verifiableCredential": row.document}
