from django.urls import path

from trellis.roster import views

app_name = "roster"

urlpatterns = [
    path("", views.index, name="index"),
    path("template.csv", views.template_csv, name="template"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/apply/", views.apply, name="apply"),
]
