"""Reads for earning: an educator's submissions, the workspace, what is still missing before
submitting, the parts a "not yet" resubmission may change, and who may open an evidence file.
Always scoped to the caller's district; missing and forbidden are both 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from trellis.catalog.models import Enrollment, EnrollmentStatus
from trellis.core.ids import public_id_or_404
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess
from trellis.microcredentials.models import (
    OPEN_STATUSES,
    Answer,
    AnswerRevision,
    Artifact,
    AssessmentSettings,
    Assignment,
    CriterionScore,
    DefinitionVersion,
    EarnedMicroCredential,
    MicroCredential,
    RequirementPart,
    RubricCriterion,
    Submission,
    SubmissionStatus,
)

TEXT_KINDS = (RequirementPart.Kind.OVERVIEW, RequirementPart.Kind.REFLECTION)
EDITABLE = (SubmissionStatus.DRAFT, SubmissionStatus.NOT_YET)


def latest_published_version(micro_credential: MicroCredential) -> DefinitionVersion | None:
    return (
        micro_credential.versions.filter(status=DefinitionVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )


def get_published_micro_credential(access: DistrictAccess, public_id: Any) -> MicroCredential:
    uuid = public_id_or_404(public_id, "micro-credential")
    found = MicroCredential.objects.filter(
        district=access.district, public_id=uuid, status=MicroCredential.Status.PUBLISHED
    ).first()
    if found is None:
        raise Http404("No such micro-credential.")
    return found


def _submissions(access: DistrictAccess) -> QuerySet[Submission]:
    return Submission.objects.filter(district=access.district).select_related(
        "version", "version__micro_credential", "educator"
    )


def get_own_submission(access: DistrictAccess, user: Any, public_id: Any) -> Submission:
    uuid = public_id_or_404(public_id, "submission")
    found = _submissions(access).filter(public_id=uuid, educator=user).first()
    if found is None:
        raise Http404("No such submission.")
    return found


def open_submission(user: Any, micro_credential: MicroCredential) -> Submission | None:
    return (
        Submission.objects.filter(
            educator=user,
            version__micro_credential=micro_credential,
            status__in=OPEN_STATUSES,
        )
        .select_related("version")
        .first()
    )


def has_earned(user: Any, micro_credential: MicroCredential) -> bool:
    return EarnedMicroCredential.objects.filter(
        educator=user, micro_credential=micro_credential, stack__isnull=True
    ).exists()


def missing_prerequisites(user: Any, version: DefinitionVersion) -> list[str]:
    """Titles of the prerequisite micro-credentials the educator has not earned yet."""
    required = list(version.prerequisites.all())
    if not required:
        return []
    earned = set(
        EarnedMicroCredential.objects.filter(
            educator=user, micro_credential__in=required, stack__isnull=True
        ).values_list("micro_credential_id", flat=True)
    )
    missing = [mc for mc in required if mc.pk not in earned]
    return [title_of(mc) for mc in missing]


def title_of(micro_credential: MicroCredential) -> str:
    version = latest_published_version(micro_credential)
    return version.title if version else micro_credential.slug


def assessment_settings(district: Any) -> AssessmentSettings:
    """The district's assessment settings (`district`: a District or its pk), created with the
    defaults when missing."""
    district_id = getattr(district, "pk", district)
    found, _created = AssessmentSettings.objects.get_or_create(district_id=district_id)
    return found


def expected_by(submission: Submission, turnaround_days: int) -> dt.datetime | None:
    if submission.submitted_at is None or submission.status not in (
        SubmissionStatus.SUBMITTED,
        SubmissionStatus.IN_ASSESSMENT,
        SubmissionStatus.APPEALED,
    ):
        return None
    return submission.submitted_at + dt.timedelta(days=turnaround_days)


# ---- resubmission -------------------------------------------------------------------------


def decisive_assignment(submission: Submission) -> Assignment | None:
    """The latest completed primary scoring of this submission (the one a "not yet" came from)."""
    return (
        Assignment.objects.filter(
            submission=submission,
            role=Assignment.Role.PRIMARY,
            status=Assignment.Status.COMPLETED,
        )
        .order_by("-attempt", "-completed_at", "-id")
        .first()
    )


def revisable_part_ids(submission: Submission) -> set[int] | None:
    """Parts a "not yet" resubmission may change: those with a criterion scored below
    proficient. None means every part (a draft, or no scoring found to narrow it)."""
    if submission.status != SubmissionStatus.NOT_YET:
        return None
    assignment = decisive_assignment(submission)
    if assignment is None:
        return None
    return set(
        CriterionScore.objects.filter(assignment=assignment, meets=False).values_list(
            "criterion__part_id", flat=True
        )
    )


def part_is_editable(submission: Submission, part: RequirementPart, revisable: set[int] | None):
    if submission.status not in EDITABLE:
        return False
    return revisable is None or part.pk in revisable


# ---- the workspace ------------------------------------------------------------------------


@dataclass
class PartView:
    part: RequirementPart
    criteria: list[RubricCriterion]
    answer: Answer | None
    artifacts: list[Artifact]
    editable: bool
    to_revise: bool
    scores: list[CriterionScore] = field(default_factory=list)
    # Set by the page: the text to show (what was posted, when a save failed) and errors.
    text: str = ""
    error: str = ""
    upload_error: str = ""

    @property
    def is_text(self) -> bool:
        return self.part.kind in TEXT_KINDS

    @property
    def word_count(self) -> int:
        return len(self.answer.text.split()) if self.answer else 0

    @property
    def files_left(self) -> int:
        return max(self.part.max_files - len(self.artifacts), 0)


def parts_of(version: DefinitionVersion) -> list[RequirementPart]:
    return list(
        version.parts.order_by("position").prefetch_related(
            Prefetch("criteria", queryset=RubricCriterion.objects.order_by("position"))
        )
    )


def checklist(
    submission: Submission,
    parts: list[RequirementPart],
    answers: dict[int, Answer],
    artifacts: dict[int, list[Artifact]],
) -> list[str]:
    """What is still missing before the submission can be submitted (empty: ready)."""
    missing = []
    for part in parts:
        if not part.required:
            continue
        if part.kind in TEXT_KINDS:
            answer = answers.get(part.pk)
            if answer is None or not answer.text.strip():
                missing.append(f"Answer “{part.title}”.")
        elif not artifacts.get(part.pk):
            missing.append(f"Add at least one artifact to “{part.title}”.")
    if not submission.privacy_confirmed:
        missing.append("Confirm that your evidence protects student privacy.")
    return missing


def checklist_for(submission: Submission) -> list[str]:
    parts = list(submission.version.parts.order_by("position"))
    answers = {a.part_id: a for a in submission.answers.all()}
    artifacts: dict[int, list[Artifact]] = {}
    for artifact in submission.artifacts.all():
        artifacts.setdefault(artifact.part_id, []).append(artifact)
    return checklist(submission, parts, answers, artifacts)


@dataclass
class Workspace:
    submission: Submission
    parts: list[PartView]
    missing: list[str]
    decision: Assignment | None
    expected_by: dt.datetime | None
    turnaround_days: int

    @property
    def editable(self) -> bool:
        return any(p.editable for p in self.parts)

    @property
    def can_submit(self) -> bool:
        return self.submission.status in EDITABLE


def workspace(submission: Submission) -> Workspace:
    parts = parts_of(submission.version)
    answers = {a.part_id: a for a in submission.answers.all()}
    artifacts: dict[int, list[Artifact]] = {}
    for artifact in submission.artifacts.order_by("created_at", "id"):
        artifacts.setdefault(artifact.part_id, []).append(artifact)
    revisable = revisable_part_ids(submission)
    decision = None
    scores: dict[int, list[CriterionScore]] = {}
    if submission.status in (SubmissionStatus.NOT_YET, SubmissionStatus.EARNED):
        decision = decisive_assignment(submission)
        if decision is not None:
            for score in decision.scores.select_related("criterion"):
                scores.setdefault(score.criterion.part_id, []).append(score)
    views = [
        PartView(
            part=part,
            criteria=list(part.criteria.all()),
            answer=answers.get(part.pk),
            artifacts=artifacts.get(part.pk, []),
            editable=part_is_editable(submission, part, revisable),
            to_revise=revisable is not None and part.pk in revisable,
            scores=scores.get(part.pk, []),
            text=answers[part.pk].text if part.pk in answers else "",
        )
        for part in parts
    ]
    days = assessment_settings(submission.district_id).turnaround_days
    return Workspace(
        submission=submission,
        parts=views,
        missing=checklist(submission, parts, answers, artifacts),
        decision=decision,
        expected_by=expected_by(submission, days),
        turnaround_days=days,
    )


def get_part(submission: Submission, public_id: Any) -> RequirementPart:
    uuid = public_id_or_404(public_id, "part")
    found = RequirementPart.objects.filter(version=submission.version_id, public_id=uuid).first()
    if found is None:
        raise Http404("No such part in this micro-credential.")
    return found


def answer_history(submission: Submission, part: RequirementPart) -> QuerySet[AnswerRevision]:
    return AnswerRevision.objects.filter(answer__submission=submission, answer__part=part).order_by(
        "-revision"
    )


def get_own_artifact(submission: Submission, public_id: Any) -> Artifact:
    uuid = public_id_or_404(public_id, "artifact")
    found = submission.artifacts.filter(public_id=uuid).select_related("part").first()
    if found is None:
        raise Http404("No such artifact.")
    return found


def completed_enrollments(access: DistrictAccess, user: Any) -> QuerySet[Enrollment]:
    """The educator's completed catalog enrolments, offered as evidence."""
    return (
        Enrollment.objects.filter(
            district=access.district, educator=user, status=EnrollmentStatus.COMPLETED
        )
        .select_related("offering")
        .order_by("-completed_at", "-id")
    )


def get_completed_enrollment(access: DistrictAccess, user: Any, public_id: Any) -> Enrollment:
    uuid = public_id_or_404(public_id, "enrolment")
    found = completed_enrollments(access, user).filter(public_id=uuid).first()
    if found is None:
        raise Http404("No such completed enrolment of yours.")
    return found


# ---- evidence files -----------------------------------------------------------------------


def get_evidence(access: DistrictAccess, user: Any, public_id: Any) -> Artifact:
    """An uploaded artifact the caller may open: its educator, the district's micro-credential
    admins, and assessors assigned to its submission. Anyone else gets 404 (its existence is
    not revealed), and so does every other district."""
    uuid = public_id_or_404(public_id, "file")
    artifact = (
        Artifact.objects.filter(public_id=uuid, submission__district=access.district)
        .exclude(file="")
        .select_related("submission")
        .first()
    )
    if artifact is None:
        raise Http404("No such file.")
    submission = artifact.submission
    if submission.educator_id == user.pk or access.can(Perm.MANAGE_MICRO_CREDENTIALS):
        return artifact
    assigned = (
        Assignment.objects.filter(submission=submission, assessor=user)
        .exclude(status=Assignment.Status.REASSIGNED)
        .exists()
    )
    if not assigned:
        raise Http404("No such file.")
    return artifact


# ---- the start panel and "my micro-credentials" --------------------------------------------


@dataclass
class StartPanel:
    state: str  # start, continue, open, earned, blocked, unavailable
    micro_credential: MicroCredential
    version: DefinitionVersion | None
    submission: Submission | None = None
    missing_prerequisites: list[str] = field(default_factory=list)
    earned: EarnedMicroCredential | None = None


def start_panel(access: DistrictAccess, user: Any, micro_credential: MicroCredential) -> StartPanel:
    """What the definition page offers this educator: start, continue the draft, the status of
    the open submission, that it is earned, or what blocks starting."""
    version = latest_published_version(micro_credential)
    panel = StartPanel(state="start", micro_credential=micro_credential, version=version)
    earned = EarnedMicroCredential.objects.filter(
        educator=user, micro_credential=micro_credential, stack__isnull=True
    ).first()
    if earned is not None:
        panel.state, panel.earned = "earned", earned
        return panel
    submission = open_submission(user, micro_credential)
    if submission is not None:
        panel.submission = submission
        panel.state = "continue" if submission.status in EDITABLE else "open"
        return panel
    if (
        version is None
        or micro_credential.status != MicroCredential.Status.PUBLISHED
        or micro_credential.district_id != access.district.pk
        or not access.can(Perm.VIEW_OWN_LEARNING)
    ):
        panel.state = "unavailable"
        return panel
    panel.missing_prerequisites = missing_prerequisites(user, version)
    if panel.missing_prerequisites:
        panel.state = "blocked"
    return panel


def my_submissions(access: DistrictAccess, user: Any) -> QuerySet[Submission]:
    return (
        _submissions(access)
        .filter(educator=user)
        .exclude(status=SubmissionStatus.WITHDRAWN)
        .order_by("-updated_at", "-id")
    )


def credentials_of_awards(
    access: DistrictAccess, user: Any, awards: list[EarnedMicroCredential]
) -> dict[str, Any]:
    """The credential issued for each award, keyed by the award's public id (one query)."""
    from trellis.credentials.models import IssuedCredential, SourceKind

    keys = [str(award.public_id) for award in awards]
    if not keys:
        return {}
    issued = IssuedCredential.objects.filter(
        district=access.district,
        recipient=user,
        source_kind__in=[SourceKind.MICRO_CREDENTIAL, SourceKind.CAPSTONE],
        source_key__in=keys,
    ).only("public_id", "source_key", "status")
    return {credential.source_key: credential for credential in issued}


def my_earned(access: DistrictAccess, user: Any) -> QuerySet[EarnedMicroCredential]:
    return (
        EarnedMicroCredential.objects.filter(district=access.district, educator=user)
        .select_related("version", "stack", "micro_credential")
        .order_by("-earned_at", "-id")
    )
