"""The educator's own profile, and the district's career-stage thresholds."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from trellis.audit import services as audit
from trellis.core.errors import DomainError
from trellis.core.text import clean_text
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess
from trellis.growth.career import MAX_THRESHOLD_YEARS, threshold_problem
from trellis.growth.models import (
    MAX_WEEKLY_MINUTES,
    EducatorProfile,
    GradeBand,
    GrowthSettings,
    LearningFormat,
    LearningTime,
    Position,
    StudentGroup,
)

MAX_YEARS = 60
MAX_SUBJECTS = 12
MAX_SUBJECT_LENGTH = 80
MAX_INTERESTS_LENGTH = 2000

PROFILE_FIELDS = (
    "position",
    "years_experience",
    "subjects",
    "grade_bands",
    "students_served",
    "preferred_formats",
    "learning_times",
    "weekly_minutes",
    "interests",
)


def _whole_number(value: Any, *, field: str, message: str, low: int, high: int) -> int:
    if isinstance(value, bool):
        raise DomainError(f"invalid_{field}", message, details={"field": field})
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise DomainError(f"invalid_{field}", message, details={"field": field}) from None
    if not low <= number <= high:
        raise DomainError(f"invalid_{field}", message, details={"field": field})
    return number


def _choices(
    values: Any, choices: type[models.TextChoices], *, field: str, label: str
) -> list[str]:
    if isinstance(values, str) or not isinstance(values, list | tuple):
        raise DomainError(
            f"invalid_{field}", f"Give the {label} as a list.", details={"field": field}
        )
    unknown = sorted({str(v) for v in values} - set(choices.values))
    if unknown:
        raise DomainError(
            f"unknown_{field}",
            f"Unknown {label}: {', '.join(unknown)}. Use: {', '.join(choices.values)}.",
            details={"field": field},
        )
    return [value for value in choices.values if value in values]


def _subjects(values: Any) -> list[str]:
    if isinstance(values, str) or not isinstance(values, list | tuple):
        raise DomainError(
            "invalid_subjects", "Give the subjects as a list.", details={"field": "subjects"}
        )
    cleaned: list[str] = []
    for value in values:
        subject = " ".join(str(value).split())
        if not subject or subject.lower() in {s.lower() for s in cleaned}:
            continue
        if len(subject) > MAX_SUBJECT_LENGTH:
            raise DomainError(
                "subject_too_long",
                f"“{subject[:30]}…” is too long for a subject: at most {MAX_SUBJECT_LENGTH} characters.",
                details={"field": "subjects"},
            )
        cleaned.append(subject)
    if len(cleaned) > MAX_SUBJECTS:
        raise DomainError(
            "too_many_subjects",
            f"List at most {MAX_SUBJECTS} subjects ({len(cleaned)} given).",
            details={"field": "subjects"},
        )
    return cleaned


def clean_profile(
    *,
    position: Any,
    years_experience: Any,
    subjects: Any,
    grade_bands: Any,
    students_served: Any,
    preferred_formats: Any,
    learning_times: Any,
    weekly_minutes: Any,
    interests: Any,
) -> dict[str, Any]:
    """Check every field; the first problem raises a DomainError naming the field."""
    if position not in Position.values:
        raise DomainError(
            "unknown_position",
            f"Unknown position “{position}”. Use: {', '.join(Position.values)}.",
            details={"field": "position"},
        )
    minutes = None
    if weekly_minutes not in (None, ""):
        minutes = _whole_number(
            weekly_minutes,
            field="weekly_minutes",
            message=f"Weekly time for learning must be a whole number of minutes from 0 to {MAX_WEEKLY_MINUTES}.",
            low=0,
            high=MAX_WEEKLY_MINUTES,
        )
    return {
        "position": position,
        "years_experience": _whole_number(
            years_experience,
            field="years_experience",
            message=f"Years of experience must be a whole number from 0 to {MAX_YEARS}.",
            low=0,
            high=MAX_YEARS,
        ),
        "subjects": _subjects(subjects),
        "grade_bands": _choices(grade_bands, GradeBand, field="grade_bands", label="grade band(s)"),
        "students_served": _choices(
            students_served, StudentGroup, field="students_served", label="student group(s)"
        ),
        "preferred_formats": _choices(
            preferred_formats, LearningFormat, field="preferred_formats", label="format(s)"
        ),
        "learning_times": _choices(
            learning_times, LearningTime, field="learning_times", label="time(s) for learning"
        ),
        "weekly_minutes": minutes,
        "interests": clean_text(
            interests,
            field="interests",
            label="interests",
            max_length=MAX_INTERESTS_LENGTH,
            required=False,
        ),
    }


@transaction.atomic
def update_profile(*, access: DistrictAccess, actor: Any, **fields: Any) -> EducatorProfile:
    """Replace the actor's own profile in this district (every field of PROFILE_FIELDS is given)."""
    require(access, Perm.VIEW_OWN_LEARNING)
    missing = [name for name in PROFILE_FIELDS if name not in fields]
    unknown = sorted(set(fields) - set(PROFILE_FIELDS))
    if missing or unknown:
        raise DomainError(
            "invalid_profile_fields",
            f"Profile fields missing: {', '.join(missing) or 'none'}; unknown: {', '.join(unknown) or 'none'}.",
        )
    cleaned = clean_profile(**fields)
    profile = (
        EducatorProfile.objects.select_for_update()
        .filter(user=actor, district=access.district)
        .first()
    )
    created = profile is None
    if profile is None:
        profile = EducatorProfile(user=actor, district=access.district)
    changed = [name for name in PROFILE_FIELDS if getattr(profile, name) != cleaned[name]]
    if not changed and not created:
        return profile
    for name, value in cleaned.items():
        setattr(profile, name, value)
    profile.save()
    audit.record(
        action="growth.profile_updated",
        summary=f"{actor.email} updated their learner profile ({', '.join(changed) or 'created'})",
        actor=actor,
        district=access.district,
        target=profile,
        target_label=actor.email,
        data={"changed": changed, "created": created},
    )
    return profile


@transaction.atomic
def update_growth_settings(
    *,
    access: DistrictAccess,
    actor: Any,
    developing_from: Any,
    experienced_from: Any,
    veteran_from: Any,
) -> GrowthSettings:
    """Set the first year of each career stage after novice (district admins)."""
    require(access, Perm.MANAGE_GROWTH_SETTINGS)
    message = f"Each threshold is a whole number of years from 1 to {MAX_THRESHOLD_YEARS}."
    thresholds = tuple(
        _whole_number(value, field=field, message=message, low=1, high=MAX_THRESHOLD_YEARS)
        for field, value in (
            ("developing_from", developing_from),
            ("experienced_from", experienced_from),
            ("veteran_from", veteran_from),
        )
    )
    problem = threshold_problem(thresholds)  # type: ignore[arg-type]
    if problem:
        raise DomainError("thresholds_not_increasing", problem)
    settings_row = GrowthSettings.objects.select_for_update().filter(
        district=access.district
    ).first() or GrowthSettings(district=access.district)
    before = settings_row.thresholds
    if settings_row.pk is not None and before == thresholds:
        return settings_row
    settings_row.developing_from, settings_row.experienced_from, settings_row.veteran_from = (
        thresholds
    )
    settings_row.updated_by = actor
    settings_row.save()
    audit.record(
        action="growth.stage_thresholds_changed",
        summary=f"Career stages now start at {thresholds[0]}, {thresholds[1]} and {thresholds[2]} years",
        actor=actor,
        district=access.district,
        target=settings_row,
        target_label=f"Career stages of {access.district.name}",
        data={"before": list(before), "after": list(thresholds)},
    )
    return settings_row
