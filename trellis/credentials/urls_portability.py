"""URLs of credential portability: OB 2.0 hosted export (public), the CLR transcript, imported
badges and bulk issuance batches."""

from django.urls import path

from trellis.credentials import views_ob2, views_portability

app_name = "credentials_portability"
urlpatterns = [
    path("ob2/issuers/<slug:slug>", views_ob2.issuer, name="ob2_issuer"),
    path("ob2/badges/<str:public_id>", views_ob2.badge, name="ob2_badge"),
    path("ob2/badges/<str:public_id>/image.png", views_ob2.badge_image, name="ob2_badge_image"),
    path("ob2/assertions/<str:public_id>", views_ob2.assertion, name="ob2_assertion"),
    path("credentials/transcript", views_portability.transcript, name="transcript"),
    path("credentials/imported/", views_portability.imported_list, name="imported_list"),
    path("credentials/imported/new", views_portability.import_badge, name="import_badge"),
    path(
        "credentials/imported/<str:public_id>",
        views_portability.imported_detail,
        name="imported_detail",
    ),
    path(
        "credentials/imported/<str:public_id>/reverify",
        views_portability.imported_reverify,
        name="imported_reverify",
    ),
    path(
        "credentials/imported/<str:public_id>/visibility",
        views_portability.imported_visibility,
        name="imported_visibility",
    ),
    path(
        "credentials/imported/<str:public_id>/delete",
        views_portability.imported_delete,
        name="imported_delete",
    ),
    path("credentials/batches/", views_portability.batch_list, name="batch_list"),
    path(
        "credentials/batches/<str:public_id>", views_portability.batch_detail, name="batch_detail"
    ),
    path(
        "credentials/batches/<str:public_id>/progress",
        views_portability.batch_progress,
        name="batch_progress",
    ),
]
