from django.urls import path

from trellis.quality import views

app_name = "quality"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("rubric/", views.rubric, name="rubric"),
    path("rubric/<uuid:public_id>/", views.rubric_item_edit, name="rubric_item"),
    path("rubric/<uuid:public_id>/action/", views.rubric_item_action, name="rubric_item_action"),
    path("offerings/<uuid:public_id>/vet/", views.vet_offering, name="vet_offering"),
    path("offerings/<uuid:public_id>/review/", views.my_review, name="my_review"),
    path("propose/", views.propose, name="propose"),
    path("proposals/", views.my_proposals, name="my_proposals"),
    path("proposals/<uuid:public_id>/", views.proposal, name="proposal"),
    path("reviews/", views.moderation, name="moderation"),
    path("reviews/<uuid:public_id>/moderate/", views.moderate, name="moderate"),
]
