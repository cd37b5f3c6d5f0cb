"""Attendance, completion and the feedback survey (see trellis/catalog/urls.py)."""

from django.urls import path

from trellis.catalog.views import attendance, completion, surveys

urlpatterns = [
    path("facilitate/", attendance.facilitate, name="facilitate"),
    path("facilitate/sessions/<uuid:public_id>/", attendance.roster, name="roster"),
    path(
        "facilitate/sessions/<uuid:public_id>/code/",
        attendance.check_in_code,
        name="check_in_code",
    ),
    path("facilitate/sessions/<uuid:public_id>/no-shows/", attendance.no_shows, name="no_shows"),
    path("check-in/", attendance.check_in, name="check_in"),
    path("check-in/<str:code>/", attendance.check_in, name="check_in_with_code"),
    path("learning/<uuid:public_id>/complete/", completion.complete, name="complete"),
    path("learning/<uuid:public_id>/survey/", surveys.survey, name="survey"),
    path("district/completion/", completion.completion_policy, name="completion_policy"),
    path("district/survey/", surveys.survey_questions, name="survey_questions"),
    path(
        "district/survey/<uuid:public_id>/",
        surveys.survey_question_edit,
        name="survey_question_edit",
    ),
    path(
        "district/survey/<uuid:public_id>/action/",
        surveys.survey_question_action,
        name="survey_question_action",
    ),
    path("catalog/<uuid:public_id>/feedback/", surveys.offering_feedback, name="offering_feedback"),
]
