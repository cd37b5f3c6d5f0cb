"""See trellis/catalog/urls.py. Enrolment and approvals: requests (/catalog/<id>/enroll/), My
learning (/learning/), the calendar feed, the approver inbox (/approvals/) and the district's
approval chain (/district/approval-chain/)."""

from django.urls import path

from trellis.catalog.views import approvals, calendar, credentialing, enrolment

urlpatterns = [
    path("catalog/<uuid:public_id>/enroll/", enrolment.enroll, name="enroll"),
    path(
        "catalog/<uuid:public_id>/enrollments/",
        enrolment.offering_enrollments,
        name="offering_enrollments",
    ),
    path(
        "catalog/<uuid:public_id>/issue-credentials/",
        credentialing.issue_to_completers,
        name="issue_credentials",
    ),
    path("learning/", enrolment.my_learning, name="learning"),
    path("learning/<uuid:public_id>/withdraw/", enrolment.withdraw, name="withdraw"),
    path("learning/calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("approvals/", approvals.inbox, name="approvals"),
    path("approvals/<uuid:public_id>/", approvals.approval, name="approval"),
    path("district/approval-chain/", approvals.approval_chain, name="approval_chain"),
]
