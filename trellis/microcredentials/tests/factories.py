import factory
from django.utils import timezone

from trellis.districts.tests.factories import DistrictFactory
from trellis.microcredentials.models import (
    DefinitionVersion,
    MicroCredential,
    RequirementPart,
    RubricCriterion,
)

TWO_LEVELS = [
    {"key": "not_yet", "label": "Not yet", "descriptor": "The evidence does not yet show it."},
    {"key": "proficient", "label": "Proficient", "descriptor": "The evidence clearly shows it."},
]


class MicroCredentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MicroCredential

    district = factory.SubFactory(DistrictFactory)
    slug = factory.Sequence(lambda n: f"micro-credential-{n}")
    status = MicroCredential.Status.PUBLISHED


class DefinitionVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DefinitionVersion

    micro_credential = factory.SubFactory(MicroCredentialFactory)
    number = 1
    status = DefinitionVersion.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    title = factory.Sequence(lambda n: f"Checking for understanding {n}")
    issuer_name = "District PD office"
    key_method = "Plan and use hinge questions, then adjust teaching from the responses."
    method_components = factory.LazyFunction(lambda: ["Plan", "Ask", "Adjust"])


class RequirementPartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequirementPart

    version = factory.SubFactory(DefinitionVersionFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = RequirementPart.Kind.OVERVIEW
    title = "Your context"
    prompt = "Describe the class and the unit where you used the method."


class RubricCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RubricCriterion

    part = factory.SubFactory(RequirementPartFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = "Clarity of context"
    levels = factory.LazyFunction(lambda: list(TWO_LEVELS))


def published_definition(district, *, parts=("overview", "artifact", "reflection"), title=None):
    """A published version with one part of each kind and one criterion per part."""
    version = DefinitionVersionFactory(
        micro_credential__district=district, **({"title": title} if title else {})
    )
    for index, kind in enumerate(parts, start=1):
        part = RequirementPartFactory(
            version=version,
            position=index,
            kind=kind,
            title=f"Part {index}",
            accepted_types=["document", "image", "video", "link"] if kind == "artifact" else [],
        )
        RubricCriterionFactory(part=part, position=1, name=f"Criterion {index}")
    return version
