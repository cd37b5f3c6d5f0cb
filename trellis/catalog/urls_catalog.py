"""See trellis/catalog/urls.py. The catalog: browsing (/catalog/), the offering page, managing
offerings and sessions (/catalog/manage/, …) and the catalog as CSV."""

from django.urls import path

from trellis.catalog.views import browse, catalog_csv, manage, manage_sessions

urlpatterns = [
    path("catalog/", browse.catalog, name="browse"),
    path("catalog/export.csv", catalog_csv.catalog_export, name="export"),
    path("catalog/manage/", manage.manage, name="manage"),
    path("catalog/manage/new/", manage.offering_new, name="offering_new"),
    path("catalog/manage/import/", catalog_csv.catalog_import, name="import"),
    path("catalog/manage/template.csv", catalog_csv.catalog_template, name="import_template"),
    path("catalog/<uuid:public_id>/", browse.offering, name="offering"),
    path("catalog/<uuid:public_id>/edit/", manage.offering_edit, name="offering_edit"),
    path("catalog/<uuid:public_id>/status/", manage.offering_status, name="offering_status"),
    path("catalog/<uuid:public_id>/copy/", manage.offering_copy, name="offering_copy"),
    path("catalog/<uuid:public_id>/delete/", manage.offering_delete, name="offering_delete"),
    path("catalog/<uuid:public_id>/sessions/new/", manage_sessions.session_new, name="session_new"),
    path(
        "catalog/sessions/<uuid:public_id>/edit/",
        manage_sessions.session_edit,
        name="session_edit",
    ),
    path(
        "catalog/sessions/<uuid:public_id>/cancel/",
        manage_sessions.session_cancel,
        name="session_cancel",
    ),
]
