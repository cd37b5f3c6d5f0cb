from django.urls import path

from trellis.informal import views_xapi

app_name = "xapi"

urlpatterns = [
    path("about", views_xapi.about, name="about"),
    path("statements", views_xapi.statements_view, name="statements"),
]
