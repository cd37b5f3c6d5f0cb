"""The shipped library, adoption and copies."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from trellis.audit.models import AuditEvent
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.frameworks import services
from trellis.frameworks.exporting import case_package
from trellis.frameworks.models import Framework
from trellis.frameworks.tests.helpers import case_schema_errors, framework_snapshot


def _library() -> tuple[Framework, Framework]:
    starter, learning_forward = services.ensure_library()
    return starter, learning_forward


def test_the_starter_framework_has_eight_domains_of_competencies_with_indicators(db):
    starter, _ = _library()

    assert starter.district is None
    assert starter.is_library
    assert (starter.source, starter.purpose) == ("starter", "educator_practice")
    domains = list(starter.items.filter(parent=None).order_by("position"))
    assert [d.title for d in domains] == [
        "Planning for Learning",
        "Instruction and Engagement",
        "Assessment and Feedback",
        "Classroom Community",
        "Equity and Diverse Learners",
        "Technology for Learning",
        "Collaboration and Leadership",
        "Professional Responsibility and Growth",
    ]
    assert starter.items.filter(kind="competency").count() == 29
    assert starter.items.filter(kind="indicator").count() == 70
    for domain in domains:
        assert 3 <= domain.children.count() <= 4, domain.title
    for competency in starter.items.filter(kind="competency"):
        assert competency.statement, competency.title
        assert 2 <= competency.children.count() <= 3, competency.title
    assert list(starter.levels.values_list("value", "label", "is_target")) == [
        (1, "Emerging", False),
        (2, "Developing", False),
        (3, "Proficient", True),
        (4, "Leading", False),
    ]
    planning = starter.items.get(human_code="1.2")
    assert planning.title == "Setting clear learning goals"
    assert planning.parent == domains[0]
    assert [c.human_code for c in planning.children.order_by("position")] == [
        "1.2.a",
        "1.2.b",
        "1.2.c",
    ]


def test_the_learning_forward_standards_are_the_pd_quality_frame(db):
    _, learning_forward = _library()

    assert learning_forward.purpose == Framework.Purpose.PD_QUALITY
    assert learning_forward.source == Framework.Source.LEARNING_FORWARD
    groups = learning_forward.items.filter(parent=None).order_by("position")
    assert [g.title for g in groups] == [
        "Conditions for Success",
        "Transformational Processes",
        "Rigorous Content for Each Learner",
    ]
    standards = learning_forward.items.filter(kind="standard").order_by(
        "parent__position", "position"
    )
    assert [s.title for s in standards] == [
        "Equity Foundations",
        "Culture of Collaborative Inquiry",
        "Leadership",
        "Resources",
        "Equity Drivers",
        "Evidence",
        "Learning Designs",
        "Implementation",
        "Equity Practices",
        "Curriculum, Assessment, and Instruction",
        "Professional Expertise",
    ]
    assert all(s.statement for s in standards)


def test_ensure_library_is_idempotent_and_keeps_identifiers(db):
    starter, _ = _library()
    ids = sorted(starter.items.values_list("case_identifier", "public_id"))
    before = framework_snapshot()

    again, _ = _library()

    assert again.pk == starter.pk
    assert framework_snapshot() == before
    assert sorted(again.items.values_list("case_identifier", "public_id")) == ids
    assert Framework.objects.filter(district=None).count() == 2


def test_ensure_library_repairs_a_changed_library(db):
    starter, _ = _library()
    item = starter.items.get(human_code="3.3")
    item.title = "Vandalised"
    item.save()
    starter.items.get(human_code="8.3.c").delete()

    _library()

    item.refresh_from_db()
    assert item.title == "Giving useful feedback"
    assert starter.items.filter(human_code="8.3.c").count() == 1


@pytest.mark.parametrize("index", [0, 1])
def test_library_exports_validate_against_the_case_schema(db, index):
    framework = _library()[index]
    exported = case_package(framework, base_url="https://trellis.example")

    assert case_schema_errors(exported) == []
    assert len(exported["CFItems"]) == framework.items.count()
    item = exported["CFItems"][0]
    assert item["uri"].startswith(
        f"https://trellis.example/frameworks/{framework.public_id}/#item-"
    )


def test_adopting_the_starter_copies_it_into_the_district_and_marks_it_adopted(cast):
    starter, _ = _library()

    adopted = services.adopt_framework(
        access=cast.access(cast.dana), actor=cast.dana, framework=starter
    )

    assert adopted.pk != starter.pk
    assert (adopted.district, adopted.is_adopted, adopted.copied_from) == (
        cast.district_a,
        True,
        starter,
    )
    assert adopted.source == Framework.Source.COPY
    assert adopted.items.count() == starter.items.count() == 107
    assert adopted.levels.count() == 4
    # Items keep their stable identifiers, so the copy still points at the same competencies.
    assert sorted(adopted.items.values_list("case_identifier", flat=True)) == sorted(
        starter.items.values_list("case_identifier", flat=True)
    )
    assert adopted.items.get(human_code="2.2.b").parent.human_code == "2.2"
    event = AuditEvent.objects.get(action="frameworks.adopted")
    assert (event.actor, event.district) == (cast.dana, cast.district_a)
    starter.refresh_from_db()
    assert starter.is_adopted is False


def test_adopting_another_framework_replaces_the_first_exactly_one_stays_adopted(cast):
    starter, _ = _library()
    access = cast.access(cast.dana)
    first = services.adopt_framework(access=access, actor=cast.dana, framework=starter)
    second = services.copy_framework(access=access, actor=cast.dana, framework=first, title="Ours")

    services.adopt_framework(access=access, actor=cast.dana, framework=second)

    assert list(
        Framework.objects.filter(district=cast.district_a, is_adopted=True).values_list(
            "title", flat=True
        )
    ) == ["Ours"]


def test_adopting_the_already_adopted_framework_again_is_refused(cast):
    starter, _ = _library()
    access = cast.access(cast.dana)
    adopted = services.adopt_framework(access=access, actor=cast.dana, framework=starter)
    before = framework_snapshot()

    for framework in (starter, adopted):
        with pytest.raises(ConflictError) as raised:
            services.adopt_framework(access=access, actor=cast.dana, framework=framework)
        assert raised.value.code == "already_adopted"
    assert framework_snapshot() == before


def test_the_database_refuses_two_adopted_frameworks_in_one_district(cast):
    Framework.objects.create(district=cast.district_a, title="One", is_adopted=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Framework.objects.create(district=cast.district_a, title="Two", is_adopted=True)


def test_a_pd_quality_framework_cannot_be_adopted(cast):
    _, learning_forward = _library()
    with pytest.raises(DomainError) as raised:
        services.adopt_framework(
            access=cast.access(cast.dana), actor=cast.dana, framework=learning_forward
        )
    assert raised.value.code == "not_adoptable"
    assert Framework.objects.filter(district=cast.district_a).count() == 0


def test_copying_keeps_structure_scale_and_associations(cast):
    starter, _ = _library()
    access = cast.access(cast.dana)

    copy = services.copy_framework(access=access, actor=cast.dana, framework=starter)

    assert copy.title == "Trellis Teaching Competencies (copy)"
    assert (copy.is_adopted, copy.case_identifier, copy.copied_from) == (False, "", starter)
    assert copy.items.count() == 107
    assert AuditEvent.objects.filter(action="frameworks.copied").count() == 1


def test_another_districts_framework_cannot_be_copied_or_adopted(cast):
    starter, _ = _library()
    theirs = services.copy_framework(
        access=cast.access(cast.bea), actor=cast.bea, framework=starter
    )
    before = framework_snapshot()

    for service in (services.copy_framework, services.adopt_framework):
        with pytest.raises(DomainError) as raised:
            service(access=cast.access(cast.dana), actor=cast.dana, framework=theirs)
        assert (raised.value.code, raised.value.status) == ("not_found", 404)
    assert framework_snapshot() == before


@pytest.mark.parametrize("user", ["alice", "carol", "ada", "pat"])
def test_only_district_admins_adopt_or_copy(cast, user):
    starter, _ = _library()
    person = getattr(cast, user)
    for service in (services.copy_framework, services.adopt_framework):
        with pytest.raises(PermissionDenied):
            service(access=cast.access(person), actor=person, framework=starter)
    assert Framework.objects.filter(district__isnull=False).count() == 0
