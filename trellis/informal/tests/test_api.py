"""GET|POST /api/v1/me/informal-learning and the single-entry routes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from trellis.informal.models import InformalEntry

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/informal-learning"


def body(**fields):
    values = {
        "title": "Edcamp Pine Valley",
        "minutes": 120,
        "format": "edcamp",
        "learned_on": timezone.localdate().isoformat(),
        "reflection": "Met two maths teachers.",
    }
    values.update(fields)
    return values


def test_create_list_get_patch_delete(cast, api_client_for, capped_rules):
    api = api_client_for(cast.alice)
    created = api.post(URL, body(), content_type="application/json")
    assert created.status_code == 201
    data = created.json()
    assert (data["minutes"], data["counted_hours"], data["credit_note"]) == (
        120,
        "2.00",
        "Counted 2 h.",
    )
    listed = api.get(URL).json()
    assert listed["count"] == 1
    assert listed["totals"]["hours"] == "2.00"
    assert listed["totals"]["counted_hours"] == "2.00"
    one = api.get(f"{URL}/{data['id']}")
    assert one.json()["title"] == "Edcamp Pine Valley"
    renamed = api.patch(
        f"{URL}/{data['id']}", {"title": "Edcamp PV"}, content_type="application/json"
    )
    assert renamed.status_code == 200
    assert renamed.json()["title"] == "Edcamp PV"
    longer = api.patch(f"{URL}/{data['id']}", {"minutes": 240}, content_type="application/json")
    assert longer.status_code == 409
    assert longer.json()["error"]["code"] == "entry_counted"
    assert api.delete(f"{URL}/{data['id']}").status_code == 409


def test_bad_input_is_400_with_the_field(cast, api_client_for):
    api = api_client_for(cast.alice)
    response = api.post(URL, body(minutes=0), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"field": "minutes"}
    response = api.post(URL, body(url="javascript:alert(1)"), content_type="application/json")
    assert response.status_code == 400
    assert (
        response.json()["error"]["message"] == "Enter a web link starting with http:// or https://."
    )
    assert InformalEntry.objects.count() == 0


def test_tenant_boundary_and_delete(cast, api_client_for):
    created = api_client_for(cast.alice).post(URL, body(), content_type="application/json").json()
    bob = api_client_for(cast.bob)
    assert bob.get(f"{URL}/{created['id']}").status_code == 404
    assert bob.delete(f"{URL}/{created['id']}").status_code == 404
    assert bob.get(URL).json()["count"] == 0
    assert api_client_for(cast.alice).delete(f"{URL}/{created['id']}").status_code == 204
