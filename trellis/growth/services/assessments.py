"""Self-assessment against the district's adopted framework: drafts, then dated snapshots."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import DomainError
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess
from trellis.growth import queries
from trellis.growth.models import MAX_NOTE_LENGTH, SelfAssessment, SelfRating
from trellis.growth.services._common import require_adopted_framework


@dataclass(frozen=True)
class RatingInput:
    """One competency of the form or the API: its public id, the level value chosen, a note."""

    competency: str
    level: int | None = None
    note: str = ""


@dataclass(frozen=True)
class RatingProblem:
    competency: str  # public id as given
    field: str  # "competency", "level" or "note"
    message: str


def _check(
    ratings: Sequence[RatingInput], cmap: queries.CompetencyMap
) -> tuple[list[tuple[Any, int | None, str]], list[RatingProblem]]:
    items = cmap.by_public_id()
    labels = cmap.level_labels
    scale = ", ".join(f"{value} ({label})" for value, label in labels.items())
    rows: list[tuple[Any, int | None, str]] = []
    problems: list[RatingProblem] = []
    seen: set[str] = set()
    for rating in ratings:
        key = str(rating.competency).strip().lower()
        item = items.get(key)
        if item is None:
            problems.append(
                RatingProblem(
                    str(rating.competency),
                    "competency",
                    f"“{rating.competency}” is not a competency of {cmap.framework.title}.",
                )
            )
            continue
        if key in seen:
            problems.append(RatingProblem(key, "competency", f"{item} is rated more than once."))
            continue
        seen.add(key)
        level = rating.level
        if level is not None and (isinstance(level, bool) or level not in labels):
            problems.append(
                RatingProblem(
                    key, "level", f"{item}: {level} is not a level of the scale: {scale}."
                )
            )
            continue
        note = (rating.note or "").strip()
        if len(note) > MAX_NOTE_LENGTH:
            problems.append(
                RatingProblem(
                    key,
                    "note",
                    f"{item}: the note is too long, at most {MAX_NOTE_LENGTH} characters ({len(note)} given).",
                )
            )
            continue
        rows.append((item, level, note))
    return rows, problems


@transaction.atomic
def save_self_assessment(
    *, access: DistrictAccess, actor: Any, ratings: Sequence[RatingInput], submit: bool
) -> SelfAssessment:
    """Save the actor's draft (any subset of competencies), or submit it as a dated snapshot.

    The draft holds exactly the ratings given. Submitting needs a level for every competency;
    when one is missing nothing changes and the error lists what is left, so no work is lost.
    """
    require(access, Perm.VIEW_OWN_LEARNING)
    framework = require_adopted_framework(access)
    cmap = queries.competency_map(framework)
    if not cmap.competencies:
        raise DomainError(
            "no_competencies",
            f"{framework.title} has no competencies to rate yet.",
        )
    if not cmap.levels:
        raise DomainError(
            "no_scale", f"{framework.title} has no proficiency scale yet, so nothing can be rated."
        )
    rows, problems = _check(ratings, cmap)
    if problems:
        first = problems[0].message
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DomainError(
            "invalid_ratings",
            f"{first}{more}",
            details={"errors": [p.__dict__ for p in problems]},
        )
    if submit:
        rated = {item.pk for item, level, _note in rows if level is not None}
        missing = [item for item in cmap.competencies if item.pk not in rated]
        if missing:
            names = ", ".join(str(item) for item in missing[:5])
            rest = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            raise DomainError(
                "incomplete_self_assessment",
                f"Rate every competency before submitting: {len(missing)} of "
                f"{len(cmap.competencies)} still have no level ({names}{rest}). "
                "Save a draft to finish later.",
                details={"missing": [str(item.public_id) for item in missing]},
            )
    draft = (
        SelfAssessment.objects.select_for_update()
        .filter(district=access.district, educator=actor, status=SelfAssessment.Status.DRAFT)
        .first()
    )
    if draft is None:
        draft = SelfAssessment.objects.create(
            district=access.district, educator=actor, framework=framework
        )
    elif draft.framework_id != framework.pk:
        draft.framework = framework
        draft.save(update_fields=["framework", "updated_at"])
    draft.ratings.all().delete()
    SelfRating.objects.bulk_create(
        [
            SelfRating(assessment=draft, item=item, value=level, note=note)
            for item, level, note in rows
            if level is not None or note
        ]
    )
    rated_count = sum(1 for _item, level, _note in rows if level is not None)
    if submit:
        draft.status = SelfAssessment.Status.SUBMITTED
        draft.submitted_at = timezone.now()
        draft.save(update_fields=["status", "submitted_at", "updated_at"])
        audit.record(
            action="growth.self_assessment_submitted",
            summary=f"{actor.email} submitted a self-assessment of {rated_count} competencies",
            actor=actor,
            district=access.district,
            target=draft,
            target_label=f"Self-assessment against {framework.title}",
            data={"framework": str(framework.public_id), "rated": rated_count},
        )
    else:
        draft.save(update_fields=["updated_at"])
        audit.record(
            action="growth.self_assessment_draft_saved",
            summary=f"{actor.email} saved a self-assessment draft ({rated_count} of "
            f"{len(cmap.competencies)} rated)",
            actor=actor,
            district=access.district,
            target=draft,
            target_label=f"Self-assessment draft against {framework.title}",
            data={"rated": rated_count, "total": len(cmap.competencies)},
        )
    return draft


@transaction.atomic
def discard_self_assessment_draft(*, access: DistrictAccess, actor: Any) -> bool:
    """Throw away the actor's draft; snapshots are never touched. False when there was none."""
    require(access, Perm.VIEW_OWN_LEARNING)
    draft = SelfAssessment.objects.filter(
        district=access.district, educator=actor, status=SelfAssessment.Status.DRAFT
    ).first()
    if draft is None:
        return False
    audit.record(
        action="growth.self_assessment_draft_discarded",
        summary=f"{actor.email} discarded their self-assessment draft",
        actor=actor,
        district=access.district,
        target=draft,
        target_label="Self-assessment draft",
    )
    draft.delete()
    return True
