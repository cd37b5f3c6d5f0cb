"""Assertions shared by the credit service tests: a refused call writes nothing."""

from __future__ import annotations

import pytest

from trellis.audit.models import AuditEvent
from trellis.core.errors import DomainError
from trellis.credit.models import CreditAward, CreditSettings, License, SalaryLane


def snapshot() -> tuple[int, ...]:
    return (
        CreditSettings.objects.count(),
        License.objects.count(),
        SalaryLane.objects.count(),
        CreditAward.objects.count(),
        CreditAward.objects.filter(revoked_at__isnull=False).count(),
        AuditEvent.objects.count(),
    )


def refused(call, code: str, message: str, field: str | None = None) -> DomainError:
    before = snapshot()
    with pytest.raises(DomainError) as caught:
        call()
    assert (caught.value.code, caught.value.message) == (code, message)
    if field is not None:
        assert caught.value.details == {"field": field}
    assert snapshot() == before
    return caught.value
