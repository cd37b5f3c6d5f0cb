"""Public issuer documents: did:web DID documents of each district's issuer."""

from django.urls import path

from trellis.credentials import views_public

app_name = "credentials_public"
urlpatterns = [
    path("districts/<slug:slug>/did.json", views_public.did_document, name="did_document"),
]
