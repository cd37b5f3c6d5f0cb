"""The leadership marker on an offering: authored in the form, carried by the CSV import and
export, shown in the API; the recommender's leadership slot reads it (recommend tests)."""

from __future__ import annotations

import pytest

from trellis.catalog.models import Offering
from trellis.catalog.services.catalog_csv import COLUMNS, export_catalog, import_catalog
from trellis.catalog.tests.factories import OfferingFactory, OfferingSessionFactory
from trellis.catalog.tests.test_catalog_csv import csv_bytes, rows_of
from trellis.catalog.tests.test_offerings_manage import offering_post

pytestmark = pytest.mark.django_db


def test_the_offering_form_sets_and_clears_the_marker(cast, client_for):
    client = client_for(cast.dana)
    page = client.get("/catalog/manage/new/").content.decode()
    assert "<legend>Leadership</legend>" in page
    assert 'name="leadership"' in page
    assert client.post("/catalog/manage/new/", offering_post(leadership="on")).status_code == 302
    created = Offering.objects.get()
    assert created.leadership is True
    edit = client.post(f"/catalog/{created.public_id}/edit/", offering_post())
    assert edit.status_code == 302
    created.refresh_from_db()
    assert created.leadership is False


def test_a_new_offering_is_not_a_leadership_path_by_default(cast):
    assert OfferingFactory(district=cast.district_a).leadership is False


def test_csv_export_and_import_carry_the_marker(cast):
    lead = OfferingFactory(district=cast.district_a, source_id="LEAD-1", leadership=True)
    OfferingSessionFactory(offering=lead)
    OfferingFactory(district=cast.district_a, source_id="PLAIN-1")
    assert COLUMNS[-1] == "leadership"
    rows = {r["id"]: r["leadership"] for r in rows_of(export_catalog(Offering.objects.all()))}
    assert rows == {"LEAD-1": "yes", "PLAIN-1": "no"}

    data = csv_bytes(
        "id,title,kind,format,hours,leadership",
        "LEAD-1,Lead a PLC,plc_cycle,plc,10,no",
        "NEW-1,Present at Edcamp,conference,in_person,3,yes",
    )
    result = import_catalog(access=cast.access(cast.dana), actor=cast.dana, data=data)
    assert result.errors == []
    assert Offering.objects.get(source_id="LEAD-1").leadership is False
    assert Offering.objects.get(source_id="NEW-1").leadership is True


def test_a_bad_marker_in_the_csv_is_reported_and_nothing_is_written(cast):
    before = list(Offering.objects.values_list("pk", flat=True))
    data = csv_bytes(
        "id,title,kind,format,hours,leadership", "X-1,Mentoring,workshop,in_person,3,maybe"
    )
    result = import_catalog(access=cast.access(cast.dana), actor=cast.dana, data=data)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "leadership", "“maybe” is not yes or no.")
    ]
    assert list(Offering.objects.values_list("pk", flat=True)) == before


def test_the_api_shows_the_marker(cast, api_client_for):
    offering = OfferingFactory(district=cast.district_a, leadership=True)
    body = api_client_for(cast.alice).get(f"/api/v1/offerings/{offering.public_id}").json()
    assert body["leadership"] is True
