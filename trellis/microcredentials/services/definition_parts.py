"""The ordered parts of a draft version (what the educator submits) and each part's rubric
criteria. Every write refuses a frozen (published or superseded) version."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F, Max

from trellis.audit import services as audit
from trellis.core.errors import DomainError
from trellis.districts.queries import DistrictAccess
from trellis.microcredentials.models import DefinitionVersion, RequirementPart, RubricCriterion
from trellis.microcredentials.services.definition_fields import (
    MAX_CRITERIA,
    MAX_PARTS,
    check_criterion,
    check_part_fields,
    raise_first,
)
from trellis.microcredentials.services.definitions import locked_draft


def _record(
    access: DistrictAccess,
    actor: Any,
    version: DefinitionVersion,
    action: str,
    summary: str,
    **data: Any,
) -> None:
    audit.record(
        action=f"micro_credential.{action}",
        summary=f"“{version.title}” v{version.number}: {summary}",
        actor=actor,
        district=access.district,
        target=version.micro_credential,
        data={"version": version.number, **data},
    )


@transaction.atomic
def add_part(
    *, access: DistrictAccess, actor: Any, version: DefinitionVersion, **fields: Any
) -> RequirementPart:
    version = locked_draft(access, version)
    clean, problems = check_part_fields(fields)
    raise_first(problems)
    count = version.parts.count()
    if count >= MAX_PARTS:
        raise DomainError("too_many_parts", f"A definition has at most {MAX_PARTS} parts.")
    position = (version.parts.aggregate(n=Max("position"))["n"] or 0) + 1
    part = RequirementPart.objects.create(version=version, position=position, **clean)
    _record(access, actor, version, "part_added", f"added part {position} “{part.title}”")
    return part


def _locked_part(
    access: DistrictAccess, part: RequirementPart
) -> tuple[DefinitionVersion, RequirementPart]:
    version = locked_draft(access, part.version)
    return version, RequirementPart.objects.get(pk=part.pk)


@transaction.atomic
def update_part(
    *, access: DistrictAccess, actor: Any, part: RequirementPart, **fields: Any
) -> RequirementPart:
    version, part = _locked_part(access, part)
    current = {
        "kind": part.kind,
        "title": part.title,
        "prompt": part.prompt,
        "required": part.required,
        "accepted_types": part.accepted_types,
        "max_files": part.max_files,
        "max_words": part.max_words,
    }
    clean, problems = check_part_fields({**current, **fields})
    raise_first(problems)
    changed = [name for name, value in clean.items() if getattr(part, name) != value]
    if changed:
        for name in changed:
            setattr(part, name, clean[name])
        part.save()
        _record(
            access, actor, version, "part_edited", f"edited part {part.position}", changed=changed
        )
    return part


@transaction.atomic
def remove_part(*, access: DistrictAccess, actor: Any, part: RequirementPart) -> None:
    version, part = _locked_part(access, part)
    position, title = part.position, part.title
    part.delete()
    # Close the gap from the lowest position up, so each new position is already free.
    for later in version.parts.filter(position__gt=position).order_by("position"):
        RequirementPart.objects.filter(pk=later.pk).update(position=F("position") - 1)
    _record(access, actor, version, "part_removed", f"removed part {position} “{title}”")


@transaction.atomic
def move_part(
    *, access: DistrictAccess, actor: Any, part: RequirementPart, direction: str
) -> RequirementPart:
    """Swap the part with its neighbour above ("up") or below ("down")."""
    version, part = _locked_part(access, part)
    if direction not in ("up", "down"):
        raise DomainError("bad_direction", "Move a part up or down.")
    neighbour = (
        version.parts.filter(position__lt=part.position).order_by("-position").first()
        if direction == "up"
        else version.parts.filter(position__gt=part.position).order_by("position").first()
    )
    if neighbour is None:
        raise DomainError(
            "cannot_move",
            f"Part {part.position} is already the {'first' if direction == 'up' else 'last'}.",
        )
    mine, theirs = part.position, neighbour.position
    RequirementPart.objects.filter(pk=part.pk).update(position=0)  # 0 is never a real position
    RequirementPart.objects.filter(pk=neighbour.pk).update(position=mine)
    RequirementPart.objects.filter(pk=part.pk).update(position=theirs)
    part.position = theirs
    _record(access, actor, version, "part_moved", f"moved “{part.title}” {direction}")
    return part


@transaction.atomic
def add_criterion(
    *, access: DistrictAccess, actor: Any, part: RequirementPart, name: str, levels: list[dict]
) -> RubricCriterion:
    version, part = _locked_part(access, part)
    clean, problems = check_criterion(name, levels)
    raise_first(problems)
    if part.criteria.count() >= MAX_CRITERIA:
        raise DomainError("too_many_criteria", f"A part has at most {MAX_CRITERIA} criteria.")
    position = (part.criteria.aggregate(n=Max("position"))["n"] or 0) + 1
    criterion = RubricCriterion.objects.create(part=part, position=position, **clean)
    _record(
        access,
        actor,
        version,
        "criterion_added",
        f"added the criterion “{criterion.name}” to part {part.position}",
    )
    return criterion


@transaction.atomic
def update_criterion(
    *, access: DistrictAccess, actor: Any, criterion: RubricCriterion, name: str, levels: list[dict]
) -> RubricCriterion:
    version = locked_draft(access, criterion.part.version)
    criterion = RubricCriterion.objects.get(pk=criterion.pk)
    clean, problems = check_criterion(name, levels)
    raise_first(problems)
    if clean["name"] != criterion.name or clean["levels"] != criterion.levels:
        criterion.name, criterion.levels = clean["name"], clean["levels"]
        criterion.save()
        _record(
            access, actor, version, "criterion_edited", f"edited the criterion “{criterion.name}”"
        )
    return criterion


@transaction.atomic
def remove_criterion(*, access: DistrictAccess, actor: Any, criterion: RubricCriterion) -> None:
    version = locked_draft(access, criterion.part.version)
    criterion = RubricCriterion.objects.get(pk=criterion.pk)
    part_id, position, name = criterion.part_id, criterion.position, criterion.name
    criterion.delete()
    for later in RubricCriterion.objects.filter(part_id=part_id, position__gt=position).order_by(
        "position"
    ):
        RubricCriterion.objects.filter(pk=later.pk).update(position=F("position") - 1)
    _record(access, actor, version, "criterion_removed", f"removed the criterion “{name}”")
