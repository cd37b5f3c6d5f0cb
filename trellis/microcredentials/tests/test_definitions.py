import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from trellis.audit.models import AuditEvent
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.microcredentials.models import (
    DefinitionVersion,
    MicroCredential,
    RequirementPart,
    RubricCriterion,
    Stack,
)
from trellis.microcredentials.services import definition_parts, definitions, stacks
from trellis.microcredentials.tests.authoring_setup import (
    LEVELS_3,
    framework,
    ready_draft,
    use_tmp_media,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def setup(cast):
    competencies = framework(cast.district_a)
    return cast, cast.access(cast.dana), competencies


def snapshot():
    return (
        MicroCredential.objects.count(),
        DefinitionVersion.objects.count(),
        RequirementPart.objects.count(),
        RubricCriterion.objects.count(),
        AuditEvent.objects.count(),
    )


def test_create_makes_a_draft_with_a_unique_slug_and_an_audit_row(setup):
    cast, access, comps = setup
    first = definitions.create_micro_credential(
        access=access, actor=cast.dana, title="Hinge Questions!", competencies=[comps[0]]
    )
    second = definitions.create_micro_credential(
        access=access, actor=cast.dana, title="Hinge questions"
    )
    assert first.micro_credential.slug == "hinge-questions"
    assert second.micro_credential.slug == "hinge-questions-2"
    assert (first.number, first.status, first.micro_credential.status) == (1, "draft", "draft")
    assert list(first.competencies.all()) == [comps[0]]
    assert AuditEvent.objects.filter(action="micro_credential.created").count() == 2


def test_only_authors_create(setup):
    cast, _access, _ = setup
    before = snapshot()
    with pytest.raises(PermissionDenied):
        definitions.create_micro_credential(
            access=cast.access(cast.alice), actor=cast.alice, title="Mine"
        )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"title": " "}, "title", "title_required"),
        ({"title": "x" * 201}, "title", "title_too_long"),
        ({"issuer_url": "not a url"}, "issuer_url", "bad_issuer_url"),
        ({"resources": [{"title": "Guide", "url": "ftp://x"}]}, "resources", "bad_resource"),
        ({"resources": [{"url": "https://x.org"}]}, "resources", "bad_resource"),
        ({"method_components": ["x" * 501]}, "method_components", "component_too_long"),
        ({"credit_unit": "furlongs"}, "credit_unit", "bad_credit_unit"),
        ({"credit_amount": "-1"}, "credit_amount", "bad_credit_amount"),
        ({"credit_amount": "1.005"}, "credit_amount", "bad_credit_amount"),
        ({"estimated_hours": "lots"}, "estimated_hours", "bad_estimated_hours"),
        ({"competencies": ["nonsense"]}, "competencies", "unknown_competency"),
        ({"prerequisites": ["no-such-thing"]}, "prerequisites", "unknown_prerequisite"),
    ],
)
def test_every_bad_field_is_refused_and_nothing_changes(setup, fields, field, code):
    cast, access, comps = setup
    version = ready_draft(access, cast.dana, comps[0])
    before = snapshot()
    with pytest.raises(DomainError) as caught:
        definitions.update_version(access=access, actor=cast.dana, version=version, **fields)
    assert (caught.value.code, caught.value.details["field"]) == (code, field)
    version.refresh_from_db()
    assert version.title == "Hinge questions"
    assert snapshot() == before


def test_competencies_of_another_district_or_framework_are_unknown(setup):
    cast, access, comps = setup
    other = framework(cast.district_b)[0]
    version = ready_draft(access, cast.dana, comps[0])
    with pytest.raises(DomainError) as caught:
        definitions.update_version(
            access=access, actor=cast.dana, version=version, competencies=[other]
        )
    assert caught.value.message.startswith(f"Unknown competency {other}")
    assert list(version.competencies.all()) == [comps[0]]


def test_prerequisites_must_be_published_and_make_no_cycle(setup):
    cast, access, comps = setup
    a = ready_draft(access, cast.dana, comps[0], title="A")
    b = ready_draft(access, cast.dana, comps[0], title="B")
    with pytest.raises(DomainError) as caught:  # B is a draft, not published
        definitions.update_version(
            access=access, actor=cast.dana, version=a, prerequisites=[b.micro_credential]
        )
    assert caught.value.code == "unknown_prerequisite"
    definitions.publish_version(access=access, actor=cast.dana, version=b)
    definitions.update_version(
        access=access, actor=cast.dana, version=a, prerequisites=[b.micro_credential]
    )
    definitions.publish_version(access=access, actor=cast.dana, version=a)
    b2 = definitions.new_version(
        access=access, actor=cast.dana, micro_credential=b.micro_credential
    )
    with pytest.raises(DomainError) as caught:
        definitions.update_version(
            access=access, actor=cast.dana, version=b2, prerequisites=[a.micro_credential]
        )
    assert caught.value.code == "prerequisite_cycle"
    assert not b2.prerequisites.exists()


def test_another_districts_definition_is_not_found(setup):
    cast, access, comps = setup
    version = ready_draft(access, cast.dana, comps[0])
    with pytest.raises(Http404):
        definitions.update_version(
            access=cast.access(cast.bea), actor=cast.bea, version=version, title="Taken over"
        )
    with pytest.raises(Http404):
        definitions.new_version(
            access=cast.access(cast.bea), actor=cast.bea, micro_credential=version.micro_credential
        )


def test_parts_are_added_edited_moved_and_removed_in_order(setup):
    cast, access, comps = setup
    version = ready_draft(access, cast.dana, comps[0])
    second = definition_parts.add_part(
        access=access,
        actor=cast.dana,
        version=version,
        kind="overview",
        title="Context",
        prompt="Describe the class.",
        accepted_types=["video"],
        max_words="300",
    )
    third = definition_parts.add_part(
        access=access,
        actor=cast.dana,
        version=version,
        kind="reflection",
        title="Reflect",
        prompt="What changed?",
    )
    assert (second.position, second.accepted_types, second.max_words) == (2, [], 300)
    definition_parts.move_part(access=access, actor=cast.dana, part=third, direction="up")
    assert list(version.parts.values_list("title", flat=True)) == [
        "Lesson plan",
        "Reflect",
        "Context",
    ]
    first = version.parts.get(position=1)
    definition_parts.remove_part(access=access, actor=cast.dana, part=first)
    assert list(version.parts.values_list("position", "title")) == [(1, "Reflect"), (2, "Context")]
    definition_parts.update_part(access=access, actor=cast.dana, part=second, title="Your class")
    assert version.parts.get(position=2).title == "Your class"
    with pytest.raises(DomainError) as caught:
        definition_parts.move_part(access=access, actor=cast.dana, part=third, direction="up")
    assert caught.value.message == "Part 1 is already the first."


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kind": "essay"}, "bad_kind"),
        ({"title": ""}, "title_required"),
        ({"prompt": ""}, "prompt_required"),
        ({"accepted_types": []}, "accepted_types_required"),
        ({"accepted_types": ["exe"]}, "bad_accepted_types"),
        ({"max_files": 0}, "bad_max_files"),
        ({"max_words": "many"}, "bad_max_words"),
    ],
)
def test_bad_parts_are_refused(setup, fields, code):
    cast, access, comps = setup
    version = ready_draft(access, cast.dana, comps[0])
    before = snapshot()
    good = {"kind": "artifact", "title": "Video", "prompt": "Upload.", "accepted_types": ["video"]}
    with pytest.raises(DomainError) as caught:
        definition_parts.add_part(
            access=access, actor=cast.dana, version=version, **{**good, **fields}
        )
    assert caught.value.code == code
    assert snapshot() == before


@pytest.mark.parametrize(
    ("levels", "code"),
    [
        ([], "levels_required"),
        ([{"key": "not_yet", "descriptor": "No."}], "levels_incomplete"),
        (
            [{"key": "proficient", "descriptor": "Yes."}, {"key": "not_yet", "descriptor": "No."}],
            "levels_order",
        ),
        (
            [{"key": "not_yet", "descriptor": ""}, {"key": "proficient", "descriptor": "Yes."}],
            "descriptor_required",
        ),
        (
            [
                {"key": "not_yet", "descriptor": "No."},
                {"key": "not_yet", "descriptor": "No."},
                {"key": "proficient", "descriptor": "Yes."},
            ],
            "duplicate_level",
        ),
        ([{"key": "Not Yet!", "descriptor": "No."}], "bad_level_key"),
    ],
)
def test_bad_criteria_are_refused(setup, levels, code):
    cast, access, comps = setup
    version = ready_draft(access, cast.dana, comps[0])
    part = version.parts.get()
    before = snapshot()
    with pytest.raises(DomainError) as caught:
        definition_parts.add_criterion(
            access=access, actor=cast.dana, part=part, name="Clarity", levels=levels
        )
    assert caught.value.code == code
    assert snapshot() == before


def test_criteria_are_edited_and_removed(setup):
    cast, access, comps = setup
    version = ready_draft(access, cast.dana, comps[0])
    part = version.parts.get()
    extra = definition_parts.add_criterion(
        access=access, actor=cast.dana, part=part, name="Decision rules", levels=LEVELS_3[:2]
    )
    assert extra.position == 2
    definition_parts.update_criterion(
        access=access, actor=cast.dana, criterion=extra, name="Rules", levels=LEVELS_3
    )
    extra.refresh_from_db()
    assert (extra.name, [lv["key"] for lv in extra.levels]) == (
        "Rules",
        ["not_yet", "proficient", "exemplary"],
    )
    first = part.criteria.get(position=1)
    definition_parts.remove_criterion(access=access, actor=cast.dana, criterion=first)
    assert list(part.criteria.values_list("position", "name")) == [(1, "Rules")]


def test_publish_lists_what_is_missing(setup):
    cast, access, _comps = setup
    version = definitions.create_micro_credential(access=access, actor=cast.dana, title="Bare")
    definition_parts.add_part(
        access=access, actor=cast.dana, version=version, kind="overview", title="Q", prompt="Q?"
    )
    with pytest.raises(DomainError) as caught:
        definitions.publish_version(access=access, actor=cast.dana, version=version)
    assert caught.value.code == "cannot_publish"
    assert caught.value.details["problems"] == [
        "Name the issuing organisation.",
        "Describe the key method.",
        "Align it to at least one competency.",
        "Part 1 (“Q”) needs at least one rubric criterion.",
    ]
    version.refresh_from_db()
    assert version.status == "draft"


def test_published_version_is_frozen(setup):
    cast, access, comps = setup
    version = ready_draft(access, cast.dana, comps[0])
    definitions.publish_version(access=access, actor=cast.dana, version=version)
    version.refresh_from_db()
    assert version.status == "published"
    assert version.published_at is not None
    assert version.micro_credential.status == "published"
    part = version.parts.get()
    criterion = part.criteria.get()
    before = snapshot()
    attempts = [
        lambda: definitions.update_version(
            access=access, actor=cast.dana, version=version, title="New"
        ),
        lambda: definition_parts.add_part(
            access=access, actor=cast.dana, version=version, kind="overview", title="Q", prompt="Q"
        ),
        lambda: definition_parts.update_part(access=access, actor=cast.dana, part=part, title="X"),
        lambda: definition_parts.remove_part(access=access, actor=cast.dana, part=part),
        lambda: definition_parts.add_criterion(
            access=access, actor=cast.dana, part=part, name="More", levels=LEVELS_3
        ),
        lambda: definition_parts.remove_criterion(
            access=access, actor=cast.dana, criterion=criterion
        ),
        lambda: definitions.publish_version(access=access, actor=cast.dana, version=version),
        lambda: definitions.set_image(
            access=access, actor=cast.dana, version=version, upload=SimpleUploadedFile("a.png", PNG)
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ConflictError) as caught:
            attempt()
        assert caught.value.message == (
            "Version 1 of “Hinge questions” is published, so it is frozen: start a new version "
            "to change it."
        )
    assert snapshot() == before


def test_new_version_copies_and_publishing_supersedes(setup):
    cast, access, comps = setup
    prerequisite = ready_draft(access, cast.dana, comps[1], title="Exit tickets")
    definitions.publish_version(access=access, actor=cast.dana, version=prerequisite)
    v1 = ready_draft(
        access,
        cast.dana,
        comps[0],
        prerequisites=[prerequisite.micro_credential],
        method_components=["Plan", "Ask"],
        resources=[{"title": "Guide", "url": "https://a.org"}],
    )
    definitions.publish_version(access=access, actor=cast.dana, version=v1)
    v2 = definitions.new_version(
        access=access, actor=cast.dana, micro_credential=v1.micro_credential
    )
    assert (v2.number, v2.status, v2.title, v2.method_components) == (
        2,
        "draft",
        "Hinge questions",
        ["Plan", "Ask"],
    )
    assert list(v2.competencies.all()) == [comps[0]]
    assert list(v2.prerequisites.all()) == [prerequisite.micro_credential]
    part = v2.parts.get()
    assert part.pk != v1.parts.get().pk
    assert [(c.name, c.levels) for c in part.criteria.all()] == [
        ("Diagnostic distractors", LEVELS_3)
    ]
    with pytest.raises(ConflictError) as caught:
        definitions.new_version(
            access=access, actor=cast.dana, micro_credential=v1.micro_credential
        )
    assert caught.value.code == "draft_exists"
    definitions.update_version(
        access=access, actor=cast.dana, version=v2, title="Hinge questions 2"
    )
    definitions.publish_version(access=access, actor=cast.dana, version=v2)
    v1.refresh_from_db()
    assert v1.status == "superseded"
    assert v1.title == "Hinge questions"
    assert AuditEvent.objects.filter(action="micro_credential.published").count() == 3


def test_new_version_needs_a_published_one(setup):
    cast, access, comps = setup
    draft = ready_draft(access, cast.dana, comps[0])
    with pytest.raises(ConflictError) as caught:
        definitions.new_version(
            access=access, actor=cast.dana, micro_credential=draft.micro_credential
        )
    assert caught.value.code == "nothing_published"


def test_retire_and_reinstate(setup):
    cast, access, comps = setup
    version = ready_draft(access, cast.dana, comps[0])
    mc = version.micro_credential
    with pytest.raises(ConflictError):
        definitions.retire(access=access, actor=cast.dana, micro_credential=mc)
    definitions.publish_version(access=access, actor=cast.dana, version=version)
    definitions.retire(access=access, actor=cast.dana, micro_credential=mc)
    mc.refresh_from_db()
    assert mc.status == "retired"
    draft = definitions.new_version(access=access, actor=cast.dana, micro_credential=mc)
    with pytest.raises(ConflictError) as caught:
        definitions.publish_version(access=access, actor=cast.dana, version=draft)
    assert caught.value.code == "retired"
    definitions.reinstate(access=access, actor=cast.dana, micro_credential=mc)
    mc.refresh_from_db()
    assert mc.status == "published"
    assert AuditEvent.objects.filter(action="micro_credential.retired").count() == 1


def test_image_is_sniffed_and_limited(setup, settings, tmp_path):
    use_tmp_media(settings, tmp_path)
    cast, access, comps = setup
    version = ready_draft(access, cast.dana, comps[0])
    definitions.set_image(
        access=access, actor=cast.dana, version=version, upload=SimpleUploadedFile("x.gif", PNG)
    )
    version.refresh_from_db()
    assert version.image.name.endswith(".png")
    for upload, code in (
        (SimpleUploadedFile("fake.png", b"GIF89a" + b"\x00" * 20), "bad_image"),
        (SimpleUploadedFile("svg.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "bad_image"),
        (SimpleUploadedFile("big.png", PNG + b"\x00" * (2 * 1024 * 1024)), "image_too_large"),
    ):
        with pytest.raises(DomainError) as caught:
            definitions.set_image(access=access, actor=cast.dana, version=version, upload=upload)
        assert caught.value.code == code
    definitions.set_image(access=access, actor=cast.dana, version=version, upload=None)
    version.refresh_from_db()
    assert not version.image


def _published(access, actor, comps, title):
    version = ready_draft(access, actor, comps[0], title=title)
    return definitions.publish_version(access=access, actor=actor, version=version).micro_credential


def test_stacks_are_authored_from_published_members(setup):
    cast, access, comps = setup
    a, b, c = (_published(access, cast.dana, comps, t) for t in ("A", "B", "C"))
    stack = stacks.create_stack(
        access=access,
        actor=cast.dana,
        title="Discourse",
        capstone_title="Discourse leader",
        members=[a, b, c],
        required_count=2,
    )
    assert set(stack.members.all()) == {a, b, c}
    stacks.update_stack(
        access=access, actor=cast.dana, stack=stack, members=[a, b], required_count=2
    )
    assert stack.members.count() == 2
    stacks.set_stack_active(access=access, actor=cast.dana, stack=stack, active=False)
    stack.refresh_from_db()
    assert not stack.is_active


def test_bad_stacks_are_refused(setup):
    cast, access, comps = setup
    a, b = (_published(access, cast.dana, comps, t) for t in ("A", "B"))
    draft = ready_draft(access, cast.dana, comps[0], title="Draft").micro_credential
    good = {"title": "S", "capstone_title": "Cap", "members": [a, b], "required_count": 2}
    for fields, code in (
        ({"required_count": 3}, "bad_required_count"),
        ({"required_count": 0}, "bad_required_count"),
        ({"members": [a]}, "members_required"),
        ({"members": [a, draft]}, "unknown_member"),
        ({"title": ""}, "title_required"),
        ({"capstone_title": ""}, "capstone_title_required"),
    ):
        with pytest.raises(DomainError) as caught:
            stacks.create_stack(access=access, actor=cast.dana, **{**good, **fields})
        assert caught.value.code == code
    assert not Stack.objects.exists()
    with pytest.raises(PermissionDenied):
        stacks.create_stack(access=cast.access(cast.alice), actor=cast.alice, **good)


def test_competencies_of_an_earlier_framework_stay_on_edits(setup):
    cast, access, comps = setup
    version = ready_draft(access, cast.dana, comps[0])
    comps[0].framework.is_adopted = False
    comps[0].framework.save()
    new_items = framework(cast.district_a)  # a newly adopted framework
    definitions.update_version(access=access, actor=cast.dana, version=version, title="Renamed")
    assert list(version.competencies.all()) == [comps[0]]
    definitions.update_version(
        access=access, actor=cast.dana, version=version, competencies=[comps[0], new_items[0]]
    )
    assert set(version.competencies.all()) == {comps[0], new_items[0]}
    with pytest.raises(DomainError) as caught:  # not linked before, not adopted: refused
        definitions.update_version(
            access=access, actor=cast.dana, version=version, competencies=[comps[1]]
        )
    assert caught.value.code == "unknown_competency"
