from trellis.frameworks.services.library import adopt_framework, library_framework
from trellis.microcredentials.demo import seed_definitions
from trellis.microcredentials.demo_definitions import DEFINITIONS
from trellis.microcredentials.models import DefinitionVersion, MicroCredential, Stack


def test_seed_publishes_every_definition_and_both_stacks_once(cast):
    adopt_framework(
        access=cast.access(cast.dana), actor=cast.dana, framework=library_framework("starter")
    )
    seeded = seed_definitions(cast.district_a)

    assert len(seeded) == len(DEFINITIONS) >= 12
    published = MicroCredential.objects.filter(
        district=cast.district_a, status=MicroCredential.Status.PUBLISHED
    )
    assert published.count() == len(DEFINITIONS)
    versions = DefinitionVersion.objects.filter(micro_credential__district=cast.district_a)
    assert set(versions.values_list("status", flat=True)) == {"published"}
    for version in versions.prefetch_related("parts__criteria", "competencies"):
        assert version.competencies.exists()
        parts = list(version.parts.all())
        assert 3 <= len(parts) <= 4
        assert all(2 <= len(part.criteria.all()) <= 4 for part in parts)
    stacks = {s.title: s for s in Stack.objects.filter(district=cast.district_a)}
    assert sorted(stacks) == ["Classroom discourse", "Formative assessment"]
    assert stacks["Formative assessment"].required_count == 3
    assert stacks["Formative assessment"].members.count() == 4
    assert stacks["Classroom discourse"].members.count() == 3

    seed_definitions(cast.district_a)  # idempotent
    assert MicroCredential.objects.filter(district=cast.district_a).count() == len(DEFINITIONS)
    assert versions.count() == len(DEFINITIONS)
    assert Stack.objects.filter(district=cast.district_a).count() == 2


def test_seed_skips_definitions_without_matching_competencies(cast):
    assert seed_definitions(cast.district_b) == []  # Southport adopted no framework
    assert not MicroCredential.objects.filter(district=cast.district_b).exists()
    assert not Stack.objects.filter(district=cast.district_b).exists()
