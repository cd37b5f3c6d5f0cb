"""Reads for the district's credit pages: educators and their licences, one educator's ledger,
awards by id. Everything is scoped to the caller's district; other districts' ids are 404."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.http import Http404

from trellis.core.ids import public_id_or_404
from trellis.core.pagination import paginate
from trellis.credit.models import CreditAward, License
from trellis.credit.queries.renewal import Renewal, renewal_progress_bulk
from trellis.districts import queries as district_queries
from trellis.districts.models import Membership, Role
from trellis.districts.queries import DistrictAccess

STATUS_FILTERS = {
    "at_risk": "At risk (behind pace or past the deadline)",
    "no_licence": "No licence on record",
}


def district_educators(
    access: DistrictAccess, *, school: Any = None, rule_set_key: str = "", no_licence: bool = False
) -> QuerySet:
    """Educators of the district (an active educator role, or a licence on record), by name."""
    district = access.district
    active = Membership.objects.filter(district=district, is_active=True)
    licensed = License.objects.filter(district=district)
    people = get_user_model().objects.filter(
        Q(pk__in=active.filter(role=Role.EDUCATOR).values("user_id"))
        | Q(pk__in=licensed.values("educator_id"))
    )
    if school is not None:
        people = people.filter(pk__in=active.filter(school=school).values("user_id"))
    if rule_set_key:
        people = people.filter(
            pk__in=licensed.filter(rule_set_key=rule_set_key).values("educator_id")
        )
    if no_licence:
        people = people.exclude(pk__in=licensed.values("educator_id"))
    return people.order_by("full_name", "email", "pk")


@dataclass(frozen=True)
class LicenceListRow:
    person: Any
    renewal: Renewal
    schools: list[str]


def licence_list(
    access: DistrictAccess,
    *,
    school: Any = None,
    rule_set_key: str = "",
    status: str = "",
    page_param: str | None = None,
    per_page: int = 25,
) -> tuple[Page, list[LicenceListRow]]:
    """A page of educators with their licence and renewal standing.

    "At risk" needs every matching educator's progress (the bulk path, chunked); the other
    filters are plain queries and compute progress for the page's educators only.
    """
    people = district_educators(
        access, school=school, rule_set_key=rule_set_key, no_licence=status == "no_licence"
    )
    if status == "at_risk":
        ids = list(people.values_list("pk", flat=True))
        at_risk = [
            renewal.educator_id
            for renewal in renewal_progress_bulk(access.district, educator_ids=ids)
            if renewal.at_risk
        ]
        page = paginate(at_risk, page_param, per_page=per_page)  # type: ignore[arg-type]
        page_ids = list(page.object_list)
        found = {p.pk: p for p in get_user_model().objects.filter(pk__in=page_ids)}
        persons = [found[pk] for pk in page_ids if pk in found]
    else:
        page = paginate(people, page_param, per_page=per_page)
        persons = list(page.object_list)
    ids = [person.pk for person in persons]
    renewals = {r.educator_id: r for r in renewal_progress_bulk(access.district, educator_ids=ids)}
    schools = schools_by_user(access.district, ids)
    rows = [LicenceListRow(p, renewals[p.pk], schools.get(p.pk, [])) for p in persons]
    return page, rows


def schools_by_user(district: Any, user_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    for user_id, name in Membership.objects.filter(
        district=district, user_id__in=user_ids, is_active=True, school__isnull=False
    ).values_list("user_id", "school__name"):
        found[user_id].add(name)
    return {user_id: sorted(names) for user_id, names in found.items()}


def get_district_person(access: DistrictAccess, public_id: Any) -> Any:
    """A person with an active role in the caller's district (district-wide: credit managers)."""
    person = (
        get_user_model()
        .objects.filter(
            public_id=public_id_or_404(public_id, "person"),
            pk__in=Membership.objects.filter(district=access.district, is_active=True).values(
                "user_id"
            ),
        )
        .first()
    )
    if person is None:
        raise Http404("No such person.")
    return person


def get_visible_person(access: DistrictAccess, public_id: Any) -> Any:
    """A person the caller may see as staff: their schools' people, or the whole district."""
    person = (
        district_queries.members(access)
        .filter(public_id=public_id_or_404(public_id, "person"))
        .first()
    )
    if person is None:
        raise Http404("No such person.")
    return person


def license_of(district: Any, educator: Any) -> License | None:
    return License.objects.filter(district=district, educator=educator).first()


def ledger(district: Any, educator: Any) -> list[CreditAward]:
    """Every award of the educator in the district, revoked ones too, newest first."""
    return list(
        CreditAward.objects.filter(district=district, educator=educator).select_related(
            "awarded_by"
        )
    )


def get_award(access: DistrictAccess, public_id: Any) -> CreditAward:
    award = (
        CreditAward.objects.filter(
            district=access.district, public_id=public_id_or_404(public_id, "award")
        )
        .select_related("educator")
        .first()
    )
    if award is None:
        raise Http404("No such award.")
    return award
