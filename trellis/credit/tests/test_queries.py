"""Renewal progress, transcripts and salary lanes read from the ledger: worked examples for Texas,
New York and Tennessee licences, the fallbacks without a licence, revoked awards, the bulk path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from trellis.credit import queries
from trellis.credit.models import CreditSettings, CreditSource
from trellis.credit.queries.renewal import evaluate, rule_set_choice
from trellis.credit.rules import LineStatus, Reason
from trellis.credit.tests.factories import CreditAwardFactory, LicenseFactory, SalaryLaneFactory
from trellis.credit.tests.ledgers import award, texas_ledger
from trellis.districts.tests.factories import DistrictFactory, MembershipFactory
from trellis.growth.models import EducatorProfile
from trellis.growth.tests.factories import EducatorProfileFactory

TODAY = dt.date(2026, 11, 23)
D = Decimal


# ---------------------------------------------------------------------------------------------
# Texas, New York, Tennessee licences
# ---------------------------------------------------------------------------------------------


def test_texas_progress_from_the_ledger_applies_caps_relevance_and_the_cycle(
    cast, django_assert_num_queries
):
    texas_ledger(cast)

    access = cast.access(cast.alice)
    with django_assert_num_queries(4):
        renewal = queries.renewal_progress_for(access, cast.alice, today=TODAY)

    progress = renewal.progress
    assert renewal.rule_set.key == "TX/classroom_teacher"
    assert renewal.choice.source == "licence"
    assert renewal.cycle.source == "licence"
    assert (progress.cycle_start, progress.deadline) == (dt.date(2022, 9, 1), dt.date(2027, 8, 31))
    # 6 + 20 (2 CEU) + 25 + 5 (independent study cap 30) + 15 (presenting cap) + 8 = 79
    assert progress.total == D(79)
    assert progress.remaining == D(71)
    assert progress.percent == D("52.6")
    assert progress.complete is False
    assert [(c.value, v) for c, v in progress.by_category] == [
        ("course", D(20)),
        ("workshop", D(14)),
        ("independent_study", D(25)),
        ("informal", D(5)),
        ("presenting", D(15)),
    ]
    assert progress.by_topic == (("reading", D(15)),)
    assert progress.missing == (
        "71 CPE hours more needed by 31 August 2027: 79 of 150 CPE hours count so far.",
        "At least 120 CPE hours must relate to your certificate; 71 do so far, so 49 CPE hours "
        "more of related learning are needed.",
    )
    statuses = {
        line.title: (line.status, line.counted, line.reason_code) for line in progress.records
    }
    assert statuses == {
        "Old workshop": (LineStatus.NOT_COUNTED, D(0), Reason.OUTSIDE_CYCLE),
        "Reading workshop": (LineStatus.COUNTED, D(6), None),
        "Literacy course": (LineStatus.COUNTED, D(20), None),
        "Book study": (LineStatus.COUNTED, D(25), None),
        "Podcasts": (LineStatus.PARTLY_COUNTED, D(5), Reason.OVER_CAP),
        "Conference talk": (LineStatus.PARTLY_COUNTED, D(15), Reason.OVER_CAP),
        "Coding club": (LineStatus.COUNTED, D(8), None),
        "Feedback micro-credential": (LineStatus.NOT_COUNTED, D(0), Reason.UNKNOWN_CONVERSION),
    }
    assert "Mistaken entry" not in {a.title for a in renewal.awards}  # revoked
    assert [(c.key, c.excluded) for c in progress.caps] == [
        ("independent_study", D(5)),
        ("presenting", D(5)),
        ("mentoring", D(0)),
    ]
    assert renewal.days_left == (dt.date(2027, 8, 31) - TODAY).days
    # 84.6% of the cycle is gone and 52.6% counts: more than 10 points behind
    assert renewal.elapsed_percent == D("84.6")
    assert renewal.status == "behind_pace"
    assert renewal.at_risk is True


def test_new_york_counts_approved_sponsors_only_and_checks_the_ell_quota(cast):
    bob, district = cast.bob, cast.district_b
    LicenseFactory(
        district=district,
        educator=bob,
        rule_set_key="NY/professional",
        cycle_start=dt.date(2024, 2, 1),
        cycle_end=dt.date(2029, 1, 31),
    )
    common = {"educator": bob, "district": district}
    award(cast, title="ELL strategies", amount=D(10), topics=["ell"], **common)
    award(cast, title="Math course", amount=D(30), category="course", **common)
    award(
        cast,
        title="Unapproved ELL",
        amount=D(12),
        topics=["ell"],
        provider_approved=False,
        **common,
    )
    award(cast, title="Unknown sponsor", amount=D(5), provider_approved=None, **common)

    renewal = queries.renewal_progress_for(cast.access(bob), bob, today=TODAY)

    progress = renewal.progress
    assert renewal.rule_set.key == "NY/professional"
    assert progress.unit.value == "ctle_hour"
    assert (progress.total, progress.required, progress.percent) == (D(40), D(100), D(40))
    (quota,) = progress.quotas
    assert (quota.topic, quota.needed, quota.counted, quota.met, quota.short_by) == (
        "ell",
        D(15),
        D(10),
        False,
        D(5),
    )
    assert progress.missing[1] == (
        "At least 15 CTLE hours must address the language-acquisition needs of English-language "
        "learners; 10 do so far, so 5 CTLE hours more on that topic are needed."
    )
    refused = {line.title: line.reason for line in progress.records if not line.counted}
    assert refused == {
        "Unapproved ELL": "Provider Region 13 ESC is not a NYSED-approved CTLE sponsor; New York "
        "counts only activities from one.",
        "Unknown sponsor": "Provider Region 13 ESC is not known to be a NYSED-approved CTLE "
        "sponsor; New York counts only activities from one.",
    }


def test_tennessee_converts_micro_credentials_ceus_and_semester_hours(cast):
    LicenseFactory(
        district=cast.district_a,
        educator=cast.eve,
        rule_set_key="TN/professional_renewal",
        cycle_start=dt.date(2021, 7, 1),
        cycle_end=dt.date(2027, 6, 30),
    )
    common = {"educator": cast.eve}
    for n in (1, 2):
        award(
            cast,
            title=f"Micro-credential {n}",
            amount=D(1),
            unit="micro_credential",
            category="micro_credential",
            source=CreditSource.MICRO_CREDENTIAL,
            **common,
        )
    award(cast, title="CEU course", amount=D(1), unit="ceu", category="course", **common)
    award(
        cast,
        title="Graduate course",
        amount=D(3),
        unit="semester_hour",
        category="college_course",
        **common,
    )
    award(cast, title="Half-day workshop", amount=D("7.5"), **common)

    renewal = queries.renewal_progress_for(cast.access(cast.eve), cast.eve, today=TODAY)

    progress = renewal.progress
    assert progress.rule_set_key == "TN/professional_renewal"
    # 2 × 6 + 5 + 3 × 10 + 7.5 = 54.5 of 60 PDPs
    assert (progress.total, progress.remaining, progress.percent) == (
        D("54.5"),
        D("5.5"),
        D("90.8"),
    )
    assert progress.missing == (
        "5.5 PDPs more needed by 30 June 2027: 54.5 of 60 PDPs count so far.",
    )
    assert renewal.status == "on_track"


# ---------------------------------------------------------------------------------------------
# without a licence
# ---------------------------------------------------------------------------------------------


def test_without_a_licence_the_position_picks_the_rule_set_and_the_school_year_the_cycle(cast):
    award(cast, title="Last spring", completed_on=dt.date(2026, 4, 1), amount=D(6))
    award(cast, title="This fall", completed_on=dt.date(2026, 9, 15), amount=D(6))

    renewal = queries.renewal_progress_for(cast.access(cast.alice), cast.alice, today=TODAY)

    assert renewal.rule_set.key == "TX/classroom_teacher"
    assert renewal.choice.source == "position"
    assert renewal.cycle.source == "school_year"
    assert (renewal.progress.cycle_start, renewal.progress.deadline) == (
        dt.date(2026, 7, 1),
        dt.date(2031, 6, 30),
    )
    assert renewal.progress.total == D(6)
    assert renewal.cycle.explanation == (
        "Neither a licence nor a district default cycle is on record, so Trellis counts 5 years "
        "from 1 July 2026, the start of this school year. Learning before then is not counted."
    )


def test_the_district_default_cycle_start_rolls_forward_to_the_current_cycle(cast):
    CreditSettings.objects.create(district=cast.district_a, default_cycle_start=dt.date(2016, 9, 1))

    renewal = queries.renewal_progress_for(cast.access(cast.alice), cast.alice, today=TODAY)

    assert renewal.cycle.source == "district"
    assert (renewal.cycle.cycle.start, renewal.cycle.cycle.end) == (
        dt.date(2026, 9, 1),
        dt.date(2031, 8, 31),
    )


@pytest.mark.parametrize(
    ("position", "key"),
    [
        ("teacher", "TX/classroom_teacher"),
        ("counselor", "TX/counselor"),
        ("librarian", "TX/librarian"),
        ("leader", "TX/principal"),
        ("specialist", "TX/classroom_teacher"),
        ("coach", "TX/classroom_teacher"),
        ("para", None),
        ("district", None),
    ],
)
def test_texas_positions_map_to_rule_sets(cast, position, key):
    EducatorProfile.objects.filter(user=cast.alice).update(position=position)

    found = queries.rule_set_for_educator(cast.district_a, cast.alice)

    assert (found.key if found else None) == key


def test_the_settings_jurisdiction_overrides_the_district_state(cast):
    CreditSettings.objects.create(district=cast.district_a, jurisdiction="NY")
    EducatorProfile.objects.filter(user=cast.alice).update(position="para")

    assert queries.rule_set_for_educator(cast.district_a, cast.alice).key == (
        "NY/teaching_assistant_level_3"
    )


def test_a_state_without_rules_shows_hours_only_with_an_explanation(db):
    district = DistrictFactory(name="Bayside", slug="bayside", state_code="CA")
    person = MembershipFactory(district=district).user
    CreditAwardFactory(district=district, educator=person, amount=D(6))
    CreditAwardFactory(district=district, educator=person, amount=D("1.5"), unit="ceu", hours=D(15))
    from trellis.districts.queries import access_for

    renewal = queries.renewal_progress_for(access_for(person, district), person, today=TODAY)

    assert renewal.progress is None
    assert renewal.status == "no_rule_set"
    assert renewal.choice.explanation == (
        "Trellis has no renewal rules for CA yet, so it shows hours without a requirement. Keep "
        "records of what the state asks for."
    )
    assert renewal.hours_total == D(21)
    assert [text for _u, _t, text in renewal.totals_by_unit] == ["6 clock hours", "1.5 CEUs"]


def test_a_position_the_state_rules_do_not_cover_is_explained(cast):
    EducatorProfile.objects.filter(user=cast.alice).update(position="para")

    renewal = queries.renewal_progress_for(cast.access(cast.alice), cast.alice, today=TODAY)

    assert renewal.progress is None
    assert renewal.choice.explanation.startswith(
        "The Texas renewal rules in Trellis do not cover the position on the growth profile "
        "(paraprofessional)"
    )


def test_tennessee_without_a_licence_assumes_five_years_and_says_so(cast):
    CreditSettings.objects.create(district=cast.district_a, jurisdiction="TN")

    renewal = queries.renewal_progress_for(cast.access(cast.alice), cast.alice, today=TODAY)

    assert renewal.rule_set.key == "TN/professional_renewal"
    assert (renewal.cycle.cycle.start, renewal.cycle.cycle.end) == (
        dt.date(2026, 7, 1),
        dt.date(2031, 6, 30),
    )
    assert "the Tennessee rules leave the length to the licence" in renewal.cycle.explanation


def test_a_licence_naming_an_unknown_rule_set_falls_back_to_hours(cast):
    license_row = LicenseFactory.build(rule_set_key="ZZ/nobody")

    choice = rule_set_choice("TX", license_row, "teacher")

    assert choice.rule_set is None
    assert "ZZ/nobody" in choice.explanation


def test_an_educator_without_a_profile_is_treated_as_a_teacher(cast):
    EducatorProfile.objects.filter(user=cast.alice).delete()

    assert queries.rule_set_for_educator(cast.district_a, cast.alice).key == "TX/classroom_teacher"


def test_other_districts_awards_never_count(cast):
    award(cast, title="Elsewhere", district=cast.district_b, amount=D(50))

    renewal = queries.renewal_progress_for(cast.access(cast.alice), cast.alice, today=TODAY)

    assert renewal.awards == []
    assert renewal.progress.total == D(0)


# ---------------------------------------------------------------------------------------------
# transcript and salary lanes
# ---------------------------------------------------------------------------------------------


def test_the_transcript_lists_non_revoked_awards_newest_first_with_totals(
    cast, django_assert_num_queries
):
    texas_ledger(cast)

    access = cast.access(cast.alice)
    with django_assert_num_queries(4):
        transcript = queries.transcript_for(access, cast.alice)

    assert [row.award.title for row in transcript.rows] == [
        "Feedback micro-credential",
        "Coding club",
        "Conference talk",
        "Podcasts",
        "Book study",
        "Literacy course",
        "Reading workshop",
        "Old workshop",
    ]
    assert [(unit, total) for unit, total, _text in transcript.by_unit] == [
        ("clock_hour", D(74)),
        ("ceu", D(2)),
        ("micro_credential", D(1)),
    ]
    assert transcript.hours == D(89)  # 74 clock hours + 15 for the micro-credential
    assert transcript.micro_credentials == 1
    assert [(t.label, t.count, t.hours) for t in transcript.by_category] == [
        ("Courses", 1, D(0)),
        ("Workshops", 3, D(19)),
        ("Independent study", 1, D(25)),
        ("Informal learning", 1, D(10)),
        ("Presenting", 1, D(20)),
        ("Micro-credentials", 1, D(15)),
    ]
    podcasts = next(row for row in transcript.rows if row.award.title == "Podcasts")
    assert (podcasts.value, podcasts.counted, podcasts.status) == (D(10), D(5), "Partly counted")
    assert transcript.counted_total == D(79)


def test_lane_standing_counts_hours_direct_credits_and_micro_credentials(
    cast, django_assert_num_queries
):
    district = cast.district_a
    CreditSettings.objects.create(district=district, hours_per_salary_credit=D(15))
    SalaryLaneFactory(district=district, name="BA+15", position=1, credits_required=D(15))
    SalaryLaneFactory(
        district=district,
        name="MA equivalent",
        position=2,
        credits_required=D(45),
        micro_credentials_required=30,
    )
    SalaryLaneFactory(
        district=cast.district_b, name="Other district lane", position=1
    )  # wrong district
    award(cast, amount=D(300))  # 20 credits
    award(cast, amount=D(3), unit="salary_credit", hours=D(0), category="college_course")
    for _ in range(2):
        award(
            cast,
            amount=D(1),
            unit="micro_credential",
            category="micro_credential",
            source=CreditSource.MICRO_CREDENTIAL,
            hours=D(10),
        )
    award(cast, amount=D(1), source=CreditSource.MICRO_CREDENTIAL, hours=D(0))

    access = cast.access(cast.alice)
    with django_assert_num_queries(3):
        standing = queries.lane_standing(access, cast.alice)

    # (300 + 20) / 15 = 21.33 credits from hours, plus 3 recorded directly
    assert standing.credits == D("24.33")
    assert standing.micro_credentials == 3
    assert standing.current.name == "BA+15"
    assert standing.next.name == "MA equivalent"
    assert standing.missing == (
        "20.67 more salary-lane credits or 27 more micro-credentials to reach MA equivalent."
    )
    assert [(row.lane.name, row.reached, row.current) for row in standing.lanes] == [
        ("BA+15", True, True),
        ("MA equivalent", False, False),
    ]


def test_lane_standing_with_no_lanes_and_no_credit(cast):
    standing = queries.lane_standing(cast.access(cast.alice), cast.alice)

    assert (standing.lanes, standing.credits, standing.current, standing.next) == (
        [],
        0,
        None,
        None,
    )
    assert standing.missing == ""


def test_a_lane_reached_by_micro_credentials_alone(cast):
    SalaryLaneFactory(
        district=cast.district_a,
        name="Micro lane",
        credits_required=None,
        micro_credentials_required=1,
    )
    award(cast, amount=D(1), unit="micro_credential", category="micro_credential")

    standing = queries.lane_standing(cast.access(cast.alice), cast.alice)

    assert (standing.current.name, standing.next, standing.missing) == ("Micro lane", None, "")


# ---------------------------------------------------------------------------------------------
# the bulk path
# ---------------------------------------------------------------------------------------------


def test_bulk_progress_matches_the_single_educator_path(cast, django_assert_num_queries):
    texas_ledger(cast)
    award(cast, educator=cast.eve, amount=D(12))
    LicenseFactory(district=cast.district_a, educator=cast.carol, rule_set_key="TX/counselor")
    ids = queries.credited_educator_ids(cast.district_a)

    with django_assert_num_queries(1 + 4 * 2):  # settings, then 4 per chunk of 2
        bulk = list(
            queries.renewal_progress_bulk(
                cast.district_a, educator_ids=ids, today=TODAY, chunk_size=2
            )
        )

    assert [r.educator_id for r in bulk] == sorted([cast.alice.pk, cast.eve.pk, cast.carol.pk])
    for renewal in bulk:
        person = next(p for p in (cast.alice, cast.eve, cast.carol) if p.pk == renewal.educator_id)
        single = queries.renewal_progress_for(cast.access(person), person, today=TODAY)
        assert renewal.progress == single.progress
        assert renewal.educator_email == person.email
    carol = next(r for r in bulk if r.educator_id == cast.carol.pk)
    assert (carol.progress.total, carol.progress.required) == (D(0), D(200))


def test_bulk_without_ids_covers_everyone_with_credit_or_a_licence(cast):
    award(cast, educator=cast.eve, amount=D(3))
    LicenseFactory(district=cast.district_a, educator=cast.carol)
    award(cast, educator=cast.bob, district=cast.district_b, amount=D(3))

    found = {r.educator_id for r in queries.renewal_progress_bulk(cast.district_a, today=TODAY)}

    assert found == {cast.eve.pk, cast.carol.pk}


def test_evaluate_caches_the_default_cycle_per_rule_set(cast):
    settings_row = CreditSettings(district=cast.district_a)
    cycles: dict = {}
    common = {
        "educator_name": "",
        "educator_email": "",
        "jurisdiction": "TX",
        "settings_row": settings_row,
        "license_row": None,
        "awards": [],
        "today": TODAY,
        "cycles": cycles,
    }

    first = evaluate(educator_id=1, position="teacher", **common)
    second = evaluate(educator_id=2, position="coach", **common)

    assert list(cycles) == ["TX/classroom_teacher"]
    assert first.cycle is second.cycle


def test_profiles_in_another_district_do_not_change_the_rule_set(cast):
    EducatorProfileFactory(user=cast.alice, district=cast.district_b, position="counselor")

    assert queries.rule_set_for_educator(cast.district_a, cast.alice).key == "TX/classroom_teacher"
