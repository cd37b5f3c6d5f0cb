"""Awards issue Open Badges 3.0 credentials: once per micro-credential and per capstone; a
failure leaves the award standing and can be retried."""

import datetime as dt

import pytest

from trellis.audit.models import AuditEvent
from trellis.credentials.models import IssuedCredential, SourceKind
from trellis.credentials.services import keys, lifecycle
from trellis.credentials.verification import verify_for_server
from trellis.microcredentials.models import EarnedMicroCredential, Stack, SubmissionStatus
from trellis.microcredentials.services.awards import award_submission, on_earned
from trellis.microcredentials.tests.assessment_helpers import submitted
from trellis.microcredentials.tests.factories import published_definition

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


def earn(cast, version):
    submission = submitted(version, cast.alice, status=SubmissionStatus.EARNED)
    return award_submission(submission, now=NOW)


def test_micro_credential_issued_once(cast, settings):
    version = published_definition(cast.district_a, title="Hinge questions")
    earned = earn(cast, version)
    credential = IssuedCredential.objects.get()
    assert (credential.source_kind, credential.source_key) == (
        SourceKind.MICRO_CREDENTIAL,
        str(earned.public_id),
    )
    assert credential.recipient == cast.alice
    achievement = credential.document["credentialSubject"]["achievement"]
    assert achievement["name"] == "Hinge questions"
    assert achievement["id"] == (
        f"{settings.SITE_URL}/micro-credentials/{version.micro_credential.public_id}/"
    )
    assert achievement["achievementType"] == "MicroCredential"
    assert "Demonstrate the key method" in achievement["criteria"]["narrative"]
    described = achievement["resultDescription"]
    assert [d["name"] for d in described] == ["Criterion 1", "Criterion 2", "Criterion 3"]
    assert all(d["requiredLevel"].endswith("-proficient") for d in described)
    assert credential.document["awardedDate"] == "2026-03-02T15:00:00Z"
    assert verify_for_server(credential.document).ok
    on_earned(earned)  # a repeated event
    award_submission(earned.submission, now=NOW)
    assert IssuedCredential.objects.count() == 1


def _stack(cast, versions, required=2):
    stack = Stack.objects.create(
        district=cast.district_a,
        title="Formative assessment",
        capstone_title="Assessment lead",
        required_count=required,
    )
    stack.members.set([v.micro_credential for v in versions])
    return stack


def test_capstone_issued_once(cast):
    versions = [published_definition(cast.district_a) for _ in range(3)]
    stack = _stack(cast, versions)
    earn(cast, versions[0])
    earn(cast, versions[1])
    capstone = EarnedMicroCredential.objects.get(stack=stack)
    credential = IssuedCredential.objects.get(source_kind=SourceKind.CAPSTONE)
    assert credential.source_key == str(capstone.public_id)
    assert credential.achievement_name == "Assessment lead"
    assert credential.document["credentialSubject"]["achievement"]["achievementType"] == "Badge"
    assert verify_for_server(credential.document).ok
    earn(cast, versions[2])
    assert IssuedCredential.objects.filter(source_kind=SourceKind.CAPSTONE).count() == 1
    assert IssuedCredential.objects.count() == 4


def test_capstones_off(cast):
    issuer = keys.ensure_issuer(cast.district_a)
    issuer.issue_for_capstones = False
    issuer.save()
    versions = [published_definition(cast.district_a) for _ in range(2)]
    _stack(cast, versions)
    earn(cast, versions[0])
    earn(cast, versions[1])
    assert EarnedMicroCredential.objects.filter(stack__isnull=False).count() == 1
    assert not IssuedCredential.objects.filter(source_kind=SourceKind.CAPSTONE).exists()


def test_failure_keeps_the_award_and_can_be_retried(cast, settings, client_for):
    settings.CREDENTIAL_KEKS, settings.DEBUG, settings.TESTING = [], False, False
    earned = earn(cast, published_definition(cast.district_a))
    assert EarnedMicroCredential.objects.filter(pk=earned.pk).exists()
    assert not IssuedCredential.objects.exists()
    failed = AuditEvent.objects.get(action="credential.issue_failed")
    assert failed.data["source_key"] == str(earned.public_id)
    assert "no key-encryption key" in failed.data["error"]
    dana = cast.access(cast.dana)
    from trellis.credentials import queries

    assert [f["source_key"] for f in queries.failed_issues(dana)] == [str(earned.public_id)]
    settings.TESTING = True
    response = client_for(cast.dana).post(
        "/credentials/manage/retry",
        {"source_kind": "micro_credential", "source_key": str(earned.public_id)},
    )
    assert response.status_code == 302
    credential = IssuedCredential.objects.get()
    assert credential.recipient == cast.alice
    assert queries.failed_issues(dana) == []
    assert (
        lifecycle.retry_issue(
            dana, source_kind="micro_credential", source_key=str(earned.public_id), actor=cast.dana
        )
        == credential
    )


def test_demo_seed_issues_credentials_with_one_public(client):
    from trellis.demo.seed import seed_demo

    seed_demo()
    seed_demo()  # idempotent: nothing issued twice
    mine = IssuedCredential.objects.filter(recipient__email="educator@pinevalley.test")
    assert mine.exists()
    public = [c for c in mine if c.visibility == "public"]
    assert len(public) == 1
    earned = EarnedMicroCredential.objects.filter(district__slug="pine-valley").count()
    assert IssuedCredential.objects.filter(district__slug="pine-valley").count() == earned
    response = client.get(f"/credentials/{public[0].public_id}", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert verify_for_server(response.json()).ok
