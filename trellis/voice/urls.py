"""Educator voice, mounted at /voice/."""

from django.urls import path

from trellis.voice import views, views_demand, views_volunteer

app_name = "voice"

urlpatterns = [
    path("", views.home, name="home"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<uuid:public_id>/", views.request_detail, name="request"),
    path("requests/<uuid:public_id>/edit/", views.request_edit, name="request_edit"),
    path("requests/<uuid:public_id>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("requests/<uuid:public_id>/vote/", views.request_vote, name="request_vote"),
    path("requests/<uuid:public_id>/status/", views.request_status, name="request_status"),
    path("volunteer/", views_volunteer.volunteer, name="volunteer"),
    path(
        "volunteer/<uuid:public_id>/withdraw/",
        views_volunteer.volunteer_withdraw,
        name="volunteer_withdraw",
    ),
    path("volunteers/", views_volunteer.volunteers, name="volunteers"),
    path(
        "volunteers/<uuid:public_id>/status/",
        views_volunteer.volunteer_status,
        name="volunteer_status",
    ),
    path("demand/", views_demand.demand_page, name="demand"),
    path(
        "demand/<str:table>.csv",
        views_demand.demand_csv,
        name="demand_csv",
    ),
]
