"""District PD leaders' assessment pages: settings, the assessor pool, the queue of waiting and
overdue work, and calibration (agreement reports and exercises)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trellis.catalog.views.enrolment import add_domain_error
from trellis.core.errors import DomainError
from trellis.core.ids import public_id_or_404
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.microcredentials.forms_assessment import ExerciseForm, QualificationForm, SettingsForm
from trellis.microcredentials.models import AssessorQualification, Submission
from trellis.microcredentials.queries import assessment as queries
from trellis.microcredentials.queries import assessor_pool as pool
from trellis.microcredentials.queries import calibration as reports
from trellis.microcredentials.services import assignment as assigning
from trellis.microcredentials.services import calibration
from trellis.microcredentials.services import settings as settings_services
from trellis.microcredentials.services.calibration import ANCHOR_STATUSES

MANAGE = Perm.MANAGE_MICRO_CREDENTIALS
SETTING_FIELDS = [*settings_services.NUMBERS, *settings_services.SWITCHES]


@district_view(MANAGE)
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    access = request.access
    current = pool.settings_for(access.district)
    initial = {field: getattr(current, field) for field in SETTING_FIELDS}
    form = SettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                settings_services.update_settings(
                    access=access, actor=request.user, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, "Assessment settings saved. They apply from now on.")
                return redirect("microcredentials:assessment_settings")
        else:
            status = 400
    return render(
        request, "microcredentials/assessment/settings.html", {"form": form}, status=status
    )


def _find_user(district, public_id: str):
    uid = public_id_or_404(public_id, "person")
    user = get_user_model().objects.filter(public_id=uid, memberships__district=district).first()
    if user is None:
        raise Http404("No such person.")
    return user


@district_view(MANAGE)
@require_http_methods(["GET", "POST"])
def assessors_page(request: HttpRequest) -> HttpResponse:
    access = request.access
    assessors = pool.district_assessors(access.district)
    competencies = pool.competencies(access.district)
    form = QualificationForm(
        request.POST if request.method == "POST" else None,
        assessors=assessors,
        competencies=competencies,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            assessor = next(
                u for u in assessors if str(u.public_id) == form.cleaned_data["assessor"]
            )
            competency = next(
                (c for c in competencies if str(c.public_id) == form.cleaned_data["competency"]),
                None,
            )
            try:
                settings_services.add_qualification(
                    access=access,
                    actor=request.user,
                    assessor=assessor,
                    competency=competency,
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, f"{assessor.full_name} is qualified.")
                return redirect("microcredentials:assessment_assessors")
        else:
            status = 400
    context = {
        "form": form,
        "assessors": assessors,
        "qualifications": pool.active_qualifications(access.district),
    }
    return render(request, "microcredentials/assessment/assessors.html", context, status=status)


@district_view(MANAGE)
@require_POST
def remove_assessor(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    qualification = (
        AssessorQualification.objects.filter(district=access.district, public_id=public_id)
        .select_related("assessor", "competency")
        .first()
    )
    if qualification is None:
        raise Http404("No such qualification.")
    try:
        settings_services.remove_qualification(
            access=access, actor=request.user, qualification=qualification
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Qualification removed. Work already assigned stays assigned.")
    return redirect("microcredentials:assessment_assessors")


@district_view(MANAGE)
def queue_page(request: HttpRequest) -> HttpResponse:
    access = request.access
    waiting = list(queries.waiting_without_assessor(access)[:100])
    context = {
        "waiting": [(s, assigning.missing_role(s)) for s in waiting],
        "overdue": list(queries.overdue_assignments(access)[:100]),
        "tz": access.district.timezone,
    }
    return render(request, "microcredentials/assessment/queue.html", context)


@district_view(MANAGE)
@require_POST
def assign_waiting(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    submission = queries.get_submission(access, public_id)
    try:
        assignment = assigning.assign_waiting(
            access=access, actor=request.user, submission=submission
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Assigned to {assignment.assessor.full_name}.")
    return redirect("microcredentials:assessment_queue")


@district_view(MANAGE)
@require_POST
def reassign(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    assignment = queries.get_assignment(access, public_id)
    try:
        moved = assigning.reassign(access=access, actor=request.user, assignment=assignment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Reassigned to {moved.assessor.full_name}.")
    return redirect("microcredentials:assessment_queue")


@district_view(MANAGE)
@require_http_methods(["GET", "POST"])
def calibration_page(request: HttpRequest) -> HttpResponse:
    access = request.access
    anchors = list(
        Submission.objects.filter(district=access.district, status__in=ANCHOR_STATUSES)
        .select_related("version")
        .order_by("-decided_at", "-id")[:50]
    )
    assessors = pool.district_assessors(access.district)
    form = ExerciseForm(
        request.POST if request.method == "POST" else None, anchors=anchors, assessors=assessors
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            anchor = next(s for s in anchors if str(s.public_id) == form.cleaned_data["submission"])
            chosen = [u for u in assessors if str(u.public_id) in form.cleaned_data["assessors"]]
            try:
                created = calibration.start_exercise(
                    access=access, actor=request.user, submission=anchor, assessors=chosen
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    f"Calibration exercise sent to {len(created)} assessor"
                    f"{'s' if len(created) != 1 else ''}; it appears in their inbox.",
                )
                return redirect("microcredentials:assessment_calibration")
        else:
            status = 400
    context = {
        "form": form,
        "agreement": reports.agreement_report(access),
        "exercises": reports.calibration_report(access),
        "min_pairs": reports.MIN_PAIRS,
    }
    return render(request, "microcredentials/assessment/calibration.html", context, status=status)
