"""Previewing and applying imports: what is written, matched, kept and audited."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.storage import default_storage

from trellis.accounts.models import User
from trellis.audit.models import AuditEvent
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.districts.models import Membership, School
from trellis.growth.models import EducatorProfile
from trellis.roster import oneroster, services
from trellis.roster.models import RosterImport
from trellis.roster.tests.conftest import roster_csv, table_counts

pytestmark = pytest.mark.django_db

ROSTER = roster_csv(
    "new1@northfield.test,Nia New,educator,Northfield Middle,teacher,2,Mathematics,6-8,N-1",
    "new2@northfield.test,Noe New,educator;coach,Lakeside Primary,coach,12,Literacy,K-5,N-2",
    "alice@northfield.test,Alice Archer,educator,Northfield Middle,teacher,1,Mathematics,6_8,A-1",
    "bob@southport.test,Robert Brown,educator,Northfield Elementary,,,,,",
)
FIRST_COUNTS = {
    "created": 3,
    "updated": 1,
    "unchanged": 0,
    "deactivated": 0,
    "skipped": 0,
    "invalid": 0,
    "new_accounts": 2,
    "reactivated": 0,
    "schools_created": 1,
    "schools_updated": 0,
}
BOB_NOTICE = (
    "Row 5: bob@southport.test also uses Trellis outside this district, so their name was kept."
)


def memberships(user: User, district) -> list[tuple[str, str, bool]]:
    return sorted(
        (m.role, m.school.name if m.school else "", m.is_active)
        for m in Membership.objects.filter(user=user, district=district).select_related("school")
    )


def test_a_preview_writes_nothing_but_its_own_record(cast, run_import):
    before = table_counts()

    item = run_import(cast.access(cast.dana), cast.dana, ROSTER, dry_run=True)

    assert table_counts() == before
    assert RosterImport.objects.count() == 1
    assert (item.status, item.phase, item.applied_at) == ("succeeded", "preview", None)
    assert item.counts == FIRST_COUNTS
    assert item.can_apply is True
    assert item.notices == [BOB_NOTICE]
    assert item.preview["creates"] == [
        {
            "row": 2,
            "email": "new1@northfield.test",
            "full_name": "Nia New",
            "roles": ["educator"],
            "school": "Northfield Middle",
        },
        {
            "row": 3,
            "email": "new2@northfield.test",
            "full_name": "Noe New",
            "roles": ["educator", "coach"],
            "school": "Lakeside Primary",
        },
        {
            "row": 5,
            "email": "bob@southport.test",
            "full_name": "Robert Brown",
            "roles": ["educator"],
            "school": "Northfield Elementary",
        },
    ]
    assert item.preview["updates"] == [
        {"row": 4, "email": "alice@northfield.test", "changes": ["source_id"]}
    ]
    assert item.preview["schools"] == [{"name": "Lakeside Primary", "change": "create"}]
    assert item.stored_file.startswith("roster/")
    assert default_storage.exists(item.stored_file)  # kept until applied


def test_applying_creates_people_memberships_profiles_and_one_audit_row(cast, run_import):
    item = run_import(cast.access(cast.dana), cast.dana, ROSTER)

    assert (item.status, item.phase, item.step) == ("succeeded", "apply", "done")
    assert item.applied_at is not None
    assert item.counts == FIRST_COUNTS
    assert (item.total_rows, item.processed_rows, item.percent) == (4, 4, 100)
    assert item.stored_file == ""  # personal data is not kept once applied
    nia = User.objects.get(email="new1@northfield.test")
    assert nia.full_name == "Nia New"
    assert nia.has_usable_password() is False
    assert memberships(nia, cast.district_a) == [("educator", "Northfield Middle", True)]
    noe = User.objects.get(email="new2@northfield.test")
    assert memberships(noe, cast.district_a) == [
        ("coach", "Lakeside Primary", True),
        ("educator", "Lakeside Primary", True),
    ]
    profile = EducatorProfile.objects.get(user=noe, district=cast.district_a)
    assert (profile.position, profile.years_experience, profile.subjects) == (
        "coach",
        12,
        ["Literacy"],
    )
    assert (profile.grade_bands, profile.source_id) == (["k_5"], "N-2")
    assert EducatorProfile.objects.get(user=cast.alice, district=cast.district_a).source_id == "A-1"
    lakeside = School.objects.get(district=cast.district_a, name="Lakeside Primary")
    assert lakeside.source_id == ""
    [event] = AuditEvent.objects.filter(action__startswith="roster.")
    assert event.action == "roster.import_applied"
    assert event.actor == cast.dana
    assert event.district == cast.district_a
    assert event.target_id == str(item.public_id)
    assert event.summary == (
        "Roster import applied: 3 created, 1 updated, 0 deactivated, 0 invalid row(s) (roster.csv)"
    )
    assert event.data["counts"] == FIRST_COUNTS
    assert event.data["started_at"] == item.started_at.isoformat()
    assert event.data["finished_at"] == item.finished_at.isoformat()
    assert (event.data["format"], event.data["source"], event.data["full_sync"]) == (
        "csv",
        "web",
        False,
    )


def test_a_person_of_another_district_joins_without_changes_to_their_account(cast, run_import):
    password_before = cast.bob.password

    item = run_import(cast.access(cast.dana), cast.dana, ROSTER)

    cast.bob.refresh_from_db()
    assert (cast.bob.full_name, cast.bob.password) == ("Bob Brown", password_before)
    assert memberships(cast.bob, cast.district_a) == [("educator", "Northfield Elementary", True)]
    assert memberships(cast.bob, cast.district_b) == [("educator", "Southport High", True)]
    assert (
        EducatorProfile.objects.get(user=cast.bob, district=cast.district_b).years_experience == 6
    )
    assert item.notices == [BOB_NOTICE]


def test_importing_the_same_file_again_changes_nothing(cast, run_import):
    access = cast.access(cast.dana)
    run_import(access, cast.dana, ROSTER)
    before = table_counts(exclude=(RosterImport, AuditEvent))

    again = run_import(access, cast.dana, ROSTER)

    assert again.applied_at is not None
    assert (again.count("created"), again.count("updated"), again.count("unchanged")) == (0, 0, 4)
    assert (again.count("new_accounts"), again.count("schools_created")) == (0, 0)
    assert table_counts(exclude=(RosterImport, AuditEvent)) == before
    assert AuditEvent.objects.filter(action="roster.import_applied").count() == 2


def test_a_previewed_import_is_applied_once(cast, run_import, apply_import):
    access = cast.access(cast.dana)
    item = run_import(access, cast.dana, ROSTER, dry_run=True)

    applied = apply_import(access, cast.dana, item)

    assert (applied.status, applied.phase, applied.applied_by) == ("succeeded", "apply", cast.dana)
    assert applied.counts == FIRST_COUNTS
    assert applied.can_apply is False
    assert User.objects.filter(email__endswith="@northfield.test").count() == 8
    with pytest.raises(ConflictError) as caught:
        services.request_apply(access=access, actor=cast.dana, roster_import=applied)
    assert caught.value.message == "This import is already applied (or being applied)."


def test_people_are_matched_by_source_id_when_their_email_changed(cast, run_import):
    access = cast.access(cast.dana)
    EducatorProfile.objects.filter(user=cast.eve).update(source_id="E-25")

    item = run_import(
        access, cast.dana, roster_csv("eve.evans@northfield.test,Eve Evans,educator,,,,,,E-25")
    )

    cast.eve.refresh_from_db()
    assert cast.eve.email == "eve.evans@northfield.test"
    assert (item.count("created"), item.count("updated"), item.count("new_accounts")) == (0, 1, 0)
    assert item.preview["updates"] == [
        {"row": 2, "email": "eve.evans@northfield.test", "changes": ["email"]}
    ]
    assert User.objects.filter(full_name="Eve Evans").count() == 1


def test_a_source_id_and_an_email_of_two_different_people_is_a_row_error(cast, run_import):
    access = cast.access(cast.dana)
    EducatorProfile.objects.filter(user=cast.eve).update(source_id="E-25")
    before = table_counts()

    item = run_import(
        access,
        cast.dana,
        roster_csv(
            "alice@northfield.test,Alice Archer,educator,,,,,,E-25",
            "new@northfield.test,New Person,educator,,,,,,",
        ),
    )

    assert table_counts() == before
    assert (item.status, item.phase, item.applied_at) == ("succeeded", "preview", None)
    assert item.message == (
        "Nothing was written: 1 row(s) need fixing. Apply the valid rows, or fix the file and "
        "import it again."
    )
    assert item.errors == [
        {
            "row": 2,
            "column": "email",
            "message": "alice@northfield.test belongs to another person than source_id E-25 "
            "(eve@northfield.test).",
        }
    ]
    assert (item.count("invalid"), item.count("created")) == (1, 1)


def test_invalid_rows_stop_the_import_until_the_admin_applies_the_valid_rows(
    cast, run_import, apply_import
):
    access = cast.access(cast.dana)
    before = table_counts()
    data = roster_csv(
        "ok@northfield.test,Ok Person,educator,,,,,,",
        "bad-email,Bad Person,educator,,,,,,",
        "who@northfield.test,Who Knows,wizard,,,,,,",
    )

    item = run_import(access, cast.dana, data)

    assert table_counts() == before
    assert item.phase == "preview"
    assert item.error_count == 2
    assert (item.count("created"), item.count("invalid")) == (1, 2)
    applied = apply_import(access, cast.dana, item)
    assert applied.applied_at is not None
    assert applied.count("created") == 1
    assert list(
        User.objects.filter(email__in=["ok@northfield.test", "who@northfield.test"]).values_list(
            "email", flat=True
        )
    ) == ["ok@northfield.test"]


def test_changes_update_profiles_schools_and_reactivate_roles(cast, run_import):
    access = cast.access(cast.dana)
    Membership.objects.filter(user=cast.eve).update(is_active=False)

    item = run_import(
        access,
        cast.dana,
        roster_csv(
            "alice@northfield.test,Alice Archer,educator;assessor,Northfield Elementary,"
            "specialist,2,Science,9-12,",
            "eve@northfield.test,Eve Evans,educator,,,,,,",
        ),
    )

    assert item.preview["updates"] == [
        {
            "row": 2,
            "email": "alice@northfield.test",
            "changes": [
                "school",
                "+assessor",
                "position",
                "years_experience",
                "subjects",
                "grade_bands",
            ],
        },
        {"row": 3, "email": "eve@northfield.test", "changes": ["+educator"]},
    ]
    assert (item.count("updated"), item.count("reactivated")) == (2, 1)
    assert memberships(cast.alice, cast.district_a) == [
        ("assessor", "Northfield Elementary", True),
        ("educator", "Northfield Elementary", True),
    ]
    assert memberships(cast.eve, cast.district_a) == [("educator", "Northfield Elementary", True)]
    profile = EducatorProfile.objects.get(user=cast.alice, district=cast.district_a)
    assert (profile.position, profile.years_experience) == ("specialist", 2)
    assert (profile.subjects, profile.grade_bands) == (["Science"], ["9_12"])


def test_full_sync_deactivates_people_missing_from_the_file_but_nobody_else(
    cast, run_import, apply_import
):
    access = cast.access(cast.dana)
    southport_before = list(
        Membership.objects.filter(district=cast.district_b).values_list("pk", "is_active")
    )
    data = roster_csv(
        "alice@northfield.test,Alice Archer,educator,,,,,,",
        "carol@northfield.test,Carol Cruz,educator,,,,,,",  # her coach role goes
        "ada@northfield.test,Ada Abbott,wizard,,,,,,",  # invalid, so she stays
    )

    preview = run_import(access, cast.dana, data, dry_run=True, full_sync=True)

    assert preview.count("deactivated") == 2
    assert preview.preview["deactivations"] == [
        {"email": "eve@northfield.test", "full_name": "Eve Evans"},
        {"email": "pat@northfield.test", "full_name": "Pat Park"},
    ]
    assert preview.notices == [
        "You (dana@northfield.test) are not in the file; your access was kept."
    ]
    assert Membership.objects.filter(district=cast.district_a, is_active=False).count() == 0
    item = apply_import(access, cast.dana, preview)
    assert item.count("deactivated") == 2
    for person in (cast.eve, cast.pat):
        assert {active for _r, _s, active in memberships(person, cast.district_a)} == {False}
        assert User.objects.filter(pk=person.pk, is_active=True).exists()  # not deleted
    assert memberships(cast.carol, cast.district_a) == [
        ("coach", "Northfield Middle", False),
        ("educator", "Northfield Middle", True),
    ]
    assert {active for _r, _s, active in memberships(cast.ada, cast.district_a)} == {True}
    assert memberships(cast.dana, cast.district_a) == [("district_admin", "", True)]
    assert southport_before == list(
        Membership.objects.filter(district=cast.district_b).values_list("pk", "is_active")
    )


ONLY_STUDENTS = {
    "users.csv": b"sourcedId,role,email,givenName,familyName,orgSourcedIds\n"
    b"s1,student,stu@pv.test,Stu,Dent,\n"
}


def test_full_sync_refuses_a_file_with_nobody_to_keep(cast, run_import):
    before = table_counts()

    item = run_import(
        cast.access(cast.dana),
        cast.dana,
        oneroster.bundle(ONLY_STUDENTS),
        name="export.zip",
        full_sync=True,
    )

    assert table_counts() == before
    assert (item.status, item.message) == (
        "failed",
        "The file holds nobody to import; a full sync would deactivate everyone. Check the file, "
        "or import without full sync.",
    )


def test_full_sync_refuses_a_delta_export(cast, run_import):
    files = {**ONLY_STUDENTS, "manifest.csv": b"propertyName,value\nfile.users,delta\n"}

    item = run_import(
        cast.access(cast.dana), cast.dana, oneroster.bundle(files), name="d.zip", full_sync=True
    )

    assert (item.status, item.message) == (
        "failed",
        "users.csv is a delta export (changes only); a full sync needs a complete export.",
    )


def test_people_without_the_import_permission_are_refused(cast):
    with pytest.raises(PermissionDenied):
        services.start_import(
            access=cast.access(cast.pat),
            actor=cast.pat,
            uploads=[services.Upload("r.csv", ROSTER)],
        )
    assert RosterImport.objects.count() == 0


def test_a_bad_file_is_refused_before_anything_is_stored(cast, roster_storage):
    with pytest.raises(DomainError) as caught:
        services.start_import(
            access=cast.access(cast.dana),
            actor=cast.dana,
            uploads=[services.Upload("r.csv", b"name,phone\nAna,555\n")],
        )

    assert caught.value.code == "missing_columns"
    assert RosterImport.objects.count() == 0
    assert [path for path in roster_storage.rglob("*") if path.is_file()] == []


def test_a_second_import_waits_for_the_running_one(cast):
    RosterImport.objects.create(
        district=cast.district_a, format="csv", file_name="big.csv", status="running"
    )

    with pytest.raises(ConflictError) as caught:
        services.start_import(
            access=cast.access(cast.dana),
            actor=cast.dana,
            uploads=[services.Upload("r.csv", ROSTER)],
        )

    assert caught.value.message == (
        "Another roster import for this district is still running. Wait for it to finish."
    )


def test_new_people_can_be_emailed_a_link_to_set_their_password(cast, run_import):
    item = run_import(cast.access(cast.dana), cast.dana, ROSTER, send_invitations=True)

    assert item.count("new_accounts") == 2
    assert sorted(message.to[0] for message in mail.outbox) == [
        "new1@northfield.test",
        "new2@northfield.test",
    ]
    assert mail.outbox[0].subject == "Your Trellis account for Northfield"
    assert "/accounts/password-reset/" in mail.outbox[0].body


def test_an_unexpected_error_while_writing_fails_the_import_and_is_audited(
    cast, run_import, monkeypatch
):
    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(EducatorProfile.objects, "bulk_create", explode)

    item = run_import(cast.access(cast.dana), cast.dana, ROSTER)

    assert item.status == "failed"
    assert item.message == (
        "An unexpected error stopped the import. Changes written before it stay; importing the "
        "same file again is safe and completes it."
    )
    assert item.stored_file == ""
    [event] = AuditEvent.objects.filter(action__startswith="roster.")
    assert event.action == "roster.import_failed"
    assert User.objects.filter(email="new1@northfield.test").exists() is False  # batch rolled back


def test_a_missing_stored_file_fails_with_a_clear_message(cast, run_import, apply_import):
    access = cast.access(cast.dana)
    item = run_import(access, cast.dana, ROSTER, dry_run=True)
    default_storage.delete(item.stored_file)

    applied = apply_import(access, cast.dana, item)

    assert (applied.status, applied.message) == (
        "failed",
        "The uploaded file is no longer available; upload it again.",
    )


def test_stored_errors_are_capped_but_counted(cast, run_import, monkeypatch):
    monkeypatch.setattr(services, "MAX_STORED_ERRORS", 3)

    item = run_import(
        cast.access(cast.dana),
        cast.dana,
        roster_csv(*[f"bad{i},Bad {i},educator,,,,,," for i in range(5)]),
    )

    assert item.error_count == 5
    assert [error["row"] for error in item.errors] == [2, 3, 4]
    assert item.count("invalid") == 5
    assert item.can_apply is False  # nothing valid to write


def test_a_school_name_typed_in_another_case_matches_without_renaming(cast, run_import):
    item = run_import(
        cast.access(cast.dana),
        cast.dana,
        roster_csv("new@northfield.test,New Person,educator,NORTHFIELD middle,,,,,"),
    )

    assert (item.count("schools_created"), item.count("schools_updated")) == (0, 0)
    assert School.objects.filter(district=cast.district_a).count() == 2
    person = User.objects.get(email="new@northfield.test")
    assert memberships(person, cast.district_a) == [("educator", "Northfield Middle", True)]


def test_full_sync_keeps_the_people_of_a_conflicting_row(cast, run_import, apply_import):
    access = cast.access(cast.dana)
    EducatorProfile.objects.filter(user=cast.eve).update(source_id="E-25")
    data = roster_csv(
        "alice@northfield.test,Alice Archer,educator,,,,,,E-25",  # Alice's e-mail, Eve's id
        "carol@northfield.test,Carol Cruz,coach;educator,,,,,,",
    )

    preview = run_import(access, cast.dana, data, full_sync=True)
    applied = apply_import(access, cast.dana, preview)

    assert preview.count("invalid") == 1
    assert applied.count("deactivated") == 2
    assert [p["email"] for p in applied.preview["deactivations"]] == [
        "ada@northfield.test",
        "pat@northfield.test",
    ]
    for person in (cast.alice, cast.eve, cast.carol, cast.dana):
        assert {active for _r, _s, active in memberships(person, cast.district_a)} == {True}
