import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trellis.microcredentials.models import (
    DefinitionVersion,
    MicroCredential,
    RubricCriterion,
    Stack,
)
from trellis.microcredentials.services import definition_json, definition_parts, definitions
from trellis.microcredentials.tests.authoring_setup import (
    LEVELS_3,
    framework,
    ready_draft,
    use_tmp_media,
)


@pytest.fixture
def world(cast):
    comps = framework(cast.district_a)
    access = cast.access(cast.dana)
    published = definitions.publish_version(
        access=access, actor=cast.dana, version=ready_draft(access, cast.dana, comps[0])
    )
    draft = ready_draft(access, cast.dana, comps[1], title="Talk moves")
    return cast, comps, published, draft


def url(name, *args):
    return reverse(f"microcredentials:{name}", args=args)


def test_educators_see_published_definitions_only(world, client_for):
    cast, _comps, _published, _draft = world
    page = client_for(cast.alice).get(url("list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Hinge questions" in body
    assert "Talk moves" not in body
    assert "15 clock hours" in body
    assert "Northfield PD" in body
    assert "New micro-credential" not in body


def test_authors_see_drafts_and_filter_by_status(world, client_for):
    cast, _comps, _published, _draft = world
    client = client_for(cast.dana)
    body = client.get(url("list")).content.decode()
    assert "Hinge questions" in body
    assert "Talk moves" in body
    body = client.get(url("list") + "?status=draft").content.decode()
    assert "Talk moves" in body
    assert "Hinge questions" not in body
    bad = client.get(url("list") + "?status=lost")
    assert bad.status_code == 400
    assert "Unknown status “lost”" in bad.content.decode()


def test_search_and_competency_filter_and_empty_state(world, client_for):
    cast, comps, _published, _draft = world
    client = client_for(cast.alice)
    assert "Hinge questions" in client.get(url("list") + "?q=hinge").content.decode()
    body = client.get(url("list") + "?q=nothing-like-it").content.decode()
    assert "No micro-credentials match." in body
    body = client.get(url("list") + f"?competency={comps[1].public_id}").content.decode()
    assert "0 micro-credentials." in body
    body = client.get(url("list") + f"?competency={comps[0].public_id}").content.decode()
    assert "1 micro-credential." in body


def test_list_query_count_does_not_grow(world, client_for, django_assert_max_num_queries):
    cast, comps, _published, _draft = world
    access = cast.access(cast.dana)
    for n in range(6):
        definitions.publish_version(
            access=access,
            actor=cast.dana,
            version=ready_draft(access, cast.dana, comps[0], title=f"M{n}"),
        )
    client = client_for(cast.alice)
    with django_assert_max_num_queries(10):
        assert client.get(url("list")).status_code == 200


def test_definition_page_shows_the_method_parts_and_rubric(
    world, client_for, django_assert_max_num_queries
):
    cast, _comps, published, _draft = world
    client = client_for(cast.alice)
    with django_assert_max_num_queries(20):  # the earning panel adds its own few
        page = client.get(url("definition", published.micro_credential.public_id))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Ask one diagnostic question at the hinge point" in body
    assert "Part 1: Lesson plan" in body
    assert "Accepted: document" in body
    assert "<caption>Rubric for part 1: Lesson plan</caption>" in body
    assert "Each wrong answer is a misconception." in body
    assert "Start a new version" not in body


def test_drafts_and_other_districts_are_not_found(world, client_for):
    cast, _comps, published, draft = world
    assert (
        client_for(cast.alice).get(url("definition", draft.micro_credential.public_id)).status_code
        == 404
    )
    assert (
        client_for(cast.bob)
        .get(url("definition", published.micro_credential.public_id))
        .status_code
        == 404
    )
    assert (
        client_for(cast.bea).get(url("edit", draft.micro_credential.public_id)).status_code == 404
    )
    assert client_for(cast.alice).get(url("definition", uuid.uuid4())).status_code == 404


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("create", "get"),
        ("import", "get"),
        ("stack_new", "get"),
        ("edit", "get"),
        ("publish", "post"),
        ("new_version", "post"),
        ("status", "post"),
        ("part_add", "post"),
    ],
)
def test_non_authors_are_refused(world, client_for, name, method):
    cast, _comps, published, draft = world
    args = (
        ()
        if name in ("create", "import", "stack_new")
        else (
            (
                draft if name in ("edit", "publish", "part_add") else published
            ).micro_credential.public_id,
        )
    )
    response = getattr(client_for(cast.ada), method)(url(name, *args))
    assert response.status_code == 403


def test_author_creates_edits_and_publishes_without_javascript(world, client_for):
    cast, comps, _published, _draft = world
    client = client_for(cast.dana)
    response = client.post(
        url("create"),
        {
            "title": "Exit tickets",
            "issuer_name": "Northfield PD",
            "key_method": "Sort the tickets.",
            "competencies": [str(comps[0].public_id)],
            "credit_amount": "10",
            "credit_unit": "clock_hour",
            "estimated_hours": "10",
            "resources": "Guide | https://ies.ed.gov/ncee/wwc/",
            "method_components": "Write\nSort\n",
        },
    )
    mc = MicroCredential.objects.get(slug="exit-tickets")
    assert response.status_code == 302
    assert response.url == url("edit", mc.public_id)
    version = mc.versions.get()
    assert version.resources == [{"title": "Guide", "url": "https://ies.ed.gov/ncee/wwc/"}]
    assert version.method_components == ["Write", "Sort"]
    page = client.get(url("edit", mc.public_id)).content.decode()
    assert "Add at least one part to submit." in page
    client.post(
        url("part_add", mc.public_id),
        {
            "kind": "artifact",
            "title": "Tickets",
            "prompt": "Upload them.",
            "required": "on",
            "accepted_types": ["document", "image"],
            "max_files": "4",
        },
    )
    part = version.parts.get()
    assert (part.accepted_types, part.max_files) == (["document", "image"], 4)
    response = client.post(
        url("criterion_add", mc.public_id, part.public_id),
        {
            f"p{part.pk}-name": "Sorting",
            f"p{part.pk}-not_yet": "Random piles.",
            f"p{part.pk}-proficient": "Consistent piles.",
            f"p{part.pk}-exemplary": "Explains the piles.",
        },
    )
    assert response.status_code == 302
    assert [lv["key"] for lv in part.criteria.get().levels] == [
        "not_yet",
        "proficient",
        "exemplary",
    ]
    assert (
        "Once published, version 1 is frozen"
        in client.get(url("publish", mc.public_id)).content.decode()
    )
    response = client.post(url("publish", mc.public_id))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "published"


def test_bad_form_input_is_shown_and_nothing_is_written(world, client_for):
    cast, _comps, _published, draft = world
    client = client_for(cast.dana)
    mc = draft.micro_credential
    response = client.post(
        url("edit", mc.public_id),
        {"title": "", "credit_amount": "1", "credit_unit": "clock_hour", "estimated_hours": "1"},
    )
    assert response.status_code == 400
    response = client.post(
        url("edit", mc.public_id),
        {
            "title": "T",
            "credit_amount": "1",
            "credit_unit": "clock_hour",
            "estimated_hours": "1",
            "resources": "no bar here",
        },
    )
    assert response.status_code == 400
    assert "Line 1: write the title, then “|”, then the web address." in response.content.decode()
    part = draft.parts.get()
    response = client.post(
        url("criterion_add", mc.public_id, part.public_id),
        {f"p{part.pk}-name": "X", f"p{part.pk}-not_yet": "No."},
    )
    assert response.status_code == 400
    response = client.post(
        url("part_add", mc.public_id), {"kind": "artifact", "title": "A", "prompt": "B"}
    )
    assert response.status_code == 400
    assert "An artifact part accepts at least one type of artifact" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Talk moves"
    assert draft.parts.count() == 1
    assert RubricCriterion.objects.filter(part__version=draft).count() == 1


def test_publish_page_lists_blockers(world, client_for):
    cast, _comps, _published, draft = world
    client = client_for(cast.dana)
    draft.parts.get().criteria.all().delete()
    page = client.get(url("publish", draft.micro_credential.public_id)).content.decode()
    assert "Part 1 (“Lesson plan”) needs at least one rubric criterion." in page
    response = client.post(url("publish", draft.micro_credential.public_id))
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_new_version_retire_and_history(world, client_for):
    cast, _comps, published, _draft = world
    client = client_for(cast.dana)
    mc = published.micro_credential
    response = client.post(url("new_version", mc.public_id))
    assert response.status_code == 302
    assert response.url == url("edit", mc.public_id)
    assert mc.versions.filter(status="draft", number=2).exists()
    body = client.get(url("definition", mc.public_id) + "?version=2").content.decode()
    assert "Version 2: Draft" in body
    assert "<caption>Versions of Hinge questions</caption>" in body
    client.post(url("status", mc.public_id), {"action": "retire"})
    mc.refresh_from_db()
    assert mc.status == "retired"
    assert client.get(url("definition", mc.public_id) + "?version=9").status_code == 404


def test_import_and_export_pages(world, client_for):
    cast, _comps, published, _draft = world
    client = client_for(cast.dana)
    response = client.get(url("export", published.micro_credential.public_id))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert 'filename="hinge-questions-v1.json"' in response["Content-Disposition"]
    document = json.loads(response.content)
    document["micro_credential"]["slug"] = "hinge-copy"
    response = client.post(url("import"), {"text": json.dumps(document)})
    assert response.status_code == 302
    assert MicroCredential.objects.get(slug="hinge-copy").versions.get().status == "draft"
    document["micro_credential"]["slug"] = "broken"
    document["micro_credential"]["parts"][0]["kind"] = "essay"
    response = client.post(url("import"), {"text": json.dumps(document)})
    assert response.status_code == 400
    assert "<code>micro_credential.parts[0].kind</code>" in response.content.decode()
    assert not MicroCredential.objects.filter(slug="broken").exists()
    assert client.post(url("import"), {}).status_code == 400


def test_stack_pages(world, client_for):
    cast, comps, published, _draft = world
    access = cast.access(cast.dana)
    other = definitions.publish_version(
        access=access,
        actor=cast.dana,
        version=ready_draft(access, cast.dana, comps[0], title="Other"),
    )
    client = client_for(cast.dana)
    members = [str(published.micro_credential.public_id), str(other.micro_credential.public_id)]
    response = client.post(
        url("stack_new"),
        {"title": "FA", "capstone_title": "FA pro", "members": members, "required_count": "3"},
    )
    assert response.status_code == 400
    assert "The number needed must be between 1 and 2" in response.content.decode()
    response = client.post(
        url("stack_new"),
        {"title": "FA", "capstone_title": "FA pro", "members": members, "required_count": "2"},
    )
    assert response.status_code == 302
    stack = Stack.objects.get()
    body = client_for(cast.alice).get(url("stacks")).content.decode()
    assert "Earn <strong>2 of 2</strong> to earn “FA pro”." in body
    client.post(url("stack_active", stack.public_id), {"active": "0"})
    assert "No stacks yet." in client_for(cast.alice).get(url("stacks")).content.decode()
    assert client_for(cast.bea).get(url("stack_edit", stack.public_id)).status_code == 404


def test_nav_shows_micro_credentials(world, client_for):
    cast, *_ = world
    body = client_for(cast.alice).get(url("list")).content.decode()
    assert f'href="{url("list")}"' in body


def test_version_one_draft_page_for_authors(world, client_for):
    cast, _comps, _published, draft = world
    body = (
        client_for(cast.dana)
        .get(url("definition", draft.micro_credential.public_id))
        .content.decode()
    )
    assert "Edit the draft (version 1)" in body
    assert DefinitionVersion.objects.filter(status="draft").count() == 1
    assert definition_json.FORMAT == "trellis.micro-credential/1"


def test_export_of_another_district_is_not_found(world, client_for):
    cast, _comps, published, _draft = world
    response = client_for(cast.bob).get(url("export", published.micro_credential.public_id))
    assert response.status_code == 404


def test_a_bad_image_is_refused_on_create_and_nothing_is_written(
    world, client_for, settings, tmp_path
):
    use_tmp_media(settings, tmp_path)
    cast, *_ = world
    before = MicroCredential.objects.count()
    upload = SimpleUploadedFile("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    response = client_for(cast.dana).post(
        url("create"),
        {
            "title": "With an image",
            "credit_amount": "1",
            "credit_unit": "clock_hour",
            "estimated_hours": "1",
            "image": upload,
        },
    )
    assert response.status_code == 400
    assert "The image must be a PNG or JPEG file" in response.content.decode()
    assert MicroCredential.objects.count() == before


def test_a_png_is_saved_on_the_draft(world, client_for, settings, tmp_path):
    use_tmp_media(settings, tmp_path)
    cast, _comps, _published, draft = world
    upload = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    response = client_for(cast.dana).post(
        url("edit", draft.micro_credential.public_id),
        {
            "title": "Talk moves",
            "credit_amount": "1",
            "credit_unit": "clock_hour",
            "estimated_hours": "1",
            "image": upload,
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.image.name == "microcredentials/images/talk-moves.png"


def test_definition_page_queries_do_not_grow_with_parts_and_criteria(world, client_for):
    cast, comps, published, _draft = world
    access = cast.access(cast.dana)
    bigger = ready_draft(access, cast.dana, comps[0], title="Bigger")
    for n in range(4):
        part = definition_parts.add_part(
            access=access,
            actor=cast.dana,
            version=bigger,
            kind="overview",
            title=f"Q{n}",
            prompt="?",
        )
        for name in ("A", "B", "C"):
            definition_parts.add_criterion(
                access=access, actor=cast.dana, part=part, name=name, levels=LEVELS_3
            )
    definitions.publish_version(access=access, actor=cast.dana, version=bigger)
    client = client_for(cast.alice)
    client.get(url("definition", published.micro_credential.public_id))  # warm the session
    counts = []
    for mc in (published.micro_credential, bigger.micro_credential):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("definition", mc.public_id)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
