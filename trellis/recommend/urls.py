"""Recommendation pages, mounted at /recommendations/."""

from django.urls import path

from trellis.recommend import views

app_name = "recommend"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("feedback/", views.feedback, name="feedback"),
    path("educators/<uuid:public_id>/", views.educator, name="educator"),
    path(
        "suggestions/<uuid:public_id>/withdraw/",
        views.withdraw_suggestion,
        name="withdraw_suggestion",
    ),
    path("settings/", views.settings, name="settings"),
    path("settings/priorities/", views.priority_add, name="priority_add"),
    path(
        "settings/priorities/<uuid:public_id>/remove/",
        views.priority_remove,
        name="priority_remove",
    ),
    path("settings/offerings/", views.priority_offering_add, name="priority_offering_add"),
    path(
        "settings/offerings/<uuid:public_id>/remove/",
        views.priority_offering_remove,
        name="priority_offering_remove",
    ),
    path("who/", views.who, name="who"),
    path("who/recompute/", views.recompute, name="recompute"),
    path("who/<uuid:public_id>/", views.who_educator, name="who_educator"),
]
