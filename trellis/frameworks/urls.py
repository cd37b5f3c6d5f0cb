from django.urls import path

from trellis.frameworks import editing_views, views

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_list, name="list"),
    path("import/", views.import_upload, name="import"),
    path("import/<uuid:public_id>/", views.import_preview, name="import_preview"),
    path("<uuid:public_id>/", views.framework_detail, name="detail"),
    path("<uuid:public_id>/case.json", views.framework_export, name="export"),
    path("<uuid:public_id>/adopt/", views.framework_adopt, name="adopt"),
    path("<uuid:public_id>/copy/", views.framework_copy, name="copy"),
    path("<uuid:public_id>/edit/", editing_views.framework_edit, name="edit"),
    path("<uuid:public_id>/scale/", editing_views.scale_edit, name="scale"),
    path("<uuid:public_id>/items/new/", editing_views.item_add, name="item_add"),
    path("<uuid:public_id>/items/<uuid:item_id>/edit/", editing_views.item_edit, name="item_edit"),
    path(
        "<uuid:public_id>/items/<uuid:item_id>/delete/",
        editing_views.item_delete,
        name="item_delete",
    ),
    path("<uuid:public_id>/items/<uuid:item_id>/move/", editing_views.item_move, name="item_move"),
]
