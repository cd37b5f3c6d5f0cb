"""The educator's profile, career stages under district thresholds, and the settings page."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from trellis.audit.models import AuditEvent
from trellis.core.errors import DomainError, PermissionDenied
from trellis.districts.tests.factories import MembershipFactory
from trellis.growth import queries
from trellis.growth.career import CareerStage, stage_label, threshold_problem
from trellis.growth.models import EducatorProfile, GrowthSettings
from trellis.growth.services import profile as services

VALID_FORM = {
    "position": "specialist",
    "years_experience": "6",
    "subjects": "Mathematics,  Science , mathematics,",
    "grade_bands": ["6_8", "9_12"],
    "students_served": ["gifted", "english_learners"],
    "preferred_formats": ["coaching", "plc"],
    "learning_times": ["summer", "plc_time"],
    "weekly_minutes": "90",
    "interests": "  Project-based learning in math.  ",
}

VALID_FIELDS = {
    "position": "teacher",
    "years_experience": 3,
    "subjects": ["Mathematics"],
    "grade_bands": ["6_8"],
    "students_served": [],
    "preferred_formats": [],
    "learning_times": [],
    "weekly_minutes": None,
    "interests": "",
}


def profile_row(user, district):
    return EducatorProfile.objects.filter(user=user, district=district).values().get()


# ---------------------------------------------------------------------------------------------
# the profile page
# ---------------------------------------------------------------------------------------------


def test_the_profile_page_shows_the_current_profile_and_school(cast, client_for):
    response = client_for(cast.alice).get("/growth/profile/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>My learner profile</h1>" in content
    assert "School: Northfield Middle" in content
    assert "Career stage: <strong>Novice (0–3 years)</strong>" in content
    assert 'name="subjects" value="Mathematics"' in content
    assert (
        '<legend>Students you serve <span class="muted">(optional; choose any)</span></legend>'
        in (content)
    )
    assert re.search(r'value="6_8"[^>]*checked', content)


def test_an_educator_saves_their_profile(cast, client_for):
    response = client_for(cast.alice).post("/growth/profile/", VALID_FORM)

    assert response.status_code == 302
    assert response["Location"] == "/growth/profile/"
    row = profile_row(cast.alice, cast.district_a)
    assert {k: row[k] for k in VALID_FIELDS} == {
        "position": "specialist",
        "years_experience": 6,
        "subjects": ["Mathematics", "Science"],
        "grade_bands": ["6_8", "9_12"],
        "students_served": ["english_learners", "gifted"],
        "preferred_formats": ["coaching", "plc"],
        "learning_times": ["plc_time", "summer"],
        "weekly_minutes": 90,
        "interests": "Project-based learning in math.",
    }
    event = AuditEvent.objects.get(action="growth.profile_updated")
    assert event.actor == cast.alice
    assert event.district == cast.district_a
    assert event.data == {
        "changed": [
            "position",
            "years_experience",
            "subjects",
            "grade_bands",
            "students_served",
            "preferred_formats",
            "learning_times",
            "weekly_minutes",
            "interests",
        ],
        "created": False,
    }
    page = client_for(cast.alice).get("/growth/").content.decode()
    assert "<dd>6 years · Developing (4–7 years)</dd>" in page
    assert "<dd>English learners / multilingual learners, Gifted and talented students</dd>" in page
    assert "<dd>During PLC time, Summer · 90 minutes a week</dd>" in page


def test_saving_an_unchanged_profile_writes_no_audit_row(cast):
    access = cast.access(cast.alice)
    services.update_profile(access=access, actor=cast.alice, **VALID_FIELDS)
    count = AuditEvent.objects.count()

    services.update_profile(access=access, actor=cast.alice, **VALID_FIELDS)

    assert AuditEvent.objects.count() == count


def test_a_person_without_a_profile_gets_one_when_they_save(cast, client_for):
    newcomer = MembershipFactory(
        user__email="new@northfield.test", district=cast.district_a, role="educator"
    ).user

    empty = client_for(newcomer).get("/growth/")
    response = client_for(newcomer).post("/growth/profile/", VALID_FORM)

    assert "Fill in your profile" in empty.content.decode()
    assert response.status_code == 302
    assert profile_row(newcomer, cast.district_a)["years_experience"] == 6
    assert AuditEvent.objects.get(action="growth.profile_updated").data["created"] is True


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"years_experience": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"years_experience": "61"}, "Ensure this value is less than or equal to 60."),
        ({"years_experience": "ten"}, "Enter a whole number."),
        ({"years_experience": ""}, "This field is required."),
        (
            {"position": "wizard"},
            "Select a valid choice. wizard is not one of the available choices.",
        ),
        ({"weekly_minutes": "5000"}, "Ensure this value is less than or equal to 1200."),
        (
            {"grade_bands": ["k_13"]},
            "Select a valid choice. k_13 is not one of the available choices.",
        ),
        (
            {"students_served": ["aliens"]},
            "Select a valid choice. aliens is not one of the available choices.",
        ),
        ({"interests": "x" * 2001}, "Ensure this value has at most 2000 characters (it has 2001)."),
        (
            {"subjects": ",".join(f"Subject {n}" for n in range(13))},
            "List at most 12 subjects (13 given).",
        ),
    ],
)
def test_a_bad_profile_is_refused_and_changes_nothing(cast, client_for, change, message):
    before = profile_row(cast.alice, cast.district_a)
    audit = AuditEvent.objects.count()

    response = client_for(cast.alice).post("/growth/profile/", {**VALID_FORM, **change})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert profile_row(cast.alice, cast.district_a) == before
    assert AuditEvent.objects.count() == audit


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        (
            {"position": "wizard"},
            "unknown_position",
            "Unknown position “wizard”. Use: teacher, counselor, para, specialist, librarian, coach, leader, district.",
        ),
        (
            {"years_experience": 61},
            "invalid_years_experience",
            "Years of experience must be a whole number from 0 to 60.",
        ),
        (
            {"years_experience": True},
            "invalid_years_experience",
            "Years of experience must be a whole number from 0 to 60.",
        ),
        (
            {"weekly_minutes": -5},
            "invalid_weekly_minutes",
            "Weekly time for learning must be a whole number of minutes from 0 to 1200.",
        ),
        ({"grade_bands": "6_8"}, "invalid_grade_bands", "Give the grade band(s) as a list."),
        (
            {"learning_times": ["midnight"]},
            "unknown_learning_times",
            "Unknown time(s) for learning: midnight. Use: plc_time, after_school, summer, weekends.",
        ),
        (
            {"subjects": ["M" * 81]},
            "subject_too_long",
            "“MMMMMMMMMMMMMMMMMMMMMMMMMMMMMM…” is too long for a subject: at most 80 characters.",
        ),
        (
            {"interests": "x" * 2001},
            "interests_too_long",
            "The interests is too long: at most 2000 characters (2001 given).",
        ),
    ],
)
def test_the_service_refuses_bad_fields_with_a_stable_code(cast, change, code, message):
    before = profile_row(cast.alice, cast.district_a)

    with pytest.raises(DomainError) as caught:
        services.update_profile(
            access=cast.access(cast.alice), actor=cast.alice, **{**VALID_FIELDS, **change}
        )

    assert (caught.value.code, caught.value.message) == (code, message)
    assert profile_row(cast.alice, cast.district_a) == before


def test_the_service_needs_every_field(cast):
    fields = dict(VALID_FIELDS)
    del fields["interests"]

    with pytest.raises(DomainError) as caught:
        services.update_profile(
            access=cast.access(cast.alice), actor=cast.alice, **fields, mood="x"
        )

    assert caught.value.code == "invalid_profile_fields"
    assert caught.value.message == "Profile fields missing: interests; unknown: mood."


def test_a_profile_edit_touches_only_the_current_district(cast):
    MembershipFactory(user=cast.alice, district=cast.district_b, role="educator")
    other = EducatorProfile.objects.create(
        user=cast.alice, district=cast.district_b, years_experience=9
    )

    services.update_profile(access=cast.access(cast.alice), actor=cast.alice, **VALID_FIELDS)

    other.refresh_from_db()
    assert other.years_experience == 9
    assert profile_row(cast.alice, cast.district_a)["years_experience"] == 3


# ---------------------------------------------------------------------------------------------
# career stages and district thresholds
# ---------------------------------------------------------------------------------------------


def test_stage_labels_follow_the_thresholds():
    assert [stage_label(s) for s in CareerStage] == [s.label for s in CareerStage]
    assert [stage_label(s, (3, 6, 21)) for s in CareerStage] == [
        "Novice (0–2 years)",
        "Developing (3–5 years)",
        "Experienced (6–20 years)",
        "Veteran (21+ years)",
    ]


@pytest.mark.parametrize(
    ("thresholds", "problem"),
    [
        ((4, 8, 16), ""),
        ((1, 2, 3), ""),
        ((0, 8, 16), "Developing must start at year 1 or later (novice covers at least year 0)."),
        (
            (4, 4, 16),
            "Each stage must start later than the one before: developing (4) < experienced (4) < veteran (16).",
        ),
        (
            (9, 8, 16),
            "Each stage must start later than the one before: developing (9) < experienced (8) < veteran (16).",
        ),
        ((4, 8, 61), "Veteran must start at 60 years or earlier."),
    ],
)
def test_threshold_problems(thresholds, problem):
    assert threshold_problem(thresholds) == problem


def test_career_stage_counts_use_the_district_thresholds(cast):
    # Northfield years: alice 1, carol 11, ada 14, pat 18, dana 9, eve 25.
    assert queries.career_stage_counts(cast.district_a) == {
        CareerStage.NOVICE: 1,
        CareerStage.DEVELOPING: 0,
        CareerStage.EXPERIENCED: 3,
        CareerStage.VETERAN: 2,
    }
    GrowthSettings.objects.create(
        district=cast.district_a, developing_from=2, experienced_from=10, veteran_from=15
    )

    summary = queries.career_stage_summary(cast.district_a)

    assert summary.counts == {
        CareerStage.NOVICE: 1,
        CareerStage.DEVELOPING: 1,
        CareerStage.EXPERIENCED: 2,
        CareerStage.VETERAN: 2,
    }
    assert summary.thresholds == (2, 10, 15)
    assert summary.labelled() == [
        ("Novice (0–1 years)", 1),
        ("Developing (2–9 years)", 1),
        ("Experienced (10–14 years)", 2),
        ("Veteran (15+ years)", 2),
    ]
    # Southport keeps the defaults: bob 6 years, bea 12.
    assert queries.career_stage_summary(cast.district_b).counts == {
        CareerStage.NOVICE: 0,
        CareerStage.DEVELOPING: 1,
        CareerStage.EXPERIENCED: 1,
        CareerStage.VETERAN: 0,
    }


def test_career_stage_counts_for_a_school_cost_two_queries(cast):
    GrowthSettings.objects.create(
        district=cast.district_a, developing_from=2, experienced_from=10, veteran_from=15
    )
    with CaptureQueriesContext(connection) as queries_run:
        counts = queries.career_stage_counts(cast.district_a, school_ids=[cast.middle_a.pk])

    assert len(queries_run) == 2  # the thresholds, then one aggregate
    assert counts == {  # alice 1, carol 11, pat 18
        CareerStage.NOVICE: 1,
        CareerStage.DEVELOPING: 0,
        CareerStage.EXPERIENCED: 1,
        CareerStage.VETERAN: 1,
    }


def test_profiles_carry_the_district_thresholds_without_extra_queries(cast):
    GrowthSettings.objects.create(
        district=cast.district_a, developing_from=2, experienced_from=10, veteran_from=15
    )
    with CaptureQueriesContext(connection) as queries_run:
        profiles = queries.profiles_for_users(
            cast.district_a, [cast.alice.pk, cast.carol.pk, cast.dana.pk]
        )
        labels = {
            p.user.email if False else p.user_id: p.career_stage_label for p in profiles.values()
        }

    assert len(queries_run) == 1
    assert labels == {
        cast.alice.pk: "Novice (0–1 years)",
        cast.carol.pk: "Experienced (10–14 years)",
        cast.dana.pk: "Developing (2–9 years)",
    }


def test_a_profile_loaded_without_the_annotation_looks_the_thresholds_up(cast):
    GrowthSettings.objects.create(
        district=cast.district_a, developing_from=2, experienced_from=10, veteran_from=15
    )
    profile = EducatorProfile.objects.get(user=cast.dana, district=cast.district_a)

    assert profile.career_stage is CareerStage.DEVELOPING
    assert profile.career_stage_label == "Developing (2–9 years)"


def test_the_directory_person_page_and_dashboard_show_the_district_stages(cast, client_for):
    GrowthSettings.objects.create(
        district=cast.district_a, developing_from=2, experienced_from=10, veteran_from=15
    )
    dana = client_for(cast.dana)

    people = dana.get("/people/").content.decode()
    person = dana.get(f"/people/{cast.dana.public_id}/").content.decode()
    home = dana.get("/").content.decode()

    row = people[people.index("dana@northfield.test") :].split("</tr>")[0]
    assert "<td>Developing (2–9 years)</td>" in row
    assert "<dd>9 years · Developing (2–9 years)</dd>" in person
    assert "<dd>9 years · Developing (2–9 years)</dd>" in home
    assert '<th scope="row">Veteran (15+ years)</th><td>2</td>' in home


def test_increasing_thresholds_are_a_database_rule(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        GrowthSettings.objects.create(
            district=cast.district_a, developing_from=5, experienced_from=5, veteran_from=16
        )


# ---------------------------------------------------------------------------------------------
# the settings page
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("alice", 403), ("carol", 403), ("pat", 403), ("dana", 200), ("bea", 200)]
)
def test_only_district_admins_open_the_career_stage_settings(cast, client_for, who, status):
    response = client_for(getattr(cast, who)).get("/career-stages/")

    assert response.status_code == status


def test_an_admin_sets_the_thresholds(cast, client_for):
    client = client_for(cast.dana)
    form = client.get("/career-stages/").content.decode()

    response = client.post(
        "/career-stages/", {"developing_from": "3", "experienced_from": "7", "veteran_from": "20"}
    )

    assert 'name="developing_from" value="4"' in form
    assert response.status_code == 302
    assert response["Location"] == "/career-stages/"
    assert GrowthSettings.objects.get(district=cast.district_a).thresholds == (3, 7, 20)
    assert not GrowthSettings.objects.filter(district=cast.district_b).exists()
    event = AuditEvent.objects.get(action="growth.stage_thresholds_changed")
    assert event.data == {"before": [4, 8, 16], "after": [3, 7, 20]}
    assert event.summary == "Career stages now start at 3, 7 and 20 years"
    page = client.get("/career-stages/").content.decode()
    assert '<th scope="row">Experienced (7–19 years)</th><td>4</td>' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"developing_from": "8", "experienced_from": "8", "veteran_from": "16"},
            "Each stage must start later than the one before: developing &lt; experienced &lt; veteran.",
        ),
        (
            {"developing_from": "0", "experienced_from": "8", "veteran_from": "16"},
            "Ensure this value is greater than or equal to 1.",
        ),
        (
            {"developing_from": "4", "experienced_from": "8", "veteran_from": "70"},
            "Ensure this value is less than or equal to 60.",
        ),
        (
            {"developing_from": "4", "experienced_from": "", "veteran_from": "16"},
            "This field is required.",
        ),
    ],
)
def test_bad_thresholds_are_refused_and_change_nothing(cast, client_for, data, message):
    response = client_for(cast.dana).post("/career-stages/", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not GrowthSettings.objects.exists()
    assert not AuditEvent.objects.filter(action="growth.stage_thresholds_changed").exists()


def test_the_settings_service_checks_the_order_and_the_permission(cast):
    with pytest.raises(DomainError) as caught:
        services.update_growth_settings(
            access=cast.access(cast.dana),
            actor=cast.dana,
            developing_from=9,
            experienced_from=8,
            veteran_from=16,
        )
    assert caught.value.code == "thresholds_not_increasing"
    with pytest.raises(PermissionDenied):
        services.update_growth_settings(
            access=cast.access(cast.carol),
            actor=cast.carol,
            developing_from=3,
            experienced_from=8,
            veteran_from=16,
        )
    assert not GrowthSettings.objects.exists()


# ---------------------------------------------------------------------------------------------
# navigation and the dashboard
# ---------------------------------------------------------------------------------------------


def nav_labels(response) -> list[str]:
    return [item["label"] for item in response.context["nav_items"]]


@pytest.mark.parametrize(
    ("who", "present", "absent"),
    [
        ("alice", ["My growth"], ["Caseload", "Observations"]),
        ("carol", ["My growth", "Caseload"], ["Observations"]),
        ("dana", ["My growth", "Observations"], ["Caseload"]),
    ],
)
def test_the_navigation_offers_growth_pages_by_role(cast, client_for, who, present, absent):
    labels = nav_labels(client_for(getattr(cast, who)).get("/"))

    assert all(label in labels for label in present)
    assert not any(label in labels for label in absent)
