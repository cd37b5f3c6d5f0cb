from django.urls import path

from trellis.growth import views

app_name = "growth"

urlpatterns = [
    path("", views.people, name="people"),
    path("<uuid:public_id>/", views.person, name="person"),
]
