"""A small Northfield world for the recommend tests: an adopted framework and a catalog."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from trellis.catalog.tests.factories import OfferingFactory
from trellis.growth.tests.factories import BuiltFramework, build_framework
from trellis.recommend import inputs


@dataclass
class World:
    cast: object
    framework: BuiltFramework
    offerings: list  # one per competency (aligned to it), then a general one, then leadership

    @property
    def comps(self):
        return self.framework.competencies


@pytest.fixture(autouse=True)
def _fresh_catalog_cache():
    inputs.clear_catalog_cache()
    yield
    inputs.clear_catalog_cache()


def make_world(cast) -> World:
    built = build_framework(cast.district_a)
    offerings = []
    formats = ("in_person", "self_paced", "coaching", "plc")
    for n, item in enumerate(built.competencies):
        offering = OfferingFactory(
            district=cast.district_a,
            title=f"Offering for {item.human_code}",
            format=formats[n % len(formats)],
            hours=Decimal(2 + 6 * n),
            evidence_tier="2" if n % 2 == 0 else "none",
            design_features=["active_learning", "collaboration"],
        )
        offering.competencies.set([item])
        offerings.append(offering)
    general = OfferingFactory(
        district=cast.district_a, title="Everyone's welcome", hours=Decimal(3)
    )
    general.competencies.set([built.domains[0]])
    offerings.append(general)
    leadership = OfferingFactory(
        district=cast.district_a,
        title="Become a mentor teacher",
        hours=Decimal(20),
        career_stages=["experienced", "veteran"],
        leadership=True,
    )
    leadership.competencies.set([built.competencies[-1]])
    offerings.append(leadership)
    return World(cast=cast, framework=built, offerings=offerings)


@pytest.fixture
def world(cast) -> World:
    return make_world(cast)
