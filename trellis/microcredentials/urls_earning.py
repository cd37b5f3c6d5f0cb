"""Earning pages (see trellis/microcredentials/urls.py): start, the educator's workspace with
autosave and artifacts, version history, My micro-credentials, and evidence files."""

from django.urls import path

from trellis.microcredentials.views import earning, uploads

urlpatterns = [
    path("my/", earning.my_micro_credentials, name="my_micro_credentials"),
    path("<uuid:public_id>/start/", earning.start, name="submission_start"),
    path("submissions/<uuid:public_id>/", earning.workspace, name="workspace"),
    path("submissions/<uuid:public_id>/autosave/", earning.autosave, name="workspace_autosave"),
    path(
        "submissions/<uuid:public_id>/artifacts/", earning.artifact_upload, name="artifact_upload"
    ),
    path("submissions/<uuid:public_id>/uploads/", uploads.upload_start, name="upload_start"),
    path("submissions/<uuid:public_id>/uploads/<uuid:upload_id>/", uploads.upload, name="upload"),
    path(
        "submissions/<uuid:public_id>/artifacts/<uuid:artifact_id>/remove/",
        earning.artifact_remove,
        name="artifact_remove",
    ),
    path(
        "submissions/<uuid:public_id>/offerings/",
        earning.offering_evidence,
        name="offering_evidence",
    ),
    path("submissions/<uuid:public_id>/withdraw/", earning.withdraw, name="submission_withdraw"),
    path(
        "submissions/<uuid:public_id>/parts/<uuid:part_id>/history/",
        earning.answer_history,
        name="answer_history",
    ),
    path("evidence/<uuid:public_id>/", earning.evidence, name="evidence"),
]
