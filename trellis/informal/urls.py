from django.urls import path

from trellis.informal import views

app_name = "informal"

urlpatterns = [
    path("", views.log, name="log"),
    path("new", views.new, name="new"),
    path("rules/", views.rules_page, name="rules"),
    path("integrations/", views.integrations_page, name="integrations"),
    path(
        "integrations/<str:public_id>/rotate", views.integration_rotate, name="integration_rotate"
    ),
    path(
        "integrations/<str:public_id>/deactivate",
        views.integration_deactivate,
        name="integration_deactivate",
    ),
    path("<str:public_id>/", views.entry, name="entry"),
    path("<str:public_id>/edit", views.edit, name="edit"),
    path("<str:public_id>/delete", views.delete, name="delete"),
]
