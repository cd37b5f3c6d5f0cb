"""The feedback survey: standard items, answering and its validation, one response per phase,
the follow-up and its e-mail, the district's own items, and the summary of an offering."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from trellis.audit.models import AuditEvent
from trellis.catalog.models import EnrollmentStatus, SurveyPhase, SurveyQuestion, SurveyResponse
from trellis.catalog.queries.surveys import survey_summary
from trellis.catalog.services import survey_questions as question_services
from trellis.catalog.services import surveys as services
from trellis.catalog.services.attendance import Mark, record_roster
from trellis.catalog.services.completion import policy_for
from trellis.catalog.tests.attendance_setup import (
    _fresh_cache,  # noqa: F401 - autouse fixture
    after_answers,
    enrol,
    offering_with_sessions,
)
from trellis.catalog.tests.factories import EnrollmentFactory
from trellis.core.errors import ConflictError, DomainError

AFTER, FOLLOW_UP = SurveyPhase.AFTER, SurveyPhase.FOLLOW_UP
DUMMY_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "email"],
    }
}


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def attended(cast):
    """Alice attended a finished one-session workshop; nothing else is done."""
    offering, (session,) = offering_with_sessions(
        cast.district_a, starts=[-4], title="Fluency routines", facilitator=cast.carol
    )
    alice = enrol(offering, cast.alice)
    record_roster(
        access=cast.access(cast.carol),
        actor=cast.carol,
        session=session,
        marks=[Mark(str(alice.public_id), "present")],
    )
    return offering, alice


def submit(cast, enrollment, answers, phase=AFTER, user=None):
    user = user or cast.alice
    return services.submit_response(
        access=cast.access(user), actor=user, enrollment=enrollment, phase=phase, answers=answers
    )


def test_standard_questions_are_created_once_with_stable_keys(cast):
    services.ensure_standard_questions(cast.district_a)
    SurveyQuestion.objects.filter(key="quality").update(is_active=False)
    services.ensure_standard_questions(cast.district_a)

    questions = SurveyQuestion.objects.filter(district=cast.district_a).order_by("id")
    assert [(q.key, q.phase, q.kind, q.required, q.is_standard) for q in questions] == [
        ("relevance", AFTER, "scale", True, True),
        ("quality", AFTER, "scale", True, True),
        ("likely_to_use", AFTER, "scale", True, True),
        ("support_needed", AFTER, "text", False, True),
        ("used_in_class", FOLLOW_UP, "yes_no", True, True),
        ("what_changed", FOLLOW_UP, "text", False, True),
    ]
    assert not SurveyQuestion.objects.get(key="quality").is_active
    assert [q.key for q in services.questions_for(cast.district_a, AFTER)] == [
        "relevance",
        "likely_to_use",
        "support_needed",
    ]
    assert not SurveyQuestion.objects.filter(district=cast.district_b).exists()


def test_answering_completes_the_enrolment(cast, attended):
    _, alice = attended

    response, check = submit(cast, alice, after_answers(support_needed=" Planning time "))

    assert response.answers == {
        "relevance": 4,
        "quality": 5,
        "likely_to_use": 3,
        "support_needed": "Planning time",
    }
    assert check.just_completed
    alice.refresh_from_db()
    assert alice.status == EnrollmentStatus.COMPLETED
    assert AuditEvent.objects.filter(action="survey.submitted").count() == 1


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"relevance": ""}, {"relevance": "Choose a number from 1 to 5."}),
        ({"quality": "0"}, {"quality": "Choose a whole number from 1 to 5 (“0” is not one)."}),
        ({"quality": "6"}, {"quality": "Choose a whole number from 1 to 5 (“6” is not one)."}),
        ({"quality": "4.5"}, {"quality": "Choose a whole number from 1 to 5 (“4.5” is not one)."}),
        ({"quality": True}, {"quality": "Choose a whole number from 1 to 5 (“True” is not one)."}),
        (
            {"support_needed": "x" * 2001},
            {"support_needed": "At most 2000 characters, please (2001 given)."},
        ),
        (
            {"relevance": None, "likely_to_use": "many"},
            {
                "relevance": "Choose a number from 1 to 5.",
                "likely_to_use": "Choose a whole number from 1 to 5 (“many” is not one).",
            },
        ),
    ],
)
def test_bad_answers_save_nothing(cast, attended, change, errors):
    _, alice = attended

    with pytest.raises(DomainError) as caught:
        submit(cast, alice, after_answers(**change))

    assert caught.value.details["errors"] == errors
    assert caught.value.message == (
        "Some answers need attention; nothing was saved."
        if len(errors) > 1
        else "One answer needs attention; nothing was saved."
    )
    assert not SurveyResponse.objects.exists()
    alice.refresh_from_db()
    assert alice.status == EnrollmentStatus.ENROLLED


def test_yes_no_answers(cast):
    questions = [SurveyQuestion(key="used", kind="yes_no", required=True)]

    assert services.clean_answers(questions, {"used": "Yes"}) == {"used": True}
    assert services.clean_answers(questions, {"used": False}) == {"used": False}
    with pytest.raises(DomainError) as caught:
        services.clean_answers(questions, {"used": "maybe"})
    assert caught.value.details["errors"] == {"used": "Answer yes or no (“maybe” is neither)."}


def test_one_response_per_phase(cast, client_for, attended):
    _, alice = attended
    submit(cast, alice, after_answers())

    with pytest.raises(ConflictError):
        submit(cast, alice, after_answers(quality="1"))
    page = client_for(cast.alice).post(
        f"/learning/{alice.public_id}/survey/", after_answers(quality="1")
    )

    assert page.status_code == 200
    assert "Your answers, sent" in text(page)
    assert "5 of 5" in text(page)
    assert 'type="radio"' not in text(page)
    assert SurveyResponse.objects.get().answers["quality"] == 5


def test_the_survey_page_is_for_the_enrolled_educator_only(cast, client_for, attended):
    _, alice = attended
    url = f"/learning/{alice.public_id}/survey/"

    page = client_for(cast.alice).get(url)

    assert page.status_code == 200
    assert text(page).count('type="radio"') == 15
    assert "How relevant was this to your work?" in text(page)
    assert client_for(cast.eve).get(url).status_code == 404
    assert client_for(cast.dana).get(url).status_code == 404
    assert client_for(cast.bob).get(url).status_code == 404
    with pytest.raises(DomainError) as caught:
        submit(cast, alice, after_answers(), user=cast.eve)
    assert caught.value.code == "permission_denied"


def test_the_survey_page_explains_errors(cast, client_for, attended):
    _, alice = attended

    response = client_for(cast.alice).post(
        f"/learning/{alice.public_id}/survey/", after_answers(relevance="", quality="9")
    )

    assert response.status_code == 400
    assert "Please correct the highlighted fields." in text(response)
    assert "This field is required." in text(response)
    assert "Select a valid choice. 9 is not one of the available choices." in text(response)
    assert not SurveyResponse.objects.exists()


def test_the_survey_page_submits_and_returns_to_the_checklist(cast, client_for, attended):
    _, alice = attended

    response = client_for(cast.alice).post(
        f"/learning/{alice.public_id}/survey/", after_answers(), follow=True
    )

    assert response.redirect_chain[-1][0] == f"/learning/{alice.public_id}/complete/"
    assert "You completed “Fluency routines”." in text(response)


def test_the_survey_opens_when_the_last_session_begins(cast, client_for):
    offering, _ = offering_with_sessions(cast.district_a, starts=[48])
    alice = enrol(offering, cast.alice)

    with pytest.raises(DomainError) as caught:
        submit(cast, alice, after_answers())
    page = text(client_for(cast.alice).get(f"/learning/{alice.public_id}/survey/"))

    assert caught.value.code == "survey_not_open"
    assert caught.value.message.startswith("The survey opens when the last session begins (")
    assert "The survey opens when the last session begins" in page
    assert 'type="radio"' not in page


# --- follow-up -------------------------------------------------------------------------------


def test_the_follow_up_opens_after_the_districts_weeks(cast, client_for, attended):
    _, alice = attended
    submit(cast, alice, after_answers())
    alice.refresh_from_db()
    url = f"/learning/{alice.public_id}/survey/?phase=follow_up"

    with pytest.raises(DomainError) as early:
        submit(cast, alice, {"used_in_class": "yes"}, phase=FOLLOW_UP)
    assert early.value.message.startswith("The follow-up survey opens on ")
    assert "The follow-up survey opens on" in text(client_for(cast.alice).get(url))

    with time_machine.travel(alice.completed_at + dt.timedelta(weeks=6, minutes=1)):
        page = text(client_for(cast.alice).get(url))
        response, check = submit(
            cast, alice, {"used_in_class": "no", "what_changed": ""}, phase=FOLLOW_UP
        )

    assert "Have you used it in your classroom?" in page
    assert response.answers == {"used_in_class": False}
    assert check is None


def test_completion_schedules_the_follow_up_email(
    cast, attended, mailoutbox, django_capture_on_commit_callbacks
):
    from django_tasks import task_backends

    _, alice = attended
    with override_settings(TASKS=DUMMY_TASKS):
        with django_capture_on_commit_callbacks(execute=True):
            submit(cast, alice, after_answers())
        [queued] = [
            r for r in task_backends["default"].results if r.task.name == "send_follow_up_survey"
        ]
    alice.refresh_from_db()

    assert queued.task.name == "send_follow_up_survey"
    assert queued.task.run_after == alice.completed_at + dt.timedelta(weeks=6)
    assert queued.kwargs == {"enrollment_id": alice.pk}

    assert services.send_follow_up_invitation(enrollment_id=alice.pk) is False  # not due yet
    with (
        time_machine.travel(queued.task.run_after + dt.timedelta(seconds=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sent = services.send_follow_up_invitation(enrollment_id=alice.pk)
        again = services.send_follow_up_invitation(enrollment_id=alice.pk)

    assert (sent, again) == (True, False)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["alice@northfield.test"], "Trellis: Did you use Fluency routines?"),
    ]
    assert f"/learning/{alice.public_id}/survey/?phase=follow_up" in mailoutbox[0].body


def test_no_follow_up_email_once_answered_or_when_turned_off(cast, attended):
    _, alice = attended
    submit(cast, alice, after_answers())
    alice.refresh_from_db()
    due = alice.completed_at + dt.timedelta(weeks=6, minutes=1)
    with time_machine.travel(due):
        submit(cast, alice, {"used_in_class": "yes"}, phase=FOLLOW_UP)
        answered = services.send_follow_up_invitation(enrollment_id=alice.pk)
    SurveyResponse.objects.filter(phase=FOLLOW_UP).delete()
    policy = policy_for(cast.district_a)
    policy.follow_up_weeks = 0
    policy.save()
    with time_machine.travel(due):
        off = services.send_follow_up_invitation(enrollment_id=alice.pk)

    assert (answered, off) == (False, False)
    assert services.send_follow_up_invitation(enrollment_id=0) is False
    assert not AuditEvent.objects.filter(action=services.FOLLOW_UP_SENT).exists()


def test_the_immediate_backend_schedules_nothing(
    cast, attended, django_capture_on_commit_callbacks
):
    _, alice = attended

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submit(cast, alice, after_answers())

    assert len(callbacks) == 1  # the completion e-mail only, no follow-up sent now


# --- the district's questions ---------------------------------------------------------------


def test_a_district_adds_reorders_and_stops_questions(cast, client_for):
    client = client_for(cast.dana)

    added = client.post(
        "/district/survey/",
        {"text": "Was the pace right?", "phase": AFTER, "kind": "yes_no", "required": "on"},
        follow=True,
    )
    question = SurveyQuestion.objects.get(key="was-the-pace-right")
    client.post(f"/district/survey/{question.public_id}/action/", {"action": "up"})
    relevance = SurveyQuestion.objects.get(district=cast.district_a, key="relevance")
    stopped = client.post(
        f"/district/survey/{relevance.public_id}/action/", {"action": "deactivate"}, follow=True
    )

    assert "Question added: “Was the pace right?”." in text(added)
    assert "“" + relevance.text + "” is no longer asked." in text(stopped).replace("&quot;", '"')
    assert [q.key for q in services.questions_for(cast.district_a, AFTER)] == [
        "quality",
        "likely_to_use",
        "was-the-pace-right",
        "support_needed",
    ]
    assert client_for(cast.alice).get("/district/survey/").status_code == 403
    assert client_for(cast.bea).get(f"/district/survey/{question.public_id}/").status_code == 404
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"survey.question_added", "survey.question_moved", "survey.question_updated"} <= actions


def test_question_rules(cast):
    access = cast.access(cast.dana)
    services.ensure_standard_questions(cast.district_a)
    relevance = SurveyQuestion.objects.get(district=cast.district_a, key="relevance")
    mine = question_services.add_question(
        access=access,
        actor=cast.dana,
        phase=AFTER,
        kind="text",
        text="Anything else?",
        required=False,
    )
    twin = question_services.add_question(
        access=access,
        actor=cast.dana,
        phase=AFTER,
        kind="text",
        text="Anything else?",
        required=False,
    )

    with pytest.raises(ConflictError) as standard_delete:
        question_services.delete_question(access=access, actor=cast.dana, question=relevance)
    with pytest.raises(ConflictError) as reword:
        question_services.update_question(
            access=access, actor=cast.dana, question=relevance, text="Useful?"
        )
    question_services.update_question(
        access=access, actor=cast.dana, question=relevance, required=False
    )
    question_services.update_question(
        access=access, actor=cast.dana, question=mine, text="Anything more?"
    )
    question_services.delete_question(access=access, actor=cast.dana, question=twin)

    assert (mine.key, twin.key) == ("anything-else", "anything-else-2")
    assert standard_delete.value.message == (
        "Standard questions can't be deleted; deactivate it instead."
    )
    assert reword.value.code == "standard_wording"
    relevance.refresh_from_db()
    mine.refresh_from_db()
    assert (relevance.required, mine.text) == (False, "Anything more?")
    assert not SurveyQuestion.objects.filter(key="anything-else-2").exists()


def test_an_answered_question_cannot_be_deleted(cast, attended):
    access = cast.access(cast.dana)
    mine = question_services.add_question(
        access=access, actor=cast.dana, phase=AFTER, kind="scale", text="Pace?", required=True
    )
    _, alice = attended
    submit(cast, alice, after_answers(pace="2"))

    with pytest.raises(ConflictError) as caught:
        question_services.delete_question(access=access, actor=cast.dana, question=mine)

    assert caught.value.code == "question_answered"
    assert SurveyQuestion.objects.filter(pk=mine.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "", "phase": AFTER, "kind": "scale"}, "This field is required."),
        ({"text": "x" * 301, "phase": AFTER, "kind": "scale"}, "at most 300 characters"),
        ({"text": "Pace?", "phase": "later", "kind": "scale"}, "Select a valid choice."),
        ({"text": "Pace?", "phase": AFTER, "kind": "stars"}, "Select a valid choice."),
    ],
)
def test_adding_a_bad_question_saves_nothing(cast, client_for, data, message):
    response = client_for(cast.dana).post("/district/survey/", data)

    assert response.status_code == 400
    assert message in text(response)
    assert not SurveyQuestion.objects.filter(is_standard=False).exists()


def test_the_service_refuses_bad_questions_and_too_many(cast):
    access = cast.access(cast.dana)

    with pytest.raises(DomainError) as blank:
        question_services.add_question(
            access=access, actor=cast.dana, phase=AFTER, kind="scale", text="  ", required=True
        )
    with pytest.raises(DomainError) as kind:
        question_services.add_question(
            access=access, actor=cast.dana, phase=AFTER, kind="stars", text="Q", required=True
        )
    for n in range(question_services.MAX_ACTIVE_PER_PHASE - 4):
        question_services.add_question(
            access=access, actor=cast.dana, phase=AFTER, kind="scale", text=f"Q{n}", required=False
        )
    with pytest.raises(DomainError) as full:
        question_services.add_question(
            access=access,
            actor=cast.dana,
            phase=AFTER,
            kind="scale",
            text="One more",
            required=False,
        )
    with pytest.raises(DomainError) as forbidden:
        question_services.add_question(
            access=cast.access(cast.alice),
            actor=cast.alice,
            phase=AFTER,
            kind="scale",
            text="Q",
            required=True,
        )

    assert (blank.value.code, kind.value.code, full.value.code) == (
        "text_required",
        "bad_kind",
        "too_many_questions",
    )
    assert forbidden.value.code == "permission_denied"


# --- summary ---------------------------------------------------------------------------------


def _respond(offering, educator, phase, answers, days_ago):
    enrollment = EnrollmentFactory(
        offering=offering, educator=educator, status=EnrollmentStatus.COMPLETED
    )
    SurveyResponse.objects.create(
        enrollment=enrollment,
        phase=phase,
        answers=answers,
        submitted_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    return enrollment


def test_the_summary_of_known_answers(cast):
    offering, _ = offering_with_sessions(cast.district_a, starts=[-100])
    services.ensure_standard_questions(cast.district_a)
    SurveyQuestion.objects.filter(key="what_changed").update(is_active=False)
    a = _respond(
        offering,
        cast.alice,
        AFTER,
        {"relevance": 5, "quality": 4, "likely_to_use": 2, "support_needed": "Time to plan"},
        3,
    )
    _respond(offering, cast.eve, AFTER, {"relevance": 3, "quality": 4, "likely_to_use": 5}, 2)
    _respond(
        offering,
        cast.pat,
        AFTER,
        {"relevance": 4, "quality": 4, "likely_to_use": 4, "support_needed": "Coaching"},
        1,
    )
    SurveyResponse.objects.create(
        enrollment=a, phase=FOLLOW_UP, answers={"used_in_class": True}, submitted_at=timezone.now()
    )
    _respond(offering, cast.carol, FOLLOW_UP, {"used_in_class": False}, 0)
    _respond(offering, cast.ada, FOLLOW_UP, {"used_in_class": True}, 0)

    summary = survey_summary(offering)

    assert summary["responses"] == {"after": 3, "follow_up": 3}
    by_key = {q["key"]: q for q in summary["questions"]}
    assert list(by_key) == [
        "relevance",
        "quality",
        "likely_to_use",
        "support_needed",
        "used_in_class",
    ]  # what_changed: not asked any more and never answered
    assert (by_key["relevance"]["count"], by_key["relevance"]["mean"]) == (3, 4.0)
    assert by_key["likely_to_use"]["mean"] == 3.67
    assert by_key["quality"]["distribution"] == {1: 0, 2: 0, 3: 0, 4: 3, 5: 0}
    assert [t["text"] for t in by_key["support_needed"]["texts"]] == ["Coaching", "Time to plan"]
    assert by_key["support_needed"]["count"] == 2
    used = by_key["used_in_class"]
    assert (used["count"], used["yes"], used["no"], used["yes_rate"]) == (3, 2, 1, 0.667)


def test_the_feedback_page(cast, client_for, django_assert_max_num_queries):
    offering, _ = offering_with_sessions(cast.district_a, starts=[-100], title="Read-alouds")
    services.ensure_standard_questions(cast.district_a)
    _respond(offering, cast.alice, AFTER, {"relevance": 5, "quality": 3, "likely_to_use": 4}, 1)
    _respond(offering, cast.eve, AFTER, {"relevance": 4, "quality": 3, "likely_to_use": 4}, 1)
    url = f"/catalog/{offering.public_id}/feedback/"
    client = client_for(cast.dana)

    with django_assert_max_num_queries(10):
        page = text(client.get(url))

    assert "Feedback on Read-alouds" in page
    assert "Average <strong>4.5</strong> of 5." in page
    assert client_for(cast.alice).get(url).status_code == 403
    assert client_for(cast.bea).get(url).status_code == 404
    empty, _ = offering_with_sessions(cast.district_a, starts=[-100])
    assert "Nobody has answered the survey" in text(
        client.get(f"/catalog/{empty.public_id}/feedback/")
    )


def test_the_question_edit_page(cast, client_for):
    access = cast.access(cast.dana)
    services.ensure_standard_questions(cast.district_a)
    relevance = SurveyQuestion.objects.get(district=cast.district_a, key="relevance")
    mine = question_services.add_question(
        access=access, actor=cast.dana, phase=FOLLOW_UP, kind="text", text="Tell us", required=False
    )
    client = client_for(cast.dana)

    standard_page = text(client.get(f"/district/survey/{relevance.public_id}/"))
    client.post(
        f"/district/survey/{relevance.public_id}/",
        {"text": "Reworded?", "is_active": "on"},  # the disabled field keeps its wording
    )
    renamed = client.post(
        f"/district/survey/{mine.public_id}/", {"text": "Tell us more", "required": "on"}
    )
    blank = client.post(f"/district/survey/{mine.public_id}/", {"text": ""})

    assert "Standard questions keep their wording" in standard_page
    assert " disabled" in standard_page
    relevance.refresh_from_db()
    mine.refresh_from_db()
    assert (relevance.text.startswith("How relevant"), relevance.required) == (True, False)
    assert renamed.status_code == 302
    assert (mine.text, mine.required, mine.is_active) == ("Tell us more", True, False)
    assert blank.status_code == 400
    assert "This field is required." in text(blank)
