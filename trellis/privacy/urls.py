from django.urls import path

from trellis.privacy import views

app_name = "privacy"

urlpatterns = [
    path("people/<uuid:public_id>/erase/", views.erase, name="erase"),
    path("erasures/", views.erasures, name="erasures"),
]
