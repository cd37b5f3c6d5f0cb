"""Framework pages for each role, tenancy, the import journey, editing and the query budget."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from trellis.frameworks import services
from trellis.frameworks.models import CaseUpload, Framework, FrameworkItem
from trellis.frameworks.tests.helpers import (
    SMARTLEVEL,
    case_schema_errors,
    framework_snapshot,
    real_case_file,
)
from trellis.frameworks.tests.test_case import package

ROLES = ["alice", "carol", "ada", "pat", "dana"]


@pytest.fixture
def library(db) -> tuple[Framework, Framework]:
    starter, learning_forward = services.ensure_library()
    return starter, learning_forward


def _upload(data: bytes, name: str = "framework.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/json")


@pytest.mark.parametrize("user", ROLES)
def test_every_role_sees_the_list_and_the_nav_entry(cast, client_for, library, user):
    response = client_for(getattr(cast, user)).get("/frameworks/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="/frameworks/" aria-current="page">Frameworks</a>' in html
    assert "Trellis Teaching Competencies" in html
    assert "Learning Forward Standards for Professional Learning (2022)" in html
    assert ("Import a CASE file" in html) is (user == "dana")


@pytest.mark.parametrize("user", ROLES)
def test_every_role_sees_a_framework_with_its_scale_and_tree(cast, client_for, library, user):
    starter, _ = library
    response = client_for(getattr(cast, user)).get(f"/frameworks/{starter.public_id}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "<caption>Proficiency levels of Trellis Teaching Competencies, lowest first</caption>"
        in html
    )
    assert "Competencies (107 items)" in html
    assert html.count('aria-level="1"') == 8
    assert html.count('aria-level="3"') == 70
    # The nav, the tree, one nested list per domain (8) and per competency (29); all closed.
    assert html.count("<ul") == html.count("</ul>") == 39
    assert html.count("<li ") + html.count("<li>") == html.count("</li>")
    assert ("Adopt for Northfield" in html) is (user == "dana")
    assert "Edit title and description" not in html  # the library is read-only


def test_a_framework_of_another_district_is_missing_for_page_and_export(cast, client_for, library):
    theirs = services.copy_framework(
        access=cast.access(cast.bea), actor=cast.bea, framework=library[0]
    )
    client = client_for(cast.dana)

    for url in (
        f"/frameworks/{theirs.public_id}/",
        f"/frameworks/{theirs.public_id}/case.json",
        f"/frameworks/{theirs.public_id}/edit/",
        f"/frameworks/{theirs.public_id}/scale/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/frameworks/{theirs.public_id}/adopt/").status_code == 404
    assert client_for(cast.bea).get(f"/frameworks/{theirs.public_id}/").status_code == 200


def test_the_detail_page_builds_the_tree_in_a_fixed_number_of_queries(
    cast, client_for, library, django_assert_max_num_queries
):
    starter, learning_forward = library
    client = client_for(cast.alice)
    client.get(f"/frameworks/{learning_forward.public_id}/")  # warm the session

    # 14 items or 107: the same budget (session, user, district, framework, levels, items).
    for framework in (learning_forward, starter):
        with django_assert_max_num_queries(9):
            assert client.get(f"/frameworks/{framework.public_id}/").status_code == 200


def test_the_list_page_counts_items_without_a_query_per_framework(
    cast, client_for, library, django_assert_max_num_queries
):
    client = client_for(cast.dana)
    for n in range(5):
        services.copy_framework(
            access=cast.access(cast.dana), actor=cast.dana, framework=library[0], title=f"C{n}"
        )
    with django_assert_max_num_queries(8):
        assert client.get("/frameworks/").status_code == 200


def test_the_export_downloads_valid_case_json(cast, client_for, library):
    starter, _ = library
    response = client_for(cast.alice).get(f"/frameworks/{starter.public_id}/case.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert (
        response["Content-Disposition"] == f'attachment; filename="case-{starter.public_id}.json"'
    )
    assert case_schema_errors(json.loads(response.content)) == []


# ---------------------------------------------------------------------------------------------
# import: upload → preview → import
# ---------------------------------------------------------------------------------------------


def test_an_admin_uploads_previews_and_imports_a_case_file(cast, client_for):
    client = client_for(cast.dana)
    assert client.get("/frameworks/import/").status_code == 200

    response = client.post(
        "/frameworks/import/", {"file": _upload(real_case_file(SMARTLEVEL), "smart.json")}
    )

    upload = CaseUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/frameworks/import/{upload.public_id}/"
    assert Framework.objects.count() == 0
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "<h1>Preview: SmartLevel Test</h1>" in html
    assert '<span class="value">14</span><span class="label">new items</span>' in html
    assert '<span class="value">0</span><span class="label">associations skipped</span>' in html
    assert "Nothing has been imported yet." in html

    done = client.post(response["Location"], {"purpose": "student_standards"})

    framework = Framework.objects.get()
    assert done.status_code == 302
    assert done["Location"] == f"/frameworks/{framework.public_id}/"
    assert (framework.purpose, framework.items.count()) == ("student_standards", 14)
    assert CaseUpload.objects.count() == 0
    page = client.get(done["Location"]).content.decode()
    assert "Imported “SmartLevel Test”: 14 new, 0 updated, 0 removed." in page


def test_uploading_the_same_file_again_previews_and_applies_an_update(cast, client_for):
    client = client_for(cast.dana)
    first = services.import_case_package(
        access=cast.access(cast.dana), actor=cast.dana, data=real_case_file(SMARTLEVEL)
    ).framework

    preview = client.post(
        "/frameworks/import/", {"file": _upload(real_case_file(SMARTLEVEL))}, follow=True
    )
    html = preview.content.decode()
    assert "This file updates" in html
    assert '<span class="value">14</span><span class="label">items updated in place</span>' in html
    assert 'name="purpose"' not in html
    done = client.post(preview.redirect_chain[-1][0])

    assert done["Location"] == f"/frameworks/{first.public_id}/"
    assert Framework.objects.count() == 1
    page = client.get(done["Location"]).content.decode()
    assert "Updated “SmartLevel Test”: 0 new, 14 updated, 0 removed." in page


def test_the_preview_lists_skipped_associations_with_reasons(cast, client_for):
    raw = package(
        links=[
            (
                "isChildOf",
                "00000000-0000-4000-8000-000000000001",
                "11111111-1111-4111-8111-111111111111",
            ),
            (
                "isCousinOf",
                "00000000-0000-4000-8000-000000000002",
                "00000000-0000-4000-8000-000000000001",
            ),
        ]
    )
    client = client_for(cast.dana)
    response = client.post(
        "/frameworks/import/", {"file": _upload(json.dumps(raw).encode())}, follow=True
    )

    html = response.content.decode()
    assert "<caption>Associations that will be skipped, and why</caption>" in html
    assert "“isCousinOf” is not a CASE association type" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not json at all", "The file is not JSON (line 1, column 1: Expecting value)."),
        (b'{"CFItems": []}', "The file has no CFDocument: it is not a CASE CFPackage."),
        (b" " * (10 * 1024 * 1024 + 1), "The file is 10.0 MB; the limit is 10 MB."),
    ],
)
def test_a_bad_upload_is_refused_on_the_form_and_nothing_is_kept(cast, client_for, data, message):
    before = framework_snapshot()
    response = client_for(cast.dana).post("/frameworks/import/", {"file": _upload(data)})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert framework_snapshot() == before


@pytest.mark.parametrize("user", ["alice", "carol", "ada", "pat"])
def test_other_roles_cannot_import_adopt_copy_or_edit(cast, client_for, library, user):
    client = client_for(getattr(cast, user))
    starter = library[0]
    before = framework_snapshot()

    assert client.get("/frameworks/import/").status_code == 403
    assert client.post("/frameworks/import/", {"file": _upload(b"{}")}).status_code == 403
    assert client.post(f"/frameworks/{starter.public_id}/adopt/").status_code == 403
    assert client.post(f"/frameworks/{starter.public_id}/copy/").status_code == 403
    assert client.get(f"/frameworks/{starter.public_id}/scale/").status_code == 403
    assert framework_snapshot() == before


def test_an_upload_of_another_district_is_missing(cast, client_for):
    upload, _ = services.stage_case_upload(
        access=cast.access(cast.bea), actor=cast.bea, data=real_case_file(SMARTLEVEL)
    )
    client = client_for(cast.dana)
    assert client.get(f"/frameworks/import/{upload.public_id}/").status_code == 404
    assert client.post(f"/frameworks/import/{upload.public_id}/").status_code == 404
    assert Framework.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# adopt, copy, edit
# ---------------------------------------------------------------------------------------------


def test_an_admin_adopts_the_starter_and_edits_the_copy(cast, client_for, library):
    client = client_for(cast.dana)
    response = client.post(f"/frameworks/{library[0].public_id}/adopt/")

    adopted = Framework.objects.get(district=cast.district_a)
    assert response["Location"] == f"/frameworks/{adopted.public_id}/"
    page = client.get(response["Location"]).content.decode()
    assert "is now the district&#x27;s adopted framework." in page
    assert "Edit title and description" in page

    item = adopted.items.get(human_code="1.1")
    url = f"/frameworks/{adopted.public_id}/items/{item.public_id}/edit/"
    assert client.get(url).status_code == 200
    saved = client.post(url, {"human_code": "1.1", "title": "Knowing content well"})
    assert saved.status_code == 302
    assert saved["Location"] == f"/frameworks/{adopted.public_id}/#item-{item.public_id}"
    item.refresh_from_db()
    assert item.title == "Knowing content well"

    empty = client.post(url, {"title": ""})
    assert empty.status_code == 400
    assert "This field is required." in empty.content.decode()


def test_adding_moving_and_deleting_items_through_the_pages(cast, client_for):
    framework = Framework.objects.create(district=cast.district_a, title="Ours")
    client = client_for(cast.dana)
    base = f"/frameworks/{framework.public_id}"

    form = client.get(f"{base}/items/new/")
    assert 'value="domain" selected' in form.content.decode()
    client.post(f"{base}/items/new/", {"kind": "domain", "title": "First"})
    first = framework.items.get(title="First")
    client.post(f"{base}/items/new/", {"kind": "domain", "title": "Second"})
    child_form = client.get(f"{base}/items/new/?parent={first.public_id}").content.decode()
    assert 'value="competency" selected' in child_form
    client.post(
        f"{base}/items/new/",
        {"kind": "competency", "title": "Child", "parent": str(first.public_id)},
    )
    assert framework.items.get(title="Child").parent == first

    second = framework.items.get(title="Second")
    client.post(f"{base}/items/{second.public_id}/move/", {"direction": "up"})
    assert list(
        framework.items.filter(parent=None).order_by("position").values_list("title", flat=True)
    ) == [
        "Second",
        "First",
    ]
    refused = client.post(f"{base}/items/{first.public_id}/delete/", follow=True)
    assert "has items under it" in refused.content.decode()
    client.post(f"{base}/items/{second.public_id}/delete/")
    assert sorted(framework.items.values_list("title", flat=True)) == ["Child", "First"]


def test_the_scale_page_saves_a_valid_scale_and_explains_an_invalid_one(cast, client_for):
    framework = Framework.objects.create(district=cast.district_a, title="Ours")
    client = client_for(cast.dana)
    url = f"/frameworks/{framework.public_id}/scale/"
    assert client.get(url).status_code == 200

    bad = client.post(
        url, {"value_1": 1, "label_1": "Low", "value_2": 3, "label_2": "High", "target": 2}
    )
    assert bad.status_code == 400
    assert "Number the levels 1 to 2, each number once (1 is the lowest)." in bad.content.decode()
    assert framework.levels.count() == 0

    good = client.post(
        url, {"value_1": 1, "label_1": "Low", "value_2": 2, "label_2": "High", "target": 2}
    )
    assert good.status_code == 302
    assert list(framework.levels.values_list("label", "is_target")) == [
        ("Low", False),
        ("High", True),
    ]


def test_edit_pages_of_a_library_framework_redirect_with_an_explanation(cast, client_for, library):
    starter = library[0]
    item = starter.items.first()
    client = client_for(cast.dana)
    for url in (
        f"/frameworks/{starter.public_id}/edit/",
        f"/frameworks/{starter.public_id}/scale/",
        f"/frameworks/{starter.public_id}/items/new/",
        f"/frameworks/{starter.public_id}/items/{item.public_id}/edit/",
    ):
        response = client.get(url, follow=True)
        assert response.redirect_chain == [(f"/frameworks/{starter.public_id}/", 302)], url
        assert "Library frameworks are read-only." in response.content.decode()
    assert (
        client.post(f"/frameworks/{starter.public_id}/items/{item.public_id}/delete/").status_code
        == 302
    )
    assert FrameworkItem.objects.filter(pk=item.pk).exists()
