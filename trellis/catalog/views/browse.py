"""The catalog as educators see it: the filtered list and the offering page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

from trellis.catalog.forms_catalog import parse_filters
from trellis.catalog.models import DesignFeature, EvidenceTier, OfferingStatus
from trellis.catalog.offering_choices import (
    CAREER_STAGE_CHOICES,
    CATEGORY_CHOICES,
    FORMAT_CHOICES,
    GRADE_BAND_CHOICES,
    POSITION_CHOICES,
    STUDENT_GROUP_CHOICES,
    UNSCHEDULED_KINDS,
    credit_text,
    hours_text,
    label_of,
    labels_of,
    money_text,
    unit_label,
)
from trellis.catalog.queries import enrolment as enrolment_queries
from trellis.catalog.queries import offerings as queries
from trellis.catalog.services.offering_fields import TRANSITIONS
from trellis.core.pagination import paginate, query_without_page
from trellis.districts.decorators import district_view
from trellis.districts.permissions import Perm


@district_view(Perm.VIEW_CATALOG)
@vary_on_headers("HX-Request")  # the same URL answers with a page or, for htmx, the results
def catalog(request: HttpRequest) -> HttpResponse:
    access = request.access
    parsed = parse_filters(request.GET, access=access, for_page=True)
    offerings = queries.search_offerings(access, parsed.filters)
    page = paginate(offerings, request.GET.get("page"), per_page=queries.PER_PAGE)
    context = {
        "form": parsed.form,
        "parsed": parsed,
        "page": page,
        "cards": queries.cards_for(page.object_list),
        "query": query_without_page(request),
        "can_manage": access.can(Perm.MANAGE_CATALOG),
        "export_query": request.GET.urlencode(),
    }
    template = "catalog/catalog.html#results" if request.htmx else "catalog/catalog.html"
    return render(request, template, context, status=400 if parsed.errors else 200)


def _design_checklist(present: list[str]) -> list[dict[str, object]]:
    return [
        {"value": value, "label": label, "present": value in present}
        for value, label in DesignFeature.choices
    ]


@district_view(Perm.VIEW_CATALOG)
def offering(request: HttpRequest, public_id: str) -> HttpResponse:
    access = request.access
    found = queries.get_offering(access, public_id, viewer=request.user)
    can_manage = access.can(Perm.MANAGE_CATALOG)
    competencies = list(found.competencies.all())
    context = {
        "offering": found,
        "card": queries.card_for(found),
        "kind_label": found.get_kind_display(),
        "format_label": label_of(FORMAT_CHOICES, found.format),
        "hours_text": hours_text(found.hours),
        "cost_text": money_text(found.cost),
        "cost_per_hour_text": money_text(found.cost_per_hour) if found.cost else "",
        "credit_text": credit_text(found.credit_amount, found.credit_unit),
        "credit_unit_label": unit_label(found.credit_unit),
        "credit_category_label": label_of(CATEGORY_CHOICES, found.credit_category),
        "audiences": [
            ("Grade bands", labels_of(GRADE_BAND_CHOICES, found.grade_bands)),
            ("Subjects", found.subjects),
            ("Roles", labels_of(POSITION_CHOICES, found.positions)),
            ("Career stages", labels_of(CAREER_STAGE_CHOICES, found.career_stages)),
            ("Students served", labels_of(STUDENT_GROUP_CHOICES, found.students_served)),
        ],
        "competencies": competencies,
        "has_evidence": found.evidence_tier != EvidenceTier.NONE,
        "design_features": _design_checklist(found.design_features),
        "design_count": sum(1 for f in found.design_features if f in DesignFeature.values),
        "sessions": queries.session_rows(found),
        "offering_waitlisted": queries.offering_waitlisted(found),
        "can_manage": can_manage,
        "is_published": found.status == OfferingStatus.PUBLISHED,
        "is_unscheduled": found.kind in UNSCHEDULED_KINDS,
        "transitions": [OfferingStatus(s) for s in TRANSITIONS.get(found.status, ())]
        if can_manage
        else [],
        # The quality scorecard (ratings, vetting, impact) arrives with issue 8; it goes here.
    }
    context.update(
        enrolment_queries.enrolment_panel(access=access, user=request.user, offering=found)
    )
    return render(request, "catalog/offering.html", context)
