"""Scoring: who may score, validation of every criterion, outcomes, double scoring and third
scorers, attempt limits and the coaching offer."""

import datetime as dt

import pytest
from django.http import Http404

from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.growth.models import CoachingAssignment
from trellis.microcredentials.models import (
    Assignment,
    CriterionScore,
    SubmissionStatus,
)
from trellis.microcredentials.services.assignment import assign_submission
from trellis.microcredentials.services.scoring import proficient_index, score
from trellis.microcredentials.tests.assessment_helpers import (
    all_scores,
    configure,
    criteria_of,
    make_assessor,
    submitted,
)
from trellis.microcredentials.tests.factories import published_definition

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def setup(cast):
    configure(cast.district_a, double_score_percent=0)
    version = published_definition(cast.district_a)
    first = make_assessor(cast.district_a, "First")
    second = make_assessor(cast.district_a, "Second")
    submission = submitted(version, cast.alice)
    assignment = assign_submission(submission, now=NOW)
    return cast, version, submission, assignment, first, second


def _score(cast, assignment, scores, feedback=""):
    return score(
        access=cast.access(assignment.assessor, cast.district_a),
        actor=assignment.assessor,
        assignment=assignment,
        scores=scores,
        feedback=feedback,
    )


def test_proficient_index():
    assert proficient_index([{"key": "not_yet"}, {"key": "proficient"}, {"key": "x"}]) == 1
    assert proficient_index([{"key": "low"}, {"key": "high"}]) == 1


def test_earned_when_every_criterion_meets(setup, mailoutbox, django_capture_on_commit_callbacks):
    cast, version, submission, assignment, *_ = setup
    with django_capture_on_commit_callbacks(execute=True):
        done = _score(cast, assignment, all_scores(version), "Strong work.")
    assert done.status == Assignment.Status.COMPLETED
    assert done.outcome == Assignment.Outcome.EARNED
    assert done.feedback == "Strong work."
    assert CriterionScore.objects.filter(assignment=done, meets=True).count() == 3
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.EARNED
    assert submission.decided_at is not None
    assert submission.earned_at is not None
    actions = list(submission.events.values_list("action", flat=True))
    assert actions == ["assigned", "scored", "decided"]
    assert [m.subject for m in mailoutbox if m.to == ["alice@northfield.test"]] == [
        f"Trellis: Earned: {version.title}"
    ]


def test_not_yet_when_a_criterion_is_below_proficient(
    setup, mailoutbox, django_capture_on_commit_callbacks
):
    cast, version, submission, assignment, *_ = setup
    scores = all_scores(version)
    first = str(criteria_of(version)[0].public_id)
    scores[first] = ("not_yet", "Name the hinge question you planned.")
    with django_capture_on_commit_callbacks(execute=True):
        _score(cast, assignment, scores, "Close.")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NOT_YET
    decided = submission.events.get(action="decided")
    assert decided.data["outcome"] == "not_yet"
    assert decided.data["can_resubmit"] is True
    assert decided.data["coaching_offered"] is False
    mail = next(m for m in mailoutbox if m.to == ["alice@northfield.test"])
    assert mail.subject == f"Trellis: Not yet: {version.title}"
    assert "Criterion 1 (not yet): Name the hinge question you planned." in mail.body
    assert "Overall: Close." in mail.body
    assert "You can resubmit" in mail.body


def test_only_the_assigned_assessor_scores(setup):
    cast, version, _, assignment, _first, second = setup
    with pytest.raises(PermissionDenied, match="assigned to another assessor"):
        score(
            access=cast.access(second, cast.district_a),
            actor=second,
            assignment=assignment,
            scores=all_scores(version),
        )
    assert not CriterionScore.objects.exists()


def test_other_district_is_not_found(setup):
    cast, _version, _, assignment, *_ = setup
    with pytest.raises(Http404):
        score(access=cast.access(cast.bea), actor=cast.bea, assignment=assignment, scores={})


def test_scoring_twice_is_a_conflict(setup):
    cast, version, _, assignment, *_ = setup
    _score(cast, assignment, all_scores(version))
    with pytest.raises(ConflictError, match="already scored") as caught:
        _score(cast, assignment, all_scores(version, "not_yet", "x"))
    assert caught.value.code == "already_scored"
    assert CriterionScore.objects.count() == 3


def test_reassigned_assignment_cannot_be_scored(setup):
    cast, version, _, assignment, *_ = setup
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.REASSIGNED)
    with pytest.raises(ConflictError, match="reassigned"):
        _score(cast, assignment, all_scores(version))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("missing", "Choose a level for “Criterion 2”."),
        (
            "bad_level",
            "“superb” is not a level of “Criterion 2”: choose one of not_yet, proficient.",
        ),
        ("no_feedback", "Write feedback for “Criterion 2”: it is not yet proficient"),
        ("unknown", "“not-a-criterion” is not a criterion of this rubric."),
        ("too_long", "The feedback for “Criterion 2” is too long (at most 4000 characters)."),
    ],
)
def test_invalid_scores_are_refused_and_nothing_is_written(setup, change, message):
    cast, version, submission, assignment, *_ = setup
    scores = all_scores(version)
    second = str(criteria_of(version)[1].public_id)
    if change == "missing":
        del scores[second]
    elif change == "bad_level":
        scores[second] = ("superb", "")
    elif change == "no_feedback":
        scores[second] = ("not_yet", "  ")
    elif change == "unknown":
        scores["not-a-criterion"] = ("proficient", "")
    else:
        scores[second] = ("proficient", "x" * 4001)
    with pytest.raises(DomainError) as caught:
        _score(cast, assignment, scores)
    assert caught.value.code == "invalid_scores"
    assert message in caught.value.message
    assert not CriterionScore.objects.exists()
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ASSIGNED
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_ASSESSMENT


def test_several_problems_are_counted(setup):
    cast, _version, _, assignment, *_ = setup
    with pytest.raises(DomainError) as caught:
        _score(cast, assignment, {})
    assert caught.value.message.startswith("3 criteria need attention. Choose a level for")
    assert len(caught.value.details["errors"]) == 3


def test_overall_feedback_too_long(setup):
    cast, version, _, assignment, *_ = setup
    with pytest.raises(DomainError, match="overall feedback is too long"):
        _score(cast, assignment, all_scores(version), "y" * 4001)
    assert not CriterionScore.objects.exists()


def _double(cast, version):
    configure(cast.district_a, double_score_percent=100)
    submission = submitted(published_definition(cast.district_a), cast.eve)
    assign_submission(submission, now=NOW)
    primary = submission.assignments.get(role="primary")
    second = submission.assignments.get(role="second")
    return submission, primary, second


def _not_yet(version):
    scores = all_scores(version)
    scores[next(iter(scores))] = ("not_yet", "Add the student work.")
    return scores


def test_double_scored_waits_for_both_then_agreement_decides(setup):
    cast, *_ = setup
    make_assessor(cast.district_a, "Third")
    submission, primary, second = _double(cast, None)
    version = submission.version
    _score(cast, primary, all_scores(version))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_ASSESSMENT
    _score(cast, second, all_scores(version))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.EARNED
    assert not submission.assignments.filter(role="third").exists()


def test_disagreement_goes_to_a_third_scorer_who_decides(setup):
    cast, *_ = setup
    make_assessor(cast.district_a, "Third")
    submission, primary, second = _double(cast, None)
    version = submission.version
    _score(cast, primary, all_scores(version))
    _score(cast, second, _not_yet(version))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_ASSESSMENT
    third = submission.assignments.get(role="third")
    # First (busy with the fixture's work) was left for last: the two others scored.
    assert third.assessor.full_name == "First"
    assert third.assessor_id not in {primary.assessor_id, second.assessor_id}
    assert "disagreement" in submission.events.values_list("action", flat=True)
    _score(cast, third, _not_yet(version))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NOT_YET
    assert submission.events.get(action="decided").data["role"] == "third"


def test_disagreement_without_a_third_assessor_waits_for_the_pd_office(setup):
    cast, *_ = setup
    submission, primary, second = _double(cast, None)
    version = submission.version
    _score(cast, primary, all_scores(version))
    _score(cast, second, _not_yet(version))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_ASSESSMENT
    assert submission.events.filter(action="unassigned", data__role="third").count() == 1


def test_attempt_limit_and_coaching_offer(setup, mailoutbox, django_capture_on_commit_callbacks):
    cast, version, submission, assignment, *_ = setup
    configure(cast.district_a, max_attempts=2, coaching_after_attempts=2, double_score_percent=0)
    CoachingAssignment.objects.create(
        district=cast.district_a, coach=cast.carol, educator=cast.alice
    )
    _score(cast, assignment, _not_yet(version))
    first = submission.events.get(action="decided").data
    assert (first["can_resubmit"], first["coaching_offered"]) == (True, False)
    # The educator resubmits (helper F's service does this; here by hand).
    submission.refresh_from_db()
    submission.attempt, submission.status = 2, SubmissionStatus.SUBMITTED
    submission.save()
    again = assign_submission(submission, now=NOW)
    assert again.assessor == assignment.assessor  # the previous assessor, still eligible
    with django_capture_on_commit_callbacks(execute=True):
        _score(cast, again, _not_yet(version))
    second = submission.events.filter(action="decided").last().data
    assert (second["can_resubmit"], second["coaching_offered"]) == (False, True)
    assert second["max_attempts"] == 2
    body = next(m for m in mailoutbox if m.to == ["alice@northfield.test"]).body
    assert "You have used every attempt" in body
    assert "your coach is Carol Cruz (carol@northfield.test)" in body


def test_assignment_of_an_earlier_attempt_cannot_be_scored(setup):
    cast, version, submission, assignment, *_ = setup
    type(submission).objects.filter(pk=submission.pk).update(attempt=2)
    with pytest.raises(ConflictError, match="resubmitted since"):
        _score(cast, assignment, all_scores(version))
    assert not CriterionScore.objects.exists()
