"""Assessment pages: inbox (blind names, overdue, query guard), scoring form, appeal page, and
the PD leaders' settings, assessors, queue and calibration pages."""

import datetime as dt

import pytest
from django.utils import timezone

from trellis.microcredentials.models import (
    AssessorQualification,
    Assignment,
    CriterionScore,
    SubmissionStatus,
)
from trellis.microcredentials.queries.assessor_pool import settings_for
from trellis.microcredentials.services.assignment import assign_submission
from trellis.microcredentials.tests.assessment_helpers import (
    configure,
    criteria_of,
    make_assessor,
    qualify,
    submitted,
)
from trellis.microcredentials.tests.factories import published_definition

pytestmark = pytest.mark.django_db
INBOX = "/micro-credentials/assessment/"


@pytest.fixture
def assigned(cast):
    """Ada (Elementary) is the only qualified assessor; Alice (Middle) submitted."""
    configure(cast.district_a, double_score_percent=0)
    qualify(cast.ada, cast.district_a)
    version = published_definition(cast.district_a, title="Hinge questions")
    submission = submitted(version, cast.alice)
    return assign_submission(submission)


def test_inbox_lists_my_assignments_with_names(cast, client_for, assigned):
    response = client_for(cast.ada).get(INBOX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hinge questions" in html
    assert "Alice Archer" in html
    assert f"/micro-credentials/assessment/{assigned.public_id}/" in html
    assert "Overdue" not in html


def test_blind_mode_hides_the_educator(cast, client_for, assigned):
    configure(cast.district_a, blind_assessment=True)
    html = client_for(cast.ada).get(INBOX).content.decode()
    assert "Alice" not in html
    assert f"Educator #{assigned.submission.public_id.hex[:6]}" in html
    page = client_for(cast.ada).get(f"{INBOX}{assigned.public_id}/").content.decode()
    assert "Alice" not in page
    assert "alice@" not in page


def test_overdue_flag(cast, client_for, assigned):
    Assignment.objects.filter(pk=assigned.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    assert "Overdue" in client_for(cast.ada).get(INBOX).content.decode()


def test_inbox_needs_the_assessor_role(cast, client_for):
    assert client_for(cast.alice).get(INBOX).status_code == 403


def test_inbox_query_count_does_not_grow(cast, client_for, django_assert_max_num_queries):
    configure(cast.district_a, double_score_percent=0)
    qualify(cast.ada, cast.district_a)
    for _ in range(12):
        assign_submission(submitted(published_definition(cast.district_a), cast.alice))
    client = client_for(cast.ada)
    with django_assert_max_num_queries(10):
        response = client.get(INBOX)
    assert response.content.decode().count("/micro-credentials/assessment/") >= 12


def _form(version, level="proficient", feedback="Good."):
    data = {"feedback": "Overall fine."}
    for c in criteria_of(version):
        data[f"level-{c.public_id}"] = level
        data[f"feedback-{c.public_id}"] = feedback
    return data


def test_scoring_page_shows_parts_and_saves_scores(cast, client_for, assigned):
    version = assigned.submission.version
    client = client_for(cast.ada)
    page = client.get(f"{INBOX}{assigned.public_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Part 1" in html
    assert "Criterion 3" in html
    assert 'type="radio"' in html
    response = client.post(f"{INBOX}{assigned.public_id}/", _form(version))
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert assigned.outcome == "earned"
    assigned.submission.refresh_from_db()
    assert assigned.submission.status == SubmissionStatus.EARNED


def test_scoring_page_bad_input_shows_errors_and_writes_nothing(cast, client_for, assigned):
    version = assigned.submission.version
    data = _form(version, level="not_yet", feedback="")
    response = client_for(cast.ada).post(f"{INBOX}{assigned.public_id}/", data)
    assert response.status_code == 400
    assert "3 criteria need attention" in response.content.decode()
    assert not CriterionScore.objects.exists()


def test_scoring_page_for_someone_else_is_403_and_other_district_404(cast, client_for, assigned):
    other = make_assessor(cast.district_a, "Olga")
    assert client_for(other).get(f"{INBOX}{assigned.public_id}/").status_code == 403
    assert client_for(cast.bea).get(f"{INBOX}{assigned.public_id}/").status_code == 404
    # PD leaders may read it but not score it.
    assert client_for(cast.dana).get(f"{INBOX}{assigned.public_id}/").status_code == 200
    version = assigned.submission.version
    assert (
        client_for(cast.dana).post(f"{INBOX}{assigned.public_id}/", _form(version)).status_code
        == 403
    )


def test_second_scoring_redirects_with_message(cast, client_for, assigned):
    version = assigned.submission.version
    client = client_for(cast.ada)
    client.post(f"{INBOX}{assigned.public_id}/", _form(version))
    response = client.post(f"{INBOX}{assigned.public_id}/", _form(version), follow=True)
    assert "already scored" in response.content.decode()


def test_appeal_page(cast, client_for, assigned):
    version = assigned.submission.version
    client_for(cast.ada).post(
        f"{INBOX}{assigned.public_id}/", _form(version, level="not_yet", feedback="Add evidence.")
    )
    make_assessor(cast.district_a, "Reviewer")
    url = f"/micro-credentials/assessment/appeal/{assigned.submission.public_id}/"
    alice = client_for(cast.alice)
    page = alice.get(url)
    assert page.status_code == 200
    assert "Add evidence." in page.content.decode()
    assert alice.post(url, {"reason": ""}).status_code == 400
    assert client_for(cast.eve).get(url).status_code == 403
    assert client_for(cast.bob).get(url).status_code == 404
    assert alice.post(url, {"reason": "See the video at 4:00."}).status_code == 302
    assigned.submission.refresh_from_db()
    assert assigned.submission.status == SubmissionStatus.APPEALED


def test_settings_page(cast, client_for):
    url = "/micro-credentials/assessment/settings/"
    assert client_for(cast.ada).get(url).status_code == 403
    client = client_for(cast.dana)
    assert client.get(url).status_code == 200
    data = {
        "turnaround_days": "7",
        "max_attempts": "4",
        "coaching_after_attempts": "2",
        "double_score_percent": "20",
        "blind_assessment": "on",
        "exclude_same_school": "on",
    }
    assert client.post(url, {**data, "double_score_percent": "101"}).status_code == 400
    assert settings_for(cast.district_a).double_score_percent == 10
    assert client.post(url, data).status_code == 302
    saved = settings_for(cast.district_a)
    assert (saved.turnaround_days, saved.max_attempts, saved.double_score_percent) == (7, 4, 20)
    assert (saved.blind_assessment, saved.exclude_same_school, saved.exclude_own_coach) == (
        True,
        True,
        False,
    )


def test_assessors_page_adds_and_removes(cast, client_for):
    url = "/micro-credentials/assessment/assessors/"
    client = client_for(cast.dana)
    assert client.get(url).status_code == 200
    assert client.post(url, {"assessor": str(cast.alice.public_id)}).status_code == 400
    assert (
        client.post(url, {"assessor": str(cast.ada.public_id), "note": "Trained"}).status_code
        == 302
    )
    qualification = AssessorQualification.objects.get(assessor=cast.ada)
    assert (qualification.competency, qualification.note) == (None, "Trained")
    again = client.post(url, {"assessor": str(cast.ada.public_id)})
    assert again.status_code == 409
    assert "already holds this qualification" in again.content.decode()
    remove = f"/micro-credentials/assessment/assessors/{qualification.public_id}/remove/"
    assert client_for(cast.bea).post(remove).status_code == 404
    assert client.post(remove).status_code == 302
    qualification.refresh_from_db()
    assert qualification.is_active is False


def test_queue_page_assigns_waiting_and_reassigns(cast, client_for):
    configure(cast.district_a, double_score_percent=0)
    submission = submitted(published_definition(cast.district_a), cast.alice)
    client = client_for(cast.dana)
    html = client.get("/micro-credentials/assessment/queue/").content.decode()
    assert submission.version.title in html
    failed = client.post(
        f"/micro-credentials/assessment/queue/{submission.public_id}/assign/", follow=True
    )
    assert "Still no qualified assessor" in failed.content.decode()
    qualify(cast.ada, cast.district_a)
    client.post(f"/micro-credentials/assessment/queue/{submission.public_id}/assign/")
    assignment = submission.assignments.get()
    assert assignment.assessor == cast.ada
    make_assessor(cast.district_a, "Backup")
    client.post(f"/micro-credentials/assessment/queue/{assignment.public_id}/reassign/")
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.REASSIGNED
    assert client_for(cast.ada).get("/micro-credentials/assessment/queue/").status_code == 403


def test_calibration_page(cast, client_for):
    url = "/micro-credentials/assessment/calibration/"
    assert client_for(cast.ada).get(url).status_code == 403
    html = client_for(cast.dana).get(url).content.decode()
    assert "Not enough double-scored submissions yet" in html
    assert "Not enough completed calibration exercises yet" in html


def test_calibration_page_starts_an_exercise(cast, client_for):
    configure(cast.district_a, double_score_percent=0)
    version = published_definition(cast.district_a)
    anchor = submitted(version, cast.alice, status=SubmissionStatus.EARNED)
    url = "/micro-credentials/assessment/calibration/"
    client = client_for(cast.dana)
    missing = client.post(url, {"submission": str(anchor.public_id)})
    assert missing.status_code == 400
    assert not Assignment.objects.exists()
    response = client.post(
        url, {"submission": str(anchor.public_id), "assessors": [str(cast.ada.public_id)]}
    )
    assert response.status_code == 302
    exercise = Assignment.objects.get()
    assert (exercise.role, exercise.assessor) == ("calibration", cast.ada)
    inbox = client_for(cast.ada).get(INBOX).content.decode()
    assert "Calibration exercise" in inbox


def test_assessor_email_names_the_due_date(cast, mailoutbox, django_capture_on_commit_callbacks):
    configure(cast.district_a, double_score_percent=0, turnaround_days=14)
    qualify(cast.ada, cast.district_a)
    submission = submitted(published_definition(cast.district_a), cast.alice)
    moment = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)  # 1 March in Chicago
    with django_capture_on_commit_callbacks(execute=True):
        assign_submission(submission, now=moment)
    (mail,) = mailoutbox
    assert mail.to == ["ada@northfield.test"]
    assert "Please score it by 15 March 2026." in mail.body


def test_scoring_page_links_artifacts_to_the_evidence_url(cast, client_for, assigned):
    from trellis.microcredentials.models import Artifact, RequirementPart

    part = RequirementPart.objects.get(version=assigned.submission.version, kind="artifact")
    upload = Artifact.objects.create(
        submission=assigned.submission, part=part, kind="document", original_name="plan.pdf"
    )
    Artifact.objects.create(
        submission=assigned.submission,
        part=part,
        kind="link",
        url="https://video.example/lesson",
        description="Lesson video",
    )
    html = client_for(cast.ada).get(f"{INBOX}{assigned.public_id}/").content.decode()
    assert f'href="/micro-credentials/evidence/{upload.public_id}/"' in html
    assert ">plan.pdf</a>" in html
    assert 'href="https://video.example/lesson"' in html
