"""Imported credentials counted toward credit: the district rule (off by default), only verified
imports, a credit manager's review, exact hours under the yearly cap, and the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from trellis.audit.models import AuditEvent
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.credentials.models import ImportedBadge
from trellis.credit.models import CreditAward, CreditSettings, CreditSource
from trellis.credit.services import imported

pytestmark = pytest.mark.django_db
D = Decimal


def badge(cast, name, *, issued=dt.datetime(2025, 9, 1, 12, tzinfo=dt.UTC), verified=True, **kw):
    return ImportedBadge.objects.create(
        district=kw.pop("district", cast.district_a),
        owner=kw.pop("owner", cast.alice),
        format="ob3",
        credential_id=f"urn:uuid:{name}",
        document={"name": name},
        issuer_name="Other Academy",
        achievement_name=name,
        issued_on=issued,
        verified=verified,
        verification={"ok": verified},
        verified_at=issued,
    )


def rule(cast, hours_each, cap_hours=None):
    return imported.set_imported_credential_rule(
        access=cast.access(cast.dana), actor=cast.dana, hours_each=hours_each, cap_hours=cap_hours
    )


def count(cast, item, user=None):
    user = user or cast.dana
    return imported.count_imported_credential(
        access=cast.access(user), actor=user, badge_public_id=item.public_id
    )


def test_off_by_default_and_nothing_is_written(cast):
    item = badge(cast, "Coding Club")
    with pytest.raises(DomainError) as error:
        count(cast, item)
    assert error.value.code == "imported_credit_off"
    assert imported.describe_rule(None) == "Imported credentials do not count toward credit."
    assert not CreditAward.objects.exists()


def test_each_verified_import_counts_n_hours_up_to_the_yearly_cap(cast):
    row = rule(cast, "5", "12")
    assert imported.describe_rule(row) == (
        "Each verified imported credential counts for 5 h, up to 12 h a school year."
    )
    first, second, third, fourth = (badge(cast, f"Badge {n}") for n in range(4))
    awards = [count(cast, first), count(cast, second), count(cast, third)]
    assert [a.hours for a in awards] == [D("5.00"), D("5.00"), D("2.00")]
    assert [a.amount for a in awards] == [D("5.00"), D("5.00"), D("2.00")]
    award = awards[0]
    assert (award.source, award.source_ref) == (CreditSource.IMPORTED, str(first.public_id))
    assert (award.unit, award.category) == ("clock_hour", "micro_credential")
    assert (award.title, award.provider) == ("Badge 0", "Other Academy")
    assert award.completed_on == dt.date(2025, 9, 1)
    assert award.educator == cast.alice
    with pytest.raises(ConflictError) as error:
        count(cast, fourth)
    assert error.value.code == "cap_reached"
    assert str(error.value.message).endswith(
        "12 h from imported credentials this school year, the district's cap."
    )
    next_year = badge(cast, "Next year", issued=dt.datetime(2026, 7, 2, 9, tzinfo=dt.UTC))
    assert count(cast, next_year).hours == D("5.00")
    other_educator = badge(cast, "Eve's", owner=cast.eve)
    assert count(cast, other_educator).hours == D("5.00")
    assert CreditAward.objects.filter(source=CreditSource.IMPORTED).count() == 5
    assert AuditEvent.objects.filter(action="credit.awarded").count() == 5


def test_a_revoked_award_frees_the_cap_but_never_counts_twice(cast):
    rule(cast, "4", "4")
    first, second = badge(cast, "A"), badge(cast, "B")
    award = count(cast, first)
    from trellis.credit.services import revoke_award

    revoke_award(access=cast.access(cast.dana), actor=cast.dana, award=award, reason="Duplicate")
    with pytest.raises(ConflictError) as error:
        count(cast, first)
    assert error.value.code == "already_counted"
    assert count(cast, second).hours == D("4.00")


def test_only_verified_imports_count_and_only_once(cast):
    rule(cast, "3")
    unverified = badge(cast, "Unverified", verified=False)
    with pytest.raises(DomainError) as error:
        count(cast, unverified)
    assert error.value.code == "import_not_verified"
    item = badge(cast, "Verified")
    assert count(cast, item).hours == D("3.00")
    with pytest.raises(ConflictError) as error:
        count(cast, item)
    assert error.value.code == "already_counted"
    assert CreditAward.objects.count() == 1


def test_review_list_permissions_and_tenancy(cast):
    rule(cast, "3")
    counted, waiting = badge(cast, "Counted"), badge(cast, "Waiting")
    badge(cast, "Unverified", verified=False)
    theirs = badge(cast, "Theirs", district=cast.district_b, owner=cast.bob)
    count(cast, counted)
    assert [b.achievement_name for b in imported.awaiting_review(cast.access(cast.dana))] == [
        waiting.achievement_name
    ]
    with pytest.raises(PermissionDenied):
        count(cast, waiting, user=cast.alice)
    with pytest.raises(PermissionDenied):
        imported.awaiting_review(cast.access(cast.alice))
    with pytest.raises(Http404):
        count(cast, theirs)
    with pytest.raises(Http404):
        count(cast, waiting, user=cast.bea)


@pytest.mark.parametrize(
    ("hours_each", "cap_hours", "code"),
    [
        ("abc", None, "invalid_hours_each"),
        ("-2", None, "invalid_hours_each"),
        ("1.234", None, "invalid_hours_each"),
        ("1000", None, "invalid_hours_each"),
        ("2", "0", "invalid_cap_hours"),
        (None, "10", "cap_without_hours"),
    ],
)
def test_bad_rules_are_refused_and_change_nothing(cast, hours_each, cap_hours, code):
    rule(cast, "2", "6")
    with pytest.raises(DomainError) as error:
        rule(cast, hours_each, cap_hours)
    assert error.value.code == code
    row = CreditSettings.objects.get(district=cast.district_a)
    assert (row.imported_credential_hours, row.imported_credential_cap_hours) == (D(2), D(6))
    assert AuditEvent.objects.filter(action="credit.imported_rule_changed").count() == 1


def test_turning_the_rule_off(cast):
    rule(cast, "2", "6")
    row = rule(cast, "", "")
    assert (row.imported_credential_hours, row.imported_credential_cap_hours) == (None, None)
    with pytest.raises(DomainError):
        count(cast, badge(cast, "Late"))


def test_api(cast, api_client_for):
    dana = api_client_for(cast.dana)
    base = "/api/v1/credit/imported-credentials"
    assert dana.get(f"{base}/rule").json() == {
        "hours_each": None,
        "cap_hours": None,
        "description": "Imported credentials do not count toward credit.",
    }
    bad = dana.put(f"{base}/rule", {"hours_each": "x"}, content_type="application/json")
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "invalid_hours_each")
    done = dana.put(
        f"{base}/rule", {"hours_each": "7.5", "cap_hours": "10"}, content_type="application/json"
    )
    assert done.json() == {
        "hours_each": "7.5",
        "cap_hours": "10",
        "description": "Each verified imported credential counts for 7.5 h, up to 10 h a "
        "school year.",
    }
    first, second = badge(cast, "First"), badge(cast, "Second")
    listing = dana.get(base).json()
    assert [row["achievement_name"] for row in listing] == ["First", "Second"]
    assert listing[0]["educator_email"] == cast.alice.email
    made = dana.post(f"{base}/{first.public_id}/count")
    assert made.status_code == 201
    assert {k: made.json()[k] for k in ("title", "hours", "completed_on")} == {
        "title": "First",
        "hours": "7.5",
        "completed_on": "2025-09-01",
    }
    assert dana.post(f"{base}/{second.public_id}/count").json()["hours"] == "2.5"
    again = dana.post(f"{base}/{second.public_id}/count")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_counted")
    assert dana.get(base).json() == []
    transcript = api_client_for(cast.alice).get("/api/v1/me/transcript").json()
    rows = sorted(
        (a["source"], a["title"], a["hours"], a["provider"]) for a in transcript["awards"]
    )
    assert rows == [  # the same completion day: the transcript's order between them is not fixed
        ("imported", "First", "7.5", "Other Academy"),
        ("imported", "Second", "2.5", "Other Academy"),
    ]
    assert transcript["totals"]["hours"] == "10"
    assert transcript["totals"]["micro_credentials"] == 0
    third = badge(cast, "Third")
    assert api_client_for(cast.alice).post(f"{base}/{third.public_id}/count").status_code == 403
    assert api_client_for(cast.bea).post(f"{base}/{third.public_id}/count").status_code == 404
    assert api_client_for(cast.alice).get(base).status_code == 403


# ---------------------------------------------------------------------------------------------
# declining an import
# ---------------------------------------------------------------------------------------------


def decline(cast, item, reason="Not related to teaching", user=None):
    user = user or cast.dana
    return imported.decline_imported_credential(
        access=cast.access(user), actor=user, badge_public_id=item.public_id, reason=reason
    )


def test_declining_takes_the_import_out_of_the_queue_and_tells_the_educator(cast):
    from trellis.credit.models import ImportedCreditDecline
    from trellis.notifications.models import Notification

    rule(cast, "3")
    item, other = badge(cast, "Yoga for teachers"), badge(cast, "Other")
    row = decline(cast, item, reason="  Not related to your certificate.  ")
    assert (row.badge, row.reason, row.declined_by) == (
        item,
        "Not related to your certificate.",
        cast.dana,
    )
    assert [b.achievement_name for b in imported.awaiting_review(cast.access(cast.dana))] == [
        "Other"
    ]
    event = AuditEvent.objects.get(action="credit.imported_declined")
    assert (event.actor, event.subject, event.district) == (cast.dana, cast.alice, cast.district_a)
    assert event.summary == "Declined “Yoga for teachers” (Other Academy) for credit"
    assert event.data == {"reason": "Not related to your certificate."}
    notice = Notification.objects.get(recipient=cast.alice)
    assert notice.subject == "“Yoga for teachers” does not count toward credit"
    assert notice.body == (
        "The badge you imported, “Yoga for teachers” from Other Academy, was reviewed and does "
        "not count toward renewal credit in Northfield.\n\nReason: Not related to your "
        "certificate."
    )
    assert notice.path == f"/credentials/imported/{item.public_id}"
    # a declined import is never counted, and a counted one is never declined
    with pytest.raises(ConflictError) as error:
        count(cast, item)
    assert error.value.code == "already_declined"
    count(cast, other)
    with pytest.raises(ConflictError) as error:
        decline(cast, other)
    assert error.value.code == "already_counted"
    assert ImportedCreditDecline.objects.count() == 1
    assert CreditAward.objects.count() == 1


@pytest.mark.parametrize(
    ("reason", "code"),
    [("", "reason_required"), ("   ", "reason_required"), ("x" * 501, "reason_too_long")],
)
def test_a_decline_needs_a_short_reason_and_writes_nothing_without_one(cast, reason, code):
    from trellis.credit.models import ImportedCreditDecline
    from trellis.notifications.models import Notification

    item = badge(cast, "Yoga")
    with pytest.raises(DomainError) as error:
        decline(cast, item, reason=reason)
    assert (error.value.code, error.value.details) == (code, {"field": "reason"})
    assert not ImportedCreditDecline.objects.exists()
    assert not AuditEvent.objects.filter(action="credit.imported_declined").exists()
    assert not Notification.objects.exists()


def test_declining_twice_unverified_other_district_and_non_managers_are_refused(cast):
    item = badge(cast, "Yoga")
    decline(cast, item)
    with pytest.raises(ConflictError) as error:
        decline(cast, item, reason="Again")
    assert error.value.code == "already_declined"
    with pytest.raises(DomainError) as error:
        decline(cast, badge(cast, "Unverified", verified=False))
    assert error.value.code == "import_not_verified"
    theirs = badge(cast, "Theirs", district=cast.district_b, owner=cast.bob)
    with pytest.raises(Http404):
        decline(cast, theirs)
    with pytest.raises(PermissionDenied):
        decline(cast, badge(cast, "Mine"), user=cast.alice)
    assert AuditEvent.objects.filter(action="credit.imported_declined").count() == 1


def test_api_decline(cast, api_client_for):
    dana = api_client_for(cast.dana)
    base = "/api/v1/credit/imported-credentials"
    item = badge(cast, "Yoga")
    empty = dana.post(
        f"{base}/{item.public_id}/decline", {"reason": " "}, content_type="application/json"
    )
    assert (empty.status_code, empty.json()["error"]["code"]) == (400, "reason_required")
    made = dana.post(
        f"{base}/{item.public_id}/decline", {"reason": "Off topic"}, content_type="application/json"
    )
    assert made.status_code == 201
    body = made.json()
    assert {k: body[k] for k in ("badge_id", "educator_email", "achievement_name", "reason")} == {
        "badge_id": str(item.public_id),
        "educator_email": "alice@northfield.test",
        "achievement_name": "Yoga",
        "reason": "Off topic",
    }
    again = dana.post(
        f"{base}/{item.public_id}/decline", {"reason": "Again"}, content_type="application/json"
    )
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_declined")
    assert dana.get(base).json() == []
    rule(cast, "2")
    counted = dana.post(f"{base}/{item.public_id}/count")
    assert (counted.status_code, counted.json()["error"]["code"]) == (409, "already_declined")
    theirs = badge(cast, "Theirs", district=cast.district_b, owner=cast.bob)
    other = dana.post(
        f"{base}/{theirs.public_id}/decline", {"reason": "No"}, content_type="application/json"
    )
    assert other.status_code == 404
    mine = badge(cast, "Mine")
    refused = api_client_for(cast.alice).post(
        f"{base}/{mine.public_id}/decline", {"reason": "No"}, content_type="application/json"
    )
    assert refused.status_code == 403
