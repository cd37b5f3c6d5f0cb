"""Completion: the district's policy, each combination of requirements, the credit amount rules,
awarding once, offerings without sessions, the educator's checklist page and the policy page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from trellis.audit.models import AuditEvent
from trellis.catalog.models import (
    CompletionPolicy,
    EnrollmentStatus,
    OfferingSession,
    Registration,
    SurveyPhase,
    SurveyQuestion,
)
from trellis.catalog.queries.attendance import local_date
from trellis.catalog.services.attendance import Mark, record_roster
from trellis.catalog.services.completion import (
    completion_check,
    evaluate_completion,
    policy_for,
    submit_completion,
    update_policy,
)
from trellis.catalog.services.surveys import submit_response
from trellis.catalog.tests.attendance_setup import (
    _fresh_cache,  # noqa: F401 - autouse fixture
    after_answers,
    enrol,
    offering_with_sessions,
)
from trellis.catalog.tests.factories import OfferingFactory
from trellis.core.errors import ConflictError, DomainError
from trellis.credit.models import CreditAward


def text(response) -> str:
    return response.content.decode()


def set_policy(district, **fields) -> CompletionPolicy:
    policy = policy_for(district)
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.save()
    return policy


def mark(cast, session, enrollment, status="present", hours=None):
    return record_roster(
        access=cast.access(cast.dana),
        actor=cast.dana,
        session=session,
        marks=[Mark(str(enrollment.public_id), status, hours)],
    )


def answer_survey(cast, enrollment, user=None):
    user = user or cast.alice
    return submit_response(
        access=cast.access(user),
        actor=user,
        enrollment=enrollment,
        phase=SurveyPhase.AFTER,
        answers=after_answers(),
    )


def missing(enrollment) -> list[str]:
    enrollment.refresh_from_db()
    return [r.key for r in completion_check(enrollment).missing]


def test_the_default_policy_is_created_on_first_use(cast):
    policy = policy_for(cast.district_a)

    assert (
        policy.min_attendance_percent,
        policy.require_survey,
        policy.require_reflection,
        policy.follow_up_weeks,
    ) == (80, True, False, 6)
    assert policy_for(cast.district_a) == policy
    assert CompletionPolicy.objects.count() == 1


@pytest.mark.parametrize("require_survey", [True, False])
@pytest.mark.parametrize(
    ("district_reflection", "offering_reflection"), [(False, False), (True, False), (False, True)]
)
def test_every_combination_of_requirements(
    cast, require_survey, district_reflection, offering_reflection
):
    set_policy(
        cast.district_a, require_survey=require_survey, require_reflection=district_reflection
    )
    offering, (session,) = offering_with_sessions(
        cast.district_a, starts=[-4], requires_reflection=offering_reflection
    )
    alice = enrol(offering, cast.alice)
    access = cast.access(cast.alice)
    reflection_needed = district_reflection or offering_reflection

    mark(cast, session, alice)
    expected = (["survey"] if require_survey else []) + (
        ["reflection"] if reflection_needed else []
    )
    assert missing(alice) == expected
    if require_survey:
        answer_survey(cast, alice)
    if reflection_needed:
        assert missing(alice) == ["reflection"]
        submit_completion(
            access=access, actor=cast.alice, enrollment=alice, reflection="I will try it."
        )

    alice.refresh_from_db()
    assert alice.status == EnrollmentStatus.COMPLETED
    assert alice.credit_awarded == Decimal("3.00")
    assert CreditAward.objects.get().amount == Decimal("3.00")


def test_attendance_must_reach_the_districts_share(cast):
    set_policy(cast.district_a, require_survey=False)
    offering, (first, second) = offering_with_sessions(cast.district_a, starts=[-30, -4])
    alice = enrol(offering, cast.alice)

    mark(cast, first, alice)
    mark(cast, second, alice, "partial", "1.5")  # 4.5 of 6 hours: 75 %

    assert missing(alice) == ["attendance"]
    assert completion_check(alice).requirements[0].detail == "4.5 of 6 hours attended (75%)."
    mark(cast, second, alice, "partial", "1.8")  # 4.8 of 6: exactly 80 %

    alice.refresh_from_db()
    assert alice.status == EnrollmentStatus.COMPLETED
    assert alice.credit_awarded == Decimal("4.80")


def test_completion_waits_until_every_session_is_recorded(cast):
    set_policy(cast.district_a, require_survey=False, min_attendance_percent=50)
    offering, (first, second) = offering_with_sessions(cast.district_a, starts=[-30, -4])
    alice = enrol(offering, cast.alice)

    mark(cast, first, alice)  # 50 % already, but the second session is not recorded yet

    check = completion_check(alice)
    assert [r.key for r in check.missing] == ["attendance"]
    assert check.requirements[0].detail == (
        "3 of 6 hours attended (50%). Completion waits until attendance is recorded for every "
        "session (1 still to record)."
    )
    mark(cast, second, alice, "absent")

    alice.refresh_from_db()
    assert (alice.status, alice.credit_awarded) == (EnrollmentStatus.COMPLETED, Decimal("3.00"))
    assert CreditAward.objects.get().completed_on == local_date(first.starts_at, cast.district_a)


def test_a_session_still_to_come_is_not_recorded_yet(cast):
    set_policy(cast.district_a, require_survey=False, min_attendance_percent=50)
    offering, (first, _) = offering_with_sessions(cast.district_a, starts=[-30, 48])
    alice = enrol(offering, cast.alice)

    mark(cast, first, alice)

    alice.refresh_from_db()
    assert alice.status == EnrollmentStatus.ENROLLED


def test_cancelled_sessions_do_not_count(cast):
    set_policy(cast.district_a, require_survey=False)
    offering, (held, cancelled) = offering_with_sessions(cast.district_a, starts=[-30, -4])
    OfferingSession.objects.filter(pk=cancelled.pk).update(status=OfferingSession.Status.CANCELLED)
    alice = enrol(offering, cast.alice)

    mark(cast, held, alice)

    alice.refresh_from_db()
    assert alice.status == EnrollmentStatus.COMPLETED
    assert alice.credit_awarded == Decimal("3.00")


def test_a_per_session_enrolment_counts_only_its_session(cast):
    set_policy(cast.district_a, require_survey=False)
    offering, (mine, _other) = offering_with_sessions(
        cast.district_a, starts=[-30, -4], registration=Registration.ONE_SESSION, hours=Decimal(3)
    )
    alice = enrol(offering, cast.alice, session=mine)

    mark(cast, mine, alice)

    alice.refresh_from_db()
    assert alice.status == EnrollmentStatus.COMPLETED


@pytest.mark.parametrize(
    ("unit", "credit", "attended", "awarded"),
    [
        ("clock_hour", "6", ("present", "partial:2"), "5.00"),  # partial hours count
        ("clock_hour", "4", ("present", "present"), "4.00"),  # capped at the offering's credit
        ("cpe_hour", "6", ("present", "present"), "6.00"),
        ("ctle_hour", "10", ("present", "present"), "6.00"),
        ("ceu", "0.6", ("present", "partial:2"), "0.60"),  # CEUs: the full amount
        ("pdp", "5", ("present", "partial:2"), "5.00"),
    ],
)
def test_credit_amounts(cast, unit, credit, attended, awarded):
    set_policy(cast.district_a, require_survey=False, min_attendance_percent=50)
    offering, sessions = offering_with_sessions(
        cast.district_a,
        starts=[-30, -4],
        credit_unit=unit,
        credit_amount=Decimal(credit),
        credit_category="workshop",
        topics=["ell"],
        provider_approved=True,
    )
    alice = enrol(offering, cast.alice)

    for session, how in zip(sessions, attended, strict=True):
        status, _, hours = how.partition(":")
        mark(cast, session, alice, status, hours or None)

    award = CreditAward.objects.get()
    assert (award.amount, award.unit, award.category) == (Decimal(awarded), unit, "workshop")
    assert award.hours == sum(
        (Decimal(3) if h == "present" else Decimal(h.split(":")[1]) for h in attended), Decimal(0)
    )
    assert (award.source, award.source_ref) == ("offering", str(alice.public_id))
    assert (award.topics, award.provider_approved, award.provider) == (
        ["ell"],
        True,
        "District PD office",
    )
    assert award.completed_on == local_date(sessions[1].starts_at, cast.district_a)


def test_an_offering_without_credit_completes_and_awards_nothing(cast):
    set_policy(cast.district_a, require_survey=False)
    offering, (session,) = offering_with_sessions(
        cast.district_a, starts=[-4], credit_amount=Decimal(0)
    )
    alice = enrol(offering, cast.alice)

    mark(cast, session, alice)

    alice.refresh_from_db()
    assert (alice.status, alice.credit_awarded) == (EnrollmentStatus.COMPLETED, Decimal("0.00"))
    assert not CreditAward.objects.exists()


def test_completion_happens_once(cast, mailoutbox, django_capture_on_commit_callbacks):
    set_policy(cast.district_a, require_survey=False)
    offering, (session,) = offering_with_sessions(cast.district_a, starts=[-4], title="Math talk")
    alice = enrol(offering, cast.alice)

    with django_capture_on_commit_callbacks(execute=True):
        mark(cast, session, alice, "partial", "2.5")
        first = evaluate_completion(enrollment=alice)
        mark(cast, session, alice)  # a correction after completion earns nothing more
        second = evaluate_completion(enrollment=alice, actor=cast.dana)

    assert not first.just_completed
    assert not second.just_completed
    assert first.completed
    assert CreditAward.objects.get().amount == Decimal("2.50")
    assert AuditEvent.objects.filter(action="enrollment.completed").count() == 1
    assert AuditEvent.objects.filter(action="credit.awarded").count() == 1
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["alice@northfield.test"], "Trellis: You completed Math talk")
    ]
    assert "You completed “Math talk”: 2.5 clock hours of credit." in mailoutbox[0].body
    assert f"/learning/{alice.public_id}/complete/" in mailoutbox[0].body


def test_a_no_show_or_withdrawn_enrolment_never_completes(cast):
    set_policy(cast.district_a, require_survey=False, min_attendance_percent=0)
    offering, _ = offering_with_sessions(cast.district_a, starts=[-4])
    eve = enrol(offering, cast.eve, status=EnrollmentStatus.NO_SHOW)
    pat = enrol(offering, cast.pat, status=EnrollmentStatus.WITHDRAWN)

    for enrollment in (eve, pat):
        assert not evaluate_completion(enrollment=enrollment).just_completed
    assert not CreditAward.objects.exists()


# --- offerings without sessions -----------------------------------------------------------


@pytest.fixture
def self_paced(cast):
    offering = OfferingFactory(
        district=cast.district_a,
        title="Video module",
        kind="self_paced",
        hours=Decimal(4),
        credit_amount=Decimal(3),
    )
    return offering, enrol(offering, cast.alice)


def test_a_self_paced_offering_is_finished_on_the_educators_word(cast, client_for, self_paced):
    set_policy(cast.district_a, require_survey=False)
    _, alice = self_paced
    url = f"/learning/{alice.public_id}/complete/"
    client = client_for(cast.alice)

    page = text(client.get(url))
    unticked = client.post(url, {"reflection": ""})
    ticked = client.post(url, {"finished": "on"}, follow=True)

    assert "I have finished this activity" in page
    assert "Finished the activity" in page
    assert unticked.status_code == 400
    assert "Tick the box to confirm you have finished it." in text(unticked)
    assert "You completed “Video module”." in text(ticked)
    assert "earning 3 clock hours of credit" in text(ticked)
    award = CreditAward.objects.get()
    assert (award.amount, award.hours) == (Decimal("3.00"), Decimal("4.00"))


def test_finishing_then_the_survey(cast, client_for, self_paced):
    set_policy(cast.district_a, require_reflection=True)
    _, alice = self_paced
    client = client_for(cast.alice)
    url = f"/learning/{alice.public_id}/complete/"

    no_reflection = client.post(url, {"finished": "on"})
    saved = client.post(url, {"finished": "on", "reflection": "Short clips work."})
    assert no_reflection.status_code == 400
    assert "Write your reflection" in text(no_reflection)
    assert saved.status_code == 302
    assert saved["Location"] == f"/learning/{alice.public_id}/survey/"
    alice.refresh_from_db()
    assert (alice.status, alice.reflection) == (EnrollmentStatus.ENROLLED, "Short clips work.")

    client.post(saved["Location"], after_answers())

    alice.refresh_from_db()
    assert alice.status == EnrollmentStatus.COMPLETED
    assert CreditAward.objects.get().amount == Decimal("3.00")


def test_the_completion_service_checks_its_input(cast, self_paced):
    _, alice = self_paced
    access = cast.access(cast.alice)

    with pytest.raises(DomainError) as too_long:
        submit_completion(
            access=access, actor=cast.alice, enrollment=alice, reflection="x" * 4001, finished=True
        )
    with pytest.raises(DomainError) as not_mine:
        submit_completion(access=cast.access(cast.eve), actor=cast.eve, enrollment=alice)
    alice.status = EnrollmentStatus.WITHDRAWN
    alice.save()
    with pytest.raises(ConflictError) as withdrawn:
        submit_completion(access=access, actor=cast.alice, enrollment=alice, finished=True)

    assert too_long.value.code == "reflection_too_long"
    assert not_mine.value.code == "permission_denied"
    assert withdrawn.value.message == (
        "You can complete an offering you are enrolled in; this enrolment is “Withdrawn”."
    )
    alice.refresh_from_db()
    assert alice.reflection == ""


def test_the_checklist_page(cast, client_for):
    offering, (first, _second) = offering_with_sessions(
        cast.district_a, starts=[-30, -4], requires_reflection=True, title="Writing series"
    )
    alice = enrol(offering, cast.alice)
    mark(cast, first, alice)
    url = f"/learning/{alice.public_id}/complete/"

    page = text(client_for(cast.alice).get(url))

    assert "Attendance of at least 80%" in page
    assert "3 of 6 hours attended (50%)." in page
    assert "Feedback survey" in page
    assert "Answer the feedback survey" in page
    assert "(still needed)" in page
    assert 'name="reflection"' in page
    assert client_for(cast.eve).get(url).status_code == 404
    assert client_for(cast.bob).get(url).status_code == 404
    assert client_for(cast.alice).get("/learning/nope/complete/").status_code == 404


# --- the policy page -------------------------------------------------------------------------


def test_the_policy_page_saves_with_an_audit_row(cast, client_for):
    client = client_for(cast.dana)

    page = text(client.get("/district/completion/"))
    response = client.post(
        "/district/completion/",
        {"min_attendance_percent": "90", "require_reflection": "on", "follow_up_weeks": "8"},
        follow=True,
    )

    assert "Attendance needed (%)" in page
    assert "Relevance" not in page
    assert "How relevant was this to your work?" in page
    assert "The completion policy is saved." in text(response)
    policy = CompletionPolicy.objects.get(district=cast.district_a)
    assert (
        policy.min_attendance_percent,
        policy.require_survey,
        policy.require_reflection,
        policy.follow_up_weeks,
        policy.updated_by,
    ) == (90, False, True, 8, cast.dana)
    event = AuditEvent.objects.get(action="completion.policy_updated")
    assert event.data["before"]["min_attendance_percent"] == 80
    assert client_for(cast.alice).get("/district/completion/").status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"min_attendance_percent": "150", "follow_up_weeks": "6"}, "less than or equal to 100"),
        ({"min_attendance_percent": "-1", "follow_up_weeks": "6"}, "greater than or equal to 0"),
        ({"min_attendance_percent": "eighty", "follow_up_weeks": "6"}, "Enter a whole number."),
        ({"min_attendance_percent": "80", "follow_up_weeks": "53"}, "less than or equal to 52"),
        ({"follow_up_weeks": "6"}, "This field is required."),
    ],
)
def test_the_policy_page_refuses_bad_values(cast, client_for, data, message):
    response = client_for(cast.dana).post("/district/completion/", data)

    assert response.status_code == 400
    assert message in text(response)
    assert policy_for(cast.district_a).min_attendance_percent == 80
    assert not AuditEvent.objects.filter(action="completion.policy_updated").exists()


def test_the_policy_service_checks_its_input(cast):
    access = cast.access(cast.dana)

    with pytest.raises(DomainError) as caught:
        update_policy(
            access=access,
            actor=cast.dana,
            min_attendance_percent="101",
            require_survey=True,
            require_reflection=False,
            follow_up_weeks=6,
        )
    with pytest.raises(DomainError) as forbidden:
        update_policy(
            access=cast.access(cast.alice),
            actor=cast.alice,
            min_attendance_percent=50,
            require_survey=True,
            require_reflection=False,
            follow_up_weeks=6,
        )

    assert (
        caught.value.message == "The attendance needed (%) must be between 0 and 100 (101 given)."
    )
    assert caught.value.details == {"field": "min_attendance_percent"}
    assert forbidden.value.code == "permission_denied"


def test_a_district_that_stops_every_survey_question_no_longer_requires_it(cast):
    offering, (session,) = offering_with_sessions(cast.district_a, starts=[-4])
    alice = enrol(offering, cast.alice)
    from trellis.catalog.services.surveys import ensure_standard_questions

    ensure_standard_questions(cast.district_a)
    mark(cast, session, alice)
    assert missing(alice) == ["survey"]
    SurveyQuestion.objects.filter(phase=SurveyPhase.AFTER).update(is_active=False)

    evaluate_completion(enrollment=alice)

    alice.refresh_from_db()
    assert alice.status == EnrollmentStatus.COMPLETED
    assert alice.completed_at is not None
    assert alice.completed_at > alice.requested_at - dt.timedelta(seconds=1)
