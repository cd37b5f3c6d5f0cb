"""Authoring stacks: published micro-credentials that together earn a capstone (N of the
members). Progress and capstone awards belong to the assessment side."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404

from trellis.audit import services as audit
from trellis.core.errors import ConflictError
from trellis.districts.queries import DistrictAccess
from trellis.microcredentials.models import Stack
from trellis.microcredentials.services.definition_fields import (
    FieldProblem,
    raise_first,
    resolve_published,
)
from trellis.microcredentials.services.definitions import require_author

STACK_FIELDS = ("title", "description", "capstone_title", "members", "required_count")


def check_stack_fields(
    district: Any, fields: dict[str, Any]
) -> tuple[dict[str, Any], list[FieldProblem]]:
    unknown_fields = sorted(set(fields) - set(STACK_FIELDS))
    if unknown_fields:
        raise TypeError(f"Unknown stack fields: {', '.join(unknown_fields)}")
    problems: list[FieldProblem] = []
    clean: dict[str, Any] = {}
    for field, label, limit, required in (
        ("title", "title", 200, True),
        ("description", "description", 5000, False),
        ("capstone_title", "capstone credential's title", 200, True),
    ):
        text = str(fields.get(field) or "").strip()
        if required and not text:
            problems.append(FieldProblem(field, f"{field}_required", f"Enter the {label}."))
        elif len(text) > limit:
            problems.append(
                FieldProblem(
                    field, f"{field}_too_long", f"The {label} has at most {limit} characters."
                )
            )
        clean[field] = text
    members, unknown = resolve_published(district, fields.get("members"))
    if unknown:
        problems.append(
            FieldProblem(
                "members",
                "unknown_member",
                f"Unknown micro-credential{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}: "
                "a stack holds published micro-credentials of the district.",
            )
        )
    if len(members) < 2 and not unknown:
        problems.append(
            FieldProblem(
                "members", "members_required", "A stack holds at least 2 micro-credentials."
            )
        )
    clean["members"] = members
    try:
        required = int(str(fields.get("required_count") or "").strip())
    except ValueError:
        required = 0
    if members and not 1 <= required <= len(members):
        problems.append(
            FieldProblem(
                "required_count",
                "bad_required_count",
                f"The number needed must be between 1 and {len(members)} (the number of members).",
            )
        )
    clean["required_count"] = required
    return clean, problems


def _own(access: DistrictAccess, stack: Stack) -> Stack:
    if stack.district_id != access.district.pk:
        raise Http404("No such stack.")
    return Stack.objects.select_for_update().get(pk=stack.pk)


@transaction.atomic
def create_stack(*, access: DistrictAccess, actor: Any, **fields: Any) -> Stack:
    require_author(access)
    clean, problems = check_stack_fields(access.district, fields)
    raise_first(problems)
    members = clean.pop("members")
    stack = Stack.objects.create(district=access.district, **clean)
    stack.members.set(members)
    audit.record(
        action="micro_credential.stack_created",
        summary=f"Created the stack “{stack.title}” ({stack.required_count} of {len(members)})",
        actor=actor,
        district=access.district,
        target=stack,
    )
    return stack


@transaction.atomic
def update_stack(*, access: DistrictAccess, actor: Any, stack: Stack, **fields: Any) -> Stack:
    require_author(access)
    stack = _own(access, stack)
    current = {
        "title": stack.title,
        "description": stack.description,
        "capstone_title": stack.capstone_title,
        "members": list(stack.members.all()),
        "required_count": stack.required_count,
    }
    clean, problems = check_stack_fields(access.district, {**current, **fields})
    raise_first(problems)
    members = clean.pop("members")
    for name, value in clean.items():
        setattr(stack, name, value)
    stack.save()
    stack.members.set(members)
    audit.record(
        action="micro_credential.stack_edited",
        summary=f"Edited the stack “{stack.title}”",
        actor=actor,
        district=access.district,
        target=stack,
    )
    return stack


@transaction.atomic
def set_stack_active(*, access: DistrictAccess, actor: Any, stack: Stack, active: bool) -> Stack:
    require_author(access)
    stack = _own(access, stack)
    if stack.is_active == active:
        raise ConflictError(
            "same_status", f"The stack is already {'active' if active else 'deactivated'}."
        )
    stack.is_active = active
    stack.save(update_fields=["is_active", "updated_at"])
    audit.record(
        action="micro_credential.stack_" + ("activated" if active else "deactivated"),
        summary=f"{'Reactivated' if active else 'Deactivated'} the stack “{stack.title}”",
        actor=actor,
        district=access.district,
        target=stack,
    )
    return stack


__all__ = ["create_stack", "set_stack_active", "update_stack"]
