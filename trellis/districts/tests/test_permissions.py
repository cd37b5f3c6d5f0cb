"""What each role may do, written out by hand so that any change to ROLE_PERMISSIONS shows up here.

When a permission is added, add its row below: the table is the reviewed statement of who may
do what, and the tests fail until it matches the permission module.
"""

from __future__ import annotations

import pytest

from trellis.districts.models import Role
from trellis.districts.permissions import Perm, grantable_roles, has_perm, permissions_for

Y, N = True, False

ROLES = ["educator", "coach", "assessor", "approver", "district_admin"]

# fmt: off
TABLE: dict[Perm, tuple[bool, bool, bool, bool, bool]] = {
    #                              educator coach assessor approver admin
    Perm.VIEW_OWN_LEARNING:       (Y,       Y,    Y,       Y,       Y),
    Perm.VIEW_SCHOOL_STAFF:       (N,       Y,    N,       Y,       Y),
    Perm.VIEW_DISTRICT_STAFF:     (N,       N,    N,       N,       Y),
    Perm.MANAGE_PEOPLE:           (N,       N,    N,       N,       Y),
    Perm.VIEW_AUDIT_LOG:          (N,       N,    N,       N,       Y),
    Perm.ASSESS_SUBMISSIONS:      (N,       N,    Y,       N,       N),
    Perm.APPROVE_REQUESTS:        (N,       N,    N,       Y,       Y),
    Perm.COACH_EDUCATORS:         (N,       Y,    N,       N,       N),
    Perm.VIEW_CASELOAD:           (N,       Y,    N,       N,       N),
    Perm.IMPORT_OBSERVATIONS:     (N,       N,    N,       N,       Y),
    Perm.MANAGE_GROWTH_SETTINGS:  (N,       N,    N,       N,       Y),
    Perm.VIEW_FRAMEWORKS:         (Y,       Y,    Y,       Y,       Y),
    Perm.MANAGE_FRAMEWORKS:       (N,       N,    N,       N,       Y),
    Perm.IMPORT_ROSTER:           (N,       N,    N,       N,       Y),
    Perm.VIEW_CATALOG:            (Y,       Y,    Y,       Y,       Y),
    Perm.MANAGE_CATALOG:          (N,       N,    N,       N,       Y),
    Perm.MANAGE_CREDIT:           (N,       N,    N,       N,       Y),
    Perm.MANAGE_MICRO_CREDENTIALS: (N,      N,    N,       N,       Y),
    Perm.MANAGE_CREDENTIALS:      (N,       N,    N,       N,       Y),
    Perm.MANAGE_QUALITY:          (N,       N,    N,       N,       Y),
    Perm.MANAGE_INTEGRATIONS:     (N,       N,    N,       N,       Y),
    Perm.VIEW_DEMAND:             (N,       N,    N,       N,       Y),
    Perm.MANAGE_RECOMMENDATIONS:  (N,       N,    N,       N,       Y),
    Perm.VIEW_REPORTS:            (N,       N,    N,       N,       Y),
    Perm.VIEW_SCHOOL_REPORTS:     (N,       N,    N,       Y,       Y),
}
# fmt: on

MATRIX = [
    (role, perm, allowed)
    for perm, row in TABLE.items()
    for role, allowed in zip(ROLES, row, strict=True)
]


def _granted_by_table(roles: list[str]) -> frozenset[Perm]:
    return frozenset(perm for role, perm, allowed in MATRIX if allowed and role in roles)


def test_the_table_has_a_row_for_every_permission():
    assert sorted(TABLE) == sorted(Perm)


def test_the_table_has_a_column_for_every_role():
    assert sorted(ROLES) == sorted(Role.values)


@pytest.mark.parametrize(
    ("role", "perm", "expected"),
    MATRIX,
    ids=[f"{role}-{perm.value}" for role, perm, _allowed in MATRIX],
)
def test_a_role_holds_exactly_the_permissions_of_the_table(role, perm, expected):
    assert has_perm([role], perm) is expected


@pytest.mark.parametrize(
    "roles",
    [
        ["coach", "assessor"],
        ["approver", "educator", "approver"],
        ["district_admin", "assessor"],
        ROLES,
    ],
)
def test_several_roles_hold_the_union_of_their_permissions(roles):
    assert permissions_for(roles) == _granted_by_table(roles)


def test_every_role_may_view_its_own_learning_and_only_admins_manage_people():
    assert [has_perm([r], Perm.VIEW_OWN_LEARNING) for r in ROLES] == [Y, Y, Y, Y, Y]
    assert [has_perm([r], Perm.MANAGE_PEOPLE) for r in ROLES] == [N, N, N, N, Y]


def test_nobody_without_a_role_holds_any_permission():
    assert permissions_for([]) == frozenset()
    assert not any(has_perm([], perm) for perm in Perm)


def test_an_unknown_role_name_is_an_error_not_a_silent_grant():
    with pytest.raises(ValueError, match="'wizard' is not a valid Role"):
        has_perm(["wizard"], Perm.VIEW_OWN_LEARNING)


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        (["district_admin"], list(Role)),
        (["district_admin", "educator"], list(Role)),
        (["approver", "coach", "assessor", "educator"], []),
        ([], []),
    ],
)
def test_only_district_admins_may_grant_roles_and_they_may_grant_every_role(roles, expected):
    assert grantable_roles(roles) == expected
