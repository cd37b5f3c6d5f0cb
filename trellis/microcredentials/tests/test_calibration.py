"""Calibration: agreement between double scorers on a known set, and exercises on anchors."""

import datetime as dt
from fractions import Fraction

import pytest

from trellis.core.errors import DomainError, PermissionDenied
from trellis.microcredentials.agreement import cohens_kappa
from trellis.microcredentials.models import Assignment, CriterionScore, SubmissionStatus
from trellis.microcredentials.queries.calibration import agreement_report, calibration_report
from trellis.microcredentials.services.calibration import start_exercise
from trellis.microcredentials.services.scoring import score
from trellis.microcredentials.tests.assessment_helpers import (
    all_scores,
    criteria_of,
    make_assessor,
    submitted,
)
from trellis.microcredentials.tests.factories import published_definition

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)
P, N = "proficient", "not_yet"


def _scored(submission, assessor, role, levels, criteria):
    outcome = "earned" if all(level == P for level in levels) else "not_yet"
    assignment = Assignment.objects.create(
        submission=submission,
        assessor=assessor,
        role=role,
        status=Assignment.Status.COMPLETED,
        assigned_at=NOW,
        due_at=NOW,
        completed_at=NOW,
        outcome=outcome,
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(assignment=assignment, criterion=c, level=lv, meets=lv == P, feedback="f")
        for c, lv in zip(criteria, levels, strict=True)
    )
    return assignment


# (A's levels, B's levels) over the three criteria, one row per double-scored attempt.
KNOWN = [
    ((P, P, P), (P, P, P)),
    ((N, P, P), (N, P, P)),
    ((P, N, P), (P, P, P)),
    ((P, P, N), (N, P, N)),
]


@pytest.fixture
def known(cast):
    version = published_definition(cast.district_a, title="Hinge questions")
    criteria = criteria_of(version)
    ann = make_assessor(cast.district_a, "Ann")
    ben = make_assessor(cast.district_a, "Ben")
    for levels_a, levels_b in KNOWN:
        submission = submitted(version, cast.eve, status=SubmissionStatus.EARNED)
        _scored(submission, ann, "primary", levels_a, criteria)
        _scored(submission, ben, "second", levels_b, criteria)
        submission.status = SubmissionStatus.WITHDRAWN  # frees the one-open-per-version slot
        submission.save()
    # Not pairs: a primary alone, and a pending second.
    lone = submitted(version, cast.eve, status=SubmissionStatus.NOT_YET)
    _scored(lone, ann, "primary", (N, N, N), criteria)
    return version, criteria, ann, ben


def test_agreement_per_assessor_and_criterion_on_a_known_set(cast, known):
    _version, _criteria, _ann, _ben = known
    report = agreement_report(cast.access(cast.dana))
    assert report.attempts == 4
    assert report.enough is False
    pairs = [
        (a, b) for levels_a, levels_b in KNOWN for a, b in zip(levels_a, levels_b, strict=True)
    ]
    assert report.overall.criteria.pairs == 12
    assert report.overall.criteria.percent == Fraction(10, 12)
    assert report.overall.criteria.kappa == cohens_kappa(pairs)
    assert report.overall.outcome.percent == Fraction(3, 4)
    assert report.overall.outcome.kappa == cohens_kappa(
        [
            ("earned", "earned"),
            ("not_yet", "not_yet"),
            ("not_yet", "earned"),
            ("not_yet", "not_yet"),
        ]
    )
    assert report.overall.outcome.kappa == Fraction(1, 2)
    ann_row, ben_row = report.by_assessor
    assert (ann_row.label, ann_row.pairs, ben_row.label) == ("Ann", 4, "Ben")
    assert ann_row.criteria.percent == Fraction(5, 6)
    assert ann_row.outcome_percent == "75%"
    assert ann_row.outcome_kappa == "0.50"
    first = report.by_criterion[0]
    assert first.label == "Hinge questions — Criterion 1"
    assert first.pairs == 4
    assert first.criteria.percent == Fraction(3, 4)
    assert first.criteria.kappa == cohens_kappa([(P, P), (N, N), (P, P), (P, N)])
    assert first.criteria.kappa == Fraction(1, 2)
    third = report.by_criterion[2]
    assert third.criteria.kappa == 1


def test_empty_report_and_tenant_boundary(cast, known):
    report = agreement_report(cast.access(cast.bea))
    assert (report.attempts, report.overall, report.by_assessor) == (0, None, [])


def test_calibration_exercise_compares_with_the_anchor(cast, known):
    version, criteria, ann, _ben = known
    cal = make_assessor(cast.district_a, "Cal")
    anchor = submitted(version, cast.alice, status=SubmissionStatus.NOT_YET)
    _scored(anchor, ann, "primary", (N, P, P), criteria)
    with pytest.raises(PermissionDenied):
        start_exercise(
            access=cast.access(cast.ada), actor=cast.ada, submission=anchor, assessors=[cal]
        )
    with pytest.raises(DomainError, match="already worked on this submission"):
        start_exercise(
            access=cast.access(cast.dana), actor=cast.dana, submission=anchor, assessors=[ann]
        )
    with pytest.raises(DomainError, match="is not an assessor"):
        start_exercise(
            access=cast.access(cast.dana), actor=cast.dana, submission=anchor, assessors=[cast.eve]
        )
    (exercise,) = start_exercise(
        access=cast.access(cast.dana), actor=cast.dana, submission=anchor, assessors=[cal]
    )
    assert exercise.role == Assignment.Role.CALIBRATION
    score(
        access=cast.access(cal, cast.district_a),
        actor=cal,
        assignment=exercise,
        scores=all_scores(version),  # all proficient: disagrees on criterion 1 and the outcome
    )
    anchor.refresh_from_db()
    assert anchor.status == SubmissionStatus.NOT_YET  # untouched
    assert not anchor.events.exists()
    report = calibration_report(cast.access(cast.dana))
    assert report.attempts == 1
    (row,) = report.by_assessor
    assert row.label == "Cal"
    assert row.criteria.percent == Fraction(2, 3)
    assert row.outcome.percent == 0


def test_undecided_submission_cannot_be_an_anchor(cast, known):
    version, _criteria, _ann, ben = known
    waiting = submitted(version, cast.alice)
    with pytest.raises(DomainError, match="Only a decided submission"):
        start_exercise(
            access=cast.access(cast.dana), actor=cast.dana, submission=waiting, assessors=[ben]
        )
    assert not Assignment.objects.filter(role="calibration").exists()


def test_the_calibration_page_shows_no_kappa_below_the_minimum_pairs(cast, known, client_for):
    html = client_for(cast.dana).get("/micro-credentials/assessment/calibration/").content.decode()
    # Four compared attempts are below the five the page asks for: percentages, but no kappa.
    assert '<th scope="row">Ann</th><td>4</td><td>83%</td><td>—' in html
    assert "κ is shown from 5 compared pairs; below that it says little." in html
