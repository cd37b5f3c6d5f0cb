"""Small builders and snapshots shared by the districts, growth, dashboard and API tests."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.core import mail

from trellis.accounts.models import ApiToken, User
from trellis.audit.models import AuditEvent
from trellis.districts import services
from trellis.districts.forms import RolesForm
from trellis.districts.models import District, Invitation, Membership, Role, School
from trellis.districts.tests.factories import MembershipFactory
from trellis.growth.tests.factories import EducatorProfileFactory

SITE_JOIN_LINK = re.compile(r"https?://[^\s/]+/district/join/(?P<token>[A-Za-z0-9_\-]+)/")


def make_invitation(
    district: District,
    email: str,
    *,
    roles: list[str] | None = None,
    school: School | None = None,
    invited_by: User | None = None,
    full_name: str = "",
    status: str = Invitation.Status.PENDING,
) -> tuple[Invitation, str]:
    """A pending invitation written directly, with the secret of its link (services keep it hidden)."""
    secret = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        district=district,
        email=email,
        full_name=full_name,
        roles=roles or [Role.EDUCATOR.value],
        school=school,
        token_digest=services._digest(secret),
        invited_by=invited_by,
        status=status,
    )
    return invitation, secret


def add_people(
    district: District, count: int, *, school: School | None = None, prefix: str = "extra"
) -> list[User]:
    """`count` educators with a profile each, named so that they sort after the cast."""
    people = []
    for n in range(count):
        membership = MembershipFactory(
            user__email=f"{prefix}{n:03d}@{district.slug}.test",
            user__full_name=f"Zed {prefix.title()} {n:03d}",
            district=district,
            role=Role.EDUCATOR,
            school=school,
        )
        EducatorProfileFactory(user=membership.user, district=district, years_experience=n % 20)
        people.append(membership.user)
    return people


def tokens_in(outbox: list[Any]) -> list[str]:
    """The invitation secrets found in the accept links of the given e-mails."""
    found = []
    for message in outbox:
        found += [m.group("token") for m in SITE_JOIN_LINK.finditer(message.body)]
    return found


def school_choice(district: District, school: School) -> str:
    """The value the roles/invitation forms expect for a school (whatever field they key on)."""
    return str(RolesForm(district=district).fields["school"].prepare_value(school))


def snapshot() -> dict[str, Any]:
    """Counts and states that any write in these apps would change."""
    return {
        "users": User.objects.count(),
        "memberships": list(
            Membership.objects.order_by("pk").values_list(
                "user_id", "district_id", "role", "school_id", "is_active"
            )
        ),
        "invitations": list(
            Invitation.objects.order_by("pk").values_list(
                "email", "status", "token_digest", "expires_at"
            )
        ),
        "schools": list(School.objects.order_by("pk").values_list("district_id", "name")),
        "audit": AuditEvent.objects.count(),
        "tokens": list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at")),
        "mail": len(mail.outbox),
    }
