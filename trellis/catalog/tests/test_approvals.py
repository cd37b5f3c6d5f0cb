"""Deciding requests (the right person, once, with a reason to deny), the approver inbox and its
pages, and configuring the district's approval chain."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from trellis.audit.models import AuditEvent
from trellis.catalog.models import ApprovalStep, EnrollmentStatus
from trellis.catalog.services.chains import set_approval_chain
from trellis.catalog.tests.enrolment_support import (
    ask,
    decide,
    fresh,
    in_days,
    make_offering,
    paid,
    person,
    rules,
    steps,
)
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.districts.models import Role

MIDDLE = "Northfield Middle"


@pytest.fixture
def ella(cast):
    """The principal of Northfield Elementary."""
    return person(
        cast.district_a, "ella@northfield.test", "Ella Ellis", [Role.APPROVER], cast.elementary_a
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# ---------------------------------------------------------------------------------------------
# deciding
# ---------------------------------------------------------------------------------------------


def test_approving_every_step_enrols_the_educator(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    set_approval_chain(
        access=cast.access(cast.dana),
        actor=cast.dana,
        rules=[("principal", "cost", 5), ("pd_office", "cost", 3)],
    )
    enrollment = ask(cast, cast.alice, paid(cast, title="Number talks"))

    with django_capture_on_commit_callbacks(execute=True):
        decide(cast, cast.pat, enrollment, reason="Good fit")
    after_first = fresh(enrollment)
    pd_step = enrollment.approval_steps.get(position=2)
    with django_capture_on_commit_callbacks(execute=True):
        decide(cast, cast.dana, enrollment)

    assert after_first.status == "pending"
    assert abs(pd_step.due_at - (pd_step.updated_at + dt.timedelta(days=3))) < dt.timedelta(
        seconds=2
    )
    enrollment = fresh(enrollment)
    assert enrollment.status == "enrolled"
    assert enrollment.decided_at is not None
    assert steps(enrollment) == [
        (1, "principal", MIDDLE, "approved"),
        (2, "pd_office", None, "approved"),
    ]
    first = enrollment.approval_steps.get(position=1)
    assert (first.decided_by, first.reason) == (cast.pat, "Good fit")
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["dana@northfield.test"], "Trellis: A request waits for your decision: Number talks"),
        (
            ["alice@northfield.test"],
            "Trellis: Approved by Pat Park, one more step: Number talks",
        ),
        (["alice@northfield.test"], "Trellis: You are enrolled: Number talks"),
    ]
    assert "Pat Park (the principal of Northfield Middle) approved your request" in (
        mailoutbox[1].body
    )
    assert "It now waits for approval from the district PD office." in mailoutbox[1].body
    assert list(
        AuditEvent.objects.filter(action="enrollment.approved")
        .order_by("id")
        .values_list("actor__email", "data")
    ) == [
        (
            "pat@northfield.test",
            {"step": 1, "approver": "principal", "next": "pd_office", "status": "pending"},
        ),
        (
            "dana@northfield.test",
            {"step": 2, "approver": "pd_office", "next": None, "status": "enrolled"},
        ),
    ]


def test_a_denial_needs_a_reason_and_tells_the_educator(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    enrollment = ask(cast, cast.alice, paid(cast, title="Number talks"))

    with pytest.raises(DomainError) as caught:
        decide(cast, cast.pat, enrollment, approve=False, reason="  ")
    unchanged = steps(fresh(enrollment))
    with django_capture_on_commit_callbacks(execute=True):
        decide(cast, cast.pat, enrollment, approve=False, reason="No budget left this term")

    assert caught.value.code == "reason_required"
    assert caught.value.message == "Enter the reason for saying no (the educator will read it)."
    assert unchanged == [(1, "principal", MIDDLE, "pending"), (2, "pd_office", None, "waiting")]
    enrollment = fresh(enrollment)
    assert enrollment.status == "denied"
    assert steps(enrollment) == [
        (1, "principal", MIDDLE, "denied"),
        (2, "pd_office", None, "cancelled"),
    ]
    assert [m.subject for m in mailoutbox] == ["Trellis: Not approved: Number talks"]
    assert "The reason given: No budget left this term" in mailoutbox[0].body
    assert AuditEvent.objects.get(action="enrollment.denied").data == {
        "step": 1,
        "approver": "principal",
        "reason": "No budget left this term",
    }


def test_the_principal_of_another_school_cannot_decide(cast, ella):
    enrollment = ask(cast, cast.alice, paid(cast))

    with pytest.raises(PermissionDenied) as caught:
        decide(cast, ella, enrollment)

    assert caught.value.status == 403
    assert caught.value.message == (
        "This step is for the principal of Northfield Middle, not for you."
    )
    assert steps(fresh(enrollment))[0][3] == "pending"


def test_a_principal_cannot_decide_a_pd_office_step(cast):
    enrollment = ask(cast, cast.eve, paid(cast))  # PD office only: no Elementary principal

    with pytest.raises(PermissionDenied):
        decide(cast, cast.pat, enrollment)


def test_an_approver_without_a_school_is_the_pd_office(cast):
    office = person(cast.district_a, "otto@northfield.test", "Otto", [Role.APPROVER])
    enrollment = ask(cast, cast.eve, paid(cast))

    decide(cast, office, enrollment)

    assert fresh(enrollment).status == "enrolled"


def test_a_request_cannot_be_approved_twice(cast):
    enrollment = ask(cast, cast.alice, make_offering(cast, during_school_hours=True))
    step = enrollment.approval_steps.get()
    decide(cast, cast.pat, step)

    with pytest.raises(ConflictError) as caught:
        decide(cast, cast.pat, step)
    with pytest.raises(ConflictError):
        decide(cast, cast.dana, enrollment, approve=False, reason="Too late")

    assert caught.value.code == "already_decided"
    assert caught.value.message == "This request was already decided: it is enrolled."
    assert AuditEvent.objects.filter(action="enrollment.approved").count() == 1


def test_a_step_already_passed_cannot_be_decided_again(cast):
    enrollment = ask(cast, cast.alice, paid(cast))
    first = enrollment.approval_steps.get(position=1)
    decide(cast, cast.pat, first)

    with pytest.raises(ConflictError):
        decide(cast, cast.dana, first)  # dana is PD office, but that step is decided

    assert steps(fresh(enrollment))[1][3] == "pending"


def test_an_educator_never_decides_their_own_request(cast):
    enrollment = ask(cast, cast.dana, paid(cast))  # dana is the PD office herself

    with pytest.raises(PermissionDenied) as caught:
        decide(cast, cast.dana, enrollment)

    assert caught.value.message == "You cannot decide your own request; another approver will."


def test_only_approvers_decide(cast):
    enrollment = ask(cast, cast.eve, paid(cast))

    with pytest.raises(PermissionDenied):
        decide(cast, cast.alice, enrollment)


def test_another_districts_request_is_not_found(cast):
    enrollment = ask(cast, cast.alice, paid(cast))

    with pytest.raises(Http404):
        decide(cast, cast.bea, enrollment)


def test_a_withdrawn_request_cannot_be_decided(cast):
    from trellis.catalog.tests.enrolment_support import leave

    enrollment = ask(cast, cast.alice, paid(cast))
    leave(cast, cast.alice, enrollment)

    with pytest.raises(ConflictError) as caught:
        decide(cast, cast.pat, enrollment)

    assert caught.value.message == "This request was already decided: it is withdrawn."


# ---------------------------------------------------------------------------------------------
# the inbox
# ---------------------------------------------------------------------------------------------


def test_the_inbox_shows_each_approver_only_their_steps(cast, ella, client_for):
    offering = make_offering(cast, title="Reading labs", during_school_hours=True)
    ask(cast, cast.alice, offering)  # Middle principal
    ask(cast, cast.eve, offering)  # Elementary principal
    ask(cast, cast.carol, paid(cast, title="Conference"))  # Middle, then PD office

    pat = text(client_for(cast.pat).get("/approvals/"))
    ella_page = text(client_for(ella).get("/approvals/"))
    dana = client_for(cast.dana).get("/approvals/")

    assert "Alice Archer — Reading labs" in pat
    assert "Carol Cruz — Conference" in pat
    assert "Eve Evans" not in pat
    assert "2 requests waiting for you." in pat
    assert "Eve Evans — Reading labs" in ella_page
    assert "Alice Archer" not in ella_page
    assert dana.status_code == 200
    assert "Nothing is waiting for you." in text(dana)  # the PD step is still waiting


def test_the_inbox_puts_the_soonest_deadline_first_and_flags_overdue_ones(cast, client_for):
    offering = make_offering(cast, during_school_hours=True)
    later = ask(cast, cast.alice, offering)
    overdue = ask(cast, cast.carol, offering)
    ApprovalStep.objects.filter(enrollment=overdue).update(due_at=in_days(-1))

    page = text(client_for(cast.pat).get("/approvals/"))

    assert page.index("Carol Cruz") < page.index("Alice Archer")
    assert page.count('<span class="badge warn">Overdue</span>') == 2  # heading and facts
    assert later.approval_steps.get().due_at > in_days(4)


def test_the_inbox_shows_what_an_approver_needs(cast, client_for):
    enrollment = ask(cast, cast.carol, paid(cast, title="Conference"), note="Keynote on ELLs")
    decide(cast, cast.pat, enrollment, reason="Fits our plan")

    page = text(client_for(cast.dana).get("/approvals/"))

    assert "<dt>School</dt><dd>Northfield Middle</dd>" in page
    assert "<dt>Cost</dt><dd>$120.00</dd>" in page
    assert "<dt>Their note</dt><dd>Keynote on ELLs</dd>" in page
    assert "The principal of Northfield Middle: approved by Pat Park — “Fits our plan”" in page


def test_the_inbox_needs_the_approver_permission(cast, client_for):
    assert client_for(cast.alice).get("/approvals/").status_code == 403


def test_the_inbox_query_count_does_not_grow_with_requests(
    cast, client_for, django_assert_max_num_queries
):
    client = client_for(cast.dana)
    offering = paid(cast)
    chain_users = [
        person(cast.district_a, f"t{n}@northfield.test", f"Teacher {n}", [Role.EDUCATOR])
        for n in range(12)
    ]
    for user in chain_users[:2]:
        ask(cast, user, offering)
    client.get("/approvals/")  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert "2 requests" in text(client.get("/approvals/"))
    for user in chain_users[2:]:
        ask(cast, user, offering)

    with django_assert_max_num_queries(9), CaptureQueriesContext(connection) as many:
        assert "12 requests" in text(client.get("/approvals/"))

    assert len(many) == len(few)


# ---------------------------------------------------------------------------------------------
# one request's page: details and the decision form
# ---------------------------------------------------------------------------------------------


def test_an_approver_approves_from_the_request_page(cast, client_for):
    enrollment = ask(cast, cast.alice, make_offering(cast, title="Labs", during_school_hours=True))
    step = enrollment.approval_steps.get()
    client = client_for(cast.pat)

    page = client.get(f"/approvals/{step.public_id}/")
    response = client.post(f"/approvals/{step.public_id}/", {"decision": "approve"})

    assert page.status_code == 200
    assert "<h1>Alice Archer — Labs</h1>" in text(page)
    assert response.status_code == 302
    assert response["Location"] == "/approvals/"
    assert fresh(enrollment).status == "enrolled"
    assert "You approved Alice Archer for “Labs”." in text(client.get("/approvals/"))


def test_denying_without_a_reason_shows_the_error_and_changes_nothing(cast, client_for):
    enrollment = ask(cast, cast.alice, make_offering(cast, during_school_hours=True))
    step = enrollment.approval_steps.get()

    response = client_for(cast.pat).post(
        f"/approvals/{step.public_id}/", {"decision": "deny", "reason": ""}
    )

    assert response.status_code == 400
    assert "Give the reason for saying no; the educator will read it." in text(response)
    assert fresh(enrollment).status == "pending"


def test_a_second_decision_from_the_page_is_explained(cast, client_for):
    enrollment = ask(cast, cast.alice, make_offering(cast, during_school_hours=True))
    step = enrollment.approval_steps.get()
    client = client_for(cast.pat)
    client.post(f"/approvals/{step.public_id}/", {"decision": "approve"})

    response = client.post(f"/approvals/{step.public_id}/", {"decision": "approve"}, follow=True)

    assert "This request was already decided: it is enrolled." in text(response)
    assert AuditEvent.objects.filter(action="enrollment.approved").count() == 1


def test_another_schools_principal_gets_403_on_the_request_page(cast, ella, client_for):
    enrollment = ask(cast, cast.alice, make_offering(cast, during_school_hours=True))
    step = enrollment.approval_steps.get()
    client = client_for(ella)

    assert client.get(f"/approvals/{step.public_id}/").status_code == 403
    assert client.post(f"/approvals/{step.public_id}/", {"decision": "approve"}).status_code == 403
    assert fresh(enrollment).status == "pending"


def test_another_districts_request_page_is_404(cast, client_for):
    enrollment = ask(cast, cast.alice, make_offering(cast, during_school_hours=True))
    step = enrollment.approval_steps.get()

    client = client_for(cast.bea)

    assert client.get(f"/approvals/{step.public_id}/").status_code == 404
    assert client.post(f"/approvals/{step.public_id}/", {"decision": "approve"}).status_code == 404


# ---------------------------------------------------------------------------------------------
# configuring the chain
# ---------------------------------------------------------------------------------------------


def formset(rows: list[dict], initial: int = 0) -> dict:
    data = {
        "rules-TOTAL_FORMS": str(len(rows)),
        "rules-INITIAL_FORMS": str(initial),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "10",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"rules-{n}-{key}"] = value
    return data


def rule_row(approver="", condition="", days="5", order="", delete=False) -> dict:
    row = {"approver": approver, "condition": condition, "days_to_decide": days, "ORDER": order}
    if delete:
        row["DELETE"] = "on"
    return row


def test_the_chain_page_shows_the_default_chain_and_explains_it(cast, client_for):
    page = text(client_for(cast.dana).get("/district/approval-chain/"))

    assert "a request that no rule applies to is approved automatically" in page
    assert "This district has not saved a chain yet" in page
    assert '<option value="principal" selected>' in page
    assert '<option value="cost_or_school_hours" selected>' in page
    assert '<option value="cost" selected>' in page


def test_an_admin_reorders_changes_and_adds_rules(cast, client_for):
    client = client_for(cast.dana)
    data = formset(
        [
            rule_row("principal", "cost_or_school_hours", "5", "2"),
            rule_row("pd_office", "cost", "7", "1"),
            rule_row("pd_office", "school_hours", "2", "3"),
        ],
        initial=2,
    )

    response = client.post("/district/approval-chain/", data)

    assert response.status_code == 302
    assert rules(cast.district_a) == [
        (1, "pd_office", "cost", 7),
        (2, "principal", "cost_or_school_hours", 5),
        (3, "pd_office", "school_hours", 2),
    ]
    event = AuditEvent.objects.get(action="approval_chain.updated")
    assert event.actor == cast.dana
    assert event.summary == "dana@northfield.test set the approval chain (3 rule(s))"


def test_an_untouched_blank_row_adds_nothing_and_removing_all_rules_approves_automatically(
    cast, client_for
):
    client = client_for(cast.dana)
    data = formset(
        [
            rule_row("principal", "cost_or_school_hours", "5", "1", delete=True),
            rule_row("pd_office", "cost", "5", "2", delete=True),
            rule_row(),
        ],
        initial=2,
    )

    response = client.post("/district/approval-chain/", data)

    assert response.status_code == 302
    assert rules(cast.district_a) == []
    assert ask(cast, cast.alice, paid(cast)).status == EnrollmentStatus.ENROLLED


def test_bad_rules_are_explained_and_nothing_is_saved(cast, client_for):
    client = client_for(cast.dana)

    zero_days = client.post(
        "/district/approval-chain/", formset([rule_row("principal", "always", "0", "1")])
    )
    twice = client.post(
        "/district/approval-chain/",
        formset([rule_row("principal", "always", "5", "1"), rule_row("principal", "always", "3")]),
    )

    assert zero_days.status_code == 400
    assert "Ensure this value is greater than or equal to 1." in text(zero_days)
    assert twice.status_code == 400
    repeated = "Rule 2 repeats an earlier rule (The educator&#x27;s principal, every request)."
    assert repeated in text(twice)
    assert rules(cast.district_a) == []
    assert not AuditEvent.objects.filter(action="approval_chain.updated").exists()


def test_only_district_admins_configure_the_chain(cast, client_for):
    assert client_for(cast.pat).get("/district/approval-chain/").status_code == 403
    with pytest.raises(PermissionDenied):
        set_approval_chain(access=cast.access(cast.pat), actor=cast.pat, rules=[])


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        (("dean", "always", 5), "unknown_approver"),
        (("principal", "sometimes", 5), "unknown_condition"),
        (("principal", "always", 61), "invalid_days"),
        (("principal", "always", "x"), "invalid_days"),
        (("principal", "always"), "invalid_rule"),
    ],
)
def test_the_chain_service_validates_each_rule(cast, rule, code):
    with pytest.raises(DomainError) as caught:
        set_approval_chain(access=cast.access(cast.dana), actor=cast.dana, rules=[rule])

    assert caught.value.code == code
    assert caught.value.message.startswith("Rule 1: ")
    assert rules(cast.district_a) == []


def test_a_chain_has_at_most_ten_rules(cast):
    many = [("principal", c, d) for c in ("always", "cost") for d in range(1, 7)]

    with pytest.raises(DomainError) as caught:
        set_approval_chain(access=cast.access(cast.dana), actor=cast.dana, rules=many)

    assert caught.value.message == "A chain has at most 10 rules (12 given)."


def test_a_changed_chain_leaves_requests_in_flight_alone(cast):
    enrollment = ask(cast, cast.alice, paid(cast))

    set_approval_chain(access=cast.access(cast.dana), actor=cast.dana, rules=[])
    decide(cast, cast.pat, enrollment)

    assert steps(fresh(enrollment)) == [
        (1, "principal", MIDDLE, "approved"),
        (2, "pd_office", None, "pending"),
    ]
