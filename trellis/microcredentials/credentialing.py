"""Earned micro-credentials and stack capstones as Open Badges 3.0 credentials: the mapping
from a DefinitionVersion (criteria, competency alignments, rubric) and the submission's scores to
the plain specs the credentials app signs, and the issuing call made when an award happens."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from trellis.core.errors import DomainError
from trellis.credentials.core.specs import (
    AchievementSpec,
    AlignmentSpec,
    ResultDescriptionSpec,
    ResultSpec,
)
from trellis.credentials.models import IssuedCredential, SourceKind
from trellis.credentials.services import keys
from trellis.credentials.services.issuing import issue_credential
from trellis.credentials.services.lifecycle import record_issue_failure
from trellis.microcredentials.models import (
    Assignment,
    CriterionScore,
    DefinitionVersion,
    EarnedMicroCredential,
    RubricCriterion,
    Stack,
)

log = logging.getLogger(__name__)


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def achievement_url(version: DefinitionVersion) -> str:
    return _site(reverse("microcredentials:definition", args=[version.micro_credential.public_id]))


def _criterion_id(base: str, criterion: RubricCriterion) -> str:
    return f"{base}#criterion-{criterion.public_id}"


def _criteria(version: DefinitionVersion, criteria: list[RubricCriterion]) -> str:
    lines = [f"Demonstrate the key method: {version.key_method.strip()}", ""]
    parts = list(version.parts.all())
    if parts:
        lines.append("Submit evidence in these parts:")
        lines += [
            f"- {part.title}{'' if part.required else ' (optional)'}: {part.prompt.strip()}"
            for part in parts
        ]
    if criteria:
        lines += ["", "Assessors score each rubric criterion; every one must reach Proficient:"]
        lines += [f"- {criterion.name}" for criterion in criteria]
    return "\n".join(lines).strip()


def _alignments(version: DefinitionVersion) -> tuple[AlignmentSpec, ...]:
    aligned = []
    for item in version.competencies.select_related("framework").all():
        framework_page = _site(reverse("frameworks:detail", args=[item.framework.public_id]))
        aligned.append(
            AlignmentSpec(
                target_name=item.title[:500],
                target_url=item.case_uri or f"{framework_page}#item-{item.public_id}",
                target_code=item.human_code,
                target_description=item.statement or item.description,
                target_framework=item.framework.title,
                target_type="CFItem" if item.case_uri else "",
            )
        )
    return tuple(aligned)


def _result_descriptions(base: str, criteria: list[RubricCriterion]):
    described = []
    for criterion in criteria:
        cid = _criterion_id(base, criterion)
        levels = tuple(
            (
                f"{cid}-{level['key']}",
                level.get("label") or level["key"],
                level.get("descriptor", ""),
            )
            for level in criterion.levels
            if level.get("key")
        )
        required = (
            f"{cid}-proficient" if any(lv[0].endswith("-proficient") for lv in levels) else ""
        )
        described.append(
            ResultDescriptionSpec(
                id=cid, name=criterion.name, levels=levels, required_level=required
            )
        )
    return tuple(described)


def _results(earned: EarnedMicroCredential, base: str) -> tuple[ResultSpec, ...]:
    submission = earned.submission
    if submission is None:
        return ()
    assignment = (
        Assignment.objects.filter(
            submission=submission,
            attempt=submission.attempt,
            status=Assignment.Status.COMPLETED,
            outcome=Assignment.Outcome.EARNED,
        )
        .order_by("-completed_at", "-id")
        .first()
    )
    if assignment is None:
        return ()
    scores = CriterionScore.objects.filter(assignment=assignment).select_related("criterion")
    return tuple(
        ResultSpec(
            result_description=_criterion_id(base, score.criterion),
            achieved_level=f"{_criterion_id(base, score.criterion)}-{score.level}",
        )
        for score in scores.order_by("criterion__part__position", "criterion__position")
    )


def _hours(value: Any) -> float | None:
    return float(value) if value is not None and value > 0 else None


def achievement_for(version: DefinitionVersion) -> AchievementSpec:
    criteria = list(
        RubricCriterion.objects.filter(part__version=version).order_by("part__position", "position")
    )
    base = achievement_url(version)
    image = _site(version.image.url) if version.image else ""
    return AchievementSpec(
        id=base,
        name=version.title,
        description=(version.summary or version.key_method).strip(),
        criteria_narrative=_criteria(version, criteria),
        achievement_type="MicroCredential",
        image_url=image if image.startswith(("http://", "https://")) else "",
        alignments=_alignments(version),
        result_descriptions=_result_descriptions(base, criteria),
        version=str(version.number),
        credit_hours=_hours(version.estimated_hours),
    )


def capstone_achievement(stack: Stack) -> AchievementSpec:
    titles = []
    for member in stack.members.all():
        current = member.versions.order_by("-number").first()
        titles.append(current.title if current else member.slug)
    narrative = f"Earn {stack.required_count} of these micro-credentials: " + "; ".join(
        sorted(titles)
    )
    return AchievementSpec(
        id=_site(reverse("microcredentials:stacks")) + f"#stack-{stack.public_id}",
        name=stack.capstone_title,
        description=(stack.description or f"Capstone of the stack “{stack.title}”.").strip(),
        criteria_narrative=narrative,
        achievement_type="Badge",
    )


def issue_for(earned: EarnedMicroCredential, *, actor: Any = None) -> IssuedCredential | None:
    """Issue the credential of an award; None when the district does not issue this kind. Any
    failure is logged and audited (credential.issue_failed) and the award stands."""
    kind = SourceKind.MICRO_CREDENTIAL if earned.stack_id is None else SourceKind.CAPSTONE
    try:
        with transaction.atomic():  # a failure here never undoes the award around it
            return _issue_for(earned, kind, actor)
    except DomainError as error:
        message = error.message
        log.warning("Credential for award %s not issued: %s", earned.public_id, message)
    except Exception as error:  # the award must stand whatever went wrong
        message = f"Unexpected error ({type(error).__name__})"
        log.exception("Credential for award %s not issued", earned.public_id)
    record_issue_failure(
        district=earned.district,
        recipient=earned.educator,
        source_kind=kind,
        source_key=str(earned.public_id),
        error=message,
        actor=actor,
    )
    return None


def _issue_for(earned: EarnedMicroCredential, kind: str, actor: Any) -> IssuedCredential | None:
    if earned.stack_id is None:
        version = earned.version
        if version is None:
            return None
        achievement = achievement_for(version)
        base = achievement.id
        results = _results(earned, base)
        hours = _hours(version.estimated_hours)
    else:
        if not keys.ensure_issuer(earned.district).issue_for_capstones:
            return None
        achievement, results, hours = capstone_achievement(earned.stack), (), None
    return issue_credential(
        district=earned.district,
        recipient=earned.educator,
        source_kind=kind,
        source_key=str(earned.public_id),
        achievement=achievement,
        actor=actor,
        now=earned.earned_at,
        results=results,
        credit_hours=hours,
        notify=False,  # the award's own e-mail tells the educator
    )


def _earned(district: Any, source_key: str, *, capstone: bool) -> EarnedMicroCredential | None:
    return (
        EarnedMicroCredential.objects.filter(
            district=district, public_id=source_key, stack__isnull=not capstone
        )
        .select_related("educator", "version__micro_credential", "stack", "district", "submission")
        .first()
    )


def _reissue(district: Any, source_key: str, actor: Any, *, capstone: bool):
    try:
        uuid.UUID(source_key)
    except ValueError:
        return None
    earned = _earned(district, source_key, capstone=capstone)
    if earned is None:
        return None
    kind = SourceKind.CAPSTONE if capstone else SourceKind.MICRO_CREDENTIAL
    achievement = (
        capstone_achievement(earned.stack) if capstone else achievement_for(earned.version)
    )
    return issue_credential(
        district=district,
        recipient=earned.educator,
        source_kind=kind,
        source_key=source_key,
        achievement=achievement,
        actor=actor,
        results=() if capstone else _results(earned, achievement.id),
        credit_hours=None if capstone else _hours(earned.version.estimated_hours),
    )


def reissue(*, district: Any, source_key: str, actor: Any = None):
    """Retry a micro-credential's credential (settings.CREDENTIAL_REISSUERS)."""
    return _reissue(district, source_key, actor, capstone=False)


def reissue_capstone(*, district: Any, source_key: str, actor: Any = None):
    return _reissue(district, source_key, actor, capstone=True)
