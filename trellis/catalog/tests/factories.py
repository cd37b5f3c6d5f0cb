import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from trellis.accounts.tests.factories import UserFactory
from trellis.catalog.models import (
    Enrollment,
    EnrollmentStatus,
    Offering,
    OfferingKind,
    OfferingSession,
    OfferingStatus,
)
from trellis.districts.tests.factories import DistrictFactory


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    district = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda n: f"Offering {n}")
    summary = "A practical workshop."
    description = "Participants practise the strategy and plan a lesson with it."
    kind = OfferingKind.WORKSHOP
    format = "in_person"
    provider = "District PD office"
    hours = Decimal(6)
    cost = Decimal(0)
    credit_amount = Decimal(6)
    credit_unit = "clock_hour"
    credit_category = "workshop"
    status = OfferingStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class OfferingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferingSession

    offering = factory.SubFactory(OfferingFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    location = "Central office, room 4"
    check_in_code = factory.Sequence(lambda n: f"CODE{n:04d}")


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    offering = factory.SubFactory(OfferingFactory)
    district = factory.LazyAttribute(lambda o: o.offering.district)
    educator = factory.SubFactory(UserFactory)
    status = EnrollmentStatus.ENROLLED
    requested_at = factory.LazyFunction(timezone.now)
