"""URLs of the credentials app (filled in as the app grows)."""

from django.urls import path  # noqa: F401

app_name = "credentials_public"
urlpatterns: list = []
