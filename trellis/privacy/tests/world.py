"""A world for the erasure tests: one row of every erased and every kept kind for alice and
carol (district A) and bob (district B), so a test can prove what goes, what stays and that
nobody else is touched."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from trellis.accounts.models import ApiToken
from trellis.audit import services as audit
from trellis.catalog.models import AttendanceRecord, SurveyResponse
from trellis.catalog.tests.factories import (
    EnrollmentFactory,
    OfferingFactory,
    OfferingSessionFactory,
)
from trellis.credentials.models import ImportedBadge
from trellis.credentials.tests.portability_helpers import issue
from trellis.credit.models import ImportedCreditDecline
from trellis.credit.tests.factories import CreditAwardFactory, LicenseFactory
from trellis.growth.models import EducatorProfile, GoalComment, GoalReflection
from trellis.growth.tests.factories import (
    CoachingAssignmentFactory,
    GoalFactory,
    ObservationFactory,
    PlanItemFactory,
    build_framework,
    submitted_snapshot,
)
from trellis.informal.models import InformalEntry, XapiIntegration, XapiStatement
from trellis.microcredentials.models import (
    Answer,
    AnswerRevision,
    Artifact,
    Assignment,
    CriterionScore,
    EarnedMicroCredential,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    UploadSession,
)
from trellis.microcredentials.services.uploads import partial_dir
from trellis.microcredentials.tests.factories import published_definition
from trellis.notifications.models import (
    DigestSent,
    Notification,
    NotificationPreference,
    ReminderSent,
)
from trellis.recommend.models import (
    CoachSuggestion,
    RecommendationFeedback,
    RecommendationSnapshot,
)
from trellis.voice.models import TopicRequest, TopicVote, VolunteerOffer


@dataclass
class Rows:
    """One person's rows: kind → objects (`erased`), label → objects (`kept`)."""

    erased: dict[str, list[Any]] = field(default_factory=dict)
    kept: dict[str, list[Any]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # stored artifact names
    partial: list[Any] = field(default_factory=list)  # partial upload paths

    def add(self, kind: str, *objects: Any) -> None:
        self.erased.setdefault(kind, []).extend(objects)

    def keep(self, label: str, *objects: Any) -> None:
        self.kept.setdefault(label, []).extend(objects)


def _artifact(submission: Submission, part: Any, rows: Rows) -> Artifact:
    artifact = Artifact(submission=submission, part=part, kind=Artifact.Kind.DOCUMENT)
    artifact.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(b"%PDF-1.4 student work"), save=False)
    artifact.save()
    rows.files.append(artifact.file.name)
    return artifact


def _assignment(submission: Submission, assessor: Any, criterion: Any) -> tuple[Any, Any]:
    now = timezone.now()
    assignment = Assignment.objects.create(
        submission=submission, assessor=assessor, assigned_at=now, due_at=now + dt.timedelta(7)
    )
    score = CriterionScore.objects.create(
        assignment=assignment, criterion=criterion, level="proficient", meets=True
    )
    return assignment, score


def _person(
    district: Any, person: Any, *, framework: Any, coach: Any, assessor: Any, colleague: Any
) -> Rows:
    """Every kind of row for `person` in `district`; `colleague` upvotes their request."""
    rows = Rows()
    now = timezone.now()
    competency = framework.competencies[0]
    offering = OfferingFactory(district=district)
    session = OfferingSessionFactory(offering=offering)

    # growth
    rows.add("growth.profiles", EducatorProfile.objects.get(district=district, user=person))
    assessment = submitted_snapshot(person, district, framework.framework, {competency: 2})
    rows.add("growth.self_assessments", assessment)
    rows.add("growth.self_ratings", *assessment.ratings.all())
    rows.add(
        "growth.observation_ratings",
        ObservationFactory(district=district, educator=person, item=competency),
    )
    goal = GoalFactory(district=district, educator=person)
    rows.add("growth.goals", goal)
    rows.add(
        "growth.goal_reflections",
        GoalReflection.objects.create(
            goal=goal, author=person, body="Going well.", written_on=now.date()
        ),
    )
    rows.add(
        "growth.goal_comments", GoalComment.objects.create(goal=goal, author=coach, body="Nice.")
    )
    rows.add("growth.plan_items", PlanItemFactory(district=district, educator=person, goal=goal))
    rows.add(
        "growth.coaching_assignments",
        CoachingAssignmentFactory(district=district, coach=coach, educator=person),
    )

    # micro-credentials: an attempt that did not earn, and an earned one
    attempt_version = published_definition(district, title=f"Attempt {person.pk}")
    parts = list(attempt_version.parts.order_by("position"))
    attempt = Submission.objects.create(district=district, educator=person, version=attempt_version)
    rows.add("microcredentials.submissions", attempt)
    answer = Answer.objects.create(submission=attempt, part=parts[0], text="My lesson plan.")
    rows.add("microcredentials.answers", answer)
    rows.add(
        "microcredentials.answer_revisions",
        AnswerRevision.objects.create(answer=answer, revision=1, saved_at=now),
    )
    rows.add("microcredentials.artifacts", _artifact(attempt, parts[1], rows))
    rows.add(
        "microcredentials.submission_events",
        SubmissionEvent.objects.create(submission=attempt, action="submitted", at=now),
    )
    assignment, score = _assignment(attempt, assessor, parts[0].criteria.first())
    rows.add("microcredentials.assignments", assignment)
    rows.add("microcredentials.criterion_scores", score)
    upload = UploadSession.objects.create(
        submission=attempt,
        part=parts[1],
        uploader=person,
        filename="class-video.mp4",
        size=10,
        temp_name=uuid.uuid4().hex,
        expires_at=now + dt.timedelta(hours=24),
    )
    path = partial_dir() / upload.temp_name
    path.write_bytes(b"01234")
    rows.partial.append(path)
    rows.add("microcredentials.upload_sessions", upload)

    earned_version = published_definition(district, title=f"Earned {person.pk}")
    earned_parts = list(earned_version.parts.order_by("position"))
    earned_submission = Submission.objects.create(
        district=district,
        educator=person,
        version=earned_version,
        status=SubmissionStatus.EARNED,
        earned_at=now,
    )
    rows.add("microcredentials.artifacts", _artifact(earned_submission, earned_parts[1], rows))
    earned_assignment, earned_score = _assignment(
        earned_submission, assessor, earned_parts[0].criteria.first()
    )
    earned = EarnedMicroCredential.objects.create(
        district=district,
        educator=person,
        micro_credential=earned_version.micro_credential,
        version=earned_version,
        submission=earned_submission,
        earned_at=now,
    )
    rows.keep("Earned micro-credentials", earned)
    rows.keep("earned record", earned_submission, earned_assignment, earned_score)

    # informal
    integration = XapiIntegration.objects.create(
        district=district, name=f"LMS {person.pk}", username=f"lms-{person.pk}", secret_hash="x"
    )
    statement = XapiStatement.objects.create(
        district=district,
        integration=integration,
        educator=person,
        statement_id=uuid.uuid4(),
        received={},
        statement={},
        verb_id="http://adlnet.gov/expapi/verbs/completed",
        stored_at=now,
    )
    rows.add("informal.xapi_statements", statement)
    rows.add(
        "informal.entries",
        InformalEntry.objects.create(
            district=district,
            educator=person,
            title="A podcast on feedback",
            minutes=30,
            format="podcast",
            learned_on=now.date(),
            statement=statement,
        ),
    )

    # voice: a request a colleague backs, one nobody else does, an upvote, an offer
    backed = TopicRequest.objects.create(
        district=district, requester=person, title="Backed", details="…"
    )
    TopicVote.objects.create(request=backed, voter=colleague)
    rows.add("voice.requests_unattributed", backed)
    rows.add(
        "voice.requests",
        TopicRequest.objects.create(
            district=district, requester=person, title="Alone", details="…"
        ),
    )
    theirs = TopicRequest.objects.create(
        district=district, requester=colleague, title=f"Asked by {colleague.pk}", details="…"
    )
    rows.add("voice.votes", TopicVote.objects.create(request=theirs, voter=person))
    rows.add(
        "voice.volunteer_offers",
        VolunteerOffer.objects.create(district=district, volunteer=person, kind="mentor"),
    )

    # recommendations
    rows.add(
        "recommend.feedback",
        RecommendationFeedback.objects.create(
            district=district, educator=person, offering=offering, action="save"
        ),
    )
    rows.add(
        "recommend.coach_suggestions",
        CoachSuggestion.objects.create(
            district=district, coach=coach, educator=person, offering=offering
        ),
    )
    rows.add(
        "recommend.snapshots",
        RecommendationSnapshot.objects.create(
            district=district,
            educator=person,
            offering=offering,
            stage="novice",
            rank=1,
            slot="need",
            score=0.5,
            mode="model",
            computed_at=now,
        ),
    )

    # notifications
    rows.add(
        "notifications.notifications",
        Notification.objects.create(recipient=person, district=district, subject="Hello"),
    )
    rows.add(
        "notifications.preferences",
        NotificationPreference.objects.create(
            user=person, district=district, kind="decision", channel="in_app_only"
        ),
    )
    rows.add(
        "notifications.reminders_sent",
        ReminderSent.objects.create(recipient=person, key=f"session:{uuid.uuid4()}"),
    )
    rows.add(
        "notifications.digests_sent",
        DigestSent.objects.create(recipient=person, week=dt.date(2026, 11, 30)),
    )

    # catalog: the enrolment and attendance stay, the survey response goes
    enrollment = EnrollmentFactory(offering=offering, educator=person, session=session)
    rows.keep("Enrolments", enrollment)
    rows.keep(
        "Attendance records",
        AttendanceRecord.objects.create(
            enrollment=enrollment, session=session, status="present", method="roster"
        ),
    )
    rows.add(
        "catalog.survey_responses",
        SurveyResponse.objects.create(
            enrollment=enrollment, phase="after", answers={"useful": 5}, submitted_at=now
        ),
    )

    # credentials and credit
    badge = ImportedBadge.objects.create(
        district=district,
        owner=person,
        format="ob3",
        document={},
        issuer_name="Elsewhere",
        achievement_name="Outside badge",
        verified_at=now,
        credential_id=f"urn:uuid:{uuid.uuid4()}",
    )
    rows.add("credentials.imported_badges", badge)
    rows.add(
        "credit.imported_credit_declines",
        ImportedCreditDecline.objects.create(district=district, badge=badge, reason="Unrelated"),
    )
    rows.keep("Issued credentials", issue(district, person, f"key-{person.pk}"))
    rows.keep(
        "Credit awards",
        CreditAwardFactory(district=district, educator=person, amount=Decimal(6)),
    )
    rows.keep("Licences", LicenseFactory(district=district, educator=person))
    rows.keep(
        "Audit log entries",
        audit.record(action="test.event", summary="Something", subject=person, district=district),
    )
    return rows


@dataclass
class World:
    alice: Rows
    carol: Rows
    bob: Rows
    alice_token: Any


def build(cast: Any) -> World:
    from trellis.accounts.services import create_api_token

    a, b = cast.district_a, cast.district_b
    in_a, in_b = build_framework(a), build_framework(b, title="Southport Framework")
    world = World(
        alice=_person(
            a, cast.alice, framework=in_a, coach=cast.carol, assessor=cast.ada, colleague=cast.carol
        ),
        carol=_person(
            a, cast.carol, framework=in_a, coach=cast.pat, assessor=cast.ada, colleague=cast.eve
        ),
        bob=_person(
            b, cast.bob, framework=in_b, coach=cast.bea, assessor=cast.bea, colleague=cast.bea
        ),
        alice_token=create_api_token(user=cast.alice, name="laptop")[0],
    )
    assert ApiToken.objects.get(pk=world.alice_token.pk).revoked_at is None
    return world
