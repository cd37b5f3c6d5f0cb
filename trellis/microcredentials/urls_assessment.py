"""Assessment pages (see trellis/microcredentials/urls.py): the assessor inbox and scoring, the
educator's appeal, and the PD leaders' settings, assessor pool, queue and calibration."""

from django.urls import path

from trellis.microcredentials.views import assessment, assessment_admin

urlpatterns = [
    path("assessment/", assessment.inbox, name="assessment_inbox"),
    path("assessment/<uuid:public_id>/", assessment.score_page, name="assessment_score"),
    path("assessment/appeal/<uuid:public_id>/", assessment.appeal_page, name="assessment_appeal"),
    path("assessment/settings/", assessment_admin.settings_page, name="assessment_settings"),
    path("assessment/assessors/", assessment_admin.assessors_page, name="assessment_assessors"),
    path(
        "assessment/assessors/<uuid:public_id>/remove/",
        assessment_admin.remove_assessor,
        name="assessment_assessor_remove",
    ),
    path("assessment/queue/", assessment_admin.queue_page, name="assessment_queue"),
    path(
        "assessment/queue/<uuid:public_id>/assign/",
        assessment_admin.assign_waiting,
        name="assessment_assign",
    ),
    path(
        "assessment/queue/<uuid:public_id>/reassign/",
        assessment_admin.reassign,
        name="assessment_reassign",
    ),
    path(
        "assessment/calibration/", assessment_admin.calibration_page, name="assessment_calibration"
    ),
]
