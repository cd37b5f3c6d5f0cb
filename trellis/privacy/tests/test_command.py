"""`trellis erase_educator`: the dry run writes nothing; the real run erases and records."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from trellis.audit.models import AuditEvent
from trellis.districts.models import Membership
from trellis.privacy.models import ErasureRecord
from trellis.privacy.tests.world import build

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("erase_educator", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_prints_the_preview_and_writes_nothing(cast) -> None:
    build(cast)
    before = Membership.objects.count(), AuditEvent.objects.count()

    out = _run("--district", "northfield", "--email", "alice@northfield.test", "--dry-run")

    assert "Erased (35):" in out
    assert "       2  Evidence artifacts and their stored files (earned ones too)" in out
    assert "       1  Credit awards: Credit awards are the licensure record" in out
    assert out.endswith("Dry run: nothing was erased.\n")
    assert (Membership.objects.count(), AuditEvent.objects.count()) == before
    assert ErasureRecord.objects.count() == 0


def test_the_real_run_erases_and_records(cast, django_capture_on_commit_callbacks) -> None:
    build(cast)

    with django_capture_on_commit_callbacks(execute=True):
        out = _run(
            "--district", "northfield", "--email", "Alice@Northfield.test", "--reason", "Ticket 9"
        )

    record = ErasureRecord.objects.get()
    assert out.splitlines()[-1] == (
        f"Erased 35 records; erasure {record.public_id}, account deactivated."
    )
    assert record.erased_by is None
    assert record.reason == "Ticket 9"
    assert not Membership.objects.filter(user=cast.alice).exists()
    assert AuditEvent.objects.filter(action="privacy.educator_erased").count() == 1


def test_the_command_refuses_without_a_reason_or_outside_the_district(cast) -> None:
    with pytest.raises(CommandError, match="Give the reason"):
        _run("--district", "northfield", "--email", "alice@northfield.test")
    with pytest.raises(CommandError, match="No member of northfield"):
        _run("--district", "northfield", "--email", "bob@southport.test", "--reason", "r")
    with pytest.raises(CommandError, match="No district"):
        _run("--district", "nowhere", "--email", "bob@southport.test", "--reason", "r")
    assert ErasureRecord.objects.count() == 0
