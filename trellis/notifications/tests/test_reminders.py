"""Reminders chosen by the periodic jobs: sessions 24–48 h away, renewal deadlines 90 and 30
days away for educators short of credit; and the runner that runs each job once per interval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from trellis.catalog.models import EnrollmentStatus, OfferingSession, Registration
from trellis.catalog.reminders import send_session_reminders
from trellis.catalog.tests.factories import (
    EnrollmentFactory,
    OfferingFactory,
    OfferingSessionFactory,
)
from trellis.credit.reminders import send_renewal_reminders, threshold_for
from trellis.credit.tests.factories import CreditAwardFactory, LicenseFactory
from trellis.notifications import periodic
from trellis.notifications.models import Kind, Notification, PeriodicRun

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def reminded(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", "subject"))


# ---------------------------------------------------------------------------------------------
# sessions
# ---------------------------------------------------------------------------------------------


def session_at(offering, hours):
    start = NOW + dt.timedelta(hours=hours)
    return OfferingSessionFactory(
        offering=offering, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )


def test_session_reminders_pick_enrolled_people_of_sessions_24_to_48_hours_away(cast):
    series = OfferingFactory(district=cast.district_a, title="Series")
    session_at(series, 30)
    session_at(series, 12)  # too soon
    session_at(series, 60)  # too far
    EnrollmentFactory(offering=series, educator=cast.alice)
    EnrollmentFactory(offering=series, educator=cast.eve, status=EnrollmentStatus.WAITLISTED)
    EnrollmentFactory(offering=series, educator=cast.carol, status=EnrollmentStatus.WITHDRAWN)

    workshop = OfferingFactory(
        district=cast.district_a, title="Workshop", registration=Registration.ONE_SESSION
    )
    tomorrow = session_at(workshop, 47)
    other_day = session_at(workshop, 70)
    EnrollmentFactory(offering=workshop, educator=cast.pat, session=tomorrow)
    EnrollmentFactory(offering=workshop, educator=cast.ada, session=other_day)

    cancelled = OfferingFactory(district=cast.district_a, title="Cancelled")
    gone = session_at(cancelled, 36)
    OfferingSession.objects.filter(pk=gone.pk).update(status=OfferingSession.Status.CANCELLED)
    EnrollmentFactory(offering=cancelled, educator=cast.dana)

    assert send_session_reminders(now=NOW) == 2
    assert reminded(Kind.SESSION_UPCOMING) == [
        ("alice@northfield.test", "Coming up: Series"),
        ("pat@northfield.test", "Coming up: Workshop"),
    ]
    row = Notification.objects.get(recipient=cast.alice)
    assert row.district == cast.district_a
    assert row.path == f"/catalog/{series.public_id}/"
    assert "Central office, room 4." in row.body


def test_session_reminders_go_once_per_session_time(cast):
    series = OfferingFactory(district=cast.district_a, title="Series")
    session = session_at(series, 30)
    EnrollmentFactory(offering=series, educator=cast.alice)

    assert send_session_reminders(now=NOW) == 1
    assert send_session_reminders(now=NOW + dt.timedelta(hours=1)) == 0

    moved = NOW + dt.timedelta(hours=40)  # the session moved: remind again
    OfferingSession.objects.filter(pk=session.pk).update(
        starts_at=moved, ends_at=moved + dt.timedelta(hours=1)
    )
    assert send_session_reminders(now=NOW + dt.timedelta(hours=1)) == 1
    assert Notification.objects.filter(kind=Kind.SESSION_UPCOMING).count() == 2


# ---------------------------------------------------------------------------------------------
# renewal deadlines
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "expected"), [(-1, None), (0, 30), (30, 30), (31, 90), (90, 90), (91, None)]
)
def test_threshold_for(days, expected):
    assert threshold_for(days) == expected


def test_renewal_reminders_pick_educators_short_of_credit_near_their_deadline(cast):
    today = dt.date(2027, 7, 1)
    deadline = dt.date(2027, 8, 31)  # 61 days away: the 90-day reminder
    LicenseFactory(district=cast.district_a, educator=cast.alice, cycle_end=deadline)
    LicenseFactory(district=cast.district_a, educator=cast.eve, cycle_end=deadline)
    CreditAwardFactory(  # Eve has all she needs
        district=cast.district_a,
        educator=cast.eve,
        amount=Decimal(200),
        completed_on=dt.date(2025, 1, 10),
    )
    LicenseFactory(
        district=cast.district_a, educator=cast.carol, cycle_end=dt.date(2028, 8, 31)
    )  # far away

    sent = send_renewal_reminders(district=cast.district_a, today=today)

    recipients = {email for email, _ in reminded(Kind.RENEWAL_DEADLINE)}
    assert "alice@northfield.test" in recipients
    assert not recipients & {"eve@northfield.test", "carol@northfield.test"}
    assert sent == len(recipients)
    alice = Notification.objects.get(recipient=cast.alice, kind=Kind.RENEWAL_DEADLINE)
    assert alice.subject == "Renewal deadline in 61 days: credit still needed"
    assert alice.body.startswith("Your licence renewal deadline is 31 August 2027, 61 days")
    assert alice.path == "/credit/renewal/"

    # Again the same day: nothing; at 30 days: the second reminder; then never again.
    assert send_renewal_reminders(district=cast.district_a, today=today) == 0
    send_renewal_reminders(district=cast.district_a, today=dt.date(2027, 8, 10))
    send_renewal_reminders(district=cast.district_a, today=dt.date(2027, 8, 20))
    assert (
        Notification.objects.filter(recipient=cast.alice, kind=Kind.RENEWAL_DEADLINE).count() == 2
    )


# ---------------------------------------------------------------------------------------------
# the periodic runner
# ---------------------------------------------------------------------------------------------


def test_run_periodic_runs_each_job_once_per_interval(cast, monkeypatch):
    calls = []
    monkeypatch.setattr(
        periodic,
        "JOBS",
        (
            periodic.Job("hourly", dt.timedelta(hours=1), "x.hourly", ""),
            periodic.Job("daily", dt.timedelta(days=1), "x.daily", ""),
        ),
    )
    monkeypatch.setattr(periodic, "_call", lambda target: calls.append(target) or 7)

    first = periodic.run_due(now=NOW)
    soon = periodic.run_due(now=NOW + dt.timedelta(minutes=30))
    later = periodic.run_due(now=NOW + dt.timedelta(hours=2))

    assert [(o.job, o.ran, o.result) for o in first] == [
        ("hourly", True, "ok: 7"),
        ("daily", True, "ok: 7"),
    ]
    assert [o.ran for o in soon] == [False, False]
    assert [o.ran for o in later] == [True, False]
    assert calls == ["x.hourly", "x.daily", "x.hourly"]
    assert PeriodicRun.objects.get(job="hourly").last_result == "ok: 7"


def test_a_failed_job_is_retried_on_the_next_run(cast, monkeypatch):
    monkeypatch.setattr(
        periodic, "JOBS", (periodic.Job("flaky", dt.timedelta(days=1), "x.flaky", ""),)
    )

    def boom(target):
        raise RuntimeError("database away")

    monkeypatch.setattr(periodic, "_call", boom)
    (outcome,) = periodic.run_due(now=NOW)
    monkeypatch.setattr(periodic, "_call", lambda target: 0)
    (retry,) = periodic.run_due(now=NOW + dt.timedelta(minutes=5))

    assert outcome.result == "failed: database away"
    assert retry.ran is True


def test_every_job_target_imports():
    from django.utils.module_loading import import_string

    for job in periodic.JOBS:
        assert callable(import_string(job.target)) or hasattr(import_string(job.target), "call")


def test_the_command_runs_the_real_jobs_and_refuses_unknown_ones(cast, capsys):
    call_command("run_periodic")
    out = capsys.readouterr().out
    assert "session_reminders: ok: 0" in out
    assert "weekly_digests: ok: 0" in out

    call_command("run_periodic")
    assert "session_reminders: not due" in capsys.readouterr().out

    call_command("run_periodic", "--job", "session_reminders", "--force")
    assert capsys.readouterr().out == "session_reminders: ok: 0\n"

    with pytest.raises(CommandError, match="Unknown job"):
        call_command("run_periodic", "--job", "nope")


def test_the_command_lists_the_jobs(capsys, db):
    call_command("run_periodic", "--list")
    out = capsys.readouterr().out
    assert [line.split()[0] for line in out.splitlines()] == [job.name for job in periodic.JOBS]


def test_now_is_used_by_default(cast):
    before = timezone.now()
    periodic.run_due(only=["clean_up_uploads"])
    assert PeriodicRun.objects.get(job="clean_up_uploads").last_run_at >= before
