"""Shared set-up for the portability tests: signed credentials stored as the issuing service
stores them (built, signed with the district's real key), without going through status lists."""

from __future__ import annotations

import datetime as dt
import uuid

from trellis.credentials.core.dataintegrity import sign
from trellis.credentials.core.documents import build_credential, date_time_z
from trellis.credentials.core.specs import AchievementSpec, CredentialSpec, SubjectSpec
from trellis.credentials.models import IssuedCredential
from trellis.credentials.services import keys
from trellis.credentials.services.issuing import issuer_spec

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


def achievement(slug: str = "feedback", name: str = "Effective Feedback") -> AchievementSpec:
    return AchievementSpec(
        id=f"https://trellis.example/achievements/{slug}",
        name=name,
        description=f"Demonstrates {name.lower()}.",
        criteria_narrative="Scored proficient on every rubric criterion.",
    )


def signed_document(district, email: str, slug: str = "feedback", name: str = "Effective Feedback"):
    issuer = keys.ensure_issuer(district)
    key = keys.active_key(issuer, now=NOW)
    public_id = uuid.uuid4()
    spec = CredentialSpec(
        id=f"https://trellis.example/credentials/{public_id}",
        issuer=issuer_spec(issuer, key),
        subject=SubjectSpec(email=email, salt="s4lt"),
        achievement=achievement(slug, name),
        valid_from=NOW,
    )
    document = sign(
        build_credential(spec),
        private_key=keys.private_key(key),
        verification_method=keys.verification_method(issuer, key),
        created=date_time_z(NOW),
    )
    return public_id, issuer, key, document


def issue(
    district,
    recipient,
    key_text: str,
    slug: str = "feedback",
    name: str = "Effective Feedback",
    **fields,
):
    public_id, issuer, key, document = signed_document(district, recipient.email, slug, name)
    return IssuedCredential.objects.create(
        public_id=public_id,
        district=district,
        issuer=issuer,
        recipient=recipient,
        source_kind="api",
        source_key=key_text,
        achievement_name=name,
        document=document,
        signing_key=key,
        issued_at=NOW,
        **fields,
    )
