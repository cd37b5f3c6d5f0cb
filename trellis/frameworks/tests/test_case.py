"""The pure CASE core: parsing, validation and export, without a database."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from trellis.frameworks import case
from trellis.frameworks.tests.helpers import (
    ACT_MATH,
    CCSS_SAMPLE,
    SMARTLEVEL,
    case_schema_errors,
    real_case_file,
)

DOC = "11111111-1111-4111-8111-111111111111"
NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def _id(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def package(items: int = 3, links: list[tuple[str, str, str]] | None = None, **doc: object) -> dict:
    """A small CASE 1.1 package: items 1..n; by default 2 and 3 are children of 1."""
    if links is None:
        links = [("isChildOf", _id(1), DOC), ("isChildOf", _id(2), _id(1))]
        links += [("isChildOf", _id(3), _id(1))] if items >= 3 else []
    return {
        "CFDocument": {
            "identifier": DOC,
            "uri": f"https://case.example/{DOC}",
            "creator": "Example",
            "title": "Example framework",
            "lastChangeDateTime": "2025-01-02T03:04:05+00:00",
            "caseVersion": "1.1",
            **doc,
        },
        "CFItems": [
            {
                "identifier": _id(n),
                "uri": f"https://case.example/{_id(n)}",
                "fullStatement": f"Statement {n}",
                "humanCodingScheme": f"C.{n}",
                "lastChangeDateTime": "2025-01-02T03:04:05+00:00",
            }
            for n in range(1, items + 1)
        ],
        "CFAssociations": [
            {
                "identifier": _id(1000 + n),
                "uri": f"https://case.example/a{n}",
                "associationType": kind,
                "originNodeURI": {"title": "o", "identifier": origin, "uri": f"u:{origin}"},
                "destinationNodeURI": {"title": "d", "identifier": dest, "uri": f"u:{dest}"},
                "lastChangeDateTime": "2025-01-02T03:04:05+00:00",
            }
            for n, (kind, origin, dest) in enumerate(links)
        ],
    }


def parse(raw: object) -> case.CasePackage:
    return case.parse_package(json.dumps(raw).encode())


def error_of(data: bytes) -> tuple[str, str]:
    with pytest.raises(case.CaseError) as raised:
        case.parse_package(data)
    return raised.value.code, raised.value.message


# ---------------------------------------------------------------------------------------------
# the real files
# ---------------------------------------------------------------------------------------------


def test_the_act_math_excerpt_parses_as_a_five_level_case_1_0_tree():
    parsed = case.parse_package(real_case_file(ACT_MATH))

    assert parsed.document.title == "ACT Holistic Framework, Math"
    assert parsed.document.creator == "ACT, Inc."
    assert parsed.document.case_version == "1.0"
    assert len(parsed.items) == 28
    assert len(parsed.associations) == 28
    assert parsed.skipped == []
    assert parsed.warnings == []
    assert sorted(parsed.depths.values()).count(4) == 24
    first = parsed.items[0]
    assert (first.human_code, first.abbreviated_statement) == (
        "H.A.MATH.GM",
        "Geometry and Measurement",
    )
    # Natural order of codes: L1.2 comes before L1.10.
    codes = [i.human_code for i in parsed.items if parsed.depths[i.identifier] == 4]
    assert codes[:3] == [
        "H.A.MATH.GM.PF.2DFP.L1.1",
        "H.A.MATH.GM.PF.2DFP.L1.2",
        "H.A.MATH.GM.PF.2DFP.L1.3",
    ]


def test_the_smartlevel_file_parses_with_two_roots_and_twelve_children():
    parsed = case.parse_package(real_case_file(SMARTLEVEL))

    assert parsed.document.title == "SmartLevel Test"
    assert len(parsed.items) == 14
    assert [parsed.parents[i.identifier] is None for i in parsed.items].count(True) == 2
    assert parsed.skipped == []
    assert parsed.warnings == []


def test_the_pre_1_0_ccss_sample_is_read_tolerantly_and_says_what_it_did_not_keep():
    parsed = case.parse_package(real_case_file(CCSS_SAMPLE))

    assert parsed.document.title == "What Standards Could Be"
    assert len(parsed.items) == 16
    assert len(parsed.associations) == 39
    assert parsed.skipped == []
    assert parsed.warnings == [
        "Not imported: CFDefinitions (definitions and rubrics are not kept).",
        "Item fields not kept: CFItemAssociationURI (16 items).",
        "“educationalLevel” (a pre-1.0 spelling) was read as educationLevel.",
        "CFPackageURI is a plain string (a pre-1.0 shape); read tolerantly.",
    ]
    roots = [i.human_code for i in parsed.items if parsed.parents[i.identifier] is None]
    assert roots == ["CCSS.Math.Content.6.RP.A", "CCSS.Math.Content.7.RP.A"]
    assert parsed.items[0].education_levels == ("06",)
    assert parsed.items[0].item_type == "Cluster"


def test_the_case_1_0_schema_file_itself_is_refused_as_not_a_package():
    path = real_case_file("case-v1p0-cfpackage-schema.json")
    assert error_of(path) == (
        "missing_document",
        "The file has no CFDocument: it is not a CASE CFPackage.",
    )


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------


def test_a_50_mb_file_is_refused_before_it_is_read():
    assert error_of(b" " * (50 * 1024 * 1024)) == (
        "file_too_large",
        "The file is larger than 10 MB; CASE packages of that size cannot be imported here.",
    )


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (b"\xff\xfe not utf-8", "bad_encoding", "The file is not UTF-8 text. Export it as JSON."),
        (b"{nope", "not_json", "The file is not JSON (line 1, column 2: "),
        (b"[1, 2]", "not_a_package", "The JSON is not a CASE CFPackage (expected an object)."),
        (b"{}", "missing_document", "The file has no CFDocument: it is not a CASE CFPackage."),
        (
            b'{"CFDocument": {"title": "x"}}',
            "missing_identifier",
            "The CFDocument has no identifier.",
        ),
        (
            b'{"CFDocument": {"identifier": "d"}, "CFItems": {}}',
            "wrong_shape",
            "“CFItems” must be a list.",
        ),
        (
            b'{"CFDocument": {"identifier": "d"}, "CFItems": [3]}',
            "wrong_shape",
            "Entry 1 of “CFItems” is not an object.",
        ),
        (
            b'{"CFDocument": {"identifier": "d"}, "CFItems": [{"fullStatement": "x"}]}',
            "missing_identifier",
            "CFItem 1 has no identifier.",
        ),
    ],
)
def test_unreadable_input_gets_a_clear_error(data, code, message):
    found_code, found_message = error_of(data)
    assert found_code == code
    assert found_message.startswith(message)


def test_duplicate_item_identifiers_are_refused():
    raw = package()
    raw["CFItems"][2]["identifier"] = _id(2)
    assert error_of(json.dumps(raw).encode()) == (
        "duplicate_identifier",
        f"The identifier {_id(2)} is used more than once; identifiers must be unique.",
    )


def test_an_item_reusing_the_document_identifier_is_refused():
    raw = package()
    raw["CFItems"][0]["identifier"] = DOC
    assert error_of(json.dumps(raw).encode())[0] == "duplicate_identifier"


def test_an_identifier_longer_than_100_characters_is_refused():
    raw = package()
    raw["CFItems"][0]["identifier"] = "x" * 101
    assert error_of(json.dumps(raw).encode()) == (
        "identifier_too_long",
        "CFItem 1 has an identifier longer than 100 characters.",
    )


def test_a_cycle_of_isChildOf_links_is_refused_and_named():  # noqa: N802 - CASE's own term
    raw = package(links=[("isChildOf", _id(1), _id(2)), ("isChildOf", _id(2), _id(1))])
    code, message = error_of(json.dumps(raw).encode())
    assert code == "cycle"
    assert message == f"The isChildOf associations form a cycle: {_id(1)} → {_id(2)} → {_id(1)}."


def test_an_item_that_is_its_own_parent_is_a_cycle():
    raw = package(links=[("isChildOf", _id(1), _id(1))])
    assert error_of(json.dumps(raw).encode())[0] == "cycle"


def test_a_tree_deeper_than_the_limit_is_refused():
    count = case.MAX_DEPTH + 1
    links = [("isChildOf", _id(1), DOC)] + [
        ("isChildOf", _id(n), _id(n - 1)) for n in range(2, count + 1)
    ]
    code, message = error_of(json.dumps(package(count, links)).encode())
    assert (code, message) == (
        "too_deep",
        f"The tree is {count} levels deep; at most {case.MAX_DEPTH} are supported.",
    )


def test_more_items_than_the_limit_are_refused():
    raw = {
        "CFDocument": {"identifier": DOC, "title": "Huge"},
        "CFItems": [{"identifier": str(n)} for n in range(case.MAX_ITEMS + 1)],
    }
    assert error_of(json.dumps(raw).encode()) == (
        "too_many_items",
        "The package has 20,001 CFItems; at most 20,000 can be imported.",
    )


# ---------------------------------------------------------------------------------------------
# associations: kept, skipped with a reason, tree building
# ---------------------------------------------------------------------------------------------


def test_unusable_associations_are_skipped_with_their_reasons():
    links = [
        ("isChildOf", _id(1), DOC),
        ("isChildOf", _id(2), _id(1)),
        ("isCousinOf", _id(3), _id(1)),
        ("exactMatchOf", "somewhere-else", _id(1)),
        ("isChildOf", _id(3), "not-in-file"),
        ("ext:hasVideo", _id(3), "video-1"),
    ]
    raw = package(links=links)
    raw["CFAssociations"].append(dict(raw["CFAssociations"][0]))  # same identifier again
    raw["CFAssociations"].append({"associationType": "isChildOf"})
    parsed = parse(raw)

    assert [(s.identifier, s.association_type, s.reason) for s in parsed.skipped] == [
        (_id(1002), "isCousinOf", "“isCousinOf” is not a CASE association type"),
        (_id(1003), "exactMatchOf", "its origin somewhere-else is not an item of this framework"),
        (
            _id(1004),
            "isChildOf",
            "the parent not-in-file is not in this file; the item is placed at the top level",
        ),
        (_id(1000), "isChildOf", "its identifier appears earlier in the file"),
        ("association 8", "isChildOf", "it has no usable identifier"),
    ]
    assert [a.association_type for a in parsed.associations] == [
        "isChildOf",
        "isChildOf",
        "ext:hasVideo",
    ]
    assert parsed.parents[_id(3)] is None


def test_sequence_numbers_order_siblings_and_a_second_parent_is_kept_as_an_association():
    raw = package(
        links=[
            ("isChildOf", _id(1), DOC),
            ("isChildOf", _id(2), _id(1)),
            ("isChildOf", _id(3), _id(1)),
            ("isChildOf", _id(3), DOC),
        ]
    )
    raw["CFAssociations"][1]["sequenceNumber"] = 2
    raw["CFAssociations"][2]["sequenceNumber"] = 1
    parsed = parse(raw)

    assert [i.identifier for i in parsed.items] == [_id(1), _id(3), _id(2)]
    assert parsed.positions == {_id(1): 0, _id(3): 0, _id(2): 1}
    assert parsed.parents[_id(3)] == _id(1)  # the link with a sequence number wins
    assert len(parsed.associations) == 4
    assert parsed.warnings == [
        f"CFItem {_id(3)} has 2 parents; it is placed under the first and the other links are "
        "kept as associations."
    ]


def test_items_without_statements_or_with_odd_fields_get_warnings_not_errors():
    raw = package(items=1, links=[])
    raw["CFItems"][0].pop("fullStatement")
    raw["CFItems"][0]["notes"] = {"not": "text"}
    raw["CFItems"][0]["lastChangeDateTime"] = "yesterday"
    raw["CFItems"][0]["fullStatement"] = None
    parsed = parse(raw)

    assert parsed.items[0].full_statement == "C.1"
    assert parsed.items[0].notes == ""
    assert parsed.warnings == [
        f"CFItem {_id(1)} has no fullStatement; “C.1” is used.",
        f"CFItem {_id(1)}: “notes” is not text and was ignored.",
        f"CFItem {_id(1)}: lastChangeDateTime “yesterday” is not a date; ignored.",
    ]


def test_nul_characters_are_removed_from_text():
    raw = package(items=1, links=[])
    raw["CFItems"][0]["fullStatement"] = "A\u0000B"
    assert parse(raw).items[0].full_statement == "AB"


@pytest.mark.parametrize(
    ("item_type", "depth", "has_children", "kind"),
    [
        ("Domain", 3, True, "domain"),
        ("Cluster", 0, True, "standard"),
        ("Competency", 0, False, "competency"),
        ("Component", 1, False, "indicator"),
        ("", 0, True, "domain"),
        ("", 1, True, "standard"),
        ("", 2, True, "competency"),
        ("", 1, False, "competency"),
        ("", 3, False, "indicator"),
    ],
)
def test_kinds_come_from_the_item_type_or_the_place_in_the_tree(
    item_type, depth, has_children, kind
):
    assert case.kind_for(item_type, depth, has_children) == kind


# ---------------------------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------------------------


def test_an_export_from_plain_data_validates_against_the_case_1_1_schema():
    document = case.CaseDocument(identifier="doc-not-a-uuid", title="Plain", scale=({"value": 1},))
    items = [
        case.CaseItem(identifier=_id(1), full_statement="One", human_code="1", item_type="Domain"),
        case.CaseItem(identifier="legacy-2", full_statement="Two", education_levels=("06",)),
    ]
    links = [
        case.child_link(_id(1), "doc-not-a-uuid", sequence=1),
        case.child_link("legacy-2", _id(1), sequence=1),
        case.CaseAssociation(
            identifier="x-1",
            association_type="exactMatchOf",
            origin_identifier="legacy-2",
            destination_identifier="outside-id",
            destination_uri="https://elsewhere.example/outside-id",
        ),
    ]

    exported = case.export_package(document, items, links, now=NOW)

    assert case_schema_errors(exported) == []
    assert exported["CFDocument"]["identifier"] == case.as_uuid("doc-not-a-uuid")
    assert exported["CFDocument"]["caseVersion"] == "1.1"
    assert exported["CFDocument"]["creator"] == "Trellis"
    assert exported["CFDocument"]["lastChangeDateTime"] == "2026-03-02T12:00:00+00:00"
    assert exported["CFDocument"]["extensions"] == {"trellisProficiencyScale": [{"value": 1}]}
    assert exported["CFItems"][1]["identifier"] == case.as_uuid("legacy-2")
    assert exported["CFItems"][1]["educationLevel"] == ["06"]
    outside = exported["CFAssociations"][2]["destinationNodeURI"]
    assert outside == {
        "title": "outside-id",
        "identifier": "outside-id",
        "uri": "https://elsewhere.example/outside-id",
    }
    assert exported["CFAssociations"][1]["originNodeURI"]["identifier"] == case.as_uuid("legacy-2")


def test_derived_identifiers_are_stable_and_uuids_pass_through():
    assert case.as_uuid("legacy-2") == case.as_uuid("legacy-2")
    assert uuid.UUID(case.as_uuid("legacy-2")).version == 5
    assert case.as_uuid(_id(7).upper()) == _id(7)


def test_a_parsed_package_exports_and_parses_back_to_the_same_tree():
    parsed = parse(package())
    links = [
        case.child_link(i.identifier, parsed.parents[i.identifier] or DOC, sequence=1)
        for i in parsed.items
    ]
    again = parse(case.export_package(parsed.document, parsed.items, links, now=NOW))

    assert again.parents == parsed.parents
    assert [i.full_statement for i in again.items] == ["Statement 1", "Statement 2", "Statement 3"]
