"""Thin views: the educator's "Recommended for you", a coach's view of a caseload educator's list
with suggestions, the admin's settings and "who is recommended what"."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trellis.core.errors import DomainError
from trellis.core.ids import public_id_or_404
from trellis.core.pagination import paginate, query_without_page
from trellis.districts.decorators import district_view
from trellis.districts.models import School
from trellis.districts.permissions import Perm
from trellis.frameworks.models import FrameworkItem
from trellis.growth import queries as growth_queries
from trellis.recommend import queries, services
from trellis.recommend.core.weights import DEFAULT_WEIGHTS, weight_names
from trellis.recommend.forms import (
    FeedbackForm,
    PriorityForm,
    PriorityOfferingForm,
    SettingsForm,
    SuggestForm,
    WhoFilterForm,
)
from trellis.recommend.models import CoachSuggestion, PriorityCompetency, PriorityOffering

FEEDBACK_DONE = {
    "not_for_me": "Marked “{title}” as not for you; your list was refreshed.",
    "save": "Saved “{title}”.",
    "clear": "Your feedback on “{title}” was undone.",
}


@district_view(Perm.VIEW_OWN_LEARNING)
def mine(request: HttpRequest) -> HttpResponse:
    recommendations = queries.recommendations_for(request.access, request.user)
    return render(
        request,
        "recommend/mine.html",
        {"recs": recommendations, "own": True, "can_feedback": True},
    )


@district_view(Perm.VIEW_OWN_LEARNING)
@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an offering and Save, Not for me or Undo.")
        return redirect("recommend:mine")
    offering = queries.get_published_offering(request.access, form.cleaned_data["offering"])
    action = form.cleaned_data["action"]
    try:
        services.give_feedback(
            access=request.access, actor=request.user, offering=offering, action=action
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, FEEDBACK_DONE[action].format(title=offering.title))
    return redirect("recommend:mine")


@district_view(Perm.VIEW_OWN_LEARNING)
@require_http_methods(["GET", "POST"])
def educator(request: HttpRequest, public_id: str) -> HttpResponse:
    """A caseload educator's list for their coach (with "Suggest an offering"), or any educator's
    for a district admin."""
    access = request.access
    try:
        person = queries.educator_for_viewer(access, request.user, public_id)
    except DomainError as exc:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(exc.message) from None
    if person.pk == request.user.pk:
        return redirect("recommend:mine")
    can_suggest = queries.is_coach_of(access, request.user, person)
    offerings = queries.published_offerings(access.district) if can_suggest else []
    form = SuggestForm(request.POST or None, offerings=offerings)
    if request.method == "POST":
        if not can_suggest:
            raise Http404("Only the educator's coach can suggest offerings.")
        if form.is_valid():
            offering = queries.get_published_offering(access, form.cleaned_data["offering"])
            try:
                services.suggest_offering(
                    access=access,
                    actor=request.user,
                    educator=person,
                    offering=offering,
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                form.add_error(exc.details.get("field") or None, exc.message)
            else:
                messages.success(request, f"Suggested “{offering.title}” to {person.full_name}.")
                return redirect("recommend:educator", public_id=person.public_id)
    recommendations = queries.recommendations_for(access, person)
    return render(
        request,
        "recommend/educator.html",
        {
            "recs": recommendations,
            "person": person,
            "profile": growth_queries.profile_for(person, access.district),
            "form": form,
            "can_suggest": can_suggest,
            "my_suggestions": queries.suggestions_by(access, request.user, person)
            if can_suggest
            else [],
        },
    )


@district_view(Perm.COACH_EDUCATORS)
@require_POST
def withdraw_suggestion(request: HttpRequest, public_id: str) -> HttpResponse:
    suggestion = (
        CoachSuggestion.objects.filter(
            district=request.access.district,
            coach=request.user,
            public_id=public_id_or_404(public_id),
        )
        .select_related("offering", "educator")
        .first()
    )
    if suggestion is None:
        raise Http404("No such suggestion of yours.")
    educator_id = suggestion.educator.public_id
    services.withdraw_suggestion(access=request.access, actor=request.user, suggestion=suggestion)
    messages.success(request, f"Withdrew the suggestion of “{suggestion.offering.title}”.")
    return redirect("recommend:educator", public_id=educator_id)


# ---------------------------------------------------------------------------------------------
# admin
# ---------------------------------------------------------------------------------------------


def _settings_initial(row) -> dict:
    initial = {
        name: getattr(row, name)
        for name in ("novice_size", "developing_size", "experienced_size", "veteran_size")
    }
    initial["reserved_slots"] = row.reserved_slots
    overrides = row.weight_overrides or {}
    for name in weight_names():
        initial[f"w_{name}"] = overrides.get(name, getattr(DEFAULT_WEIGHTS, name))
    return initial


@district_view(Perm.MANAGE_RECOMMENDATIONS)
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest) -> HttpResponse:
    access = request.access
    row = queries.recommendation_settings(access.district)
    form = SettingsForm(request.POST or None, initial=_settings_initial(row))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_settings(
                access=access,
                actor=request.user,
                sizes={name: data[name] for name, _ in services.SIZE_FIELDS},
                reserved_slots=data["reserved_slots"],
                weight_overrides=form.overrides(),
            )
        except DomainError as exc:
            field = exc.details.get("field")
            if field in form.fields:
                form.add_error(field, exc.message)
            elif f"w_{field}" in form.fields:
                form.add_error(f"w_{field}", exc.message)
            else:
                form.add_error(None, exc.message)
        else:
            messages.success(request, "Recommendation settings saved.")
            return redirect("recommend:settings")
    framework = growth_queries.adopted_framework(access.district)
    competencies = growth_queries.competency_map(framework).competencies if framework else []
    schools = School.objects.filter(district=access.district).order_by("name")
    return render(
        request,
        "recommend/settings.html",
        {
            "form": form,
            "priority_form": PriorityForm(competencies=competencies, schools=schools),
            "offering_form": PriorityOfferingForm(
                offerings=queries.published_offerings(access.district)
            ),
            "priorities": queries.district_priorities(access.district),
            "priority_offerings": queries.priority_offerings(access.district),
        },
    )


@district_view(Perm.MANAGE_RECOMMENDATIONS)
@require_POST
def priority_add(request: HttpRequest) -> HttpResponse:
    access = request.access
    framework = growth_queries.adopted_framework(access.district)
    competencies = growth_queries.competency_map(framework).competencies if framework else []
    schools = School.objects.filter(district=access.district)
    form = PriorityForm(request.POST, competencies=competencies, schools=schools)
    if not form.is_valid():
        messages.error(
            request, "Choose a competency of the adopted framework and where it applies."
        )
        return redirect("recommend:settings")
    item = FrameworkItem.objects.get(public_id=form.cleaned_data["competency"])
    school = (
        schools.filter(public_id=form.cleaned_data["school"]).first()
        if form.cleaned_data["school"]
        else None
    )
    try:
        services.add_priority_competency(
            access=access, actor=request.user, item=item, school=school
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Added “{item}” to the priorities.")
    return redirect("recommend:settings")


@district_view(Perm.MANAGE_RECOMMENDATIONS)
@require_POST
def priority_remove(request: HttpRequest, public_id: str) -> HttpResponse:
    row = (
        PriorityCompetency.objects.filter(
            district=request.access.district, public_id=public_id_or_404(public_id)
        )
        .select_related("item", "school")
        .first()
    )
    if row is None:
        raise Http404("No such priority.")
    services.remove_priority_competency(access=request.access, actor=request.user, priority=row)
    messages.success(request, f"Removed “{row.item}” from the priorities.")
    return redirect("recommend:settings")


@district_view(Perm.MANAGE_RECOMMENDATIONS)
@require_POST
def priority_offering_add(request: HttpRequest) -> HttpResponse:
    access = request.access
    form = PriorityOfferingForm(
        request.POST, offerings=queries.published_offerings(access.district)
    )
    if not form.is_valid():
        messages.error(request, "Choose a published offering.")
        return redirect("recommend:settings")
    offering = queries.get_published_offering(access, form.cleaned_data["offering"])
    try:
        services.add_priority_offering(access=access, actor=request.user, offering=offering)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{offering.title}” is now a priority offering.")
    return redirect("recommend:settings")


@district_view(Perm.MANAGE_RECOMMENDATIONS)
@require_POST
def priority_offering_remove(request: HttpRequest, public_id: str) -> HttpResponse:
    row = (
        PriorityOffering.objects.filter(
            district=request.access.district, public_id=public_id_or_404(public_id)
        )
        .select_related("offering")
        .first()
    )
    if row is None:
        raise Http404("No such priority offering.")
    services.remove_priority_offering(access=request.access, actor=request.user, priority=row)
    messages.success(request, f"“{row.offering.title}” is no longer a priority offering.")
    return redirect("recommend:settings")


@district_view(Perm.MANAGE_RECOMMENDATIONS)
def who(request: HttpRequest) -> HttpResponse:
    """Per offering: how many educators have it in their stored list, by stage and school; and
    the educators, for a drill-down."""
    district = request.access.district
    page = paginate(queries.reach_offerings(district), request.GET.get("page"), per_page=20)
    form = WhoFilterForm(request.GET or None)
    search = form.cleaned_data.get("q", "") if form.is_valid() else ""
    people = paginate(
        queries.snapshot_educators(district, search=search),
        request.GET.get("people"),
        per_page=25,
    )
    return render(
        request,
        "recommend/who.html",
        {
            "summary": queries.snapshot_summary(district),
            "page": page,
            "rows": queries.reach_page(district, list(page.object_list)),
            "stages": queries.STAGES,
            "people": people,
            "form": form,
            "query": query_without_page(request),
        },
    )


@district_view(Perm.MANAGE_RECOMMENDATIONS)
def who_educator(request: HttpRequest, public_id: str) -> HttpResponse:
    person = queries.get_snapshot_educator(request.access, public_id)
    return render(
        request,
        "recommend/who_educator.html",
        {"person": person, "rows": queries.educator_snapshot(request.access.district, person)},
    )


@district_view(Perm.MANAGE_RECOMMENDATIONS)
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    services.request_recompute(access=request.access, actor=request.user)
    messages.success(request, "Recomputing everyone's recommendations in the background.")
    return redirect("recommend:who")
