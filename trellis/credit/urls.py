"""Credit pages: renewal progress, transcript, salary lanes, and the district's credit setup.
Mounted at /credit/."""

from django.urls import path

from trellis.credit.views import educator, imported, manage

app_name = "credit"

urlpatterns = [
    path("renewal/", educator.renewal, name="renewal"),
    path("transcript/", educator.transcript, name="transcript"),
    path("transcript.pdf", educator.transcript_pdf_download, name="transcript_pdf"),
    path("transcript.csv", educator.transcript_csv_download, name="transcript_csv"),
    path("lanes/", educator.lanes, name="lanes"),
    path("people/<uuid:public_id>/renewal/", educator.person_renewal, name="person_renewal"),
    path("manage/", manage.manage, name="manage"),
    path("manage/lanes/", manage.lane_new, name="lane_new"),
    path("manage/lanes/<uuid:public_id>/", manage.lane_edit, name="lane_edit"),
    path("manage/lanes/<uuid:public_id>/delete/", manage.lane_delete, name="lane_delete"),
    path("manage/licences/", manage.licences, name="licences"),
    path("manage/educators/<uuid:public_id>/", manage.educator, name="educator"),
    path("manage/educators/<uuid:public_id>/licence/", manage.licence_save, name="licence_save"),
    path(
        "manage/educators/<uuid:public_id>/licence/remove/",
        manage.licence_remove,
        name="licence_remove",
    ),
    path("manage/educators/<uuid:public_id>/credit/", manage.credit_record, name="credit_record"),
    path("manage/awards/<uuid:public_id>/revoke/", manage.award_revoke, name="award_revoke"),
    path("manage/export.csv", manage.export, name="export"),
    path("manage/imported/", imported.queue, name="imported"),
    path("manage/imported/<uuid:public_id>/", imported.review, name="imported_review"),
    path("manage/imported/<uuid:public_id>/count/", imported.count, name="imported_count"),
    path("manage/imported/<uuid:public_id>/decline/", imported.decline, name="imported_decline"),
]
