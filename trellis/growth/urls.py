"""Growth pages. Mounted at the site root: the people directory under /people/, the educator's
growth under /growth/, coaches' caseloads under /caseload/, admin pages beside them."""

from django.urls import path

from trellis.growth import views
from trellis.growth.pages import assessment, coaching, district, goals, me

app_name = "growth"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<uuid:public_id>/", views.person, name="person"),
    path("people/<uuid:public_id>/coaches/", coaching.assign_coach, name="assign_coach"),
    path(
        "people/<uuid:public_id>/coaches/<uuid:assignment_id>/remove/",
        coaching.unassign_coach,
        name="unassign_coach",
    ),
    path("growth/", me.home, name="home"),
    path("growth/profile/", me.profile, name="profile"),
    path("growth/self-assessment/", assessment.self_assessment, name="self_assessment"),
    path("growth/self-assessment/<uuid:public_id>/", assessment.snapshot, name="snapshot"),
    path("growth/goals/new/", goals.goal_new, name="goal_new"),
    path("growth/goals/<uuid:public_id>/", goals.goal_detail, name="goal"),
    path("growth/goals/<uuid:public_id>/edit/", goals.goal_edit, name="goal_edit"),
    path("growth/goals/<uuid:public_id>/status/", goals.goal_status, name="goal_status"),
    path("growth/goals/<uuid:public_id>/reflections/", goals.goal_reflect, name="goal_reflect"),
    path("growth/goals/<uuid:public_id>/comments/", goals.goal_comment, name="goal_comment"),
    path("growth/plan/new/", me.plan_new, name="plan_new"),
    path("growth/plan/<uuid:public_id>/", me.plan_item, name="plan_item"),
    path("caseload/", coaching.caseload, name="caseload"),
    path("caseload/<uuid:public_id>/", coaching.caseload_person, name="caseload_person"),
    path("observations/import/", district.observations_import, name="observations_import"),
    path("observations/template.csv", district.observations_template, name="observations_template"),
    path("career-stages/", district.growth_settings, name="settings"),
]
