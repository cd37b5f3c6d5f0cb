"""CASE import services: the real files, re-import, round trip, bad input, permissions."""

from __future__ import annotations

import json

import pytest

from trellis.audit.models import AuditEvent
from trellis.core.errors import DomainError, PermissionDenied
from trellis.frameworks import services
from trellis.frameworks.exporting import case_package
from trellis.frameworks.models import (
    CaseUpload,
    Framework,
    FrameworkAssociation,
    FrameworkItem,
)
from trellis.frameworks.tests.helpers import (
    ACT_MATH,
    CCSS_SAMPLE,
    SMARTLEVEL,
    case_schema_errors,
    framework_snapshot,
    real_case_file,
)
from trellis.frameworks.tests.test_case import DOC, package


def _import(cast, data, user=None, **kwargs):
    user = user or cast.dana
    return services.import_case_package(access=cast.access(user), actor=user, data=data, **kwargs)


@pytest.mark.parametrize(
    ("name", "items", "associations", "kinds", "types"),
    [
        (
            ACT_MATH,
            28,
            28,
            {"Competency": 2, "Domain": 1, "Indicator": 24, "Standard": 1},
            {"isChildOf": 28},
        ),
        (SMARTLEVEL, 14, 14, {"Competency": 12, "Domain": 2}, {"isChildOf": 14}),
        (
            CCSS_SAMPLE,
            16,
            39,
            {"Indicator": 8, "Standard": 8},
            {"exactMatchOf": 16, "exemplar": 2, "isChildOf": 16, "isRelatedTo": 2, "precedes": 3},
        ),
    ],
)
def test_each_real_case_file_previews_then_imports_with_the_counts_shown(
    cast, name, items, associations, kinds, types
):
    data = real_case_file(name)
    before = framework_snapshot()

    preview = services.preview_case_import(access=cast.access(cast.dana), data=data)

    assert framework_snapshot() == before
    assert (preview.items_total, preview.items_created, preview.items_updated) == (items, items, 0)
    assert (preview.items_removed, preview.associations_kept) == (0, associations)
    assert preview.kinds == kinds
    assert preview.association_types == types
    assert preview.skipped == []
    assert preview.existing is None

    result = _import(cast, data, purpose=Framework.Purpose.STUDENT_STANDARDS)

    framework = result.framework
    assert result.created is True
    assert framework.district == cast.district_a
    assert framework.source == Framework.Source.CASE_IMPORT
    assert framework.purpose == Framework.Purpose.STUDENT_STANDARDS
    assert framework.case_identifier == preview.document_identifier
    assert framework.case_version == "1.0"
    assert framework.items.count() == items
    assert framework.associations.count() == associations
    assert list(framework.levels.values_list("label", flat=True)) == [
        "Emerging",
        "Developing",
        "Proficient",
        "Leading",
    ]
    event = AuditEvent.objects.get(action="frameworks.case_imported")
    assert event.district == cast.district_a
    assert event.actor == cast.dana
    assert event.data["items_created"] == items


def test_the_act_tree_keeps_codes_statements_parents_and_case_identifiers(cast):
    framework = _import(cast, real_case_file(ACT_MATH)).framework

    root = framework.items.get(parent=None)
    assert (root.human_code, root.title, root.kind, root.depth) == (
        "H.A.MATH.GM",
        "Geometry and Measurement",
        "domain",
        0,
    )
    assert root.statement.startswith("Properties and measurements of and relationships among")
    assert root.case_identifier == "3d8cdec5-83d6-49b4-9300-91a824c59758"
    assert root.case_uri.endswith("/CFItems/3d8cdec5-83d6-49b4-9300-91a824c59758")
    assert framework.items.filter(depth=4, kind="indicator").count() == 24
    leaf = framework.items.get(human_code="H.A.MATH.GM.PF.2DFP.L1.2")
    assert leaf.position == 1
    assert leaf.parent.human_code == "H.A.MATH.GM.PF.2DFP.L1"


def test_the_ccss_sample_keeps_external_associations_with_their_targets(cast):
    framework = _import(cast, real_case_file(CCSS_SAMPLE)).framework

    exact = framework.associations.filter(association_type="exactMatchOf")
    assert exact.count() == 16
    assert exact.filter(destination__isnull=True).count() == 16
    first = exact.get(case_identifier="b4d83eff-ae8e-45e5-b039-d7b832c05cd3")
    assert first.origin.human_code == "CCSS.Math.Content.6.RP.A"
    assert first.destination_identifier == "5b6c487e-04f1-5ba9-9722-d099849b9167"
    assert first.destination_title == "Destination"
    assert framework.items.get(human_code="CCSS.Math.Content.6.RP.A").education_levels == ["06"]


def test_re_importing_the_same_file_updates_in_place(cast):
    first = _import(cast, real_case_file(CCSS_SAMPLE)).framework
    ids = dict(first.items.values_list("case_identifier", "public_id"))

    again = _import(cast, real_case_file(CCSS_SAMPLE))

    assert again.created is False
    assert again.framework.pk == first.pk
    assert again.preview.existing == first
    assert (again.preview.items_created, again.preview.items_updated) == (0, 16)
    assert again.preview.items_removed == 0
    assert Framework.objects.filter(district=cast.district_a).count() == 1
    assert FrameworkItem.objects.count() == 16
    assert FrameworkAssociation.objects.count() == 39
    assert dict(first.items.values_list("case_identifier", "public_id")) == ids
    assert AuditEvent.objects.filter(action="frameworks.case_imported").count() == 2


def test_a_changed_file_updates_statements_adds_and_removes_items(cast):
    framework = _import(cast, json.dumps(package()).encode()).framework
    kept = framework.items.get(human_code="C.2")
    changed = package(items=4)
    changed["CFItems"][1]["fullStatement"] = "Statement 2, revised"
    changed["CFItems"].pop(2)  # item 3 is gone
    changed["CFAssociations"] = [a for a in changed["CFAssociations"] if "0003" not in str(a)]

    result = _import(cast, json.dumps(changed).encode())

    assert (result.preview.items_created, result.preview.items_updated) == (1, 2)
    assert result.preview.items_removed == 1
    kept.refresh_from_db()
    assert kept.statement == "Statement 2, revised"
    assert sorted(framework.items.values_list("human_code", flat=True)) == ["C.1", "C.2", "C.4"]


def test_the_same_file_in_another_district_is_a_separate_framework(cast):
    a = _import(cast, real_case_file(SMARTLEVEL)).framework
    b = _import(cast, real_case_file(SMARTLEVEL), user=cast.bea).framework

    assert a.pk != b.pk
    assert (a.district, b.district) == (cast.district_a, cast.district_b)
    assert a.case_identifier == b.case_identifier


@pytest.mark.parametrize("name", [ACT_MATH, SMARTLEVEL, CCSS_SAMPLE])
def test_round_trip_import_export_validates_and_imports_again_identically(cast, name):
    framework = _import(cast, real_case_file(name)).framework

    exported = case_package(framework, base_url="https://trellis.example")

    assert case_schema_errors(exported) == []
    assert exported["CFDocument"]["identifier"] == framework.case_identifier
    assert len(exported["CFItems"]) == framework.items.count()
    assert len(exported["CFAssociations"]) == framework.associations.count()
    again = _import(cast, json.dumps(exported).encode(), user=cast.bea).framework
    assert again.district == cast.district_b
    shape = "case_identifier", "parent__case_identifier", "human_code", "statement", "position"
    assert sorted(again.items.values_list(*shape)) == sorted(framework.items.values_list(*shape))
    assert sorted(again.associations.values_list("association_type", "case_identifier")) == sorted(
        framework.associations.values_list("association_type", "case_identifier")
    )
    # Re-importing our own export into the same district updates the same framework.
    assert _import(cast, json.dumps(exported).encode()).framework.pk == framework.pk


def test_an_export_carries_the_scale_and_an_import_of_it_restores_the_scale(cast):
    framework = _import(cast, json.dumps(package()).encode()).framework
    services.update_scale(
        access=cast.access(cast.dana),
        actor=cast.dana,
        framework=framework,
        levels=[
            services.LevelDraft(1, "Novice"),
            services.LevelDraft(2, "Skilled", is_target=True),
            services.LevelDraft(3, "Master"),
        ],
    )
    exported = case_package(framework)

    copy = _import(cast, json.dumps(exported).encode(), user=cast.bea).framework

    assert list(copy.levels.values_list("value", "label", "is_target")) == [
        (1, "Novice", False),
        (2, "Skilled", True),
        (3, "Master", False),
    ]


BAD_INPUTS = [
    (b"this is not json", "not_json"),
    (b"[]", "not_a_package"),
    (b'{"CFItems": []}', "missing_document"),
    (
        json.dumps(
            package(links=[("isChildOf", "00000000-0000-4000-8000-000000000001", DOC)])
            | {"CFItems": [{"fullStatement": "x"}]}
        ).encode(),
        "missing_identifier",
    ),
    (b" " * (10 * 1024 * 1024 + 1), "file_too_large"),
    (b" " * (50 * 1024 * 1024), "file_too_large"),
]


@pytest.mark.parametrize(("data", "code"), BAD_INPUTS)
def test_bad_input_is_refused_with_its_code_and_nothing_is_written(cast, data, code):
    _import(cast, real_case_file(SMARTLEVEL))  # something to leave untouched
    before = framework_snapshot()

    with pytest.raises(DomainError) as raised:
        _import(cast, data)

    assert raised.value.code == code
    assert raised.value.status == 400
    assert framework_snapshot() == before


def test_duplicates_and_cycles_are_refused_and_nothing_is_written(cast):
    duplicate = package()
    duplicate["CFItems"][2]["identifier"] = duplicate["CFItems"][1]["identifier"]
    cyclic = package(
        links=[
            ("isChildOf", "00000000-0000-4000-8000-000000000001", DOC),
            (
                "isChildOf",
                "00000000-0000-4000-8000-000000000002",
                "00000000-0000-4000-8000-000000000003",
            ),
            (
                "isChildOf",
                "00000000-0000-4000-8000-000000000003",
                "00000000-0000-4000-8000-000000000002",
            ),
        ]
    )
    before = framework_snapshot()
    codes = []
    for raw in (duplicate, cyclic):
        with pytest.raises(DomainError) as raised:
            _import(cast, json.dumps(raw).encode())
        codes.append(raised.value.code)

    assert codes == ["duplicate_identifier", "cycle"]
    assert framework_snapshot() == before


@pytest.mark.parametrize("user", ["alice", "carol", "ada", "pat"])
def test_only_district_admins_may_preview_or_import(cast, user):
    person = getattr(cast, user)
    before = framework_snapshot()
    data = json.dumps(package()).encode()

    with pytest.raises(PermissionDenied):
        services.preview_case_import(access=cast.access(person), data=data)
    with pytest.raises(PermissionDenied):
        _import(cast, data, user=person)

    assert framework_snapshot() == before


def test_an_unknown_purpose_is_refused(cast):
    with pytest.raises(DomainError) as raised:
        _import(cast, json.dumps(package()).encode(), purpose="astrology")
    assert raised.value.code == "unknown_purpose"
    assert Framework.objects.count() == 0


def test_a_staged_upload_is_kept_until_imported_then_removed(cast):
    access = cast.access(cast.dana)
    upload, preview = services.stage_case_upload(
        access=access, actor=cast.dana, data=real_case_file(SMARTLEVEL), filename="smart.json"
    )
    assert preview.items_created == 14
    assert (upload.district, upload.uploaded_by, upload.filename) == (
        cast.district_a,
        cast.dana,
        "smart.json",
    )
    assert Framework.objects.count() == 0

    result = services.import_staged_upload(access=access, actor=cast.dana, upload=upload)

    assert result.framework.items.count() == 14
    assert CaseUpload.objects.count() == 0
    assert (
        AuditEvent.objects.get(action="frameworks.case_imported").data["filename"] == "smart.json"
    )


def test_a_bad_upload_is_not_staged(cast):
    with pytest.raises(DomainError):
        services.stage_case_upload(
            access=cast.access(cast.dana), actor=cast.dana, data=b"{", filename="x.json"
        )
    assert CaseUpload.objects.count() == 0


def test_another_districts_staged_upload_cannot_be_imported(cast):
    upload, _ = services.stage_case_upload(
        access=cast.access(cast.bea), actor=cast.bea, data=json.dumps(package()).encode()
    )
    with pytest.raises(DomainError) as raised:
        services.import_staged_upload(access=cast.access(cast.dana), actor=cast.dana, upload=upload)
    assert (raised.value.code, raised.value.status) == ("not_found", 404)
    assert Framework.objects.count() == 0
