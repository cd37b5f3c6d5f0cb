"""Rules shared by the framework services: who may write, what may be written, and the scale."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess
from trellis.frameworks.models import Framework, ProficiencyLevel

MIN_LEVELS, MAX_LEVELS = 2, 7


class NotFound(DomainError):
    """Another district's object: reported as missing, never as forbidden."""

    status = 404

    def __init__(self, message: str = "No such framework.") -> None:
        super().__init__("not_found", message)


def require_manage(access: DistrictAccess) -> None:
    if not access.can(Perm.MANAGE_FRAMEWORKS):
        raise PermissionDenied("Only district PD leaders can change frameworks.")


def require_editable(access: DistrictAccess, framework: Framework) -> None:
    """District admins edit their own district's frameworks; the library is read-only."""
    require_manage(access)
    if framework.is_library:
        raise ConflictError(
            "library_read_only",
            f"“{framework.title}” is a library framework and cannot be edited. "
            "Copy it to your district first.",
        )
    if framework.district_id != access.district.pk:
        raise NotFound()


def fit(model: type[models.Model], field: str, value: str) -> str:
    """Trim text to the column's length (PostgreSQL refuses longer values; SQLite would not)."""
    limit = model._meta.get_field(field).max_length
    value = (value or "").replace("\x00", "").strip()
    return value[:limit] if limit else value


@dataclass(frozen=True)
class LevelDraft:
    value: int
    label: str
    description: str = ""
    is_target: bool = False


def validate_levels(levels: list[LevelDraft]) -> list[LevelDraft]:
    """2–7 levels numbered 1..n, each with a label, exactly one of them the target."""
    if not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
        raise DomainError(
            "scale_size",
            f"A proficiency scale needs {MIN_LEVELS} to {MAX_LEVELS} levels; this one has "
            f"{len(levels)}.",
        )
    values = sorted(level.value for level in levels)
    if values != list(range(1, len(levels) + 1)):
        raise DomainError(
            "scale_values",
            f"Number the levels 1 to {len(levels)}, each number once (1 is the lowest).",
        )
    blank = [level.value for level in levels if not level.label.strip()]
    if blank:
        raise DomainError(
            "scale_label_required",
            f"Give every level a label (missing for level {', '.join(map(str, sorted(blank)))}).",
        )
    label_limit = ProficiencyLevel._meta.get_field("label").max_length
    if any(len(level.label.strip()) > label_limit for level in levels):
        raise DomainError(
            "scale_label_too_long", f"Level labels can be at most {label_limit} characters."
        )
    targets = [level for level in levels if level.is_target]
    if len(targets) != 1:
        raise DomainError(
            "scale_target",
            f"Mark exactly one level as the target level (now {len(targets)} are marked).",
        )
    return sorted(
        (
            LevelDraft(
                value=level.value,
                label=level.label.strip(),
                description=level.description.strip(),
                is_target=level.is_target,
            )
            for level in levels
        ),
        key=lambda level: level.value,
    )


def write_levels(framework: Framework, levels: list[LevelDraft]) -> bool:
    """Replace the framework's scale with `levels` (already validated). True when it changed."""
    current = [
        LevelDraft(level.value, level.label, level.description, level.is_target)
        for level in framework.levels.order_by("value")
    ]
    if current == levels:
        return False
    framework.levels.all().delete()
    ProficiencyLevel.objects.bulk_create(
        ProficiencyLevel(
            framework=framework,
            value=level.value,
            label=level.label,
            description=level.description,
            is_target=level.is_target,
        )
        for level in levels
    )
    return True
