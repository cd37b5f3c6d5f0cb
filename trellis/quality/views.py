"""Quality pages: the vetting queue, rubric, vetting an offering, proposals, reviews."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from trellis.catalog.models import OfferingStatus
from trellis.core.errors import DomainError
from trellis.core.errors import PermissionDenied as DomainPermissionDenied
from trellis.core.pagination import paginate
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm
from trellis.growth import queries as growth_queries
from trellis.quality import queries
from trellis.quality.forms import ProposalForm, ReasonForm, ReviewForm, RubricItemForm, VettingForm
from trellis.quality.models import ProposalStatus
from trellis.quality.services import proposals as proposal_services
from trellis.quality.services import reviews as review_services
from trellis.quality.services import rubric as rubric_services
from trellis.quality.services import vetting as vetting_services


def _add_error(form: object, exc: DomainError) -> None:
    field = exc.details.get("field") if exc.details else None
    form.add_error(field if field in form.fields else None, exc.message)  # type: ignore[attr-defined]


# --- the queue -------------------------------------------------------------------------------


@district_view(Perm.MANAGE_QUALITY)
def queue(request: HttpRequest) -> HttpResponse:
    district = request.access.district
    proposals = paginate(queries.open_proposals(district), request.GET.get("proposals"))
    unvetted = paginate(queries.unvetted_offerings(district), request.GET.get("offerings"))
    return render(
        request,
        "quality/queue.html",
        {
            "proposals": proposals,
            "unvetted": unvetted,
            "keep_p": f"offerings={unvetted.number}&",
            "keep_o": f"proposals={proposals.number}&",
        },
    )


# --- the rubric ------------------------------------------------------------------------------


@district_view(Perm.MANAGE_QUALITY)
@require_http_methods(["GET", "POST"])
def rubric(request: HttpRequest) -> HttpResponse:
    district = request.access.district
    if not queries.rubric_items(district, include_archived=True).exists():
        rubric_services.ensure_default_rubric(district)
    form = RubricItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rubric_services.add_item(access=request.access, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, "Rubric item added.")
            return redirect("quality:rubric")
    items = list(queries.rubric_items(district, include_archived=True))
    return render(
        request,
        "quality/rubric.html",
        {
            "form": form,
            "active": [i for i in items if i.archived_at is None],
            "archived": [i for i in items if i.archived_at is not None],
        },
        status=400 if form.errors else 200,
    )


@district_view(Perm.MANAGE_QUALITY)
@require_http_methods(["GET", "POST"])
def rubric_item_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    item = queries.rubric_item(request.access.district, public_id)
    initial = {
        "text": item.text,
        "help": item.help,
        "essential": item.essential,
        "max_points": item.max_points,
    }
    form = RubricItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rubric_services.update_item(
                access=request.access, actor=request.user, item=item, **form.cleaned_data
            )
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, "Rubric item saved.")
            return redirect("quality:rubric")
    return render(
        request,
        "quality/rubric_item.html",
        {"form": form, "item": item},
        status=400 if form.errors else 200,
    )


@district_view(Perm.MANAGE_QUALITY)
@require_POST
def rubric_item_action(request: HttpRequest, public_id: str) -> HttpResponse:
    item = queries.rubric_item(request.access.district, public_id)
    action = request.POST.get("action", "")
    kwargs = {"access": request.access, "actor": request.user, "item": item}
    try:
        if action == "remove":
            outcome = rubric_services.remove_item(**kwargs)
            messages.success(
                request,
                "Rubric item archived: offerings were scored on it, so it is kept for their "
                "records."
                if outcome == "archived"
                else "Rubric item deleted.",
            )
        elif action == "restore":
            rubric_services.restore_item(**kwargs)
            messages.success(request, "Rubric item restored.")
        elif action in ("up", "down"):
            rubric_services.move_item(**kwargs, up=action == "up")
        else:
            messages.error(request, "Unknown action.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("quality:rubric")


# --- vetting an offering ---------------------------------------------------------------------


@district_view(Perm.MANAGE_QUALITY)
@require_http_methods(["GET", "POST"])
def vet_offering(request: HttpRequest, public_id: str) -> HttpResponse:
    district = request.access.district
    offering = queries.offering_in(district, public_id)
    if not queries.rubric_items(district, include_archived=True).exists():
        rubric_services.ensure_default_rubric(district)
    items = list(queries.rubric_items(district))
    can_publish = offering.status in (OfferingStatus.DRAFT, OfferingStatus.UNDER_REVIEW)
    form = VettingForm(request.POST or None, items=items, can_publish=can_publish)
    if request.method == "POST" and form.is_valid():
        try:
            review = vetting_services.vet_offering(
                access=request.access,
                actor=request.user,
                offering=offering,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                publish=bool(form.cleaned_data.get("publish")),
            )
        except DomainError as exc:
            _add_error(form, exc)
        else:
            if review.essentials_met:
                messages.success(request, f"Vetted: {round(review.score * 100)}%.")
            else:
                messages.warning(
                    request,
                    f"Saved: {round(review.score * 100)}%, not vetted. "
                    + vetting_services.unmet_message(review.unmet_essentials),
                )
            return redirect("catalog:offering", public_id=offering.public_id)
    return render(
        request,
        "quality/vet.html",
        {
            "form": form,
            "offering": offering,
            "history": queries.vetting_history(district, offering)[:10],
        },
        status=400 if form.errors else 200,
    )


# --- proposals -------------------------------------------------------------------------------


def _cmap(district):  # type: ignore[no-untyped-def]
    framework = growth_queries.adopted_framework(district)
    return growth_queries.competency_map(framework) if framework else None


@district_view(Perm.VIEW_CATALOG)
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    district = request.access.district
    can_facilitate = proposal_services.can_facilitate(district, request.user)
    form = ProposalForm(request.POST or None, cmap=_cmap(district), can_facilitate=can_facilitate)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = proposal_services.submit_proposal(
                access=request.access, actor=request.user, **form.cleaned_data
            )
        except DomainPermissionDenied as exc:
            form.add_error("kind", exc.message)
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(
                request,
                f"Thank you: “{proposal.title}” was sent to the PD office. You'll be told what "
                "they decide.",
            )
            return redirect("quality:my_proposals")
    return render(
        request,
        "quality/propose.html",
        {"form": form, "can_facilitate": can_facilitate},
        status=400 if form.errors else 200,
    )


@district_view(Perm.VIEW_CATALOG)
def my_proposals(request: HttpRequest) -> HttpResponse:
    page = paginate(
        queries.my_proposals(request.access.district, request.user), request.GET.get("page")
    )
    return render(request, "quality/my_proposals.html", {"page": page})


@district_view(Perm.VIEW_CATALOG)
@require_http_methods(["GET", "POST"])
def proposal(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    found = queries.proposal_in(access.district, public_id)
    is_manager = access.can(Perm.MANAGE_QUALITY)
    if not is_manager and found.proposer_id != request.user.pk:
        raise Http404("No such proposal.")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    items = list(queries.rubric_items(access.district)) if is_manager else []
    vet_form = VettingForm(request.POST if action == "accept" else None, items=items)
    decline_form = ReasonForm(request.POST if action == "decline" else None)
    if action:
        try:
            if action == "withdraw":
                proposal_services.withdraw_proposal(
                    access=access, actor=request.user, proposal=found
                )
                messages.success(request, "Proposal withdrawn.")
                return redirect("quality:my_proposals")
            if not is_manager:
                raise DomainPermissionDenied()
            if action == "start_review":
                proposal_services.start_review(access=access, actor=request.user, proposal=found)
                messages.success(request, "Review started; the proposer was told.")
                return redirect("quality:proposal", public_id=found.public_id)
            if action == "accept" and vet_form.is_valid():
                accepted = proposal_services.accept_proposal(
                    access=access,
                    actor=request.user,
                    proposal=found,
                    scores=vet_form.scores(),
                    comment=vet_form.cleaned_data["comment"],
                )
                published = accepted.offering.status == OfferingStatus.PUBLISHED
                messages.success(
                    request,
                    "Accepted and published; the proposer was told."
                    if published
                    else "Accepted: add its sessions, then publish it. The proposer was told.",
                )
                return redirect("catalog:offering", public_id=accepted.offering.public_id)
            if action == "decline" and decline_form.is_valid():
                proposal_services.decline_proposal(
                    access=access,
                    actor=request.user,
                    proposal=found,
                    reason=decline_form.cleaned_data["reason"],
                )
                messages.success(request, "Proposal declined; the proposer was told why.")
                return redirect("quality:queue")
        except DomainPermissionDenied:
            raise PermissionDenied from None
        except DomainError as exc:
            _add_error(vet_form if action == "accept" else decline_form, exc)
            if action not in ("accept", "decline"):
                messages.error(request, exc.message)
    failed = bool(vet_form.errors or decline_form.errors)
    return render(
        request,
        "quality/proposal.html",
        {
            "proposal": found,
            "is_manager": is_manager,
            "is_proposer": found.proposer_id == request.user.pk,
            "vet_form": vet_form,
            "decline_form": decline_form,
            "competencies": list(found.competencies.all()),
            "open": found.status in (ProposalStatus.SUBMITTED, ProposalStatus.IN_REVIEW),
        },
        status=400 if failed else 200,
    )


# --- reviews ---------------------------------------------------------------------------------


@district_view(Perm.VIEW_CATALOG)
@require_http_methods(["GET", "POST"])
def my_review(request: HttpRequest, public_id: str) -> HttpResponse:
    district = request.access.district
    offering = queries.offering_in(district, public_id)
    existing = queries.my_review(district, offering, request.user)
    completed = queries.has_completed(offering, request.user)
    initial = {"stars": existing.stars, "text": existing.text} if existing else None
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review_services.save_review(
                access=request.access, actor=request.user, offering=offering, **form.cleaned_data
            )
        except DomainPermissionDenied as exc:
            form.add_error(None, exc.message)
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, "Thank you: your review is saved.")
            return redirect("catalog:offering", public_id=offering.public_id)
    return render(
        request,
        "quality/review_form.html",
        {"form": form, "offering": offering, "existing": existing, "completed": completed},
        status=400 if form.errors else (200 if completed or existing else 403),
    )


@district_view(Perm.MANAGE_QUALITY)
def moderation(request: HttpRequest) -> HttpResponse:
    page = paginate(
        queries.recent_reviews_for_moderation(request.access.district), request.GET.get("page")
    )
    return render(request, "quality/moderation.html", {"page": page, "form": ReasonForm()})


@district_view(Perm.MANAGE_QUALITY)
@require_POST
def moderate(request: HttpRequest, public_id: str) -> HttpResponse:
    review = queries.review_in(request.access.district, public_id)
    try:
        if request.POST.get("action") == "restore":
            review_services.restore_review(access=request.access, actor=request.user, review=review)
            messages.success(request, "Review restored; the author was told.")
        else:
            review_services.hide_review(
                access=request.access,
                actor=request.user,
                review=review,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, "Review hidden; the author was told why.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("quality:moderation")
