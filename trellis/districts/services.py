"""Writes for tenancy: invitations (single and CSV), joining, roles and membership changes."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from trellis.accounts import services as accounts
from trellis.accounts.models import User
from trellis.audit import services as audit
from trellis.core.csvio import RowError, read_csv_numbered
from trellis.core.email import queue_email
from trellis.core.errors import ConflictError, DomainError
from trellis.districts.models import District, Invitation, Membership, Role, School
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess

MAX_INVITATIONS_PER_CSV = 2000


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _clean_roles(roles: list[str]) -> list[str]:
    if not roles:
        raise DomainError("roles_required", "Choose at least one role.")
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise DomainError(
            "unknown_role", f"Unknown role(s): {', '.join(unknown)}. Use: {', '.join(Role.values)}."
        )
    return sorted(set(roles), key=Role.values.index)


def _clean_email(email: str) -> str:
    email = accounts.normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(
            "invalid_email", f"“{email or '(blank)'}” is not a valid e-mail address."
        ) from None
    return email


@dataclass(frozen=True)
class InvitationDraft:
    email: str
    full_name: str
    roles: list[str]
    school: School | None


def _validate_invitation(access: DistrictAccess, draft: InvitationDraft) -> InvitationDraft:
    email = _clean_email(draft.email)
    roles = _clean_roles(draft.roles)
    if draft.school is not None and draft.school.district_id != access.district.pk:
        raise DomainError("unknown_school", "That school is not in this district.")
    if Membership.objects.filter(
        district=access.district, user__email=email, is_active=True
    ).exists():
        raise ConflictError("already_member", f"{email} is already a member of {access.district}.")
    if Invitation.objects.filter(
        district=access.district,
        email=email,
        status=Invitation.Status.PENDING,
        expires_at__gt=timezone.now(),
    ).exists():
        raise ConflictError(
            "already_invited", f"{email} already has a pending invitation. Resend it instead."
        )
    return InvitationDraft(
        email=email, full_name=draft.full_name.strip()[:150], roles=roles, school=draft.school
    )


def accept_url(secret: str) -> str:
    return settings.SITE_URL + reverse("districts:accept_invitation", kwargs={"token": secret})


def _send_invitation_email(invitation: Invitation, secret: str) -> None:
    url = accept_url(secret)
    context = {"invitation": invitation, "accept_url": url, "role_labels": invitation.role_labels()}
    queue_email(
        to=[invitation.email],
        subject=f"You are invited to {invitation.district} on Trellis",
        body=render_to_string("districts/email/invitation.txt", context),
    )


def _create_invitation(
    district: District, actor: User | None, draft: InvitationDraft
) -> tuple[Invitation, str]:
    secret = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        district=district,
        email=draft.email,
        full_name=draft.full_name,
        roles=draft.roles,
        school=draft.school,
        token_digest=_digest(secret),
        invited_by=actor,
    )
    audit.record(
        action="districts.invitation_sent",
        summary=f"Invited {draft.email} as {', '.join(invitation.role_labels())}",
        actor=actor,
        district=district,
        target=invitation,
        target_label=draft.email,
        data={"roles": draft.roles},
    )
    _send_invitation_email(invitation, secret)
    return invitation, secret


@transaction.atomic
def invite(
    *,
    access: DistrictAccess,
    actor: User,
    email: str,
    roles: list[str],
    full_name: str = "",
    school: School | None = None,
) -> Invitation:
    require(access, Perm.MANAGE_PEOPLE)
    draft = _validate_invitation(
        access, InvitationDraft(email=email, full_name=full_name, roles=roles, school=school)
    )
    invitation, _secret = _create_invitation(access.district, actor, draft)
    return invitation


@dataclass
class BulkInviteResult:
    invitations: list[Invitation]
    errors: list[RowError]


INVITE_CSV_COLUMNS = {"email", "full_name", "roles", "school"}


def invite_from_csv(
    *, access: DistrictAccess, actor: User, data: bytes, dry_run: bool = False
) -> BulkInviteResult:
    """Invite everyone in a CSV (columns: email, full_name, roles separated by ';', school name).

    All rows are checked first; if any row is wrong nothing is sent, and every error is reported.
    """
    require(access, Perm.MANAGE_PEOPLE)
    rows = read_csv_numbered(data, required_columns={"email", "roles"})
    if not rows:
        raise DomainError("no_rows", "The file has a header but no people.")
    if len(rows) > MAX_INVITATIONS_PER_CSV:
        raise DomainError(
            "too_many_rows", f"At most {MAX_INVITATIONS_PER_CSV} invitations per file."
        )
    schools = {s.name.lower(): s for s in School.objects.filter(district=access.district)}
    drafts: list[InvitationDraft] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for number, row in rows:  # numbered as in the file: row 1 is the header
        school_name = row.get("school", "")
        school = schools.get(school_name.lower()) if school_name else None
        if school_name and school is None:
            errors.append(
                RowError(number, "school", f"No school named “{school_name}” in this district.")
            )
            continue
        roles = [
            part.strip().lower()
            for part in row.get("roles", "").replace(",", ";").split(";")
            if part.strip()
        ]
        try:
            draft = _validate_invitation(
                access,
                InvitationDraft(
                    email=row.get("email", ""),
                    full_name=row.get("full_name", ""),
                    roles=roles,
                    school=school,
                ),
            )
        except DomainError as exc:
            column = "roles" if exc.code in {"roles_required", "unknown_role"} else "email"
            errors.append(RowError(number, column, exc.message))
            continue
        if draft.email in seen:
            errors.append(
                RowError(number, "email", f"{draft.email} appears more than once in the file.")
            )
            continue
        seen.add(draft.email)
        drafts.append(draft)
    if errors or dry_run:
        return BulkInviteResult(invitations=[], errors=errors)
    with transaction.atomic():
        created = [_create_invitation(access.district, actor, draft)[0] for draft in drafts]
    return BulkInviteResult(invitations=created, errors=[])


@transaction.atomic
def revoke_invitation(*, access: DistrictAccess, actor: User, invitation: Invitation) -> Invitation:
    require(access, Perm.MANAGE_PEOPLE)
    if invitation.status != Invitation.Status.PENDING:
        raise ConflictError(
            "not_pending", f"This invitation is already {invitation.get_status_display().lower()}."
        )
    invitation.status = Invitation.Status.REVOKED
    invitation.save(update_fields=["status", "updated_at"])
    audit.record(
        action="districts.invitation_revoked",
        summary=f"Revoked the invitation for {invitation.email}",
        actor=actor,
        district=access.district,
        target=invitation,
        target_label=invitation.email,
    )
    return invitation


@transaction.atomic
def resend_invitation(*, access: DistrictAccess, actor: User, invitation: Invitation) -> Invitation:
    """A fresh link (the old one stops working) and a fresh 14-day expiry."""
    require(access, Perm.MANAGE_PEOPLE)
    if invitation.status != Invitation.Status.PENDING:
        raise ConflictError(
            "not_pending", f"This invitation is already {invitation.get_status_display().lower()}."
        )
    secret = secrets.token_urlsafe(32)
    invitation.token_digest = _digest(secret)
    invitation.expires_at = Invitation._meta.get_field("expires_at").get_default()
    invitation.save(update_fields=["token_digest", "expires_at", "updated_at"])
    audit.record(
        action="districts.invitation_resent",
        summary=f"Resent the invitation for {invitation.email}",
        actor=actor,
        district=access.district,
        target=invitation,
        target_label=invitation.email,
    )
    _send_invitation_email(invitation, secret)
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    if not token:
        return None
    return (
        Invitation.objects.select_related("district", "school")
        .filter(token_digest=_digest(token))
        .first()
    )


@transaction.atomic
def accept_invitation(
    *, token: str, full_name: str, password: str, current_user: Any = None
) -> User:
    """Join the district. A new person sets a password; someone already signed in just joins."""
    invitation = invitation_for_token(token)
    if invitation is None or not invitation.is_usable:
        raise DomainError(
            "invitation_invalid",
            "This invitation link is no longer valid. Ask your district for a new one.",
        )
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ConflictError("invitation_used", "This invitation has already been used.")
    user = User.objects.filter(email=invitation.email).first()
    if current_user is not None and current_user.email != invitation.email:
        raise DomainError(
            "signed_in_as_someone_else",
            f"You are signed in as {current_user.email}, but this invitation is for {invitation.email}. "
            "Sign out first, then open the link again.",
        )
    if user is None:
        if not full_name.strip():
            raise DomainError("name_required", "Enter your full name.")
        user = User(email=invitation.email, full_name=full_name.strip()[:150])
        accounts.validate_new_password(password, user)
        user.set_password(password)
        user.save()
    elif current_user is None or current_user.pk != user.pk:
        raise DomainError(
            "sign_in_first",
            f"An account for {user.email} exists. Sign in as {user.email}, then open this link again.",
        )
    for role in invitation.roles:
        Membership.objects.update_or_create(
            user=user,
            district=invitation.district,
            role=role,
            defaults={"is_active": True, "school": invitation.school},
        )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_at", "updated_at"])
    audit.record(
        action="districts.invitation_accepted",
        summary=f"{user.email} joined as {', '.join(invitation.role_labels())}",
        actor=user,
        district=invitation.district,
        target=invitation,
        target_label=user.email,
    )
    return user


@transaction.atomic
def set_roles(
    *, access: DistrictAccess, actor: User, user: User, roles: list[str], school: School | None
) -> list[str]:
    """Replace a member's roles in this district. An admin cannot remove their own admin role."""
    require(access, Perm.MANAGE_PEOPLE)
    roles = _clean_roles(roles)
    if user.pk == actor.pk and Role.DISTRICT_ADMIN not in roles:
        raise DomainError(
            "cannot_demote_self",
            "You cannot remove your own district-admin role; ask another admin.",
        )
    if school is not None and school.district_id != access.district.pk:
        raise DomainError("unknown_school", "That school is not in this district.")
    if not Membership.objects.filter(user=user, district=access.district).exists():
        raise DomainError(
            "not_a_member", f"{user.email} is not a member of {access.district}. Invite them first."
        )
    before = sorted(
        Membership.objects.filter(user=user, district=access.district, is_active=True).values_list(
            "role", flat=True
        )
    )
    Membership.objects.filter(user=user, district=access.district).exclude(role__in=roles).update(
        is_active=False
    )
    for role in roles:
        Membership.objects.update_or_create(
            user=user,
            district=access.district,
            role=role,
            defaults={"is_active": True, "school": school},
        )
    audit.record(
        action="districts.roles_changed",
        summary=f"Roles of {user.email}: {', '.join(before) or 'none'} → {', '.join(roles)}",
        actor=actor,
        district=access.district,
        target=user,
        target_label=user.email,
        data={"before": before, "after": roles},
    )
    return roles


@dataclass(frozen=True)
class NewDistrict:
    district: District
    invitation: Invitation
    accept_url: str


@transaction.atomic
def create_district(
    *,
    name: str,
    slug: str,
    state_code: str,
    admin_email: str,
    admin_name: str = "",
    actor: Any = None,
) -> NewDistrict:
    """Create a district and invite its first PD leader (platform operators, e.g. from the CLI)."""
    name, slug, state_code = name.strip(), slug.strip().lower(), state_code.strip().upper()
    if not name:
        raise DomainError("name_required", "Enter the district's name.")
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) or len(slug) > 60:
        raise DomainError(
            "invalid_slug",
            "The short name may use lower-case letters, digits and single hyphens (max 60).",
        )
    if not re.fullmatch(r"[A-Z]{2}", state_code):
        raise DomainError("invalid_state", "Use the two-letter state code, e.g. TX.")
    if District.objects.filter(slug=slug).exists():
        raise ConflictError(
            "district_exists", f"A district with the short name “{slug}” already exists."
        )
    email = _clean_email(admin_email)
    district = District.objects.create(name=name[:150], slug=slug, state_code=state_code)
    audit.record(
        action="districts.district_created",
        summary=f"District {district.name} created",
        actor=actor,
        district=district,
        target=district,
    )
    draft = InvitationDraft(
        email=email, full_name=admin_name.strip()[:150], roles=[Role.DISTRICT_ADMIN], school=None
    )
    invitation, secret = _create_invitation(district, actor, draft)
    return NewDistrict(district=district, invitation=invitation, accept_url=accept_url(secret))


@transaction.atomic
def create_school(
    *, access: DistrictAccess, actor: User, name: str, grade_span: str = ""
) -> School:
    require(access, Perm.MANAGE_PEOPLE)
    name = name.strip()
    if not name:
        raise DomainError("name_required", "Enter the school's name.")
    if School.objects.filter(district=access.district, name__iexact=name).exists():
        raise ConflictError(
            "school_exists", f"{access.district} already has a school named {name}."
        )
    school = School.objects.create(
        district=access.district, name=name[:150], grade_span=grade_span.strip()[:20]
    )
    audit.record(
        action="districts.school_created",
        summary=f"Added school {school.name}",
        actor=actor,
        district=access.district,
        target=school,
    )
    return school
