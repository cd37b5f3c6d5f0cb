"""District services: invitations (single and CSV), joining, roles, schools, and who may call them."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from trellis.accounts.models import User
from trellis.audit.models import AuditEvent
from trellis.core.csvio import RowError
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.districts import services
from trellis.districts.models import Invitation, Membership, Role, School
from trellis.districts.tests.helpers import make_invitation, snapshot, tokens_in

NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
NEW_PASSWORD = "a sturdy passphrase"


def _codes(raised: pytest.ExceptionInfo) -> tuple[str, str, int]:
    exc = raised.value
    return exc.code, exc.message, exc.status


# ---------------------------------------------------------------------------------------------
# invite
# ---------------------------------------------------------------------------------------------


def test_an_admin_invites_a_new_person_with_one_audit_row_and_one_email_holding_the_link(
    cast, django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    time_machine.move_to(NOON, tick=False)
    audit_before = AuditEvent.objects.count()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation = services.invite(
            access=cast.access(cast.dana),
            actor=cast.dana,
            email="  Maria.Lopez@Example.ORG ",
            full_name="  Maria Lopez ",
            roles=["coach", "educator", "coach"],
            school=cast.middle_a,
        )

    invitation.refresh_from_db()
    assert invitation.district == cast.district_a
    assert invitation.email == "maria.lopez@example.org"
    assert invitation.full_name == "Maria Lopez"
    assert invitation.roles == ["educator", "coach"]
    assert invitation.school == cast.middle_a
    assert invitation.invited_by == cast.dana
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.expires_at == NOON + dt.timedelta(days=14)
    assert invitation.accepted_at is None

    assert AuditEvent.objects.count() == audit_before + 1
    event = AuditEvent.objects.get(action="districts.invitation_sent")
    assert event.actor == cast.dana
    assert event.actor_label == "dana@northfield.test"
    assert event.district == cast.district_a
    assert event.target_type == "districts.invitation"
    assert event.target_id == str(invitation.public_id)
    assert event.target_label == "maria.lopez@example.org"
    assert event.summary == "Invited maria.lopez@example.org as Educator, Coach or mentor"
    assert event.data == {"roles": ["educator", "coach"]}

    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["maria.lopez@example.org"]
    assert message.subject == "You are invited to Northfield on Trellis"
    assert "Hello Maria Lopez," in message.body
    assert "Dana Diaz invites you to join Northfield on Trellis as Educator, Coach or mentor." in (
        message.body
    )
    [token] = tokens_in(mailoutbox)
    assert f"http://127.0.0.1:8000/district/join/{token}/" in message.body
    assert invitation.token_digest == hashlib.sha256(token.encode()).hexdigest()
    assert services.invitation_for_token(token) == invitation


def test_the_invitation_email_is_only_queued_when_the_transaction_commits(cast, mailoutbox):
    services.invite(
        access=cast.access(cast.dana),
        actor=cast.dana,
        email="later@example.org",
        roles=["educator"],
    )

    assert mailoutbox == []


@pytest.mark.parametrize(
    ("email", "roles", "code", "message", "status"),
    [
        (
            "not-an-email",
            ["educator"],
            "invalid_email",
            "“not-an-email” is not a valid e-mail address.",
            400,
        ),
        ("   ", ["educator"], "invalid_email", "“(blank)” is not a valid e-mail address.", 400),
        ("new@example.org", [], "roles_required", "Choose at least one role.", 400),
        (
            "new@example.org",
            ["educator", "wizard", "jester"],
            "unknown_role",
            "Unknown role(s): wizard, jester. Use: educator, coach, assessor, approver, district_admin.",
            400,
        ),
        (
            "ALICE@northfield.test",
            ["coach"],
            "already_member",
            "alice@northfield.test is already a member of Northfield.",
            409,
        ),
    ],
    ids=["bad-email", "blank-email", "no-roles", "unknown-role", "already-member"],
)
def test_a_bad_invitation_is_refused_with_a_clear_code_and_nothing_is_written(
    cast, django_capture_on_commit_callbacks, mailoutbox, email, roles, code, message, status
):
    before = snapshot()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(DomainError) as raised,
    ):
        services.invite(access=cast.access(cast.dana), actor=cast.dana, email=email, roles=roles)

    assert _codes(raised) == (code, message, status)
    assert callbacks == []
    assert snapshot() == before
    assert mailoutbox == []


def test_a_school_of_another_district_is_refused_and_nothing_is_written(
    cast, django_capture_on_commit_callbacks, mailoutbox
):
    before = snapshot()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(DomainError) as raised,
    ):
        services.invite(
            access=cast.access(cast.dana),
            actor=cast.dana,
            email="new@example.org",
            roles=["educator"],
            school=cast.school_b,
        )

    assert _codes(raised) == ("unknown_school", "That school is not in this district.", 400)
    assert callbacks == []
    assert snapshot() == before


def test_someone_with_a_pending_invitation_cannot_be_invited_twice(
    cast, django_capture_on_commit_callbacks, mailoutbox
):
    make_invitation(cast.district_a, "pending@example.org", invited_by=cast.dana)
    before = snapshot()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ConflictError) as raised,
    ):
        services.invite(
            access=cast.access(cast.dana),
            actor=cast.dana,
            email="Pending@Example.org",
            roles=["coach"],
        )

    assert _codes(raised) == (
        "already_invited",
        "pending@example.org already has a pending invitation. Resend it instead.",
        409,
    )
    assert callbacks == []
    assert snapshot() == before


def test_an_expired_or_revoked_invitation_does_not_block_a_new_one(cast, time_machine):
    time_machine.move_to(NOON, tick=False)
    make_invitation(cast.district_a, "expired@example.org")
    make_invitation(cast.district_a, "revoked@example.org", status=Invitation.Status.REVOKED)
    time_machine.move_to(NOON + dt.timedelta(days=15), tick=False)

    for email in ("expired@example.org", "revoked@example.org"):
        services.invite(
            access=cast.access(cast.dana), actor=cast.dana, email=email, roles=["educator"]
        )

    assert Invitation.objects.filter(
        email__in=["expired@example.org", "revoked@example.org"]
    ).count() == (4)


def test_a_member_of_another_district_can_be_invited(cast):
    invitation = services.invite(
        access=cast.access(cast.dana), actor=cast.dana, email="bob@southport.test", roles=["coach"]
    )

    assert invitation.district == cast.district_a
    assert invitation.email == "bob@southport.test"


def test_the_same_person_may_be_invited_by_two_districts_at_once(cast):
    services.invite(
        access=cast.access(cast.dana), actor=cast.dana, email="twice@example.org", roles=["coach"]
    )
    services.invite(
        access=cast.access(cast.bea), actor=cast.bea, email="twice@example.org", roles=["educator"]
    )

    assert sorted(
        Invitation.objects.filter(email="twice@example.org").values_list("district__slug", "roles")
    ) == [("northfield", ["coach"]), ("southport", ["educator"])]


# ---------------------------------------------------------------------------------------------
# invite_from_csv
# ---------------------------------------------------------------------------------------------


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_a_good_csv_invites_everyone_with_an_audit_row_and_an_email_each(
    cast, django_capture_on_commit_callbacks, mailoutbox
):
    data = "\ufeff" + (
        "Email, Full_Name ,ROLES,School\n"
        "maria@example.org,Maria Lopez,educator,northfield middle\n"
        "Sam@Example.org,Sam Lee,Educator; COACH,\n"
        "\n"
        'kim@example.org,,"assessor,educator",Northfield Elementary\n'
    )
    audit_before = AuditEvent.objects.count()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = services.invite_from_csv(
            access=cast.access(cast.dana), actor=cast.dana, data=data.encode("utf-8")
        )

    assert result.errors == []
    assert [
        (i.email, i.full_name, i.roles, i.school, i.invited_by) for i in result.invitations
    ] == [
        ("maria@example.org", "Maria Lopez", ["educator"], cast.middle_a, cast.dana),
        ("sam@example.org", "Sam Lee", ["educator", "coach"], None, cast.dana),
        ("kim@example.org", "", ["educator", "assessor"], cast.elementary_a, cast.dana),
    ]
    assert Invitation.objects.filter(district=cast.district_a).count() == 3
    assert AuditEvent.objects.count() == audit_before + 3
    assert AuditEvent.objects.filter(action="districts.invitation_sent").count() == 3
    assert len(callbacks) == 3
    assert sorted(m.to[0] for m in mailoutbox) == [
        "kim@example.org",
        "maria@example.org",
        "sam@example.org",
    ]
    tokens = tokens_in(mailoutbox)
    assert len(set(tokens)) == 3
    assert {services.invitation_for_token(t) for t in tokens} == set(result.invitations)


def test_a_csv_with_several_bad_rows_reports_every_row_and_sends_nothing(
    cast, django_capture_on_commit_callbacks, mailoutbox
):
    make_invitation(cast.district_a, "pending@example.org")
    data = _csv(
        "email,full_name,roles,school",
        "good@example.org,Good Person,educator,",
        "not-an-email,Bad Mail,educator,",
        "role@example.org,Bad Role,educator;wizard,",
        "noroles@example.org,No Roles,,",
        "school@example.org,Bad School,educator,Atlantis High",
        "alice@northfield.test,Alice Again,coach,",
        "pending@example.org,Pending,educator,",
        "another@example.org,Foreign School,educator,Southport High",
    )
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = services.invite_from_csv(access=cast.access(cast.dana), actor=cast.dana, data=data)

    assert result.invitations == []
    assert result.errors == [
        RowError(3, "email", "“not-an-email” is not a valid e-mail address."),
        RowError(
            4,
            "roles",
            "Unknown role(s): wizard. Use: educator, coach, assessor, approver, district_admin.",
        ),
        RowError(5, "roles", "Choose at least one role."),
        RowError(6, "school", "No school named “Atlantis High” in this district."),
        RowError(7, "email", "alice@northfield.test is already a member of Northfield."),
        RowError(
            8, "email", "pending@example.org already has a pending invitation. Resend it instead."
        ),
        RowError(9, "school", "No school named “Southport High” in this district."),
    ]
    assert callbacks == []
    assert snapshot() == before
    assert mailoutbox == []


def test_an_address_twice_in_the_file_is_reported_on_its_second_row_and_nothing_is_sent(
    cast, django_capture_on_commit_callbacks, mailoutbox
):
    data = _csv(
        "email,roles",
        "twin@example.org,educator",
        "other@example.org,educator",
        " TWIN@example.org ,coach",
    )
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        result = services.invite_from_csv(access=cast.access(cast.dana), actor=cast.dana, data=data)

    assert result.invitations == []
    assert result.errors == [
        RowError(4, "email", "twin@example.org appears more than once in the file.")
    ]
    assert snapshot() == before


def test_row_numbers_match_the_spreadsheet_even_after_a_blank_line(cast):
    data = _csv("email,roles", "first@example.org,educator", "", "broken,educator")

    result = services.invite_from_csv(access=cast.access(cast.dana), actor=cast.dana, data=data)

    assert result.errors == [RowError(4, "email", "“broken” is not a valid e-mail address.")]


def test_a_dry_run_checks_the_file_and_writes_nothing(
    cast, django_capture_on_commit_callbacks, mailoutbox
):
    good = _csv("email,roles", "one@example.org,educator", "two@example.org,coach")
    bad = _csv("email,roles", "one@example.org,educator", "two@example.org,")
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        good_result = services.invite_from_csv(
            access=cast.access(cast.dana), actor=cast.dana, data=good, dry_run=True
        )
        bad_result = services.invite_from_csv(
            access=cast.access(cast.dana), actor=cast.dana, data=bad, dry_run=True
        )

    assert good_result.invitations == []
    assert good_result.errors == []
    assert bad_result.errors == [RowError(3, "roles", "Choose at least one role.")]
    assert callbacks == []
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (
            b"email,roles\n" + b"".join(b"p%d@example.org,educator\n" % n for n in range(2001)),
            "too_many_rows",
            "At most 2000 invitations per file.",
        ),
        (
            "email,roles\njosé@example.org,educator\n".encode("latin-1"),
            "bad_encoding",
            "The file is not UTF-8 text. Save it as CSV (UTF-8) and retry.",
        ),
        (b"email,roles\n\n", "no_rows", "The file has a header but no people."),
        (b"", "empty_file", "The file is empty: expected a header row."),
        (b"email,full_name\nx@example.org,X\n", "missing_columns", "Missing column(s): roles."),
    ],
    ids=["too-many-rows", "not-utf8", "header-only", "empty", "no-roles-column"],
)
def test_an_unusable_csv_file_is_refused_as_a_whole_and_nothing_is_written(
    cast, django_capture_on_commit_callbacks, mailoutbox, data, code, message
):
    before = snapshot()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(DomainError) as raised,
    ):
        services.invite_from_csv(access=cast.access(cast.dana), actor=cast.dana, data=data)

    assert _codes(raised) == (code, message, 400)
    assert callbacks == []
    assert snapshot() == before


def test_a_file_of_exactly_the_maximum_size_is_accepted(cast, monkeypatch):
    monkeypatch.setattr(services, "MAX_INVITATIONS_PER_CSV", 3)
    data = _csv("email,roles", *(f"p{n}@example.org,educator" for n in range(3)))

    result = services.invite_from_csv(access=cast.access(cast.dana), actor=cast.dana, data=data)

    assert len(result.invitations) == 3


# ---------------------------------------------------------------------------------------------
# revoke and resend
# ---------------------------------------------------------------------------------------------


def test_revoking_a_pending_invitation_kills_its_link_and_is_audited(
    cast, django_capture_on_commit_callbacks, mailoutbox
):
    invitation, secret = make_invitation(cast.district_a, "gone@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_invitation(
            access=cast.access(cast.dana), actor=cast.dana, invitation=invitation
        )

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    event = AuditEvent.objects.get(action="districts.invitation_revoked")
    assert (event.actor, event.district, event.target_id, event.summary) == (
        cast.dana,
        cast.district_a,
        str(invitation.public_id),
        "Revoked the invitation for gone@example.org",
    )
    assert mailoutbox == []
    with pytest.raises(DomainError) as raised:
        services.accept_invitation(token=secret, full_name="Gone", password=NEW_PASSWORD)
    assert raised.value.code == "invitation_invalid"


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (Invitation.Status.REVOKED, "This invitation is already revoked."),
        (Invitation.Status.ACCEPTED, "This invitation is already accepted."),
    ],
)
@pytest.mark.parametrize("operation", ["revoke_invitation", "resend_invitation"])
def test_only_a_pending_invitation_can_be_revoked_or_resent(
    cast, django_capture_on_commit_callbacks, mailoutbox, status, message, operation
):
    invitation, _secret = make_invitation(cast.district_a, "done@example.org", status=status)
    before = snapshot()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ConflictError) as raised,
    ):
        getattr(services, operation)(
            access=cast.access(cast.dana), actor=cast.dana, invitation=invitation
        )

    assert _codes(raised) == ("not_pending", message, 409)
    assert callbacks == []
    assert snapshot() == before


def test_resending_sends_a_fresh_link_and_the_old_one_stops_working(
    cast, django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    time_machine.move_to(NOON, tick=False)
    invitation, old_secret = make_invitation(
        cast.district_a, "again@example.org", roles=["coach"], invited_by=cast.dana
    )
    time_machine.move_to(NOON + dt.timedelta(days=20), tick=False)  # the first link has expired

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.resend_invitation(
            access=cast.access(cast.dana), actor=cast.dana, invitation=invitation
        )

    invitation.refresh_from_db()
    assert invitation.expires_at == NOON + dt.timedelta(days=34)
    assert invitation.status == Invitation.Status.PENDING
    assert len(callbacks) == 1
    assert [m.to for m in mailoutbox] == [["again@example.org"]]
    [new_secret] = tokens_in(mailoutbox)
    assert new_secret != old_secret
    assert services.invitation_for_token(old_secret) is None
    assert services.invitation_for_token(new_secret) == invitation
    event = AuditEvent.objects.get(action="districts.invitation_resent")
    assert (event.actor, event.target_id, event.summary) == (
        cast.dana,
        str(invitation.public_id),
        "Resent the invitation for again@example.org",
    )

    with pytest.raises(DomainError) as raised:
        services.accept_invitation(token=old_secret, full_name="Again", password=NEW_PASSWORD)
    assert raised.value.code == "invitation_invalid"

    user = services.accept_invitation(token=new_secret, full_name="Again", password=NEW_PASSWORD)
    assert user.email == "again@example.org"


# ---------------------------------------------------------------------------------------------
# accept_invitation
# ---------------------------------------------------------------------------------------------


def test_a_new_person_accepts_and_gets_an_account_and_every_invited_role(cast, time_machine):
    time_machine.move_to(NOON, tick=False)
    invitation, secret = make_invitation(
        cast.district_a,
        "newbie@example.org",
        roles=["educator", "coach"],
        school=cast.middle_a,
        invited_by=cast.dana,
    )
    users_before = User.objects.count()

    user = services.accept_invitation(
        token=secret, full_name="  Nora Newbie  ", password=NEW_PASSWORD
    )

    assert User.objects.count() == users_before + 1
    user.refresh_from_db()
    assert user.email == "newbie@example.org"
    assert user.full_name == "Nora Newbie"
    assert user.check_password(NEW_PASSWORD)
    assert sorted(
        Membership.objects.filter(user=user).values_list(
            "district__slug", "role", "school__name", "is_active"
        )
    ) == [
        ("northfield", "coach", "Northfield Middle", True),
        ("northfield", "educator", "Northfield Middle", True),
    ]
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_at == NOON
    event = AuditEvent.objects.get(action="districts.invitation_accepted")
    assert (event.actor, event.district, event.target_id, event.summary) == (
        user,
        cast.district_a,
        str(invitation.public_id),
        "newbie@example.org joined as Educator, Coach or mentor",
    )


def test_an_invitation_link_cannot_be_used_twice(cast):
    _invitation, secret = make_invitation(cast.district_a, "once@example.org")
    services.accept_invitation(token=secret, full_name="Once", password=NEW_PASSWORD)
    before = snapshot()

    with pytest.raises(DomainError) as raised:
        services.accept_invitation(token=secret, full_name="Twice", password=NEW_PASSWORD)

    assert _codes(raised) == (
        "invitation_invalid",
        "This invitation link is no longer valid. Ask your district for a new one.",
        400,
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("full_name", "password", "code", "message"),
    [
        (
            "Nora Newbie",
            "short",
            "weak_password",
            "This password is too short. It must contain at least 10 characters.",
        ),
        (
            "Nora Newbie",
            "1234567890123",
            "weak_password",
            "This password is too common. This password is entirely numeric.",
        ),
        ("Nora Newbie", "password123", "weak_password", "This password is too common."),
        ("", NEW_PASSWORD, "name_required", "Enter your full name."),
        ("   ", NEW_PASSWORD, "name_required", "Enter your full name."),
    ],
    ids=["too-short", "numeric", "common", "no-name", "blank-name"],
)
def test_a_new_person_with_a_weak_password_or_no_name_is_refused_and_nothing_is_written(
    cast, full_name, password, code, message
):
    invitation, secret = make_invitation(cast.district_a, "newbie@example.org")
    before = snapshot()

    with pytest.raises(DomainError) as raised:
        services.accept_invitation(token=secret, full_name=full_name, password=password)

    assert _codes(raised) == (code, message, 400)
    assert snapshot() == before
    assert not User.objects.filter(email="newbie@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


@pytest.mark.parametrize("token", ["", "no-such-token"])
def test_an_unknown_token_is_refused(cast, token):
    before = snapshot()

    with pytest.raises(DomainError) as raised:
        services.accept_invitation(token=token, full_name="X", password=NEW_PASSWORD)

    assert raised.value.code == "invitation_invalid"
    assert snapshot() == before


def test_an_expired_invitation_is_refused(cast, time_machine):
    time_machine.move_to(NOON, tick=False)
    invitation, secret = make_invitation(cast.district_a, "late@example.org")
    time_machine.move_to(NOON + dt.timedelta(days=14, seconds=1), tick=False)
    before = snapshot()

    with pytest.raises(DomainError) as raised:
        services.accept_invitation(token=secret, full_name="Late", password=NEW_PASSWORD)

    assert raised.value.code == "invitation_invalid"
    assert snapshot() == before
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_an_invitation_still_works_just_before_it_expires(cast, time_machine):
    time_machine.move_to(NOON, tick=False)
    _invitation, secret = make_invitation(cast.district_a, "justintime@example.org")
    time_machine.move_to(NOON + dt.timedelta(days=14, seconds=-1), tick=False)

    user = services.accept_invitation(token=secret, full_name="Just", password=NEW_PASSWORD)

    assert user.email == "justintime@example.org"


def test_an_existing_account_must_be_signed_in_to_accept(cast):
    _invitation, secret = make_invitation(cast.district_a, "bob@southport.test", roles=["coach"])
    before = snapshot()

    with pytest.raises(DomainError) as raised:
        services.accept_invitation(token=secret, full_name="Someone", password=NEW_PASSWORD)

    assert _codes(raised) == (
        "sign_in_first",
        "An account for bob@southport.test exists. Sign in as bob@southport.test, "
        "then open this link again.",
        400,
    )
    assert snapshot() == before


@pytest.mark.parametrize("invited_email", ["bob@southport.test", "brand.new@example.org"])
def test_someone_signed_in_as_another_person_cannot_accept(cast, invited_email):
    _invitation, secret = make_invitation(cast.district_a, invited_email, roles=["coach"])
    before = snapshot()

    with pytest.raises(DomainError) as raised:
        services.accept_invitation(
            token=secret, full_name="Someone", password=NEW_PASSWORD, current_user=cast.alice
        )

    assert _codes(raised) == (
        "signed_in_as_someone_else",
        f"You are signed in as alice@northfield.test, but this invitation is for {invited_email}. "
        "Sign out first, then open the link again.",
        400,
    )
    assert snapshot() == before


def test_roles_can_only_be_set_for_members_of_the_district(cast):
    before = snapshot()

    with pytest.raises(DomainError) as raised:
        services.set_roles(
            access=cast.access(cast.dana),
            actor=cast.dana,
            user=cast.bob,
            roles=["coach"],
            school=None,
        )

    assert raised.value.code == "not_a_member"
    assert snapshot() == before


def test_an_existing_account_signed_in_joins_without_changing_name_or_password(cast):
    invitation, secret = make_invitation(
        cast.district_a, "bob@southport.test", roles=["coach"], school=cast.elementary_a
    )
    password_before = cast.bob.password

    user = services.accept_invitation(
        token=secret, full_name="Robert", password="ignored", current_user=cast.bob
    )

    assert user == cast.bob
    user.refresh_from_db()
    assert (user.full_name, user.password) == ("Bob Brown", password_before)
    assert sorted(
        Membership.objects.filter(user=cast.bob, is_active=True).values_list(
            "district__slug", "role", "school__name"
        )
    ) == [
        ("northfield", "coach", "Northfield Elementary"),
        ("southport", "educator", "Southport High"),
    ]
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED


def test_accepting_reactivates_a_role_that_was_taken_away(cast):
    Membership.objects.filter(user=cast.carol, district=cast.district_a).update(is_active=False)
    _invitation, secret = make_invitation(cast.district_a, "carol@northfield.test", roles=["coach"])

    services.accept_invitation(token=secret, full_name="", password="", current_user=cast.carol)

    assert sorted(Membership.objects.filter(user=cast.carol).values_list("role", "is_active")) == [
        ("coach", True),
        ("educator", False),
    ]


# ---------------------------------------------------------------------------------------------
# set_roles
# ---------------------------------------------------------------------------------------------


def test_an_admin_replaces_a_members_roles_and_the_audit_row_keeps_before_and_after(cast):
    roles = services.set_roles(
        access=cast.access(cast.dana),
        actor=cast.dana,
        user=cast.carol,
        roles=["assessor", "educator"],
        school=cast.elementary_a,
    )

    assert roles == ["educator", "assessor"]
    assert sorted(
        Membership.objects.filter(user=cast.carol).values_list("role", "school__name", "is_active")
    ) == [
        ("assessor", "Northfield Elementary", True),
        ("coach", "Northfield Middle", False),
        ("educator", "Northfield Elementary", True),
    ]
    event = AuditEvent.objects.get(action="districts.roles_changed")
    assert event.actor == cast.dana
    assert event.district == cast.district_a
    assert event.target_type == "accounts.user"
    assert event.target_id == str(cast.carol.public_id)
    assert event.target_label == "carol@northfield.test"
    assert event.data == {"before": ["coach", "educator"], "after": ["educator", "assessor"]}
    assert event.summary == "Roles of carol@northfield.test: coach, educator → educator, assessor"
    assert cast.access(cast.carol).roles == frozenset({"educator", "assessor"})


def test_giving_a_role_back_reactivates_the_old_membership_row(cast):
    access = cast.access(cast.dana)
    services.set_roles(
        access=access, actor=cast.dana, user=cast.carol, roles=["educator"], school=None
    )
    services.set_roles(
        access=access, actor=cast.dana, user=cast.carol, roles=["educator", "coach"], school=None
    )

    assert sorted(Membership.objects.filter(user=cast.carol).values_list("role", "is_active")) == [
        ("coach", True),
        ("educator", True),
    ]


def test_an_admin_cannot_remove_their_own_admin_role(cast):
    before = snapshot()

    with pytest.raises(DomainError) as raised:
        services.set_roles(
            access=cast.access(cast.dana),
            actor=cast.dana,
            user=cast.dana,
            roles=["educator"],
            school=None,
        )

    assert _codes(raised) == (
        "cannot_demote_self",
        "You cannot remove your own district-admin role; ask another admin.",
        400,
    )
    assert snapshot() == before


def test_an_admin_may_add_a_role_to_themselves_while_keeping_admin(cast):
    roles = services.set_roles(
        access=cast.access(cast.dana),
        actor=cast.dana,
        user=cast.dana,
        roles=["district_admin", "assessor"],
        school=None,
    )

    assert roles == ["assessor", "district_admin"]


@pytest.mark.parametrize(
    ("roles", "school_attr", "code"),
    [
        ([], None, "roles_required"),
        (["educator", "overlord"], None, "unknown_role"),
        (["educator"], "school_b", "unknown_school"),
    ],
)
def test_bad_roles_or_a_foreign_school_change_nothing(cast, roles, school_attr, code):
    before = snapshot()

    with pytest.raises(DomainError) as raised:
        services.set_roles(
            access=cast.access(cast.dana),
            actor=cast.dana,
            user=cast.alice,
            roles=roles,
            school=getattr(cast, school_attr) if school_attr else None,
        )

    assert raised.value.code == code
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# schools and districts
# ---------------------------------------------------------------------------------------------


def test_an_admin_adds_a_school_with_an_audit_row(cast):
    school = services.create_school(
        access=cast.access(cast.dana),
        actor=cast.dana,
        name="  Northfield High ",
        grade_span=" 9-12 ",
    )

    school.refresh_from_db()
    assert (school.district, school.name, school.grade_span) == (
        cast.district_a,
        "Northfield High",
        "9-12",
    )
    event = AuditEvent.objects.get(action="districts.school_created")
    assert (event.actor, event.district, event.target_id, event.summary) == (
        cast.dana,
        cast.district_a,
        str(school.public_id),
        "Added school Northfield High",
    )


@pytest.mark.parametrize("name", ["northfield middle", "NORTHFIELD MIDDLE", " Northfield Middle "])
def test_a_duplicate_school_name_is_refused_whatever_its_case(cast, name):
    before = snapshot()

    with pytest.raises(ConflictError) as raised:
        services.create_school(access=cast.access(cast.dana), actor=cast.dana, name=name)

    assert _codes(raised) == (
        "school_exists",
        f"Northfield already has a school named {name.strip()}.",
        409,
    )
    assert snapshot() == before


def test_a_school_name_used_in_another_district_is_allowed(cast):
    school = services.create_school(
        access=cast.access(cast.bea), actor=cast.bea, name="Northfield Middle"
    )

    assert school.district == cast.district_b
    assert School.objects.filter(name="Northfield Middle").count() == 2


def test_a_school_needs_a_name(cast):
    before = snapshot()

    with pytest.raises(DomainError) as raised:
        services.create_school(access=cast.access(cast.dana), actor=cast.dana, name="   ")

    assert _codes(raised) == ("name_required", "Enter the school's name.", 400)
    assert snapshot() == before


def test_creating_a_district_upper_cases_the_state_invites_its_leader_and_is_audited(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = services.create_district(
            name="Lakeside",
            slug="lakeside",
            state_code="mn",
            admin_email="Lee@Lakeside.test",
            admin_name="Lee Lane",
        )

    district = created.district
    district.refresh_from_db()
    assert (district.name, district.slug, district.state_code) == ("Lakeside", "lakeside", "MN")
    assert (created.invitation.email, created.invitation.roles) == (
        "lee@lakeside.test",
        ["district_admin"],
    )
    assert created.accept_url.startswith("http://127.0.0.1:8000/district/join/")
    assert (
        services.invitation_for_token(created.accept_url.rstrip("/").rsplit("/", 1)[1])
        == created.invitation
    )
    assert [event.action for event in AuditEvent.objects.order_by("id")] == [
        "districts.district_created",
        "districts.invitation_sent",
    ]
    assert len(mailoutbox) == 1
    assert created.accept_url in mailoutbox[0].body


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"name": " "}, "name_required"),
        ({"slug": "Not A Slug"}, "invalid_slug"),
        ({"slug": "x" * 61}, "invalid_slug"),
        ({"state_code": "Texas"}, "invalid_state"),
        ({"admin_email": "nobody"}, "invalid_email"),
        ({"slug": "northfield"}, "district_exists"),
    ],
)
def test_creating_a_district_refuses_bad_input_and_writes_nothing(cast, fields, code):
    arguments = {
        "name": "Lakeside",
        "slug": "lakeside",
        "state_code": "MN",
        "admin_email": "lee@lakeside.test",
    }
    before = snapshot()

    with pytest.raises(DomainError) as raised:
        services.create_district(**{**arguments, **fields})

    assert raised.value.code == code
    assert snapshot() == before


def test_the_create_district_command_prints_the_invitation_link(db):
    out = io.StringIO()

    call_command(
        "create_district",
        "Lakeside",
        slug="lakeside",
        state="MN",
        admin_email="lee@lakeside.test",
        stdout=out,
    )

    lines = out.getvalue().splitlines()
    assert lines[0] == "Created Lakeside (lakeside)."
    assert lines[1] == "Invitation for lee@lakeside.test (e-mailed; valid 14 days):"
    assert lines[2].startswith("  http://127.0.0.1:8000/district/join/")


def test_the_create_district_command_explains_bad_input(cast):
    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "create_district", "Again", slug="northfield", state="TX", admin_email="a@b.test"
        )


# ---------------------------------------------------------------------------------------------
# who may call the admin-only services
# ---------------------------------------------------------------------------------------------


def _admin_only_calls(cast):
    invitation, _secret = make_invitation(cast.district_a, "target@example.org")
    return {
        "invite": lambda access, actor: services.invite(
            access=access, actor=actor, email="x@example.org", roles=["educator"]
        ),
        "invite_from_csv": lambda access, actor: services.invite_from_csv(
            access=access, actor=actor, data=b"email,roles\nx@example.org,educator\n"
        ),
        "revoke_invitation": lambda access, actor: services.revoke_invitation(
            access=access, actor=actor, invitation=invitation
        ),
        "resend_invitation": lambda access, actor: services.resend_invitation(
            access=access, actor=actor, invitation=invitation
        ),
        "set_roles": lambda access, actor: services.set_roles(
            access=access, actor=actor, user=actor, roles=["district_admin"], school=None
        ),
        "create_school": lambda access, actor: services.create_school(
            access=access, actor=actor, name="Sneaky School"
        ),
    }


@pytest.mark.parametrize(
    "operation",
    [
        "invite",
        "invite_from_csv",
        "revoke_invitation",
        "resend_invitation",
        "set_roles",
        "create_school",
    ],
)
@pytest.mark.parametrize("who", ["alice", "carol", "ada", "pat"])
def test_someone_without_manage_people_gets_permission_denied_and_nothing_is_written(
    cast, django_capture_on_commit_callbacks, mailoutbox, operation, who
):
    call = _admin_only_calls(cast)[operation]
    user = getattr(cast, who)
    before = snapshot()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(PermissionDenied) as raised,
    ):
        call(cast.access(user), user)

    assert _codes(raised) == ("permission_denied", "You do not have permission to do that.", 403)
    assert callbacks == []
    assert snapshot() == before


def test_the_invitation_expiry_default_is_fourteen_days_from_now(time_machine):
    from trellis.districts.models import default_invitation_expiry

    time_machine.move_to(NOON, tick=False)

    assert default_invitation_expiry() == NOON + dt.timedelta(days=14)
    assert timezone.now() == NOON


def test_role_labels_skip_values_that_are_no_longer_roles():
    invitation = Invitation(roles=["educator", "retired_role", "district_admin"])

    assert invitation.role_labels() == ["Educator", "District PD leader"]
    assert Role.DISTRICT_ADMIN.label == "District PD leader"
