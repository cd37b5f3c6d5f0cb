"""Credential pages: content negotiation on the id URL, visibility, downloads, admin pages."""

import json

import pytest

from trellis.credentials.core.baking import unbake_png, unbake_svg
from trellis.credentials.models import CredentialStatus, IssuedCredential, Visibility
from trellis.credentials.services import lifecycle
from trellis.credentials.tests.test_issuing import issue

pytestmark = pytest.mark.django_db


def url(credential, suffix=""):
    return f"/credentials/{credential.public_id}{suffix}"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/json", "application/json"),
        ("application/ld+json", "application/ld+json"),
        ("application/vc+ld+json, text/html;q=0.5", "application/vc+ld+json"),
        ("text/html, application/json;q=0.9", None),
        ("text/html,application/xhtml+xml,*/*;q=0.8", None),
    ],
)
def test_content_negotiation(cast, client_for, accept, expected):
    credential = issue(cast)
    response = client_for(cast.alice).get(url(credential), HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert "Accept" in response["Vary"]
    if expected:
        assert response["Content-Type"] == expected
        assert json.loads(response.content) == credential.document
    else:
        assert response["Content-Type"].startswith("text/html")
        assert "Hinge questions" in response.content.decode()


def test_format_json_and_public_access(cast, client):
    credential = issue(cast)
    assert client.get(url(credential), {"format": "json"}).status_code == 404  # private
    lifecycle.set_visibility(
        cast.access(cast.alice), credential.public_id, "public", actor=cast.alice
    )
    response = client.get(url(credential), {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == credential.document
    page = client.get(url(credential))
    assert page.status_code == 200
    assert "Verified" in page.content.decode()


def test_private_visible_to_recipient_and_admin_only(cast, client_for):
    credential = issue(cast)
    assert client_for(cast.alice).get(url(credential)).status_code == 200
    assert client_for(cast.dana).get(url(credential)).status_code == 200
    assert client_for(cast.eve).get(url(credential)).status_code == 404
    assert client_for(cast.bea).get(url(credential)).status_code == 404  # other district admin
    for suffix in (".json", ".jwt", ".png", ".svg"):
        assert client_for(cast.eve).get(url(credential, suffix)).status_code == 404
    assert client_for(cast.alice).get("/credentials/not-a-uuid").status_code == 404


def test_downloads(cast, client_for):
    credential = issue(cast)
    alice = client_for(cast.alice)
    as_json = alice.get(url(credential, ".json"))
    assert as_json["Content-Disposition"] == (
        f'attachment; filename="credential-{credential.public_id}.json"'
    )
    assert json.loads(as_json.content) == credential.document
    assert alice.get(url(credential, ".jwt")).content.decode() == credential.jwt
    png = alice.get(url(credential, ".png"))
    assert png["Content-Type"] == "image/png"
    assert json.loads(unbake_png(png.content)) == credential.document
    svg = alice.get(url(credential, ".svg"))
    assert json.loads(unbake_svg(svg.content.decode())) == credential.document


def test_my_credentials_and_visibility_toggle(cast, client_for, django_assert_max_num_queries):
    for i in range(3):
        issue(cast, key=f"k{i}")
    issue(cast, key="eve", recipient=cast.eve)
    alice = client_for(cast.alice)
    with django_assert_max_num_queries(12):
        response = alice.get("/credentials/")
    assert response.status_code == 200
    assert len(response.context["credentials"]) == 3
    assert "Make public" in response.content.decode()
    mine = IssuedCredential.objects.filter(recipient=cast.alice).first()
    response = alice.post(url(mine, "/visibility"), {"visibility": "public"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.visibility == Visibility.PUBLIC
    theirs = IssuedCredential.objects.get(recipient=cast.eve)
    assert alice.post(url(theirs, "/visibility"), {"visibility": "public"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.visibility == Visibility.PRIVATE


def test_empty_state(cast, client_for):
    response = client_for(cast.alice).get("/credentials/")
    assert "You have no credentials yet" in response.content.decode()


def test_detail_page_share_and_linkedin(cast, client_for):
    credential = issue(cast)
    lifecycle.set_visibility(
        cast.access(cast.alice), credential.public_id, "public", actor=cast.alice
    )
    body = client_for(cast.alice).get(url(credential)).content.decode()
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in body
    assert "name=Hinge+questions" in body
    assert "organizationName=Northfield" in body
    assert "issueYear=2026&amp;issueMonth=3" in body


def test_admin_list_revoke_and_permissions(cast, client_for, django_assert_max_num_queries):
    for i in range(4):
        issue(cast, key=f"k{i}")
    dana = client_for(cast.dana)
    with django_assert_max_num_queries(14):
        response = dana.get("/credentials/manage/")
    assert response.status_code == 200
    assert len(response.context["credentials"]) == 4
    assert client_for(cast.alice).get("/credentials/manage/").status_code == 403
    credential = IssuedCredential.objects.first()
    form = dana.post(
        url(credential).replace("/credentials/", "/credentials/manage/") + "/revoke", {"reason": ""}
    )
    assert form.status_code == 400
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.ACTIVE
    done = dana.post(f"/credentials/manage/{credential.public_id}/revoke", {"reason": "Error"})
    assert done.status_code == 302
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REVOKED
    filtered = dana.get("/credentials/manage/", {"status": "revoked"})
    assert [c.pk for c in filtered.context["credentials"]] == [credential.pk]
    bea = client_for(cast.bea)
    assert bea.get(f"/credentials/manage/{credential.public_id}/revoke").status_code == 404


def test_admin_issuer_and_keys_pages(cast, client_for):
    dana = client_for(cast.dana)
    assert dana.get("/credentials/manage/issuer/").status_code == 200
    bad = dana.post("/credentials/manage/issuer/", {"name": "", "image_url": "http://x.org/a"})
    assert bad.status_code == 400
    ok = dana.post(
        "/credentials/manage/issuer/",
        {"name": "Northfield ISD", "issue_for_capstones": "on", "email": "pd@northfield.test"},
    )
    assert ok.status_code == 302
    assert dana.get("/credentials/manage/keys/").status_code == 200
    assert dana.post("/credentials/manage/keys/rotate").status_code == 302
    page = dana.get("/credentials/manage/keys/")
    assert len(page.context["keys"]) == 1
    assert client_for(cast.alice).get("/credentials/manage/keys/").status_code == 403
