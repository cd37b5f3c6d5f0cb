"""The imported-credentials pages of credit management: the rule form, the review queue with its
Count and Decline actions, one import's review page, and the link from the credit setup page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from trellis.audit.models import AuditEvent
from trellis.credit.models import CreditAward, CreditSettings, ImportedCreditDecline
from trellis.credit.services import imported
from trellis.credit.tests.test_imported_credit import badge, rule
from trellis.notifications.models import Notification

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/credit/manage/imported/"


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def rows(response) -> list[str]:
    """The queue's achievement links, in page order."""
    return re.findall(
        r'<a href="/credit/manage/imported/[0-9a-f-]+/">([^<]+)</a>', response.content.decode()
    )


def written() -> tuple[int, ...]:
    return (
        CreditSettings.objects.count(),
        CreditAward.objects.count(),
        ImportedCreditDecline.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


# ---------------------------------------------------------------------------------------------
# who may use the pages
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "carol", "ada", "pat"])
def test_only_credit_managers_reach_the_pages(cast, client_for, who):
    item = badge(cast, "Yoga")
    client = client_for(getattr(cast, who))
    before = written()

    responses = [
        client.get(URL),
        client.post(URL, {"hours_each": "5"}),
        client.get(f"{URL}{item.public_id}/"),
        client.post(f"{URL}{item.public_id}/count/"),
        client.post(f"{URL}{item.public_id}/decline/", {"reason": "No"}),
    ]

    assert [r.status_code for r in responses] == [403] * 5
    assert written() == before


def test_another_districts_import_is_not_found(cast, client_for):
    rule(cast, "3")
    theirs = badge(cast, "Theirs", district=cast.district_b, owner=cast.bob)
    client = client_for(cast.dana)
    before = written()

    responses = [
        client.get(f"{URL}{theirs.public_id}/"),
        client.post(f"{URL}{theirs.public_id}/count/"),
        client.post(f"{URL}{theirs.public_id}/decline/", {"reason": "No"}),
        client.post(f"{URL}{theirs.public_id}/decline/", {"reason": ""}),
    ]

    assert [r.status_code for r in responses] == [404] * 4
    assert written() == before


# ---------------------------------------------------------------------------------------------
# the rule
# ---------------------------------------------------------------------------------------------


def test_the_page_when_imports_do_not_count(cast, client_for):
    badge(cast, "Yoga")

    response = client_for(cast.dana).get(URL)

    assert response.status_code == 200
    page = text(response)
    assert "Now: Imported credentials do not count toward credit." in page
    assert (
        "Imported credentials don't count toward credit in your district. Set the hours each one "
        "counts for above to review them." in page
    )
    assert "Yoga" not in page
    assert "Count" not in page
    # the help text says what the rule does
    assert (
        "capped per educator and school year (1 July to 30 June). Imported credentials don't "
        "count until you set the hours; unverified imports never count." in page
    )
    assert 'id="id_hours_each"' in response.content.decode()


def test_saving_the_rule(cast, client_for):
    client = client_for(cast.dana)

    response = client.post(URL, {"hours_each": "7.5", "cap_hours": "20"}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert messages_of(response) == [
        "The rule is saved. Each verified imported credential counts for 7.5 h, up to 20 h a "
        "school year."
    ]
    row = CreditSettings.objects.get(district=cast.district_a)
    assert (row.imported_credential_hours, row.imported_credential_cap_hours) == (D("7.5"), D(20))
    assert AuditEvent.objects.filter(action="credit.imported_rule_changed").count() == 1
    page = response.content.decode()
    assert 'name="hours_each" value="7.5"' in page
    assert 'name="cap_hours" value="20"' in page
    assert "No verified imports are waiting." in text(response)

    off = client.post(URL, {"hours_each": "", "cap_hours": ""})
    assert off.status_code == 302
    row.refresh_from_db()
    assert (row.imported_credential_hours, row.imported_credential_cap_hours) == (None, None)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"hours_each": "-2"}, "hours_each", "The hours each must be more than 0, not -2."),
        ({"hours_each": "five"}, "hours_each", "The hours each must be a number, not “five”."),
        ({"hours_each": "", "cap_hours": "10"}, "cap_hours",
         "Set the hours each imported credential counts for before a cap."),
        ({"hours_each": "2", "cap_hours": "-1"}, "cap_hours",
         "The yearly cap must be more than 0, not -1."),
    ],
)  # fmt: skip
def test_a_bad_rule_is_explained_beside_its_field_and_saves_nothing(
    cast, client_for, data, field, message
):
    rule(cast, "3", "9")
    before = written()

    response = client_for(cast.dana).post(URL, data)

    assert response.status_code == 400
    form = response.context["rule_form"]
    assert form.errors == {field: [message]}
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in (
        response.content.decode()
    )
    assert written() == before
    row = CreditSettings.objects.get(district=cast.district_a)
    assert (row.imported_credential_hours, row.imported_credential_cap_hours) == (D(3), D(9))


# ---------------------------------------------------------------------------------------------
# the queue
# ---------------------------------------------------------------------------------------------


def test_the_queue_lists_verified_imports_waiting_oldest_first(cast, client_for):
    rule(cast, "5", "12")
    badge(cast, "Coding Club", issued=dt.datetime(2025, 10, 3, 12, tzinfo=dt.UTC))
    badge(cast, "Unverified", verified=False)
    undated = badge(cast, "Eve badge", owner=cast.eve)
    type(undated).objects.filter(pk=undated.pk).update(issued_on=None)
    badge(cast, "Theirs", district=cast.district_b, owner=cast.bob)

    response = client_for(cast.dana).get(URL)

    assert response.status_code == 200
    page = text(response)
    assert (
        "Now: Each verified imported credential counts for 5 h, up to 12 h a school year." in page
    )
    assert rows(response) == ["Coding Club", "Eve badge"]
    assert (
        "Alice Archer alice@northfield.test Coding Club Other Academy 3 Oct 2025 Count 5 h Decline…"
        in page
    )
    assert "Eve Evans eve@northfield.test Eve badge Other Academy Not stated Count 5 h" in page


def test_counting_from_the_queue(cast, client_for):
    rule(cast, "5", "8")
    first, second, third = badge(cast, "First"), badge(cast, "Second"), badge(cast, "Third")
    client = client_for(cast.dana)

    done = client.post(f"{URL}{first.public_id}/count/", {"page": "1"}, follow=True)
    assert done.redirect_chain == [(URL, 302)]
    assert messages_of(done) == ["“First” counts for 5 h for Alice Archer."]
    assert rows(done) == ["Second", "Third"]

    capped = client.post(f"{URL}{second.public_id}/count/", follow=True)
    assert messages_of(capped) == ["“Second” counts for 3 h for Alice Archer."]

    refused = client.post(f"{URL}{third.public_id}/count/", follow=True)
    assert messages_of(refused) == [
        "Alice Archer already has 8 h from imported credentials this school year, the "
        "district's cap."
    ]
    again = client.post(f"{URL}{first.public_id}/count/", follow=True)
    assert messages_of(again) == ["That imported credential was already counted."]
    assert [a.hours for a in CreditAward.objects.order_by("id")] == [D(5), D(3)]
    assert rows(again) == ["Third"]


def test_counting_when_the_rule_is_off_is_refused(cast, client_for):
    item = badge(cast, "Yoga")
    before = written()

    response = client_for(cast.dana).post(f"{URL}{item.public_id}/count/", follow=True)

    assert messages_of(response) == [
        "Your district does not count imported credentials toward credit; set the hours each one "
        "counts for first."
    ]
    assert written() == before


def test_the_queue_goes_back_to_the_page_the_reviewer_was_on(cast, client_for):
    rule(cast, "1")
    items = [badge(cast, f"Badge {n:02}") for n in range(27)]

    response = client_for(cast.dana).post(f"{URL}{items[26].public_id}/count/", {"page": "2"})

    assert (response.status_code, response["Location"]) == (302, f"{URL}?page=2")


def test_the_queue_is_paginated_with_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    rule(cast, "2")
    client = client_for(cast.dana)
    for n in range(3):
        badge(cast, f"Few {n}")
    client.get(URL)  # warm the per-session caches
    with django_assert_max_num_queries(30) as few:
        client.get(URL)
    for n in range(27):
        badge(cast, f"Many {n:02}", owner=cast.eve if n % 2 else cast.alice)

    with django_assert_max_num_queries(len(few.captured_queries)):
        first = client.get(URL)
    second = client.get(f"{URL}?page=2")

    assert len(rows(first)) == 25
    assert "Page 1 of 2 (30 in all)" in text(first)
    assert rows(second) == ["Many 22", "Many 23", "Many 24", "Many 25", "Many 26"]


# ---------------------------------------------------------------------------------------------
# one import's review page and declining
# ---------------------------------------------------------------------------------------------


def test_the_review_page_shows_the_import_and_both_actions(cast, client_for):
    rule(cast, "4")
    item = badge(cast, "Yoga")

    response = client_for(cast.dana).get(f"{URL}{item.public_id}/")

    assert response.status_code == 200
    page = text(response)
    assert "Review “Yoga”" in page
    assert "Educator Alice Archer (alice@northfield.test) Issuer Other Academy" in page
    assert "Issued 1 Sep 2025" in page
    assert "Credit Waiting for review" in page
    assert "Count 4 h" in page
    assert "Reason The educator is told this" in page
    assert "No checks were recorded." in page


def test_declining_from_the_review_page(cast, client_for):
    rule(cast, "4")
    item, other = badge(cast, "Yoga"), badge(cast, "Other")
    client = client_for(cast.dana)

    done = client.post(f"{URL}{item.public_id}/decline/", {"reason": "Off topic"}, follow=True)

    assert done.redirect_chain == [(URL, 302)]
    assert messages_of(done) == ["“Yoga” is declined; Alice Archer is told why."]
    assert rows(done) == ["Other"]
    decision = ImportedCreditDecline.objects.get()
    assert (decision.badge, decision.reason, decision.declined_by) == (item, "Off topic", cast.dana)
    assert AuditEvent.objects.filter(action="credit.imported_declined").count() == 1
    assert Notification.objects.get(recipient=cast.alice).subject == (
        "“Yoga” does not count toward credit"
    )
    review = client.get(f"{URL}{item.public_id}/")
    assert "Credit Declined on " in text(review)
    assert ": Off topic" in text(review)
    assert "Decline it" not in text(review)
    assert other.public_id  # still waiting

    twice = client.post(f"{URL}{item.public_id}/decline/", {"reason": "Again"})
    assert twice.status_code == 409
    assert "That imported credential was already declined for credit." in text(twice)
    assert ImportedCreditDecline.objects.count() == 1


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Enter the reason."), ("   ", "Enter the reason.")],
)
def test_declining_needs_a_reason_and_writes_nothing_without_one(cast, client_for, reason, message):
    item = badge(cast, "Yoga")
    before = written()

    response = client_for(cast.dana).post(f"{URL}{item.public_id}/decline/", {"reason": reason})

    assert response.status_code == 400
    assert response.context["form"].errors == {"reason": [message]}
    assert f'<ul class="errorlist" id="id_reason_error"><li>{message}</li></ul>' in (
        response.content.decode()
    )
    assert written() == before
    assert list(imported.awaiting_review(cast.access(cast.dana))) == [item]


# ---------------------------------------------------------------------------------------------
# the link from the credit setup page
# ---------------------------------------------------------------------------------------------


def test_the_credit_setup_page_links_to_the_review_with_the_waiting_count(cast, client_for):
    client = client_for(cast.dana)
    badge(cast, "Yoga")
    badge(cast, "Chess")

    off = text(client.get("/credit/manage/"))
    assert "Imported credentials : they don't count toward credit (off)." in off

    rule(cast, "2")
    on = client.get("/credit/manage/")
    assert "Imported credentials : 2 verified imports waiting for review." in text(on)
    assert f'<a href="{URL}">Imported credentials</a>' in on.content.decode()


# ---------------------------------------------------------------------------------------------
# the educator's side: their transcript says what became of each import
# ---------------------------------------------------------------------------------------------


def transcript_rows(response) -> list[str]:
    section = response.content.decode().split('id="imports-h"')[1].split("</section>")[0]
    section = section.split("<tbody>")[1]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr>(.*?)</tr>", section, re.S)
    ]


def test_the_transcript_says_what_became_of_each_import(
    cast, client_for, django_assert_max_num_queries
):
    rule(cast, "4")
    counted, declined = badge(cast, "Counted badge"), badge(cast, "Declined badge")
    badge(cast, "Waiting badge")
    badge(cast, "Broken badge", verified=False)
    badge(cast, "Somebody else's", owner=cast.eve)
    imported.count_imported_credential(
        access=cast.access(cast.dana), actor=cast.dana, badge_public_id=counted.public_id
    )
    imported.decline_imported_credential(
        access=cast.access(cast.dana),
        actor=cast.dana,
        badge_public_id=declined.public_id,
        reason="A conference badge, not a course",
    )
    client = client_for(cast.alice)
    client.get("/credit/transcript/")  # warm the session and caches
    with django_assert_max_num_queries(40):
        page = client.get("/credit/transcript/")

    assert page.status_code == 200
    assert "counts verified imported badges toward credit once a credit manager" in text(page)
    assert transcript_rows(page) == [
        "Broken badge Other Academy Does not count: it did not verify",
        "Waiting badge Other Academy Waiting for review",
        "Declined badge Other Academy Not counted: A conference badge, not a course",
        "Counted badge Other Academy Counted: 4 h",
    ]


def test_the_transcript_has_no_import_section_without_imports(cast, client_for):
    page = client_for(cast.alice).get("/credit/transcript/")
    assert page.status_code == 200
    assert 'id="imports-h"' not in page.content.decode()


def test_the_transcript_says_when_imports_do_not_count(cast, client_for):
    badge(cast, "Waiting badge")
    page = client_for(cast.alice).get("/credit/transcript/")
    assert "does not count imported badges toward credit at present" in text(page)
    assert transcript_rows(page) == ["Waiting badge Other Academy Not counted"]
