"""Demo micro-credentials: the definitions of demo_definitions.py imported and published through
the authoring services, and the stacks. Idempotent by slug (and by stack title)."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction

from trellis.accounts.models import User
from trellis.districts.models import District, Membership, Role
from trellis.districts.queries import DistrictAccess, access_for
from trellis.frameworks.models import FrameworkItem
from trellis.microcredentials.demo_definitions import DEFINITIONS, STACKS
from trellis.microcredentials.models import MicroCredential, Stack
from trellis.microcredentials.services import definition_json, definitions, stacks


def _author_access(district: District) -> tuple[DistrictAccess, User]:
    membership = (
        Membership.objects.filter(district=district, role=Role.DISTRICT_ADMIN, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise LookupError(f"{district.name} has no district admin to author the demo definitions.")
    access = access_for(membership.user, district)
    assert access is not None
    return access, membership.user


def _document(definition: dict[str, Any], district: District) -> str | None:
    """The exchange document, with competencies resolved to the district's adopted items; None
    when the adopted framework has none of its codes (a district with another framework)."""
    codes = [c["human_code"] for c in definition["competencies"]]
    items = {
        item.human_code: item
        for item in FrameworkItem.objects.filter(
            framework__district=district, framework__is_adopted=True, human_code__in=codes
        )
    }
    found = [
        {"case_identifier": items[code].case_identifier, "human_code": code}
        for code in codes
        if code in items
    ]
    if not found:
        return None
    body = {**definition, "competencies": found}
    return json.dumps({"format": definition_json.FORMAT, "micro_credential": body})


@transaction.atomic
def seed_definitions(district: District) -> list[MicroCredential]:
    """Create and publish the demo definitions and stacks the district does not have yet (it
    should have adopted the starter framework; definitions none of whose competency codes are in
    the adopted framework are skipped). Returns the published demo micro-credentials."""
    access, author = _author_access(district)
    existing = set(MicroCredential.objects.filter(district=district).values_list("slug", flat=True))
    for definition in DEFINITIONS:
        if definition["slug"] in existing:
            continue
        document = _document(definition, district)
        if document is None:
            continue
        version = definition_json.import_document(access=access, actor=author, raw=document)
        definitions.publish_version(access=access, actor=author, version=version)
    by_slug = {
        mc.slug: mc
        for mc in MicroCredential.objects.filter(
            district=district, status=MicroCredential.Status.PUBLISHED
        )
    }
    titles = set(Stack.objects.filter(district=district).values_list("title", flat=True))
    for spec in STACKS:
        members = [by_slug[slug] for slug in spec["members"] if slug in by_slug]
        if spec["title"] in titles or len(members) < max(2, spec["required_count"]):
            continue
        stacks.create_stack(access=access, actor=author, **{**spec, "members": members})
    return [by_slug[d["slug"]] for d in DEFINITIONS if d["slug"] in by_slug]
