"""Factories for the credit ledger, licences and salary lanes."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import factory

from trellis.credit.models import CreditAward, CreditSource, License, SalaryLane


class CreditAwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreditAward

    source = CreditSource.OFFERING
    source_ref = factory.LazyFunction(lambda: uuid.uuid4().hex)
    title = factory.Sequence(lambda n: f"Workshop {n}")
    provider = "Region 13 ESC"
    provider_approved = True
    completed_on = dt.date(2024, 3, 1)
    amount = Decimal(6)
    unit = "clock_hour"
    category = "workshop"
    topics = factory.LazyFunction(list)
    related_to_certificate = True
    hours = factory.LazyAttribute(lambda o: o.amount if o.unit == "clock_hour" else Decimal(0))


class LicenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = License

    rule_set_key = "TX/classroom_teacher"
    number = factory.Sequence(lambda n: f"TX-{1000 + n}")
    cycle_start = dt.date(2022, 9, 1)
    cycle_end = dt.date(2027, 8, 31)


class SalaryLaneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalaryLane

    name = factory.Sequence(lambda n: f"Lane {n}")
    position = factory.Sequence(lambda n: n + 1)
    credits_required = Decimal(15)
    micro_credentials_required = None
