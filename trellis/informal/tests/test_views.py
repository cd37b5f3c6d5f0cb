"""Pages: the log with its quick form, the bookmarklet's prefilled page, edit/delete, the rules
page and the integrations page (secret shown once), permissions and the tenant boundary."""

from __future__ import annotations

import pytest
from django.utils import timezone

from trellis.audit.models import AuditEvent
from trellis.informal.models import InformalEntry, InformalRules, XapiIntegration
from trellis.informal.services import entries

pytestmark = pytest.mark.django_db


def entry_for(cast, user, **fields):
    values = {
        "title": "A podcast",
        "minutes": 25,
        "format": "podcast",
        "learned_on": timezone.localdate(),
    }
    values.update(fields)
    return entries.create_entry(access=cast.access(user), actor=user, **values)


def test_log_page_lists_entries_with_totals_and_bookmarklet(
    cast, client_for, django_assert_max_num_queries
):
    for n in range(25):
        entry_for(cast, cast.alice, title=f"Episode {n}", minutes=30)
    client = client_for(cast.alice)
    with django_assert_max_num_queries(30):
        page = client.get("/informal/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Episode 24" in html
    assert "Page 1 of 2" in html
    assert "<dd>12.5 h</dd>" in html
    assert 'href="javascript:(function(){window.open(' in html
    assert "<script>" not in html


def test_bookmarklet_page_prefills_and_has_no_inline_script(cast, client_for):
    page = client_for(cast.alice).get(
        "/informal/new",
        {"source": "bookmarklet", "url": "https://youtu.be/x", "title": "Great <b>video</b>"},
    )
    html = page.content.decode()
    assert 'value="https://youtu.be/x"' in html
    assert 'value="Great &lt;b&gt;video&lt;/b&gt;"' in html
    assert "<script>" not in html
    assert " onclick=" not in html


def test_quick_form_logs_with_quick_minutes(cast, client_for):
    response = client_for(cast.alice).post(
        "/informal/new?source=bookmarklet",
        {
            "title": "Wait time",
            "url": "https://youtu.be/w",
            "format": "video",
            "quick_minutes": "45",
            "learned_on": timezone.localdate().isoformat(),
            "reflection": "",
        },
    )
    assert response.status_code == 302
    entry = InformalEntry.objects.get()
    assert (entry.minutes, entry.source, entry.educator) == (45, "bookmarklet", cast.alice)


def test_bad_form_shows_the_reason(cast, client_for):
    response = client_for(cast.alice).post(
        "/informal/new",
        {
            "title": "x",
            "url": "ftp://nope",
            "format": "video",
            "quick_minutes": "30",
            "learned_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Enter a web link starting with http:// or https://." in response.content.decode()
    response = client_for(cast.alice).post(
        "/informal/new",
        {
            "title": "x",
            "format": "video",
            "quick_minutes": "custom",
            "learned_on": timezone.localdate().isoformat(),
        },
    )
    assert (
        "Enter the minutes you spent (1 to 1440), or pick a quick time."
        in response.content.decode()
    )
    assert InformalEntry.objects.count() == 0


def test_edit_and_delete_own_entry_only(cast, client_for):
    entry = entry_for(cast, cast.alice)
    alice = client_for(cast.alice)
    assert alice.get(f"/informal/{entry.public_id}/edit").status_code == 200
    response = alice.post(
        f"/informal/{entry.public_id}/edit",
        {
            "title": "Renamed",
            "format": "podcast",
            "quick_minutes": "custom",
            "minutes": "25",
            "learned_on": entry.learned_on.isoformat(),
        },
    )
    assert response.status_code == 302
    assert InformalEntry.objects.get().title == "Renamed"
    assert client_for(cast.eve).get(f"/informal/{entry.public_id}/edit").status_code == 404
    assert client_for(cast.bob).post(f"/informal/{entry.public_id}/delete").status_code == 404
    assert client_for(cast.bob).get(f"/informal/{entry.public_id}/").status_code == 404
    assert alice.get("/informal/not-a-uuid/").status_code == 404
    assert alice.post(f"/informal/{entry.public_id}/delete").status_code == 302
    assert InformalEntry.objects.count() == 0


def test_rules_page_for_credit_managers(cast, client_for):
    assert client_for(cast.alice).get("/informal/rules/").status_code == 403
    dana = client_for(cast.dana)
    assert dana.get("/informal/rules/").status_code == 200
    response = dana.post(
        "/informal/rules/",
        {
            "counts_toward_credit": "on",
            "yearly_cap_hours": "10",
            "entry_cap_hours": "2",
            "requires_reflection": "on",
            "counted_formats": ["video", "book"],
        },
    )
    assert response.status_code == 302
    rules = InformalRules.objects.get(district=cast.district_a)
    assert (rules.counts_toward_credit, rules.yearly_cap_hours, rules.counted_formats) == (
        True,
        10,
        ["book", "video"],
    )
    bad = dana.post("/informal/rules/", {"yearly_cap_hours": "-3"})
    assert "The yearly cap must be more than 0 and at most 1000 hours." in bad.content.decode()


def test_integrations_secret_shown_once_rotate_deactivate(cast, client_for):
    assert client_for(cast.alice).get("/informal/integrations/").status_code == 403
    dana = client_for(cast.dana)
    created = dana.post("/informal/integrations/", {"name": "Video library"})
    html = created.content.decode()
    integration = XapiIntegration.objects.get()
    assert "shown only this once" in html
    assert integration.username in html
    assert integration.secret_hash not in html
    assert "shown only this once" not in dana.get("/informal/integrations/").content.decode()
    assert dana.post("/informal/integrations/", {"name": "video library"}).status_code == 200
    assert XapiIntegration.objects.count() == 1
    old_hash = integration.secret_hash
    dana.post(f"/informal/integrations/{integration.public_id}/rotate")
    integration.refresh_from_db()
    assert integration.secret_hash != old_hash
    dana.post(f"/informal/integrations/{integration.public_id}/deactivate")
    integration.refresh_from_db()
    assert integration.is_active is False
    assert list(
        AuditEvent.objects.filter(action__startswith="informal.integration")
        .values_list("action", flat=True)
        .order_by("id")
    ) == [
        "informal.integration.created",
        "informal.integration.rotated",
        "informal.integration.deactivated",
    ]
    assert (
        client_for(cast.bea)
        .post(f"/informal/integrations/{integration.public_id}/rotate")
        .status_code
        == 404
    )
