"""URLs of issued credentials under /credentials/: the educator's list, each credential's id URL
(JSON or a human page), downloads, sharing, status lists, and the issuing admin pages."""

from django.urls import path

from trellis.credentials import views, views_admin, views_public

app_name = "credentials"
urlpatterns = [
    path("", views.my_credentials, name="mine"),
    path("status/<uuid:public_id>", views_public.status_list, name="status_list"),
    path("manage/", views_admin.issued_list, name="admin"),
    path("manage/issuer/", views_admin.issuer_profile, name="admin_issuer"),
    path("manage/keys/", views_admin.key_list, name="admin_keys"),
    path("manage/keys/rotate", views_admin.key_rotate, name="admin_key_rotate"),
    path("manage/keys/<uuid:public_id>/revoke", views_admin.key_revoke, name="admin_key_revoke"),
    path("manage/retry", views_admin.retry, name="admin_retry"),
    path("manage/<uuid:public_id>/revoke", views_admin.revoke, name="admin_revoke"),
    path("manage/<uuid:public_id>/suspend", views_admin.suspend, name="admin_suspend"),
    path("manage/<uuid:public_id>/unsuspend", views_admin.unsuspend, name="admin_unsuspend"),
    path("<uuid:public_id>", views.detail, name="detail"),
    path("<uuid:public_id>.json", views.download_json, name="download_json"),
    path("<uuid:public_id>.jwt", views.download_jwt, name="download_jwt"),
    path("<uuid:public_id>.png", views.download_png, name="download_png"),
    path("<uuid:public_id>.svg", views.download_svg, name="download_svg"),
    path("<uuid:public_id>/visibility", views.visibility, name="visibility"),
]
