"""Bulk issuance: starting a batch for an offering's completers, processing in chunks (idempotent,
retry-safe), progress pages, failures, retry; and the one-at-a-time credential on completion."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from trellis.audit.models import AuditEvent
from trellis.catalog import credentialing
from trellis.catalog.models import EnrollmentStatus
from trellis.catalog.services.completion import submit_completion
from trellis.catalog.tests.attendance_setup import enrol
from trellis.catalog.tests.factories import EnrollmentFactory, OfferingFactory
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.credentials.models import (
    BatchItemState,
    BatchStatus,
    IssuanceBatch,
    IssuedCredential,
    IssuerProfile,
    SourceKind,
)
from trellis.credentials.services import batches, keys
from trellis.credentials.tests.portability_helpers import achievement
from trellis.districts.permissions import Perm


@pytest.fixture
def offering(cast):
    offering = OfferingFactory(
        district=cast.district_a, title="Questioning Strategies", kind="course", hours=Decimal(6)
    )
    for person in (cast.alice, cast.eve, cast.carol):
        EnrollmentFactory(offering=offering, educator=person, status=EnrollmentStatus.COMPLETED)
    EnrollmentFactory(offering=offering, educator=cast.pat, status=EnrollmentStatus.ENROLLED)
    return offering


def test_achievement_round_trips_through_json():
    spec = dataclasses.replace(
        achievement(),
        tags=("a", "b"),
        credit_hours=6.0,
    )
    from trellis.credentials.core.specs import AlignmentSpec, ResultDescriptionSpec

    spec = dataclasses.replace(
        spec,
        alignments=(AlignmentSpec(target_name="A", target_url="https://case.example/1"),),
        result_descriptions=(
            ResultDescriptionSpec(id="urn:x:1", name="C", levels=(("urn:x:l1", "One", "d"),)),
        ),
    )
    assert batches.achievement_from_json(batches.achievement_to_json(spec)) == spec


def test_offering_achievement(cast, offering):
    spec = credentialing.offering_achievement(offering)
    assert spec.name == "Questioning Strategies"
    assert spec.achievement_type == "Course"
    assert spec.credit_hours == 6.0
    assert spec.id.endswith(f"/catalog/{offering.public_id}/")
    assert spec.description == "A practical workshop."


def test_batch_for_completers_issues_each_once(cast, offering, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = credentialing.issue_for_completers(
            access=cast.access(cast.dana), actor=cast.dana, offering=offering
        )
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done, batch.failed) == (BatchStatus.DONE, 3, 3, 0)
    assert batch.achievement["name"] == "Questioning Strategies"
    issued = IssuedCredential.objects.filter(source_kind=SourceKind.OFFERING)
    assert sorted(c.recipient.email for c in issued) == [
        "alice@northfield.test",
        "carol@northfield.test",
        "eve@northfield.test",
    ]
    assert all(item.credential_id for item in batch.items.all())
    # a second batch for the same cohort finds every credential already issued
    with django_capture_on_commit_callbacks(execute=True):
        again = credentialing.issue_for_completers(
            access=cast.access(cast.dana), actor=cast.dana, offering=offering
        )
    again.refresh_from_db()
    assert (again.done, again.failed) == (3, 0)
    assert IssuedCredential.objects.filter(source_kind=SourceKind.OFFERING).count() == 3
    actions = list(
        AuditEvent.objects.filter(action__startswith="credential.batch_").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == sorted(["credential.batch_started", "credential.batch_finished"] * 2)


def test_processing_in_chunks_and_rerunning_is_safe(cast, offering):
    batch = credentialing.issue_for_completers(
        access=cast.access(cast.dana), actor=cast.dana, offering=offering
    )
    batches.process_batch(batch_id=batch.pk, chunk=2)
    batch.refresh_from_db()
    assert (batch.done, batch.failed, batch.status) == (3, 0, BatchStatus.DONE)
    first = set(IssuedCredential.objects.values_list("pk", flat=True))
    batches.process_batch(batch_id=batch.pk, chunk=2)
    assert set(IssuedCredential.objects.values_list("pk", flat=True)) == first


def test_failures_are_recorded_and_retried(cast, offering, monkeypatch):
    batch = credentialing.issue_for_completers(
        access=cast.access(cast.dana), actor=cast.dana, offering=offering
    )
    from trellis.credentials.services import issuing

    real = issuing.issue_credential

    def flaky(**kwargs):
        if kwargs["recipient"] == cast.eve:
            raise DomainError("bad", "Eve's credential could not be signed.")
        return real(**kwargs)

    monkeypatch.setattr(issuing, "issue_credential", flaky)
    batches.process_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.done, batch.failed, batch.status) == (2, 1, BatchStatus.DONE)
    failed = batch.items.get(state=BatchItemState.FAILED)
    assert (failed.recipient, failed.error) == (cast.eve, "Eve's credential could not be signed.")
    monkeypatch.setattr(issuing, "issue_credential", real)
    batches.retry_failed(access=cast.access(cast.dana), actor=cast.dana, batch=batch)
    batch.refresh_from_db()
    assert (batch.status, batch.failed) == (BatchStatus.QUEUED, 0)
    batches.process_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.done, batch.failed) == (3, 0)
    with pytest.raises(ConflictError, match="No item of this batch failed"):
        batches.retry_failed(access=cast.access(cast.dana), actor=cast.dana, batch=batch)


@pytest.mark.parametrize(
    ("title", "recipients", "code"),
    [
        ("", "ok", "title_required"),
        ("x" * 201, "ok", "title_too_long"),
        ("T", [], "no_recipients"),
        ("T", "badkind", "bad_source"),
        ("T", "nokey", "bad_source"),
    ],
)
def test_start_batch_refuses_bad_input_and_writes_nothing(cast, title, recipients, code):
    named = {
        "ok": [(cast.alice, SourceKind.OFFERING, "k1")],
        "badkind": [(cast.alice, "nonsense", "k1")],
        "nokey": [(cast.alice, SourceKind.OFFERING, "")],
    }
    rows = named[recipients] if isinstance(recipients, str) else recipients
    with pytest.raises(DomainError) as raised:
        batches.start_batch(
            access=cast.access(cast.dana),
            actor=cast.dana,
            title=title,
            achievement=achievement(),
            recipients=rows,
        )
    assert raised.value.code == code
    assert not IssuanceBatch.objects.exists()


def test_only_credential_managers_start_batches(cast, offering):
    assert not cast.access(cast.alice).can(Perm.MANAGE_CREDENTIALS)
    with pytest.raises(PermissionDenied):
        credentialing.issue_for_completers(
            access=cast.access(cast.alice), actor=cast.alice, offering=offering
        )
    assert not IssuanceBatch.objects.exists()


def test_no_completers_is_a_clear_error(cast):
    empty = OfferingFactory(district=cast.district_a)
    with pytest.raises(DomainError, match="Nobody has completed this offering yet"):
        credentialing.issue_for_completers(
            access=cast.access(cast.dana), actor=cast.dana, offering=empty
        )


# --- pages ----------------------------------------------------------------------------------------


def test_button_starts_a_batch_and_the_progress_pages(
    cast, client_for, offering, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client = client_for(cast.dana)
    page = client.get(f"/catalog/{offering.public_id}/enrollments/")
    assert b"Issue credentials to completers" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/catalog/{offering.public_id}/issue-credentials/")
    batch = IssuanceBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/credentials/batches/{batch.public_id}"
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert b"3 issued, 0 failed, of 3 (100%)." in detail.content
    assert b'hx-trigger="every 2s"' not in detail.content  # finished: no more polling
    progress = client.get(f"/credentials/batches/{batch.public_id}/progress")
    assert b'aria-live="polite"' in progress.content
    with django_assert_max_num_queries(12):
        listing = client.get("/credentials/batches/")
    assert b"Completed: Questioning Strategies" in listing.content
    assert client_for(cast.bea).get(response["Location"]).status_code == 404
    assert client_for(cast.alice).get("/credentials/batches/").status_code == 403
    assert (
        client_for(cast.alice).get(f"/catalog/{offering.public_id}/enrollments/").status_code == 403
    )


def test_running_batch_polls_every_two_seconds(cast, client_for, offering):
    batch = credentialing.issue_for_completers(
        access=cast.access(cast.dana), actor=cast.dana, offering=offering
    )  # not processed: the task runs on commit
    page = client_for(cast.dana).get(f"/credentials/batches/{batch.public_id}")
    assert b'hx-trigger="every 2s"' in page.content
    assert b"0 issued, 0 failed, of 3 (0%)." in page.content
    empty = client_for(cast.bea).get("/credentials/batches/")
    assert b"No batches yet." in empty.content


# --- one at a time, on completion ----------------------------------------------------------------


def _finish(cast, enabled: bool, django_capture_on_commit_callbacks):
    issuer = keys.ensure_issuer(cast.district_a)
    IssuerProfile.objects.filter(pk=issuer.pk).update(issue_for_completions=enabled)
    offering = OfferingFactory(district=cast.district_a, title="Video module", kind="self_paced")
    enrollment = enrol(offering, cast.alice)
    from trellis.catalog.models import CompletionPolicy

    CompletionPolicy.objects.update_or_create(
        district=cast.district_a, defaults={"require_survey": False}
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit_completion(
            access=cast.access(cast.alice), actor=cast.alice, enrollment=enrollment, finished=True
        )
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED
    return enrollment


def test_completion_issues_a_credential_when_enabled(cast, django_capture_on_commit_callbacks):
    enrollment = _finish(cast, True, django_capture_on_commit_callbacks)
    credential = IssuedCredential.objects.get(source_kind=SourceKind.OFFERING)
    assert (credential.recipient, credential.source_key) == (cast.alice, str(enrollment.public_id))
    assert credential.achievement_name == "Video module"


def test_completion_issues_nothing_when_disabled(cast, django_capture_on_commit_callbacks):
    _finish(cast, False, django_capture_on_commit_callbacks)
    assert not IssuedCredential.objects.exists()


def test_a_failing_credential_never_undoes_the_completion(
    cast, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(**kwargs):
        raise DomainError("no_kek", "No key-encryption key is configured.")

    monkeypatch.setattr(credentialing, "issue_credential", broken)
    enrollment = _finish(cast, True, django_capture_on_commit_callbacks)
    assert not IssuedCredential.objects.exists()
    event = AuditEvent.objects.get(action="credential.issue_failed")
    assert event.summary == (
        "Could not issue the credential for “Video module”: No key-encryption key is configured."
    )
    assert event.target_id == str(enrollment.public_id)
