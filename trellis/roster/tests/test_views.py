"""The roster import pages: who may use them, upload, preview, progress, apply."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from trellis.roster import forms
from trellis.roster.models import RosterImport
from trellis.roster.parsing import TEMPLATE_CSV
from trellis.roster.tests.conftest import roster_csv
from trellis.roster.tests.test_oneroster import MANIFEST, ORGS, users

pytestmark = pytest.mark.django_db

DATA = roster_csv(
    "new1@northfield.test,Nia New,educator,Northfield Middle,teacher,2,Mathematics,6-8,N-1",
    "bad-email,Bad Row,educator,,,,,,",
)


def upload(client, data: bytes = DATA, name: str = "roster.csv", **fields):
    files = data if isinstance(data, list) else [SimpleUploadedFile(name, data, "text/csv")]
    payload = {"files": files, "format": "auto", "dry_run": "on", **fields}
    return client.post("/roster/", payload)


def test_only_district_admins_see_the_entry_and_the_pages(cast, client_for):
    admin = client_for(cast.dana)
    page = admin.get("/roster/")
    assert page.status_code == 200
    assert b'<a href="/roster/" aria-current="page">Roster import</a>' in page.content
    assert b"<caption>Columns of the Trellis roster CSV</caption>" in page.content
    for person in (cast.alice, cast.carol, cast.ada, cast.pat):
        client = client_for(person)
        assert client.get("/roster/").status_code == 403, person.email
        assert b"Roster import" not in client.get("/").content
        assert upload(client).status_code == 403
    assert RosterImport.objects.count() == 0


def test_the_template_downloads(cast, client_for):
    response = client_for(cast.dana).get("/roster/template.csv")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="trellis-roster.csv"'
    assert response.content.decode() == TEMPLATE_CSV


def test_upload_previews_then_the_admin_applies_the_valid_rows(
    cast, client_for, django_capture_on_commit_callbacks
):
    client = client_for(cast.dana)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client)
    item = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/roster/{item.public_id}/"

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "This is a preview: nothing has been written yet." in html
    assert '<span class="value">1</span> <span class="label">To create</span>' in html
    assert "<caption>Rows with errors</caption>" in html
    assert (
        "<td>3</td><td><code>email</code></td><td>“bad-email” is not a valid e-mail address.</td>"
        in html
    )
    assert "Apply the valid rows" in html
    assert 'hx-get="/roster/' not in html  # a preview does not poll for progress
    assert "new account(s) will have no password yet" in html

    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(f"/roster/{item.public_id}/apply/")
    assert applied.status_code == 302
    item.refresh_from_db()
    assert item.applied_at is not None
    html = client.get(f"/roster/{item.public_id}/").content.decode()
    assert "Applied on" in html
    assert '<span class="value">1</span> <span class="label">Created</span>' in html
    assert "They join by choosing “Forgot your password?” on the sign-in page" in html
    again = client.post(f"/roster/{item.public_id}/apply/", follow=True)
    assert "This import is already applied (or being applied)." in again.content.decode()


def test_oneroster_files_can_be_uploaded_together(
    cast, client_for, django_capture_on_commit_callbacks
):
    files = [
        SimpleUploadedFile("manifest.csv", MANIFEST),
        SimpleUploadedFile("orgs.csv", ORGS),
        SimpleUploadedFile("users.csv", users("t1,,,true,s1,teacher,,,Tia,Tran,,,t@pv.test,,,,,")),
        SimpleUploadedFile("classes.csv", b"ignored"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client_for(cast.dana), files)

    assert response.status_code == 302
    item = RosterImport.objects.get()
    assert (item.format, item.file_name) == ("oneroster", "manifest.csv, orgs.csv, users.csv")
    assert (item.count("created"), item.count("schools_created")) == (1, 2)


def test_a_bad_file_is_shown_on_the_form_and_nothing_is_kept(cast, client_for):
    response = upload(client_for(cast.dana), "email,full_name\n".encode("utf-16"))

    assert response.status_code == 400
    assert "Save it as “CSV UTF-8” and retry." in response.content.decode()
    assert RosterImport.objects.count() == 0


def test_an_upload_over_the_limit_is_refused_with_the_limit(cast, client_for, monkeypatch):
    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", 1024 * 1024)

    response = upload(client_for(cast.dana), b"email,full_name\n" + b"x" * (1024 * 1024))

    assert response.status_code == 400
    assert "the limit is 1 MB. Split the file by school" in response.content.decode()
    assert RosterImport.objects.count() == 0


def test_another_districts_import_is_not_found(cast, client_for):
    item = RosterImport.objects.create(
        district=cast.district_a, format="csv", file_name="a.csv", status="succeeded"
    )
    other = client_for(cast.bea)

    assert other.get(f"/roster/{item.public_id}/").status_code == 404
    assert other.post(f"/roster/{item.public_id}/apply/").status_code == 404
    assert b"a.csv" not in other.get("/roster/").content
    assert client_for(cast.dana).get("/roster/").content.count(b"a.csv") == 1


def test_a_running_import_shows_its_progress_and_polls(cast, client_for):
    item = RosterImport.objects.create(
        district=cast.district_a,
        format="csv",
        file_name="big.csv",
        status="running",
        phase="apply",
        step="writing",
        total_rows=100_000,
        processed_rows=25_000,
    )
    client = client_for(cast.dana)

    html = client.get(f"/roster/{item.public_id}/").content.decode()
    assert '<progress id="import-progress" max="100000" value="25000">25%</progress>' in html
    assert '<label for="import-progress">Writing changes</label>' in html
    assert '<p role="status">25,000 / 100,000 rows (25%)</p>' in html
    assert f'hx-get="/roster/{item.public_id}/" hx-trigger="every 1s"' in html
    assert f'<a href="/roster/{item.public_id}/">Refresh</a>' in html

    partial = client.get(f"/roster/{item.public_id}/", HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('\n<div id="import-status"') or partial.lstrip().startswith(
        '<div id="import-status"'
    )
    assert "<html" not in partial
    RosterImport.objects.filter(pk=item.pk).update(status="failed", message="Disk full.")
    done = client.get(f"/roster/{item.public_id}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-get="/roster/' not in done
    assert "The import failed: Disk full." in done


def test_updates_are_described_in_words(cast, client_for, run_import):
    item = run_import(
        cast.access(cast.dana),
        cast.dana,
        roster_csv("alice@northfield.test,Alice Archer,educator;assessor,,,4,,,"),
        dry_run=True,
    )

    html = client_for(cast.dana).get(f"/roster/{item.public_id}/").content.decode()

    assert "<caption>To update</caption>" in html
    assert (
        "<td>2</td><td>alice@northfield.test</td>"
        "<td>gains the assessor role; years of experience</td>"
    ) in html
