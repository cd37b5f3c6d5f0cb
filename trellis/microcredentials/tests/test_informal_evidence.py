"""Attaching an informal-learning entry to a micro-credential draft, and who may then see it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from trellis.core.errors import ConflictError, DomainError
from trellis.informal.models import InformalEntry
from trellis.informal.services import entries
from trellis.microcredentials.models import Artifact, SubmissionEvent
from trellis.microcredentials.services import artifacts as services
from trellis.microcredentials.tests.earning_support import (
    make_definition,
    part,
    start,
    use_tmp_storage,
)


@pytest.fixture
def draft(cast, settings, tmp_path):
    use_tmp_storage(settings, tmp_path)
    return start(cast, cast.alice, make_definition(cast))


def logged(cast, user, title="Exit tickets that work"):
    return entries.create_entry(
        access=cast.access(user),
        actor=user,
        title=title,
        url="https://www.youtube.com/watch?v=exit",
        minutes=20,
        format="video",
        learned_on=dt.date(2026, 11, 2),
        reflection="Use three questions, not five.",
    )


def attach(cast, draft, entry):
    return services.attach_informal_evidence(
        access=cast.access(cast.alice),
        actor=cast.alice,
        submission=draft,
        part=part(draft.version, "artifact"),
        entry=entry,
    )


def test_attach_an_entry_as_a_link_to_its_page(cast, draft):
    entry = logged(cast, cast.alice)
    artifact = attach(cast, draft, entry)
    assert artifact.kind == "link"
    assert artifact.url == f"/informal/{entry.public_id}/"
    assert artifact.description == (
        "Informal learning: Exit tickets that work (Video, 20 min, Nov 02, 2026) "
        "https://www.youtube.com/watch?v=exit"
    )
    assert InformalEntry.objects.get(pk=entry.pk).attached_as_evidence is True
    assert SubmissionEvent.objects.filter(submission=draft, action="informal_attached").count() == 1
    with pytest.raises(ConflictError) as caught:
        attach(cast, draft, entry)
    assert caught.value.code == "already_attached"


def test_only_own_entries(cast, draft):
    with pytest.raises(DomainError) as caught:
        attach(cast, draft, logged(cast, cast.eve))
    assert caught.value.code == "not_your_entry"
    assert Artifact.objects.count() == 0


def test_workspace_offers_entries_and_attaches_through_the_form(cast, draft, client_for):
    entry = logged(cast, cast.alice)
    client = client_for(cast.alice)
    page = client.get(reverse("microcredentials:workspace", args=[draft.public_id]))
    assert "Or attach informal learning you logged" in page.content.decode()
    response = client.post(
        reverse("microcredentials:offering_evidence", args=[draft.public_id]),
        {
            "part": str(part(draft.version, "artifact").public_id),
            "informal_entry": str(entry.public_id),
        },
    )
    assert response.status_code == 302
    assert Artifact.objects.get().url == f"/informal/{entry.public_id}/"
    others = logged(cast, cast.eve, title="Eve's")
    response = client.post(
        reverse("microcredentials:offering_evidence", args=[draft.public_id]),
        {
            "part": str(part(draft.version, "artifact").public_id),
            "informal_entry": str(others.public_id),
        },
    )
    assert response.status_code == 404


def test_the_entry_page_opens_for_assessors_once_attached(cast, draft, client_for):
    entry = logged(cast, cast.alice)
    url = f"/informal/{entry.public_id}/"
    assert client_for(cast.ada).get(url).status_code == 404  # not evidence yet
    attach(cast, draft, entry)
    page = client_for(cast.ada).get(url)
    assert page.status_code == 200
    assert "Use three questions, not five." in page.content.decode()
    assert client_for(cast.eve).get(url).status_code == 404  # an educator, not an assessor
    assert client_for(cast.bea).get(url).status_code == 404  # another district
