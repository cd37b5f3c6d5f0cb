"""Demo credentials. Earned micro-credentials in the demo history already issue their Open
Badges 3.0 credentials through the award pipeline; this fills in the issuer profile and makes
the demo educator's first credential public, so /credentials/ and a public id URL show
something true on the first visit. Idempotent."""

from __future__ import annotations

from trellis.credentials.models import IssuedCredential, Visibility
from trellis.credentials.services import keys, lifecycle
from trellis.districts.models import District
from trellis.districts.queries import access_for


def seed_credentials(district: District) -> None:
    issuer = keys.ensure_issuer(district)
    if not issuer.description:
        issuer.description = (
            f"{district.name} recognises educators' demonstrated competencies with verifiable "
            "micro-credentials."
        )
        issuer.save(update_fields=["description", "updated_at"])
    domain = district.slug.replace("-", "")
    first = (
        IssuedCredential.objects.filter(
            district=district, recipient__email=f"educator@{domain}.test"
        )
        .order_by("issued_at", "id")
        .first()
    )
    if first is None or first.visibility == Visibility.PUBLIC:
        return
    access = access_for(first.recipient, district)
    if access is not None:
        lifecycle.set_visibility(access, first.public_id, Visibility.PUBLIC, actor=first.recipient)
