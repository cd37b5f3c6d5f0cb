"""The fixed test cast, across two districts.

District A "Northfield": alice (educator, Northfield Middle), carol (coach, Northfield Middle),
ada (assessor), pat (principal of Northfield Middle), dana (district admin); eve teaches at
Northfield Elementary. District B "Southport": bob (educator), bea (district admin).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from trellis.accounts.models import User
from trellis.accounts.tests.factories import TEST_PASSWORD, UserFactory
from trellis.districts.models import District, Role, School
from trellis.districts.queries import DistrictAccess, access_for
from trellis.districts.tests.factories import DistrictFactory, MembershipFactory, SchoolFactory
from trellis.growth.tests.factories import EducatorProfileFactory


@dataclass
class Cast:
    district_a: District
    district_b: District
    middle_a: School
    elementary_a: School
    school_b: School
    alice: User
    carol: User
    ada: User
    pat: User
    dana: User
    eve: User
    bob: User
    bea: User

    def access(self, user: User, district: District | None = None) -> DistrictAccess:
        district = district or (
            self.district_b if user in (self.bob, self.bea) else self.district_a
        )
        found = access_for(user, district)
        assert found is not None
        return found


def _person(
    email: str, name: str, district: District, roles: list[str], school: School | None, years: int
) -> User:
    user = UserFactory(email=email, full_name=name)
    for role in roles:
        MembershipFactory(user=user, district=district, role=role, school=school)
    EducatorProfileFactory(user=user, district=district, years_experience=years)
    return user


@pytest.fixture
def cast(db: None) -> Cast:
    a = DistrictFactory(name="Northfield", slug="northfield", state_code="TX")
    b = DistrictFactory(name="Southport", slug="southport", state_code="NY")
    middle = SchoolFactory(district=a, name="Northfield Middle", grade_span="6-8")
    elementary = SchoolFactory(district=a, name="Northfield Elementary", grade_span="K-5")
    school_b = SchoolFactory(district=b, name="Southport High", grade_span="9-12")
    return Cast(
        district_a=a,
        district_b=b,
        middle_a=middle,
        elementary_a=elementary,
        school_b=school_b,
        alice=_person("alice@northfield.test", "Alice Archer", a, [Role.EDUCATOR], middle, 1),
        carol=_person(
            "carol@northfield.test", "Carol Cruz", a, [Role.COACH, Role.EDUCATOR], middle, 11
        ),
        ada=_person(
            "ada@northfield.test", "Ada Abbott", a, [Role.ASSESSOR, Role.EDUCATOR], elementary, 14
        ),
        pat=_person(
            "pat@northfield.test", "Pat Park", a, [Role.APPROVER, Role.EDUCATOR], middle, 18
        ),
        dana=_person("dana@northfield.test", "Dana Diaz", a, [Role.DISTRICT_ADMIN], None, 9),
        eve=_person("eve@northfield.test", "Eve Evans", a, [Role.EDUCATOR], elementary, 25),
        bob=_person("bob@southport.test", "Bob Brown", b, [Role.EDUCATOR], school_b, 6),
        bea=_person("bea@southport.test", "Bea Bell", b, [Role.DISTRICT_ADMIN], None, 12),
    )


@pytest.fixture
def client_for(db: None):
    """A Django test client signed in as the given user."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user, backend="trellis.accounts.backends.EmailBackend")
        return client

    return make


@pytest.fixture
def api_client_for(db: None):
    """A test client that sends a fresh bearer token for the given user."""
    from trellis.accounts.services import create_api_token

    def make(user: User) -> Client:
        _token, secret = create_api_token(user=user, name="tests")
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    return make


__all__ = ["TEST_PASSWORD", "Cast"]
