"""The district's credit setup: settings, licences, salary lanes, recording and revoking credit.
Every bad input is refused with a clear message and writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from trellis.audit.models import AuditEvent
from trellis.core.errors import ConflictError, PermissionDenied
from trellis.credit import services
from trellis.credit.models import CreditAward, CreditSource, License
from trellis.credit.tests.checks import refused, snapshot
from trellis.credit.tests.factories import CreditAwardFactory

D = Decimal


# ---------------------------------------------------------------------------------------------
# settings
# ---------------------------------------------------------------------------------------------


def update_settings(cast, user=None, **changes):
    data = {"jurisdiction": "", "default_cycle_start": None, "hours_per_salary_credit": "15"}
    data.update(changes)
    return services.update_credit_settings(
        access=cast.access(user or cast.dana), actor=user or cast.dana, **data
    )


def test_settings_are_saved_and_audited(cast):
    row = update_settings(
        cast, jurisdiction="tn", default_cycle_start="2023-07-01", hours_per_salary_credit="12.5"
    )

    row.refresh_from_db()
    assert (row.jurisdiction, row.default_cycle_start, row.hours_per_salary_credit) == (
        "TN",
        dt.date(2023, 7, 1),
        D("12.5"),
    )
    event = AuditEvent.objects.get(action="credit.settings_changed")
    assert event.data == {
        "before": {"jurisdiction": "", "default_cycle_start": "", "hours_per_salary_credit": "15"},
        "after": {
            "jurisdiction": "TN",
            "default_cycle_start": "2023-07-01",
            "hours_per_salary_credit": "12.5",
        },
    }


def test_saving_the_same_settings_twice_writes_one_audit_row(cast):
    update_settings(cast, jurisdiction="TX")
    update_settings(cast, jurisdiction="TX")

    assert AuditEvent.objects.filter(action="credit.settings_changed").count() == 1


@pytest.mark.parametrize(
    ("changes", "code", "message", "field"),
    [
        (
            {"jurisdiction": "CA"},
            "unknown_jurisdiction",
            "Trellis has no renewal rules for “CA”; it ships NY, TN, TX. Leave it empty to use "
            "the district's state (TX).",
            "jurisdiction",
        ),
        (
            {"hours_per_salary_credit": "0"},
            "invalid_hours_per_salary_credit",
            "The hours per salary-lane credit must be more than 0, not 0.",
            "hours_per_salary_credit",
        ),
        (
            {"hours_per_salary_credit": "fifteen"},
            "invalid_hours_per_salary_credit",
            "The hours per salary-lane credit must be a number, not “fifteen”.",
            "hours_per_salary_credit",
        ),
        (
            {"hours_per_salary_credit": "1000"},
            "invalid_hours_per_salary_credit",
            "The hours per salary-lane credit must be at most 999.99, not 1000.",
            "hours_per_salary_credit",
        ),
        (
            {"hours_per_salary_credit": "1.234"},
            "invalid_hours_per_salary_credit",
            "The hours per salary-lane credit can have at most 2 decimal places (1.234 given).",
            "hours_per_salary_credit",
        ),
        (
            {"default_cycle_start": "next spring"},
            "invalid_default_cycle_start",
            "The default cycle start must be a date (YYYY-MM-DD), not “next spring”.",
            "default_cycle_start",
        ),
        (
            {"default_cycle_start": "1900-07-01"},
            "invalid_default_cycle_start",
            "The default cycle start 1900-07-01 is not plausible: use a date from 1950 to 2100.",
            "default_cycle_start",
        ),
    ],
)
def test_bad_settings_are_refused(cast, changes, code, message, field):
    refused(lambda: update_settings(cast, **changes), code, message, field)


def test_only_credit_managers_change_settings(cast):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        update_settings(cast, user=cast.pat)
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# licences
# ---------------------------------------------------------------------------------------------


def set_license(cast, educator=None, user=None, **changes):
    data = {"rule_set_key": "TX/classroom_teacher", "number": " TX-1 ", "cycle_start": "2022-09-01"}
    data.update(changes)
    return services.set_license(
        access=cast.access(user or cast.dana),
        actor=user or cast.dana,
        educator=educator or cast.alice,
        **data,
    )


def test_a_licence_without_an_end_runs_the_rule_sets_years(cast):
    found = set_license(cast)

    assert (found.rule_set_key, found.number, found.cycle_start, found.cycle_end) == (
        "TX/classroom_teacher",
        "TX-1",
        dt.date(2022, 9, 1),
        dt.date(2027, 8, 31),
    )
    event = AuditEvent.objects.get(action="credit.license_set")
    assert (event.subject, event.summary) == (
        cast.alice,
        "Licence TX/classroom_teacher, cycle 2022-09-01 to 2027-08-31",
    )


def test_setting_a_licence_again_replaces_it(cast):
    set_license(cast)
    set_license(cast, rule_set_key="TN/professional_renewal", cycle_end="2028-08-31")

    found = License.objects.get(educator=cast.alice)
    assert (found.rule_set_key, found.cycle_end) == (
        "TN/professional_renewal",
        dt.date(2028, 8, 31),
    )
    assert AuditEvent.objects.filter(action="credit.license_set").count() == 2


@pytest.mark.parametrize(
    ("changes", "code", "message", "field"),
    [
        (
            {"rule_set_key": "TX/astronaut"},
            "unknown_rule_set",
            "Choose one of the rule sets Trellis ships (NY/esol_bilingual, NY/professional, "
            "NY/teaching_assistant_level_3, TN/professional_advancement, TN/professional_renewal, "
            "TX/classroom_teacher, TX/counselor, TX/educational_diagnostician, TX/librarian, "
            "TX/master_teacher, TX/principal, TX/reading_specialist, TX/superintendent), not "
            "“TX/astronaut”.",
            "rule_set_key",
        ),
        (
            {"rule_set_key": "TN/professional_renewal"},
            "cycle_end_required",
            "The Tennessee rules leave the cycle to the licence: enter the date the licence "
            "expires.",
            "cycle_end",
        ),
        (
            {"cycle_end": "2022-08-31"},
            "cycle_end_before_start",
            "The cycle ends (2022-08-31) before it starts (2022-09-01).",
            "cycle_end",
        ),
        (
            {"cycle_end": "2040-01-01"},
            "cycle_too_long",
            "A renewal cycle of more than 10 years (2022-09-01 to 2040-01-01) is probably a "
            "typo; check the dates.",
            "cycle_end",
        ),
        (
            {"cycle_start": ""},
            "invalid_cycle_start",
            "Enter the cycle start as a date (YYYY-MM-DD).",
            "cycle_start",
        ),
        (
            {"number": "X" * 61},
            "number_too_long",
            "The certificate number is too long: at most 60 characters (61 given).",
            "number",
        ),
    ],
)
def test_bad_licences_are_refused(cast, changes, code, message, field):
    refused(lambda: set_license(cast, **changes), code, message, field)


def test_a_licence_for_someone_outside_the_district_is_refused(cast):
    refused(
        lambda: set_license(cast, educator=cast.bob),
        "not_in_district",
        "Bob Brown has no active role in Northfield.",
        "educator",
    )


def test_only_credit_managers_set_licences(cast):
    with pytest.raises(PermissionDenied):
        set_license(cast, user=cast.alice)
    assert License.objects.count() == 0


def test_removing_a_licence(cast):
    set_license(cast)

    services.remove_license(access=cast.access(cast.dana), actor=cast.dana, educator=cast.alice)

    assert License.objects.count() == 0
    assert AuditEvent.objects.filter(action="credit.license_removed").count() == 1
    refused(
        lambda: services.remove_license(
            access=cast.access(cast.dana), actor=cast.dana, educator=cast.alice
        ),
        "no_license",
        "No licence is on record for Alice Archer.",
    )


# ---------------------------------------------------------------------------------------------
# recording and revoking credit
# ---------------------------------------------------------------------------------------------


def record(cast, educator=None, user=None, **changes):
    data = {
        "title": "  Graduate reading course ",
        "provider": "State University",
        "completed_on": "2026-05-20",
        "amount": "3",
        "unit": "semester_hour",
        "category": "college_course",
        "topics": "Reading, ell",
        "evidence_note": "Official transcript received 1 June.",
    }
    data.update(changes)
    return services.record_external_credit(
        access=cast.access(user or cast.dana),
        actor=user or cast.dana,
        educator=educator or cast.alice,
        **data,
    )


@time_machine.travel(dt.datetime(2026, 11, 23, 15, tzinfo=dt.UTC), tick=False)
def test_recording_external_credit_writes_an_award_and_the_evidence(cast):
    award = record(cast)

    award.refresh_from_db()
    assert (award.source, len(award.source_ref), award.title, award.provider) == (
        CreditSource.EXTERNAL,
        32,
        "Graduate reading course",
        "State University",
    )
    assert (award.amount, award.unit, award.hours, award.topics) == (
        D(3),
        "semester_hour",
        D(45),
        ["ell", "reading"],
    )
    assert (award.awarded_by, award.provider_approved, award.related_to_certificate) == (
        cast.dana,
        None,
        True,
    )
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "credit.awarded",
        "credit.evidence_noted",
    ]
    assert AuditEvent.objects.get(action="credit.evidence_noted").data == {
        "evidence_note": "Official transcript received 1 June."
    }


@pytest.mark.parametrize(
    ("unit", "amount", "hours", "expected"),
    [
        ("clock_hour", "7.5", None, D("7.5")),
        ("ceu", "1.5", None, D(15)),
        ("pdp", "6", None, D(6)),
        ("micro_credential", "1", None, D(0)),
        ("micro_credential", "1", "12", D(12)),
        ("salary_credit", "2", "", D(0)),
    ],
)
@time_machine.travel(dt.datetime(2026, 11, 23, 15, tzinfo=dt.UTC), tick=False)
def test_clock_hours_are_derived_from_hour_like_units(cast, unit, amount, hours, expected):
    award = record(cast, unit=unit, amount=amount, hours=hours, evidence_note="")

    assert award.hours == expected
    assert not AuditEvent.objects.filter(action="credit.evidence_noted").exists()


@pytest.mark.parametrize(
    ("changes", "code", "message", "field"),
    [
        ({"title": " "}, "title_required", "Enter the title.", "title"),
        (
            {"completed_on": "2026-11-24"},
            "completed_in_future",
            "The completion date 2026-11-24 is in the future; record learning once it is done.",
            "completed_on",
        ),
        (
            {"completed_on": "24/11/2026"},
            "invalid_completed_on",
            "The completion date must be a date (YYYY-MM-DD), not “24/11/2026”.",
            "completed_on",
        ),
        ({"amount": "0"}, "invalid_amount", "The amount must be more than 0, not 0.", "amount"),
        ({"amount": ""}, "invalid_amount", "Enter the amount as a number.", "amount"),
        (
            {"amount": "100000"},
            "invalid_amount",
            "The amount must be at most 99999.99, not 100000.",
            "amount",
        ),
        (
            {"unit": "furlong"},
            "unknown_unit",
            "Unknown unit “furlong”; use one of clock_hour, ceu, pdp, ctle_hour, cpe_hour, "
            "salary_credit, semester_hour, micro_credential.",
            "unit",
        ),
        (
            {"category": "holiday"},
            "unknown_category",
            "Unknown category “holiday”; use one of course, workshop, conference, plc, coaching, "
            "independent_study, informal, presenting, mentoring, micro_credential, "
            "college_course, nbpts, evaluation, other.",
            "category",
        ),
        (
            {"topics": "ell, English learners!"},
            "invalid_topics",
            "Topic tags use lower-case letters, digits, “-” and “_” (at most 40): english "
            "learners! cannot be used.",
            "topics",
        ),
        (
            {"hours": "-1"},
            "invalid_hours",
            "The clock hours must be 0 or more, not -1.",
            "hours",
        ),
        (
            {"evidence_note": "x" * 2001},
            "evidence_note_too_long",
            "The evidence note is too long: at most 2000 characters (2001 given).",
            "evidence_note",
        ),
        (
            {"provider_approved": "maybe"},
            "invalid_provider_approved",
            "Say whether the provider is approved: yes, no or not known.",
            "provider_approved",
        ),
    ],
)
@time_machine.travel(dt.datetime(2026, 11, 23, 15, tzinfo=dt.UTC), tick=False)
def test_bad_external_credit_is_refused(cast, changes, code, message, field):
    refused(lambda: record(cast, **changes), code, message, field)


def test_external_credit_for_someone_outside_the_district_is_refused(cast):
    refused(
        lambda: record(cast, educator=cast.bob),
        "not_in_district",
        "Bob Brown has no active role in Northfield.",
        "educator",
    )


def test_only_credit_managers_record_credit(cast):
    with pytest.raises(PermissionDenied):
        record(cast, user=cast.alice, educator=cast.alice)
    assert CreditAward.objects.count() == 0


def test_revoking_an_award_keeps_the_row_and_says_why(cast):
    award = CreditAwardFactory(district=cast.district_a, educator=cast.alice, title="Duplicate")

    services.revoke_award(
        access=cast.access(cast.dana), actor=cast.dana, award=award, reason=" Entered twice. "
    )

    award.refresh_from_db()
    assert award.revoked_at is not None
    assert award.revoked_reason == "Entered twice."
    event = AuditEvent.objects.get(action="credit.revoked")
    assert (event.summary, event.subject, event.data) == (
        "Revoked 6 clock hours for “Duplicate”",
        cast.alice,
        {"reason": "Entered twice."},
    )
    with pytest.raises(ConflictError) as caught:
        services.revoke_award(
            access=cast.access(cast.dana), actor=cast.dana, award=award, reason="Again"
        )
    assert caught.value.code == "already_revoked"


def test_revoking_needs_a_reason_and_an_award_of_the_district(cast):
    ours = CreditAwardFactory(district=cast.district_a, educator=cast.alice)
    theirs = CreditAwardFactory(district=cast.district_b, educator=cast.bob)
    access = cast.access(cast.dana)

    refused(
        lambda: services.revoke_award(access=access, actor=cast.dana, award=ours, reason="  "),
        "reason_required",
        "Enter the reason.",
        "reason",
    )
    refused(
        lambda: services.revoke_award(access=access, actor=cast.dana, award=theirs, reason="x"),
        "unknown_award",
        "That award is not one of this district's.",
    )
    with pytest.raises(PermissionDenied):
        services.revoke_award(
            access=cast.access(cast.alice), actor=cast.alice, award=ours, reason="x"
        )
