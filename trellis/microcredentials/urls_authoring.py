"""Definitions and stacks: browsing (everyone) and authoring. See trellis/microcredentials/urls.py."""

from django.urls import path

from trellis.microcredentials.views import authoring, browse, stacks

urlpatterns = [
    path("", browse.definition_list, name="list"),
    path("new/", authoring.create, name="create"),
    path("import/", authoring.import_json, name="import"),
    path("stacks/", stacks.stack_list, name="stacks"),
    path("stacks/new/", stacks.stack_new, name="stack_new"),
    path("stacks/<uuid:stack_id>/edit/", stacks.stack_edit, name="stack_edit"),
    path("stacks/<uuid:stack_id>/active/", stacks.stack_active, name="stack_active"),
    path("<uuid:public_id>/", browse.definition_page, name="definition"),
    path("<uuid:public_id>/export.json", browse.export_json, name="export"),
    path("<uuid:public_id>/edit/", authoring.edit, name="edit"),
    path("<uuid:public_id>/publish/", authoring.publish, name="publish"),
    path("<uuid:public_id>/new-version/", authoring.new_version, name="new_version"),
    path("<uuid:public_id>/status/", authoring.change_status, name="status"),
    path("<uuid:public_id>/parts/", authoring.part_add, name="part_add"),
    path("<uuid:public_id>/parts/<uuid:part_id>/", authoring.part_edit, name="part_edit"),
    path(
        "<uuid:public_id>/parts/<uuid:part_id>/action/", authoring.part_action, name="part_action"
    ),
    path(
        "<uuid:public_id>/parts/<uuid:part_id>/criteria/",
        authoring.criterion_add,
        name="criterion_add",
    ),
    path(
        "<uuid:public_id>/criteria/<uuid:criterion_id>/",
        authoring.criterion_edit,
        name="criterion_edit",
    ),
]
