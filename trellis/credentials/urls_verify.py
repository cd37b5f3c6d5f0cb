"""The public verifier page."""

from django.urls import path

from trellis.credentials import views_verify

app_name = "credentials_verify"
urlpatterns = [
    path("", views_verify.verify_page, name="verify"),
]
