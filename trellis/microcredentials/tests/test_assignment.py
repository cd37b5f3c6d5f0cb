"""Assigning submissions: qualifications, conflicts of interest, workload, double scoring,
nobody eligible, resubmissions, overdue and manual reassignment."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.growth.models import CoachingAssignment
from trellis.growth.tests.factories import build_framework
from trellis.microcredentials.models import Assignment, Submission, SubmissionStatus
from trellis.microcredentials.services import assignment as services
from trellis.microcredentials.services.assignment import assign_submission, double_scored
from trellis.microcredentials.tasks import reassign_overdue_assessments
from trellis.microcredentials.tests.assessment_helpers import (
    configure,
    make_assessor,
    submitted,
)
from trellis.microcredentials.tests.factories import published_definition

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def version(cast):
    return published_definition(cast.district_a)


def test_assigns_primary_with_due_date_event_and_status(cast, version):
    configure(cast.district_a, turnaround_days=10, double_score_percent=0)
    ada = make_assessor(cast.district_a, "Ann", school=cast.elementary_a)
    submission = submitted(version, cast.alice)
    primary = assign_submission(submission, now=NOW)
    assert primary.assessor == ada
    assert primary.role == Assignment.Role.PRIMARY
    assert primary.attempt == 1
    assert primary.due_at == NOW + dt.timedelta(days=10)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_ASSESSMENT
    events = list(submission.events.values_list("action", "data__role"))
    assert events == [("assigned", "primary")]


def test_conflicts_of_interest_self_same_school_and_own_coach(cast, version):
    configure(cast.district_a, double_score_percent=0)
    qualify_self = make_assessor(cast.district_a, "Self", school=None)
    same_school = make_assessor(cast.district_a, "Mia", school=cast.middle_a)
    coach = make_assessor(cast.district_a, "Cody", school=None)
    CoachingAssignment.objects.create(district=cast.district_a, coach=coach, educator=cast.alice)
    submission = submitted(version, qualify_self)  # the assessor submits their own work
    # Only the self-exclusion applies to the assessor's own submission.
    assert assign_submission(submission, now=NOW).assessor != qualify_self

    work = submitted(version, cast.alice)
    eligible = [u.pk for u in services.eligible_assessors(work)]
    assert same_school.pk not in eligible
    assert coach.pk not in eligible
    assert qualify_self.pk in eligible

    configure(cast.district_a, exclude_same_school=False, exclude_own_coach=False)
    eligible = [u.pk for u in services.eligible_assessors(work)]
    assert same_school.pk in eligible
    assert coach.pk in eligible


def test_needs_qualification_for_a_competency_of_the_version_or_any(cast, version):
    configure(cast.district_a, double_score_percent=0)
    framework = build_framework(cast.district_a)
    first, second = framework.competencies[0], framework.competencies[1]
    version.competencies.set([first])
    other = make_assessor(cast.district_a, "Otto", competency=second)
    right = make_assessor(cast.district_a, "Rita", competency=first)
    anyone = make_assessor(cast.district_a, "Andy", competency=None)
    unqualified = cast.ada  # holds the assessor role but no qualification
    eligible = {u.pk for u in services.eligible_assessors(submitted(version, cast.alice))}
    assert eligible == {right.pk, anyone.pk}
    assert other.pk not in eligible
    assert unqualified.pk not in eligible


def test_inactive_qualification_or_role_is_not_eligible(cast, version):
    person = make_assessor(cast.district_a, "Ina")
    person.assessor_qualifications.update(is_active=False)
    member = make_assessor(cast.district_a, "Gone")
    member.memberships.update(is_active=False)
    assert services.eligible_assessors(submitted(version, cast.alice)) == []


def test_lowest_open_workload_then_earliest_last_assignment_then_id(cast, version):
    configure(cast.district_a, double_score_percent=0)
    busy = make_assessor(cast.district_a, "Busy")
    free = make_assessor(cast.district_a, "Free")
    for _ in range(2):
        other = published_definition(cast.district_a)
        Assignment.objects.create(
            submission=submitted(other, cast.eve), assessor=busy, assigned_at=NOW, due_at=NOW
        )
    assert assign_submission(submitted(version, cast.alice), now=NOW).assessor == free
    # busy 2, free 1: free again.
    second = published_definition(cast.district_a)
    assert assign_submission(submitted(second, cast.alice), now=NOW).assessor == free
    # free 2, busy 2: tie broken by the earliest last assignment (busy's are as old) then id.
    third = published_definition(cast.district_a)
    chosen = assign_submission(submitted(third, cast.alice), now=NOW + dt.timedelta(hours=1))
    assert chosen.assessor == busy


def test_never_assigned_comes_before_recently_assigned_on_equal_load(cast, version):
    configure(cast.district_a, double_score_percent=0)
    early = make_assessor(cast.district_a, "Early")
    fresh = make_assessor(cast.district_a, "Fresh")
    done = Assignment.objects.create(
        submission=submitted(published_definition(cast.district_a), cast.eve),
        assessor=early,
        assigned_at=NOW,
        due_at=NOW,
        status=Assignment.Status.COMPLETED,
    )
    assert done.assessor == early
    assert assign_submission(submitted(version, cast.alice), now=NOW).assessor == fresh


def test_no_eligible_assessor_keeps_submitted_tells_admins(
    cast, version, mailoutbox, django_capture_on_commit_callbacks
):
    submission = submitted(version, cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        assert assign_submission(submission, now=NOW) is None
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert not submission.assignments.exists()
    assert list(submission.events.values_list("action", flat=True)) == ["unassigned"]
    assert [m.to for m in mailoutbox] == [["dana@northfield.test"]]
    assert "No assessor available" in mailoutbox[0].subject


def test_double_scoring_is_deterministic_from_the_public_id(cast, version):
    probe = Submission(public_id=uuid.UUID("00000000-0000-0000-0000-000000000001"))
    first = [double_scored(probe, p) for p in range(101)]
    assert first == [double_scored(probe, p) for p in range(101)]
    assert first[0] is False
    assert first[100] is True
    # Monotone: once in the share at p%, it stays in it for every larger share.
    assert first == sorted(first)


def test_double_scored_share_gets_a_second_scorer(cast, version):
    configure(cast.district_a, double_score_percent=100)
    one = make_assessor(cast.district_a, "One")
    two = make_assessor(cast.district_a, "Two")
    submission = submitted(version, cast.alice)
    assign_submission(submission, now=NOW)
    roles = dict(submission.assignments.values_list("role", "assessor_id"))
    assert roles == {"primary": one.pk, "second": two.pk}
    assert list(submission.events.values_list("data__role", flat=True)) == ["primary", "second"]

    configure(cast.district_a, double_score_percent=0)
    other = submitted(published_definition(cast.district_a), cast.alice)
    assign_submission(other, now=NOW)
    assert list(other.assignments.values_list("role", flat=True)) == ["primary"]


def test_second_call_returns_the_same_primary(cast, version):
    configure(cast.district_a, double_score_percent=0)
    make_assessor(cast.district_a, "Solo")
    make_assessor(cast.district_a, "Duo")
    submission = submitted(version, cast.alice)
    first = assign_submission(submission, now=NOW)
    again = assign_submission(submission, now=NOW)
    assert again == first
    assert submission.assignments.count() == 1


def test_resubmission_prefers_the_previous_assessor(cast, version):
    configure(cast.district_a, double_score_percent=0)
    earlier = make_assessor(cast.district_a, "Earlier")
    make_assessor(cast.district_a, "Another")
    submission = submitted(version, cast.alice)
    Assignment.objects.create(
        submission=submission,
        assessor=earlier,
        attempt=1,
        assigned_at=NOW,
        due_at=NOW,
        completed_at=NOW,
        status=Assignment.Status.COMPLETED,
        outcome="not_yet",
    )
    Assignment.objects.create(  # more load, but they know the work
        submission=submitted(published_definition(cast.district_a), cast.eve),
        assessor=earlier,
        assigned_at=NOW,
        due_at=NOW,
    )
    submission.attempt = 2
    submission.save()
    assert assign_submission(submission, now=NOW).assessor == earlier


def test_reassign_overdue_moves_work_and_the_task_runs(cast, version):
    configure(cast.district_a, double_score_percent=0, turnaround_days=7)
    make_assessor(cast.district_a, "Late")
    make_assessor(cast.district_a, "Next")
    submission = submitted(version, cast.alice)
    first = assign_submission(submission, now=NOW)
    assert services.reassign_overdue(cast.district_a, now=NOW + dt.timedelta(days=6)) == 0
    assert services.reassign_overdue(cast.district_a, now=NOW + dt.timedelta(days=8)) == 1
    first.refresh_from_db()
    assert first.status == Assignment.Status.REASSIGNED
    current = submission.assignments.get(status=Assignment.Status.ASSIGNED)
    assert current.assessor != first.assessor
    assert current.role == Assignment.Role.PRIMARY
    assert "reassigned" in submission.events.values_list("action", flat=True)
    # The task runs for every district; the new assignment is not yet overdue now.
    Assignment.objects.filter(pk=current.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    result = reassign_overdue_assessments.enqueue()
    assert result.return_value == 1


def test_overdue_with_nobody_else_stays(cast, version):
    configure(cast.district_a, double_score_percent=0)
    make_assessor(cast.district_a, "Only")
    first = assign_submission(submitted(version, cast.alice), now=NOW)
    assert services.reassign_overdue(cast.district_a, now=NOW + dt.timedelta(days=30)) == 0
    first.refresh_from_db()
    assert first.status == Assignment.Status.ASSIGNED


def test_manual_reassign_by_admin_only(cast, version):
    configure(cast.district_a, double_score_percent=0)
    make_assessor(cast.district_a, "Uno")
    make_assessor(cast.district_a, "Dos")
    first = assign_submission(submitted(version, cast.alice), now=NOW)
    with pytest.raises(PermissionDenied):
        services.reassign(access=cast.access(cast.ada), actor=cast.ada, assignment=first)
    moved = services.reassign(access=cast.access(cast.dana), actor=cast.dana, assignment=first)
    assert moved.assessor != first.assessor
    with pytest.raises(ConflictError):
        services.reassign(access=cast.access(cast.dana), actor=cast.dana, assignment=first)
    first.assessor.assessor_qualifications.update(is_active=False)
    with pytest.raises(DomainError, match="No other qualified assessor"):
        services.reassign(access=cast.access(cast.dana), actor=cast.dana, assignment=moved)
    moved.refresh_from_db()
    assert moved.status == Assignment.Status.ASSIGNED


def test_assign_waiting_by_admin(cast, version):
    submission = submitted(version, cast.alice)
    assert assign_submission(submission, now=NOW) is None
    with pytest.raises(DomainError, match="Still no qualified assessor"):
        services.assign_waiting(
            access=cast.access(cast.dana), actor=cast.dana, submission=submission
        )
    make_assessor(cast.district_a, "Late comer")
    got = services.assign_waiting(
        access=cast.access(cast.dana), actor=cast.dana, submission=submission
    )
    assert got.role == Assignment.Role.PRIMARY
    with pytest.raises(ConflictError):
        services.assign_waiting(
            access=cast.access(cast.dana), actor=cast.dana, submission=submission
        )
