"""District pages: invitations (one and CSV), schools, the audit log, switching district, joining."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from trellis.accounts.models import User
from trellis.audit import services as audit
from trellis.audit.models import AuditEvent
from trellis.districts.middleware import SESSION_KEY
from trellis.districts.models import Invitation, Membership, School
from trellis.districts.tests.factories import MembershipFactory
from trellis.districts.tests.helpers import make_invitation, school_choice, snapshot, tokens_in

NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
NEW_PASSWORD = "a sturdy passphrase"
CAST = ["alice", "carol", "ada", "pat", "dana", "eve", "bob", "bea"]
ADMINS = {"dana", "bea"}

PEOPLE_AND_ADMIN_PAGES = {"People", "Invitations", "Schools", "Audit log"}
ADMIN_PAGES = [
    "/district/invitations/",
    "/district/invitations/template.csv",
    "/district/schools/",
    "/district/audit/",
]


def text(response) -> str:
    return response.content.decode()


def upload(content: bytes, name: str = "people.csv") -> dict[str, SimpleUploadedFile]:
    return {"file": SimpleUploadedFile(name, content, content_type="text/csv")}


# ---------------------------------------------------------------------------------------------
# who opens which page
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ADMIN_PAGES)
@pytest.mark.parametrize("who", CAST)
def test_admin_pages_open_for_district_admins_and_are_forbidden_to_everyone_else(
    cast, client_for, who, url
):
    response = client_for(getattr(cast, who)).get(url)

    assert response.status_code == (200 if who in ADMINS else 403)


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_send_signed_out_visitors_to_sign_in(cast, client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_are_forbidden_to_someone_with_no_district(cast, client_for, url):
    loner = User.objects.create_user("loner@example.org", "x" * 12, full_name="Lone Ranger")

    response = client_for(loner).get(url)

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("who", "items"),
    [
        ("alice", []),
        ("carol", ["People"]),
        ("ada", []),
        ("pat", ["People"]),
        ("dana", ["People", "Invitations", "Schools", "Audit log"]),
        ("bea", ["People", "Invitations", "Schools", "Audit log"]),
    ],
)
def test_the_navigation_links_the_people_and_admin_pages_only_for_roles_that_may_open_them(
    cast, client_for, who, items
):
    content = text(client_for(getattr(cast, who)).get("/"))

    nav = content[content.index('<nav aria-label="Main">') : content.index("</nav>")]
    labels = re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', nav)
    assert labels[0] == "Home"
    assert [label for label in labels if label in PEOPLE_AND_ADMIN_PAGES] == items


# ---------------------------------------------------------------------------------------------
# invitations page
# ---------------------------------------------------------------------------------------------


def test_the_invitations_page_lists_only_this_districts_invitations(cast, client_for):
    make_invitation(cast.district_a, "north@example.org", invited_by=cast.dana)
    make_invitation(cast.district_b, "south@example.org", invited_by=cast.bea)

    content = text(client_for(cast.dana).get("/district/invitations/"))

    assert "north@example.org" in content
    assert "by Dana Diaz" in content
    assert "south@example.org" not in content


def test_the_invitations_page_filters_by_status(cast, client_for):
    make_invitation(cast.district_a, "pending@example.org")
    make_invitation(cast.district_a, "revoked@example.org", status=Invitation.Status.REVOKED)
    client = client_for(cast.dana)

    revoked = text(client.get("/district/invitations/?status=revoked"))
    accepted = text(client.get("/district/invitations/?status=accepted"))
    everything = text(client.get("/district/invitations/?status=nonsense"))

    assert "revoked@example.org" in revoked
    assert "pending@example.org" not in revoked
    assert "No invitations with this status yet." in accepted
    assert "revoked@example.org" in everything
    assert "pending@example.org" in everything


def test_an_expired_pending_invitation_is_marked_expired(cast, client_for, time_machine):
    time_machine.move_to(NOON, tick=False)
    make_invitation(cast.district_a, "late@example.org")
    time_machine.move_to(NOON + dt.timedelta(days=15), tick=False)

    content = text(client_for(cast.dana).get("/district/invitations/"))

    assert 'Pending <span class="badge warn">expired</span>' in content


def test_the_invitations_list_is_paged_by_25(cast, client_for):
    for n in range(30):
        make_invitation(cast.district_a, f"p{n:02d}@example.org")
    client = client_for(cast.dana)

    first = text(client.get("/district/invitations/?status=pending"))
    second = text(client.get("/district/invitations/?status=pending&page=2"))

    assert first.count("Resend invitation to") == 25
    assert second.count("Resend invitation to") == 5
    assert "Page 2 of 2 (30 in all)" in second
    assert 'href="?status=pending&amp;page=1" rel="prev"' in second


def test_an_admin_invites_one_person_from_the_page(
    cast, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    client = client_for(cast.dana)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/district/invitations/",
            {
                "email": "maria@example.org",
                "full_name": "Maria Lopez",
                "roles": ["educator", "coach"],
                "school": school_choice(cast.district_a, cast.middle_a),
            },
        )

    assert response.status_code == 302
    assert response["Location"] == "/district/invitations/"
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.roles, invitation.school, invitation.district) == (
        "maria@example.org",
        ["educator", "coach"],
        cast.middle_a,
        cast.district_a,
    )
    assert [m.to for m in mailoutbox] == [["maria@example.org"]]
    assert tokens_in(mailoutbox)
    assert "Invitation sent to maria@example.org." in text(client.get("/district/invitations/"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "maria@example.org", "school": ""}, "This field is required."),
        ({"email": "not-an-email", "roles": ["educator"]}, "Enter a valid email address."),
        ({"email": "maria@example.org", "roles": ["wizard"]}, "Select a valid choice."),
        (
            {"email": "Alice@Northfield.test", "roles": ["coach"]},
            "alice@northfield.test is already a member of Northfield.",
        ),
        (
            {"email": "maria@example.org", "roles": ["educator"], "school": "{school_b}"},
            "Select a valid choice. That choice is not one of the available choices.",
        ),
    ],
    ids=["no-roles", "bad-email", "unknown-role", "already-member", "foreign-school"],
)
def test_a_bad_invitation_form_is_shown_again_with_400_and_nothing_is_sent(
    cast, client_for, django_capture_on_commit_callbacks, mailoutbox, data, message
):
    data = {
        key: (value.format(school_b=school_choice(cast.district_b, cast.school_b)))
        if isinstance(value, str)
        else value
        for key, value in data.items()
    }
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(cast.dana).post("/district/invitations/", data)

    assert response.status_code == 400
    assert message in text(response)
    assert callbacks == []
    assert snapshot() == before


@pytest.mark.parametrize("who", ["alice", "pat", "carol"])
def test_someone_who_is_not_an_admin_cannot_post_an_invitation(cast, client_for, who):
    before = snapshot()

    response = client_for(getattr(cast, who)).post(
        "/district/invitations/", {"email": "x@example.org", "roles": ["district_admin"]}
    )

    assert response.status_code == 403
    assert snapshot() == before


def test_the_csv_template_downloads_as_a_file(cast, client_for):
    response = client_for(cast.dana).get("/district/invitations/template.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="trellis-invitations.csv"'
    assert text(response).splitlines()[0] == "email,full_name,roles,school"


# ---------------------------------------------------------------------------------------------
# CSV upload
# ---------------------------------------------------------------------------------------------


def test_a_good_csv_upload_sends_every_invitation(
    cast, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    client = client_for(cast.dana)
    data = b"email,full_name,roles,school\na@example.org,A,educator,\nb@example.org,B,coach,Northfield Middle\n"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/district/invitations/csv/", upload(data))

    assert response.status_code == 302
    assert response["Location"] == "/district/invitations/"
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "a@example.org",
        "b@example.org",
    ]
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "b@example.org"]
    assert "2 invitation(s) sent." in text(client.get("/district/invitations/"))


def test_a_csv_with_bad_rows_shows_the_errors_table_and_sends_nothing(
    cast, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    data = (
        b"email,full_name,roles,school\n"
        b"good@example.org,Good,educator,\n"
        b"bad-address,Bad,educator,\n"
        b"c@example.org,C,educator,Nowhere School\n"
    )
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(cast.dana).post("/district/invitations/csv/", upload(data))

    content = text(response)
    assert response.status_code == 400
    assert "Nothing was sent: 2 row(s) need fixing." in content
    assert "<caption>Rows to fix (nothing was sent)</caption>" in content
    assert (
        "<tr><td>3</td><td>email</td><td>“bad-address” is not a valid e-mail address.</td></tr>"
        in content
    )
    assert (
        "<tr><td>4</td><td>school</td><td>No school named “Nowhere School” in this district.</td></tr>"
        in content
    )
    assert callbacks == []
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "email,roles\njosé@example.org,educator\n".encode("latin-1"),
            "The file is not UTF-8 text.",
        ),
        (b"name,school\nx,y\n", "Missing column(s): email, roles."),
        (b"", "The submitted file is empty."),
    ],
    ids=["not-utf8", "missing-columns", "empty"],
)
def test_an_unusable_csv_upload_is_refused_with_400_and_nothing_is_sent(
    cast, client_for, django_capture_on_commit_callbacks, data, message
):
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(cast.dana).post("/district/invitations/csv/", upload(data))

    assert response.status_code == 400
    assert message in text(response)
    assert callbacks == []
    assert snapshot() == before


def test_a_csv_upload_without_a_file_is_refused(cast, client_for):
    response = client_for(cast.dana).post("/district/invitations/csv/", {})

    assert response.status_code == 400
    assert "This field is required." in text(response)


def test_the_csv_upload_accepts_only_post(cast, client_for):
    assert client_for(cast.dana).get("/district/invitations/csv/").status_code == 405


def test_an_educator_cannot_upload_a_csv(cast, client_for):
    before = snapshot()

    response = client_for(cast.alice).post(
        "/district/invitations/csv/", upload(b"email,roles\nx@example.org,educator\n")
    )

    assert response.status_code == 403
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# revoke and resend
# ---------------------------------------------------------------------------------------------


def test_an_admin_revokes_an_invitation_from_the_page(cast, client_for):
    invitation, _secret = make_invitation(cast.district_a, "gone@example.org")
    client = client_for(cast.dana)

    response = client.post(f"/district/invitations/{invitation.public_id}/revoke/")

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert "The invitation for gone@example.org is revoked." in text(
        client.get("/district/invitations/")
    )


def test_revoking_twice_shows_a_message_and_changes_nothing(cast, client_for):
    invitation, _secret = make_invitation(
        cast.district_a, "gone@example.org", status=Invitation.Status.REVOKED
    )
    client = client_for(cast.dana)
    before = snapshot()

    response = client.post(f"/district/invitations/{invitation.public_id}/revoke/")

    assert response.status_code == 302
    assert snapshot() == before
    assert "This invitation is already revoked." in text(client.get("/district/invitations/"))


def test_an_admin_resends_an_invitation_with_a_fresh_link(
    cast, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    invitation, old_secret = make_invitation(cast.district_a, "again@example.org")
    client = client_for(cast.dana)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/district/invitations/{invitation.public_id}/resend/")

    assert response.status_code == 302
    [new_secret] = tokens_in(mailoutbox)
    assert new_secret != old_secret
    assert "A new link was sent to again@example.org." in text(client.get("/district/invitations/"))
    assert Client().get(f"/district/join/{old_secret}/").status_code == 404
    assert Client().get(f"/district/join/{new_secret}/").status_code == 200


@pytest.mark.parametrize("action", ["revoke", "resend"])
def test_another_districts_invitation_is_a_404_and_nothing_changes(
    cast, client_for, django_capture_on_commit_callbacks, action
):
    invitation, _secret = make_invitation(cast.district_b, "south@example.org")
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(cast.dana).post(
            f"/district/invitations/{invitation.public_id}/{action}/"
        )

    assert response.status_code == 404
    assert callbacks == []
    assert snapshot() == before


@pytest.mark.parametrize("action", ["revoke", "resend"])
def test_an_unknown_invitation_is_a_404(cast, client_for, action):
    response = client_for(cast.dana).post(
        f"/district/invitations/0d8a6b3c-3b7f-4d0e-9b51-5f7a4a1c2e33/{action}/"
    )

    assert response.status_code == 404


@pytest.mark.parametrize("action", ["revoke", "resend"])
def test_revoke_and_resend_accept_only_post(cast, client_for, action):
    invitation, _secret = make_invitation(cast.district_a, "x@example.org")

    response = client_for(cast.dana).get(f"/district/invitations/{invitation.public_id}/{action}/")

    assert response.status_code == 405


@pytest.mark.parametrize("action", ["revoke", "resend"])
def test_a_principal_cannot_revoke_or_resend(cast, client_for, action):
    invitation, _secret = make_invitation(cast.district_a, "x@example.org")
    before = snapshot()

    response = client_for(cast.pat).post(f"/district/invitations/{invitation.public_id}/{action}/")

    assert response.status_code == 403
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# schools
# ---------------------------------------------------------------------------------------------


def test_the_schools_page_lists_this_districts_schools_with_their_people(cast, client_for):
    content = text(client_for(cast.dana).get("/district/schools/"))

    assert (
        f'<tr><td><a href="/people/?school={cast.middle_a.public_id}">Northfield Middle</a></td>'
        "<td>6-8</td><td>3</td></tr>" in content
    )
    assert (
        f'<tr><td><a href="/people/?school={cast.elementary_a.public_id}">Northfield Elementary</a>'
        "</td><td>K-5</td><td>2</td></tr>" in content
    )
    assert "Southport High" not in content
    assert content.index("Northfield Elementary") < content.index("Northfield Middle")


def test_an_admin_adds_a_school(cast, client_for):
    client = client_for(cast.dana)

    response = client.post("/district/schools/", {"name": "Northfield High", "grade_span": "9-12"})

    assert response.status_code == 302
    assert response["Location"] == "/district/schools/"
    assert School.objects.filter(district=cast.district_a, name="Northfield High").exists()
    assert "Northfield High is added." in text(client.get("/district/schools/"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "NORTHFIELD middle"}, "Northfield already has a school named NORTHFIELD middle."),
        ({"name": ""}, "This field is required."),
        ({"name": "x" * 151}, "Ensure this value has at most 150 characters (it has 151)."),
    ],
    ids=["duplicate", "blank", "too-long"],
)
def test_a_bad_school_is_refused_with_400_and_nothing_is_written(cast, client_for, data, message):
    before = snapshot()

    response = client_for(cast.dana).post("/district/schools/", data)

    assert response.status_code == 400
    assert message in text(response)
    assert snapshot() == before


def test_an_educator_cannot_add_a_school(cast, client_for):
    before = snapshot()

    response = client_for(cast.alice).post("/district/schools/", {"name": "Shadow School"})

    assert response.status_code == 403
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# audit log
# ---------------------------------------------------------------------------------------------


def _event(action: str, actor, district, *, summary: str = "", at=None, time_machine=None):
    if time_machine is not None and at is not None:
        time_machine.move_to(at, tick=False)
    return audit.record(action=action, summary=summary or action, actor=actor, district=district)


@pytest.fixture
def audit_trail(cast, time_machine):
    day = dt.timedelta(days=1)
    _event(
        "districts.school_created",
        cast.dana,
        cast.district_a,
        summary="north school",
        at=NOON,
        time_machine=time_machine,
    )
    _event(
        "districts.invitation_sent",
        cast.dana,
        cast.district_a,
        summary="north invite",
        at=NOON + day,
        time_machine=time_machine,
    )
    _event(
        "accounts.login",
        cast.alice,
        None,
        summary="alice signed in",
        at=NOON + 2 * day,
        time_machine=time_machine,
    )
    _event(
        "districts.invitation_sent",
        cast.bea,
        cast.district_b,
        summary="south invite",
        at=NOON + 2 * day,
        time_machine=time_machine,
    )
    _event(
        "accounts.login",
        cast.bob,
        None,
        summary="bob signed in",
        at=NOON + 3 * day,
        time_machine=time_machine,
    )
    time_machine.move_to(NOON + 4 * day, tick=False)


def _summaries(response) -> list[str]:
    content = text(response)
    table = content[content.index('<div id="audit-table">') :]
    return re.findall(r"<td><code>[^<]+</code></td>\s*<td>([^<]+)</td>", table)


def test_the_audit_log_shows_the_districts_events_and_its_members_account_events(
    cast, client_for, audit_trail
):
    response = client_for(cast.dana).get("/district/audit/")

    assert _summaries(response) == ["alice signed in", "north invite", "north school"]


def test_the_other_district_sees_only_its_own_audit_events(cast, client_for, audit_trail):
    response = client_for(cast.bea).get("/district/audit/")

    assert _summaries(response) == ["bob signed in", "south invite"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("action=districts.invitation_sent", ["north invite"]),
        ("actor=ALICE@", ["alice signed in"]),
        ("since=2026-03-03", ["alice signed in", "north invite"]),
        ("until=2026-03-03", ["north invite", "north school"]),
        ("since=2026-03-03&until=2026-03-03", ["north invite"]),
        ("actor=dana&action=districts.school_created", ["north school"]),
        ("actor=nobody", []),
    ],
)
def test_the_audit_log_filters_by_action_person_and_dates(
    cast, client_for, audit_trail, query, expected
):
    response = client_for(cast.dana).get(f"/district/audit/?{query}")

    assert response.status_code == 200
    assert _summaries(response) == expected
    if not expected:
        assert "No events match these filters." in text(response)


def test_the_action_filter_offers_only_actions_visible_in_this_district(
    cast, client_for, audit_trail
):
    content = text(client_for(cast.dana).get("/district/audit/"))

    select = content[content.index('name="action"') : content.index("</select>")]
    assert re.findall(r'<option value="([^"]*)"', select) == [
        "",
        "accounts.login",
        "districts.invitation_sent",
        "districts.school_created",
    ]


def test_an_invalid_audit_filter_shows_its_error(cast, client_for, audit_trail):
    response = client_for(cast.dana).get("/district/audit/?since=not-a-date")

    assert response.status_code == 200
    assert "Enter a valid date." in text(response)


def test_the_audit_log_htmx_request_gets_only_the_table(cast, client_for, audit_trail):
    response = client_for(cast.dana).get(
        "/district/audit/?action=accounts.login", HTTP_HX_REQUEST="true"
    )

    assert text(response).lstrip().startswith('<div id="audit-table">')
    assert _summaries(response) == ["alice signed in"]


def test_the_audit_log_is_paged_by_50_with_a_bounded_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    client = client_for(cast.dana)
    for n in range(5):
        audit.record(
            action="test.event", summary=f"event {n}", actor=cast.dana, district=cast.district_a
        )
    with CaptureQueriesContext(connection) as few:
        client.get("/district/audit/")
    for n in range(5, 120):
        audit.record(
            action="test.event", summary=f"event {n}", actor=cast.alice, district=cast.district_a
        )

    with django_assert_max_num_queries(7), CaptureQueriesContext(connection) as many:
        response = client.get("/district/audit/?page=3")

    assert len(_summaries(response)) == 20
    assert "Page 3 of 3 (120 in all)" in text(response)
    assert len(many) == len(few)


# ---------------------------------------------------------------------------------------------
# switching district
# ---------------------------------------------------------------------------------------------


def test_someone_in_two_districts_can_switch_between_them(cast, client_for):
    MembershipFactory(
        user=cast.carol, district=cast.district_b, role="educator", school=cast.school_b
    )
    client = client_for(cast.carol)
    assert "Northfield · Educator, Coach or mentor" in text(client.get("/"))
    assert 'id="district-switch"' in text(client.get("/"))

    response = client.post("/district/switch/", {"district": str(cast.district_b.public_id)})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(cast.district_b.public_id)
    home = text(client.get("/"))
    assert "Southport · Educator" in home
    assert "You are now working in Southport." in home
    assert client.get("/people/").status_code == 403  # a coach in Northfield, an educator here


def test_switching_to_a_district_one_is_not_in_is_a_404(cast, client_for):
    client = client_for(cast.dana)

    response = client.post("/district/switch/", {"district": str(cast.district_b.public_id)})

    assert response.status_code == 404
    assert SESSION_KEY not in client.session
    assert "Northfield" in text(client.get("/"))


@pytest.mark.parametrize("value", ["", "not-a-uuid", "0d8a6b3c-3b7f-4d0e-9b51-5f7a4a1c2e33"])
def test_switching_to_nonsense_is_a_404(cast, client_for, value):
    assert client_for(cast.dana).post("/district/switch/", {"district": value}).status_code == 404


def test_switching_accepts_only_post_and_needs_a_sign_in(cast, client_for, client):
    assert client_for(cast.dana).get("/district/switch/").status_code == 405
    response = client.post("/district/switch/", {"district": str(cast.district_a.public_id)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"


def test_a_district_one_has_left_is_dropped_from_the_session(cast, client_for):
    membership = MembershipFactory(user=cast.carol, district=cast.district_b, role="educator")
    client = client_for(cast.carol)
    client.post("/district/switch/", {"district": str(cast.district_b.public_id)})
    membership.is_active = False
    membership.save()

    assert "Northfield · Educator, Coach or mentor" in text(client.get("/"))


# ---------------------------------------------------------------------------------------------
# accepting an invitation
# ---------------------------------------------------------------------------------------------


def test_a_valid_invitation_link_shows_the_join_form(cast, client):
    _invitation, secret = make_invitation(
        cast.district_a, "newbie@example.org", roles=["educator", "coach"], full_name="Nora Newbie"
    )

    response = client.get(f"/district/join/{secret}/")

    content = text(response)
    assert response.status_code == 200
    assert "<h1>Join Northfield</h1>" in content
    assert "<strong>Educator, Coach or mentor</strong>" in content
    assert 'value="Nora Newbie"' in content
    assert "Create my account and join" in content


@pytest.mark.parametrize("state", ["unknown", "revoked", "accepted", "expired"])
def test_an_unusable_invitation_link_shows_the_invalid_page_with_404(
    cast, client, time_machine, state
):
    time_machine.move_to(NOON, tick=False)
    status = {"revoked": "revoked", "accepted": "accepted"}.get(state, "pending")
    _invitation, secret = make_invitation(cast.district_a, "x@example.org", status=status)
    if state == "unknown":
        secret = "not-a-real-token"
    if state == "expired":
        time_machine.move_to(NOON + dt.timedelta(days=15), tick=False)

    response = client.get(f"/district/join/{secret}/")

    assert response.status_code == 404
    assert "This invitation link is not valid" in text(response)


def test_posting_the_join_form_creates_the_account_and_signs_in(cast, client):
    invitation, secret = make_invitation(
        cast.district_a, "newbie@example.org", roles=["educator"], school=cast.middle_a
    )

    response = client.post(
        f"/district/join/{secret}/", {"full_name": "Nora Newbie", "password": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(email="newbie@example.org")
    assert user.full_name == "Nora Newbie"
    assert user.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[SESSION_KEY] == str(cast.district_a.public_id)
    home = text(client.get("/"))
    assert "Welcome, Nora" in home
    assert "Welcome to Northfield!" in home
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert client.get(f"/district/join/{secret}/").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"full_name": "Nora", "password": "short"}, "This password is too short."),
        ({"full_name": "", "password": NEW_PASSWORD}, "This field is required."),
        ({"full_name": "Nora", "password": ""}, "This field is required."),
    ],
    ids=["weak-password", "no-name", "no-password"],
)
def test_a_bad_join_form_is_refused_with_400_and_creates_nothing(cast, client, data, message):
    _invitation, secret = make_invitation(cast.district_a, "newbie@example.org")
    before = snapshot()

    response = client.post(f"/district/join/{secret}/", data)

    assert response.status_code == 400
    assert message in text(response)
    assert snapshot() == before
    assert "_auth_user_id" not in client.session


def test_an_existing_account_signed_out_is_asked_to_sign_in_first(cast, client):
    _invitation, secret = make_invitation(cast.district_a, "bob@southport.test", roles=["coach"])
    before = snapshot()

    page = text(client.get(f"/district/join/{secret}/"))
    response = client.post(f"/district/join/{secret}/")

    assert "Sign in as bob@southport.test</a> to accept." in page
    assert f'href="/accounts/login/?next=/district/join/{secret}/"' in page
    assert response.status_code == 400
    assert "An account for bob@southport.test exists." in text(response)
    assert snapshot() == before


def test_an_existing_account_signed_in_as_someone_else_cannot_accept(cast, client_for):
    _invitation, secret = make_invitation(cast.district_a, "bob@southport.test", roles=["coach"])
    before = snapshot()

    response = client_for(cast.bea).post(f"/district/join/{secret}/")

    assert response.status_code == 400
    assert snapshot() == before


def test_an_existing_account_signed_in_joins_with_one_click(cast, client_for):
    _invitation, secret = make_invitation(cast.district_a, "bob@southport.test", roles=["coach"])
    client = client_for(cast.bob)

    page = text(client.get(f"/district/join/{secret}/"))
    response = client.post(f"/district/join/{secret}/")

    assert "Join Northfield</button>" in page
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(cast.district_a.public_id)
    assert sorted(
        Membership.objects.filter(user=cast.bob, is_active=True).values_list(
            "district__slug", "role"
        )
    ) == [("northfield", "coach"), ("southport", "educator")]
    assert "Northfield · Coach or mentor" in text(client.get("/"))


def test_the_join_page_accepts_only_get_and_post(cast, client):
    _invitation, secret = make_invitation(cast.district_a, "x@example.org")

    assert client.put(f"/district/join/{secret}/").status_code == 405


def test_every_invitation_view_records_nothing_in_the_audit_log_on_a_get(cast, client_for):
    make_invitation(cast.district_a, "x@example.org")
    before = AuditEvent.objects.count()

    for url in ADMIN_PAGES:
        client_for(cast.dana).get(url)

    assert AuditEvent.objects.count() == before
