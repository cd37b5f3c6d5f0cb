import copy
import json

import pytest

from trellis.core.errors import ConflictError, PermissionDenied
from trellis.microcredentials.models import DefinitionVersion, MicroCredential, RubricCriterion
from trellis.microcredentials.services import definition_json, definitions
from trellis.microcredentials.tests.authoring_setup import LEVELS_3, framework, ready_draft


@pytest.fixture
def exported(cast):
    comps = framework(cast.district_a)
    access = cast.access(cast.dana)
    version = ready_draft(
        access,
        cast.dana,
        comps[0],
        summary="One question, every student.",
        method_components=["Find the hinge", "Write distractors"],
        research="Wiliam, D. (2011). Embedded Formative Assessment.",
        resources=[{"title": "WWC", "url": "https://ies.ed.gov/ncee/wwc/"}],
    )
    version = definitions.publish_version(access=access, actor=cast.dana, version=version)
    return version, definition_json.export_version(version)


def test_export_is_the_documented_document(exported):
    version, document = exported
    body = document["micro_credential"]
    assert document["format"] == "trellis.micro-credential/1"
    assert document["source"] == {
        "district": "northfield",
        "slug": "hinge-questions",
        "version": 1,
        "status": "published",
    }
    assert body["title"] == "Hinge questions"
    assert body["issuer"] == {"name": "Northfield PD", "url": ""}
    assert body["credit"] == {"amount": "15.00", "unit": "clock_hour"}
    assert body["estimated_hours"] == "15.00"
    competency = version.competencies.get()
    assert body["competencies"] == [
        {
            "case_identifier": competency.case_identifier,
            "human_code": "1.1",
            "title": competency.title,
        }
    ]
    assert body["parts"] == [
        {
            "kind": "artifact",
            "title": "Lesson plan",
            "prompt": "Upload the plan.",
            "required": True,
            "accepted_types": ["document"],
            "max_files": 3,
            "max_words": None,
            "criteria": [{"name": "Diagnostic distractors", "levels": LEVELS_3}],
        }
    ]
    assert json.loads(definition_json.export_json(version)) | {"exported_at": ""} == document | {
        "exported_at": ""
    }


def test_round_trip_into_another_district(cast, exported):
    _version, document = exported
    framework(cast.district_b)  # same codes "1.1", … in Southport's adopted framework
    imported = definition_json.import_document(
        access=cast.access(cast.bea), actor=cast.bea, raw=json.dumps(document)
    )
    assert imported.micro_credential.district == cast.district_b
    assert (imported.status, imported.number, imported.micro_credential.slug) == (
        "draft",
        1,
        "hinge-questions",
    )
    again = definition_json.export_version(imported)["micro_credential"]
    assert again | {"competencies": []} == document["micro_credential"] | {"competencies": []}
    # Southport's items have their own CASE identifiers: matched by human code instead.
    item = imported.competencies.get()
    assert (item.framework.district, item.human_code) == (cast.district_b, "1.1")


def test_import_of_an_existing_slug_is_a_new_draft_version(cast, exported):
    version, document = exported
    document["micro_credential"]["title"] = "Hinge questions, revised"
    imported = definition_json.import_document(
        access=cast.access(cast.dana), actor=cast.dana, raw=json.dumps(document)
    )
    assert imported.micro_credential == version.micro_credential
    assert (imported.number, imported.status, imported.title) == (
        2,
        "draft",
        "Hinge questions, revised",
    )
    assert imported.parts.get().criteria.count() == 1
    with pytest.raises(ConflictError) as caught:  # one draft at a time
        definition_json.import_document(
            access=cast.access(cast.dana), actor=cast.dana, raw=json.dumps(document)
        )
    assert caught.value.code == "draft_exists"


def _counts():
    return (
        MicroCredential.objects.count(),
        DefinitionVersion.objects.count(),
        RubricCriterion.objects.count(),
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d.update(format="other/9"),
            ("format", "Expected “trellis.micro-credential/1”, found “other/9”."),
        ),
        (
            lambda d: d.pop("micro_credential"),
            ("micro_credential", "Missing the micro_credential object."),
        ),
        (
            lambda d: d["micro_credential"].update(title=""),
            ("micro_credential.title", "Enter the title."),
        ),
        (
            lambda d: d["micro_credential"]["credit"].update(unit="leagues"),
            (
                "micro_credential.credit.unit",
                "Unknown credit unit “leagues”. Choose one of: clock_hour, ceu, pdp, ctle_hour, "
                "cpe_hour, salary_credit, semester_hour, micro_credential.",
            ),
        ),
        (
            lambda d: d["micro_credential"]["competencies"].append({"human_code": "9.9"}),
            (
                "micro_credential.competencies[1]",
                "No competency “9.9” in Northfield's adopted framework.",
            ),
        ),
        (
            lambda d: d["micro_credential"]["parts"][0].update(kind="essay"),
            (
                "micro_credential.parts[0].kind",
                "Unknown kind of part “essay”. Choose one of: overview, artifact, reflection.",
            ),
        ),
        (
            lambda d: d["micro_credential"]["parts"][0]["criteria"][0]["levels"].pop(1),
            (
                "micro_credential.parts[0].criteria[0].levels",
                "A criterion needs at least the levels “not_yet” and “proficient”, each with a descriptor.",
            ),
        ),
        (
            lambda d: d["micro_credential"].update(prerequisites=["missing-one"]),
            (
                "micro_credential.prerequisites",
                "Unknown prerequisite missing-one: choose published micro-credentials of the district.",
            ),
        ),
    ],
)
def test_bad_documents_are_refused_with_paths_and_write_nothing(cast, exported, change, expected):
    _version, document = exported
    document = copy.deepcopy(document)
    document["micro_credential"]["slug"] = "fresh-slug"
    change(document)
    before = _counts()
    with pytest.raises(definition_json.ImportRefused) as caught:
        definition_json.import_document(
            access=cast.access(cast.dana), actor=cast.dana, raw=json.dumps(document)
        )
    assert (caught.value.problems[0].path, caught.value.problems[0].message) == expected
    assert _counts() == before


def test_every_problem_is_reported_at_once(cast, exported):
    _version, document = exported
    document["micro_credential"].update(title="", slug="x")
    document["micro_credential"]["parts"][0].update(prompt="", accepted_types=["exe"])
    with pytest.raises(definition_json.ImportRefused) as caught:
        definition_json.import_document(
            access=cast.access(cast.dana), actor=cast.dana, raw=json.dumps(document)
        )
    assert [p.path for p in caught.value.problems] == [
        "micro_credential.title",
        "micro_credential.parts[0].prompt",
        "micro_credential.parts[0].accepted_types",
    ]
    assert caught.value.message.startswith("The document was not imported (3 problems): ")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "This is not valid JSON"),
        ("[1, 2]", "The document must be a JSON object."),
        (json.dumps({"a": [[[[[[[[[1]]]]]]]]]}), "The document nests deeper than 8 levels."),
        ('{"x": "' + "a" * (1024 * 1024) + '"}', "The document is larger than 1 MB"),
    ],
)
def test_unreadable_documents_are_refused(cast, raw, message):
    with pytest.raises(definition_json.ImportRefused) as caught:
        definition_json.import_document(access=cast.access(cast.dana), actor=cast.dana, raw=raw)
    assert caught.value.problems[0].message.startswith(message)
    assert MicroCredential.objects.count() == 0


def test_only_authors_import(cast, exported):
    _version, document = exported
    with pytest.raises(PermissionDenied):
        definition_json.import_document(
            access=cast.access(cast.alice), actor=cast.alice, raw=json.dumps(document)
        )
