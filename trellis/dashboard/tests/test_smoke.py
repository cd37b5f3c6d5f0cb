import pytest
from django.test import Client


@pytest.mark.django_db
def test_healthz_reports_the_database():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_each_cast_member_sees_their_home_page(cast, client_for):
    for user in (cast.alice, cast.carol, cast.ada, cast.pat, cast.dana, cast.bob):
        response = client_for(user).get("/")
        assert response.status_code == 200, user.email
        assert f"Welcome, {user.display_name}".encode() in response.content
