"""The nightly recompute of every district's recommendation snapshot via `trellis run_periodic`."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from trellis.audit.models import AuditEvent
from trellis.notifications import periodic
from trellis.recommend import tasks
from trellis.recommend.models import RecommendationSnapshot

pytestmark = pytest.mark.django_db


def test_the_job_is_scheduled_nightly() -> None:
    job = next(j for j in periodic.JOBS if j.name == "recompute_recommendations")
    assert job.every == dt.timedelta(days=1)
    assert job.target == "trellis.recommend.tasks.recompute_all_districts"


def test_run_periodic_recomputes_every_districts_snapshot_once_a_day(world) -> None:
    cast = world.cast
    out = StringIO()
    call_command("run_periodic", job=["recompute_recommendations"], stdout=out)
    assert out.getvalue().startswith("recompute_recommendations: ok: 2 districts recomputed, ")
    rows = RecommendationSnapshot.objects.filter(district=cast.district_a)
    assert rows.filter(educator=cast.alice).count() == 3
    assert (
        not RecommendationSnapshot.objects.filter(district=cast.district_b)
        .exclude(educator__memberships__district=cast.district_b)
        .exists()
    )
    assert (
        AuditEvent.objects.filter(
            action="recommend.snapshot_recomputed", district=cast.district_a
        ).count()
        == 1
    )
    # called again within the day: not due, nothing recomputed
    again = StringIO()
    call_command("run_periodic", job=["recompute_recommendations"], stdout=again)
    assert again.getvalue() == "recompute_recommendations: not due\n"
    # the next night it runs again and replaces (never duplicates) the rows
    tomorrow = timezone.now() + dt.timedelta(days=1, minutes=1)
    outcomes = periodic.run_due(now=tomorrow, only=["recompute_recommendations"])
    assert [(o.ran, o.result.startswith("ok: 2 districts")) for o in outcomes] == [(True, True)]
    assert rows.filter(educator=cast.alice).count() == 3


def test_one_failing_district_does_not_stop_the_others_but_fails_the_job(world, monkeypatch):
    cast = world.cast
    real = tasks.recompute_district

    def flaky(district):
        if district.pk == cast.district_a.pk:
            raise RuntimeError("boom")
        return real(district)

    monkeypatch.setattr(tasks, "recompute_district", flaky)
    outcomes = periodic.run_due(only=["recompute_recommendations"], force=True)
    assert outcomes[0].result == (
        f"failed: recompute failed for {cast.district_a.slug} (1 recomputed)"
    )
    assert (
        AuditEvent.objects.filter(
            action="recommend.snapshot_recomputed", district=cast.district_b
        ).count()
        == 1
    )
