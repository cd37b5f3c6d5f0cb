from django.urls import path

from trellis.districts import views

app_name = "districts"

urlpatterns = [
    path("switch/", views.switch_district, name="switch"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/csv/", views.invite_csv, name="invite_csv"),
    path("invitations/template.csv", views.invitation_template, name="invitation_template"),
    path("invitations/<uuid:public_id>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("invitations/<uuid:public_id>/resend/", views.resend_invitation, name="resend_invitation"),
    path("join/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("schools/", views.schools, name="schools"),
    path("audit/", views.audit_log, name="audit_log"),
]
