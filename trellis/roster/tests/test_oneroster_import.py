"""OneRoster exports imported into a district: the real sample and a staff export."""

from __future__ import annotations

import pytest

from trellis.accounts.models import User
from trellis.districts.models import Membership, School
from trellis.growth.models import EducatorProfile
from trellis.roster import oneroster
from trellis.roster.tests.conftest import table_counts
from trellis.roster.tests.test_oneroster import MANIFEST, ORGS, sample_files, users

pytestmark = pytest.mark.django_db

STAFF = {
    "manifest.csv": MANIFEST,
    "orgs.csv": ORGS,
    "users.csv": users(
        't1,,,true,s1,teacher,,,Tia,Tran,,,tia@pv.test,,,,"09,10",',
        "a1,,,true,s2,administrator,,,Al,Aziz,,,al@pv.test,,,,,",
        "x1,,,true,s2,aide,,,Ida,Ives,,,ida@pv.test,,,,KG,",
        "st1,,,true,s1,student,,,Stu,Dent,,,stu@pv.test,,,,10,",
        "g1,,,true,s1,guardian,,,Gus,Gray,,,gus@pv.test,,,,,",
    ),
}


def test_the_real_sample_creates_its_school_and_skips_its_twenty_students(cast, run_import):
    people_before = User.objects.count()

    item = run_import(
        cast.access(cast.dana), cast.dana, oneroster.bundle(sample_files()), name="sample.zip"
    )

    assert (item.status, item.format, item.applied_at is not None) == (
        "succeeded",
        "oneroster",
        True,
    )
    assert item.counts == {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "deactivated": 0,
        "skipped": 20,
        "invalid": 0,
        "new_accounts": 0,
        "reactivated": 0,
        "schools_created": 1,
        "schools_updated": 0,
    }
    assert item.preview["skipped"] == {"student": 20}
    assert len(item.notices) == 2
    school = School.objects.get(district=cast.district_a, name="Sample School")
    assert school.source_id == "or0001"
    assert User.objects.count() == people_before


def test_a_staff_export_creates_educators_and_leaders_at_their_schools(cast, run_import):
    item = run_import(cast.access(cast.dana), cast.dana, oneroster.bundle(STAFF), name="x.zip")

    assert (item.count("created"), item.count("skipped"), item.count("schools_created")) == (
        3,
        2,
        2,
    )
    roles = {
        (m.user.email, m.role, m.school.name)
        for m in Membership.objects.filter(
            district=cast.district_a, user__email__endswith="@pv.test"
        ).select_related("user", "school")
    }
    assert roles == {
        ("tia@pv.test", "educator", "Pine Valley High"),
        ("al@pv.test", "educator", "Pine Valley Elementary"),
        ("al@pv.test", "approver", "Pine Valley Elementary"),
        ("ida@pv.test", "educator", "Pine Valley Elementary"),
    }
    profiles = {
        p.user.email: (p.position, p.grade_bands, p.source_id)
        for p in EducatorProfile.objects.filter(
            district=cast.district_a, user__email__endswith="@pv.test"
        ).select_related("user")
    }
    assert profiles == {
        "tia@pv.test": ("teacher", ["9_12"], "t1"),
        "al@pv.test": ("leader", [], "a1"),
        "ida@pv.test": ("para", ["k_5"], "x1"),
    }
    assert not User.objects.filter(email__in=["stu@pv.test", "gus@pv.test"]).exists()


def test_reimporting_an_export_is_idempotent_and_schools_match_by_source_id(cast, run_import):
    access = cast.access(cast.dana)
    run_import(access, cast.dana, oneroster.bundle(STAFF), name="x.zip")
    School.objects.filter(source_id="s1").update(name="PV High (renamed here)")
    before = table_counts()

    renamed_back = run_import(access, cast.dana, oneroster.bundle(STAFF), name="x.zip")

    assert renamed_back.counts["schools_updated"] == 1
    assert (renamed_back.count("created"), renamed_back.count("updated")) == (0, 0)
    assert renamed_back.count("unchanged") == 3
    assert School.objects.get(source_id="s1").name == "Pine Valley High"
    third = run_import(access, cast.dana, oneroster.bundle(STAFF), name="x.zip")
    assert (third.count("created"), third.count("updated"), third.count("schools_updated")) == (
        0,
        0,
        0,
    )
    assert {k: v for k, v in table_counts().items() if k != "audit.AuditEvent"} == {
        k: v for k, v in before.items() if k != "audit.AuditEvent"
    }
