"""Demo micro-credential history: assessors with qualifications, and submissions in every state
(draft, submitted, in assessment, not yet, appealed, earned after a resubmission, withdrawn),
double-scored ones included so the calibration report has figures.

Everything goes through the earning, assignment and scoring services, so the demo's events,
credit and capstones are the product's own. Idempotent: a district with submissions is skipped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from fpdf import FPDF

from trellis.core.email import email_suppressed
from trellis.districts.models import District, Membership, Role
from trellis.districts.queries import access_for
from trellis.microcredentials.models import (
    Assignment,
    MicroCredential,
    RequirementPart,
    Submission,
    SubmissionStatus,
)
from trellis.microcredentials.queries.submissions import revisable_part_ids
from trellis.microcredentials.services import appeals, scoring, settings, submissions
from trellis.microcredentials.services.artifacts import add_artifact

ASSESSORS = 3  # enough for a second scorer and, on disagreement, a third
# What each educator in the history does, in turn (the demo cast first).
DOUBLE_SCORE_PERCENT = 20  # the demo district's setting once the history is written
DISAGREEMENT = 6  # in this plan step the second scorer disagrees, so a third decides
PLAN = (
    "earned",
    "draft",
    "not_yet",
    "earned_after_resubmission",
    "in_assessment",
    "appealed",
    "earned",
    "withdrawn",
    "earned",
    "not_yet",
)
ANSWER = (
    "In my sixth-grade math class I planned the method into a two-week unit on ratios. "
    "I kept notes after each lesson on what students said and did, and I changed the next "
    "lesson from what I saw. The evidence attached shows the plan and samples of student work."
)
FEEDBACK_MET = "The evidence shows this clearly; the student work samples make the case."
FEEDBACK_NOT_YET = (
    "Not yet: show how you changed the lesson in response to what students did — for example "
    "two exit tickets before and after, with a sentence on what you adjusted."
)


PLAIN = str.maketrans({"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"'})


def _pdf(title: str) -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=14)
    # The core fonts are Latin-1: typographic dashes and quotes in demo titles become plain ones.
    document.cell(0, 10, title.translate(PLAIN))
    document.ln(12)
    document.set_font("Helvetica", size=11)
    document.multi_cell(0, 6, ANSWER)
    return bytes(document.output())


def seed_submissions(district: District) -> bool:
    if Submission.objects.filter(district=district).exists():
        return False
    with email_suppressed(), transaction.atomic():
        _seed(district)
        _date_back(district)
    return True


# Days each submission (in start order) waited for its first decision, so the reports' "time to
# assessment" shows a realistic spread (one past the two-week target) instead of the zero the
# services give when the whole history is written in the same second.
WAITS = (4, 9, 6, 11, 3, 16, 8, 5, 12, 7)
WORKED_DAYS = 21  # how long before submitting each educator started


def _date_back(district: District) -> None:
    """Move the history's start and submission times back; decisions stay at their real time.
    Demo data only: the audit trail keeps the true times at which the seed wrote it."""
    found = Submission.objects.filter(district=district).order_by("created_at", "pk")
    for index, submission in enumerate(found):
        wait = dt.timedelta(days=WAITS[index % len(WAITS)])
        changes: dict[str, Any] = {
            "created_at": submission.created_at - wait - dt.timedelta(days=WORKED_DAYS)
        }
        if submission.submitted_at is not None:
            changes["submitted_at"] = submission.submitted_at - wait
        Submission.objects.filter(pk=submission.pk).update(**changes)


def _seed(district: District) -> None:
    admin_membership = (
        Membership.objects.filter(district=district, role=Role.DISTRICT_ADMIN, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if admin_membership is None:
        return
    leader = admin_membership.user
    admin = access_for(leader, district)
    assessors = _assessors(district, admin, leader)
    if not assessors:
        return
    # While the history is written every submission is double-scored, so calibration has pairs
    # to compare whatever the submissions' ids; the district's own setting is restored after.
    settings.update_settings(access=admin, actor=leader, double_score_percent=100)
    credentials = list(
        MicroCredential.objects.filter(district=district, status="published").order_by("slug")
    )
    assessor_ids = {a.pk for a in assessors}
    educators = [
        m.user
        for m in Membership.objects.filter(district=district, role=Role.EDUCATOR, is_active=True)
        .select_related("user")
        .order_by("pk")
        if m.user_id not in assessor_ids and m.user_id != leader.pk
    ][: len(PLAN)]
    for index, (educator, outcome) in enumerate(zip(educators, PLAN, strict=False)):
        credential = credentials[index % len(credentials)]
        _live(district, educator, credential, outcome, disagree=index == DISAGREEMENT)
    settings.update_settings(access=admin, actor=leader, double_score_percent=DOUBLE_SCORE_PERCENT)


def _assessors(district: District, admin: Any, leader: Any) -> list[Any]:
    current = list(
        Membership.objects.filter(district=district, role=Role.ASSESSOR, is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    if len(current) < ASSESSORS:
        taken = {m.user_id for m in current}
        veterans = (
            Membership.objects.filter(district=district, role=Role.EDUCATOR, is_active=True)
            .exclude(user_id__in=taken)
            .filter(user__educator_profiles__years_experience__gte=10)
            .select_related("user", "school")
            .order_by("-pk")[: ASSESSORS - len(current)]
        )
        for membership in veterans:
            current.append(
                Membership.objects.create(
                    district=district,
                    user=membership.user,
                    role=Role.ASSESSOR,
                    school=membership.school,
                )
            )
    for membership in current:
        settings.add_qualification(
            access=admin,
            actor=leader,
            assessor=membership.user,
            competency=None,
            note="Completed the district's assessor training and calibration.",
        )
    return [m.user for m in current]


def _live(
    district: District,
    educator: Any,
    credential: MicroCredential,
    outcome: str,
    *,
    disagree: bool = False,
) -> None:
    access = access_for(educator, district)
    submission = submissions.start_submission(
        access=access, actor=educator, micro_credential=credential
    )
    parts = list(RequirementPart.objects.filter(version=submission.version).order_by("position"))
    if outcome == "draft":
        _answer(access, educator, submission, parts[:1])
        return
    _complete(access, educator, submission, parts)
    if outcome == "withdrawn":
        submissions.withdraw_submission(access=access, actor=educator, submission=submission)
        return
    submissions.submit(access=access, actor=educator, submission=submission)
    if outcome == "in_assessment":
        return
    met = outcome == "earned"
    _score_open(district, submission, met=met, disagree=disagree)
    submission.refresh_from_db()
    if outcome == "appealed" and submission.status == SubmissionStatus.NOT_YET:
        appeals.appeal(
            access=access,
            actor=educator,
            submission=submission,
            reason="I think part 2 shows the adjustment: see the second exit ticket.",
        )
    elif outcome == "earned_after_resubmission" and submission.status == SubmissionStatus.NOT_YET:
        revisable = revisable_part_ids(submission) or set()
        _answer(access, educator, submission, [p for p in parts if p.pk in revisable], revised=True)
        submission.refresh_from_db()
        submissions.submit(access=access, actor=educator, submission=submission)
        _score_open(district, submission, met=True)


def _answer(access, educator, submission, parts, *, revised: bool = False) -> None:
    text = ANSWER + (" Revised: I added two exit tickets and what I changed." if revised else "")
    answers = {
        str(part.public_id): text for part in parts if part.kind != RequirementPart.Kind.ARTIFACT
    }
    if answers:
        submissions.save_answers(
            access=access, actor=educator, submission=submission, answers=answers, explicit=True
        )


def _complete(access, educator, submission, parts) -> None:
    _answer(access, educator, submission, parts)
    for part in parts:
        if part.kind != RequirementPart.Kind.ARTIFACT:
            continue
        if "document" in part.accepted_types:
            evidence: dict[str, Any] = {
                "upload": SimpleUploadedFile(
                    "lesson-plan.pdf", _pdf(f"Lesson plan: {part.title}"), "application/pdf"
                ),
                "description": "Lesson plan with my notes",
            }
        else:  # video of teaching and the like: a link to the school's video platform
            evidence = {
                "url": f"https://video.example.org/classroom/{submission.public_id}",
                "description": "Recording of the lesson (school video platform, staff only)",
            }
        add_artifact(access=access, actor=educator, submission=submission, part=part, **evidence)
    submissions.set_privacy(access=access, actor=educator, submission=submission, confirmed=True)


def _score_open(
    district: District, submission: Submission, *, met: bool, disagree: bool = False
) -> None:
    """Every open assignment of the submission is scored; with `disagree` the second scorer
    differs, which brings in a third (so the calibration report has a disagreement too)."""
    for _round in range(3):
        open_assignments = list(
            Assignment.objects.filter(
                submission=submission, status=Assignment.Status.ASSIGNED
            ).select_related("assessor")
        )
        if not open_assignments:
            return
        for assignment in open_assignments:
            differs = disagree and assignment.role == Assignment.Role.SECOND
            _score(district, assignment, met=not met if differs else met)


def _score(district: District, assignment: Assignment, *, met: bool) -> None:
    criteria = scoring.version_criteria(assignment.submission.version_id)
    scores = {}
    for index, criterion in enumerate(criteria):
        keys = [level["key"] for level in criterion.levels]
        passing = met or index > 0  # "not yet" on the first criterion only
        level = "proficient" if passing else keys[0]
        scores[str(criterion.public_id)] = (level, FEEDBACK_MET if passing else FEEDBACK_NOT_YET)
    scoring.score(
        access=access_for(assignment.assessor, district),
        actor=assignment.assessor,
        assignment=assignment,
        scores=scores,
        feedback="Thank you for the careful evidence." if met else FEEDBACK_NOT_YET,
    )
