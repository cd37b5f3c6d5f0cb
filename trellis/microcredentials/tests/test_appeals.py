"""Appeals: the educator appeals a "not yet" once per attempt; a reviewer who did not score the
attempt decides."""

import datetime as dt

import pytest
from django.http import Http404

from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.microcredentials.models import Assignment, SubmissionStatus
from trellis.microcredentials.services.appeals import appeal
from trellis.microcredentials.services.assignment import assign_submission
from trellis.microcredentials.services.scoring import score
from trellis.microcredentials.tests.assessment_helpers import (
    all_scores,
    configure,
    make_assessor,
    submitted,
)
from trellis.microcredentials.tests.factories import published_definition

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def not_yet(cast):
    configure(cast.district_a, double_score_percent=0)
    version = published_definition(cast.district_a)
    make_assessor(cast.district_a, "Primary")
    submission = submitted(version, cast.alice)
    primary = assign_submission(submission, now=NOW)
    scores = all_scores(version)
    scores[next(iter(scores))] = ("not_yet", "Show the adjustment.")
    score(
        access=cast.access(primary.assessor, cast.district_a),
        actor=primary.assessor,
        assignment=primary,
        scores=scores,
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NOT_YET
    return submission, primary


def _appeal(cast, submission, reason="The adjustment is in part 2, minute 4 of the video."):
    return appeal(
        access=cast.access(cast.alice), actor=cast.alice, submission=submission, reason=reason
    )


def test_appeal_goes_to_another_assessor_whose_outcome_decides(cast, not_yet):
    submission, _primary = not_yet
    reviewer = make_assessor(cast.district_a, "Reviewer")
    got = _appeal(cast, submission)
    assert got.role == Assignment.Role.APPEAL
    assert got.assessor == reviewer
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPEALED
    assert submission.events.get(action="appealed").data["reason"].startswith("The adjustment")
    score(
        access=cast.access(reviewer, cast.district_a),
        actor=reviewer,
        assignment=got,
        scores=all_scores(submission.version),
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.EARNED
    assert submission.events.filter(action="decided").last().data["role"] == "appeal"


def test_appeal_once_per_attempt(cast, not_yet):
    submission, _ = not_yet
    reviewer = make_assessor(cast.district_a, "Reviewer")
    got = _appeal(cast, submission)
    scores = all_scores(submission.version)
    scores[next(iter(scores))] = ("not_yet", "Still missing.")
    score(
        access=cast.access(reviewer, cast.district_a), actor=reviewer, assignment=got, scores=scores
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NOT_YET
    with pytest.raises(ConflictError, match="already appealed"):
        _appeal(cast, submission)


def test_no_reviewer_yet_still_appealed(cast, not_yet):
    submission, _ = not_yet
    assert _appeal(cast, submission) is None  # the primary scorer may not review
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPEALED
    assert submission.events.filter(action="unassigned", data__role="appeal").exists()


def test_bad_appeals_are_refused_and_nothing_changes(cast, not_yet):
    submission, _ = not_yet
    with pytest.raises(DomainError, match="Say why"):
        _appeal(cast, submission, reason="  ")
    with pytest.raises(DomainError, match="too long"):
        _appeal(cast, submission, reason="x" * 2001)
    with pytest.raises(PermissionDenied):
        appeal(access=cast.access(cast.eve), actor=cast.eve, submission=submission, reason="r")
    with pytest.raises(Http404):
        appeal(access=cast.access(cast.bob), actor=cast.bob, submission=submission, reason="r")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NOT_YET
    assert not submission.events.filter(action="appealed").exists()


def test_only_not_yet_can_be_appealed(cast):
    version = published_definition(cast.district_a)
    submission = submitted(version, cast.alice)
    with pytest.raises(ConflictError, match="Only a “not yet” decision"):
        _appeal(cast, submission)
