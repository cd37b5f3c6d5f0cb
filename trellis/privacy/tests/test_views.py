"""The erasure pages: the preview and confirmation for district admins, refusals, and the list
of past erasures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trellis.audit.models import AuditEvent
from trellis.districts.models import Membership
from trellis.growth.models import EducatorProfile
from trellis.privacy.models import ErasureRecord
from trellis.privacy.tests.world import build

pytestmark = pytest.mark.django_db


def _url(user) -> str:
    return reverse("privacy:erase", kwargs={"public_id": user.public_id})


def _written() -> tuple[int, int, int, int]:
    return (
        Membership.objects.count(),
        EducatorProfile.objects.count(),
        AuditEvent.objects.count(),
        ErasureRecord.objects.count(),
    )


def test_the_admin_previews_then_erases_and_lands_on_the_list(
    cast, client_for, django_capture_on_commit_callbacks
) -> None:
    build(cast)
    client = client_for(cast.dana)

    page = client.get(_url(cast.alice))

    assert page.status_code == 200
    html = page.content.decode()
    assert "What is erased (35)" in html
    assert "<td>Evidence artifacts and their stored files (earned ones too)</td><td>2</td>" in html
    assert "<td>Credit awards</td><td>1</td>" in html
    assert "licensure record the state requires" in html
    assert "their account is deactivated" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(cast.alice),
            {"reason": "Request #41", "confirmation": "alice@northfield.test"},
            follow=True,
        )

    assert response.redirect_chain == [(reverse("privacy:erasures"), 302)]
    listing = response.content.decode()
    assert "The personal data is erased (35 records)" in listing
    assert str(cast.alice.public_id) in listing
    assert "Request #41" in listing
    assert "Dana Diaz" in listing
    assert "Alice" not in listing
    assert ErasureRecord.objects.get().total == 35


def test_the_person_page_links_to_the_erasure_for_admins_only(cast, client_for) -> None:
    link = f'<a class="button danger" href="{_url(cast.alice)}">Erase personal data…</a>'
    person = reverse("growth:person", kwargs={"public_id": cast.alice.public_id})

    assert link in client_for(cast.dana).get(person).content.decode()
    assert link not in client_for(cast.pat).get(person).content.decode()


@pytest.mark.parametrize("who", ["alice", "carol", "ada", "pat"])
def test_other_roles_are_refused(cast, client_for, who) -> None:
    client = client_for(getattr(cast, who))

    assert client.get(_url(cast.eve)).status_code == 403
    assert (
        client.post(_url(cast.eve), {"reason": "r", "confirmation": cast.eve.email}).status_code
        == 403
    )
    assert client.get(reverse("privacy:erasures")).status_code == 403


def test_another_districts_educator_is_not_found(cast, client_for) -> None:
    client = client_for(cast.dana)
    before = _written()

    assert client.get(_url(cast.bob)).status_code == 404
    assert (
        client.post(_url(cast.bob), {"reason": "r", "confirmation": cast.bob.email}).status_code
        == 404
    )
    assert _written() == before


@pytest.mark.parametrize(
    ("who", "data", "message"),
    [
        ("alice", {"reason": "", "confirmation": "alice@northfield.test"}, "Give the reason"),
        ("alice", {"reason": "Request", "confirmation": "alice@north.test"}, "Type the educator"),
        ("alice", {}, "Give the reason"),
        ("dana", {"reason": "Mine", "confirmation": "dana@northfield.test"}, "your own data"),
    ],
)
def test_a_refused_erasure_answers_400_with_the_message_and_writes_nothing(
    cast, client_for, who, data, message
) -> None:
    build(cast)
    before = _written()

    response = client_for(cast.dana).post(_url(getattr(cast, who)), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert _written() == before


def test_the_erasures_list_is_empty_at_first(cast, client_for) -> None:
    response = client_for(cast.dana).get(reverse("privacy:erasures"))

    assert response.status_code == 200
    assert "No personal data has been erased." in response.content.decode()


def test_the_preview_runs_a_bounded_number_of_queries(
    cast, client_for, django_assert_max_num_queries
) -> None:
    build(cast)
    client = client_for(cast.dana)
    client.get(_url(cast.alice))

    # One COUNT per kind erased (34) and kept (7), plus the session, user, roles and page: the
    # number depends on the policy, never on how many rows the educator has.
    with django_assert_max_num_queries(50):
        assert client.get(_url(cast.alice)).status_code == 200
