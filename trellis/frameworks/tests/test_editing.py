"""Editing a district's framework: details, items, order and the proficiency scale."""

from __future__ import annotations

import pytest

from trellis.audit.models import AuditEvent
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.frameworks import services
from trellis.frameworks.models import Framework, FrameworkItem
from trellis.frameworks.services import LevelDraft
from trellis.frameworks.tests.helpers import framework_snapshot


@pytest.fixture
def owned(cast) -> Framework:
    """District A's small framework: Domain D (1) with competencies 1.1 and 1.2; 1.1 has 1.1.a."""
    framework = Framework.objects.create(district=cast.district_a, title="Ours")
    domain = FrameworkItem.objects.create(
        framework=framework, kind="domain", human_code="1", title="Domain D"
    )
    first = FrameworkItem.objects.create(
        framework=framework, parent=domain, kind="competency", human_code="1.1", title="C1", depth=1
    )
    FrameworkItem.objects.create(
        framework=framework, parent=domain, kind="competency", human_code="1.2", title="C2",
        depth=1, position=1,
    )  # fmt: skip
    FrameworkItem.objects.create(
        framework=framework, parent=first, kind="indicator", human_code="1.1.a", title="I",
        depth=2,
    )  # fmt: skip
    return framework


def _item(framework: Framework, code: str) -> FrameworkItem:
    return framework.items.get(human_code=code)


def test_an_admin_edits_an_item_with_an_audit_row(cast, owned):
    item = _item(owned, "1.1")

    services.update_item(
        access=cast.access(cast.dana),
        actor=cast.dana,
        item=item,
        title="  Clear goals ",
        statement="States goals.",
        description="Why it matters.",
        human_code="1.1",
    )

    item.refresh_from_db()
    assert (item.title, item.statement, item.description) == (
        "Clear goals",
        "States goals.",
        "Why it matters.",
    )
    event = AuditEvent.objects.get(action="frameworks.item_updated")
    assert event.data["before"] == {"title": "C1", "human_code": "1.1"}


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": "   "}, "title_required"),
        ({"title": "x" * 501}, "title_too_long"),
        ({"title": "ok", "human_code": "c" * 61}, "human_code_too_long"),
    ],
)
def test_invalid_item_edits_are_refused_and_nothing_changes(cast, owned, fields, code):
    before = framework_snapshot()
    with pytest.raises(DomainError) as raised:
        services.update_item(
            access=cast.access(cast.dana), actor=cast.dana, item=_item(owned, "1.1"), **fields
        )
    assert raised.value.code == code
    assert framework_snapshot() == before


def test_adding_a_child_puts_it_last_under_its_parent(cast, owned):
    parent = _item(owned, "1")

    item = services.add_item(
        access=cast.access(cast.dana),
        actor=cast.dana,
        framework=owned,
        parent=parent,
        kind="competency",
        title="C3",
        human_code="1.3",
    )

    assert (item.parent, item.depth, item.position, item.kind) == (parent, 1, 2, "competency")
    top = services.add_item(
        access=cast.access(cast.dana), actor=cast.dana, framework=owned, parent=None,
        kind="domain", title="Domain E",
    )  # fmt: skip
    assert (top.depth, top.position) == (0, 1)
    assert AuditEvent.objects.filter(action="frameworks.item_added").count() == 2


def test_adding_refuses_unknown_kinds_and_items_of_another_framework(cast, owned):
    other = Framework.objects.create(district=cast.district_a, title="Other")
    stranger = FrameworkItem.objects.create(framework=other, title="Elsewhere")
    access = cast.access(cast.dana)
    codes = []
    for parent, kind in ((None, "chapter"), (stranger, "competency")):
        with pytest.raises(DomainError) as raised:
            services.add_item(
                access=access, actor=cast.dana, framework=owned, parent=parent, kind=kind, title="x"
            )
        codes.append(raised.value.code)
    assert codes == ["unknown_kind", "not_found"]


def test_only_leaf_items_can_be_deleted(cast, owned):
    access = cast.access(cast.dana)
    with pytest.raises(ConflictError) as raised:
        services.delete_item(access=access, actor=cast.dana, item=_item(owned, "1.1"))
    assert raised.value.code == "has_children"

    services.delete_item(access=access, actor=cast.dana, item=_item(owned, "1.1.a"))
    services.delete_item(access=access, actor=cast.dana, item=_item(owned, "1.1"))

    assert sorted(owned.items.values_list("human_code", flat=True)) == ["1", "1.2"]
    assert AuditEvent.objects.filter(action="frameworks.item_deleted").count() == 2


def test_moving_items_reorders_siblings(cast, owned):
    access = cast.access(cast.dana)
    services.move_item(access=access, actor=cast.dana, item=_item(owned, "1.2"), direction="up")

    order = list(
        _item(owned, "1").children.order_by("position").values_list("human_code", flat=True)
    )
    assert order == ["1.2", "1.1"]
    with pytest.raises(DomainError) as raised:
        services.move_item(access=access, actor=cast.dana, item=_item(owned, "1.2"), direction="up")
    assert (raised.value.code, raised.value.message) == (
        "cannot_move",
        "“1.2 C2” is already the first.",
    )
    with pytest.raises(DomainError) as raised:
        services.move_item(
            access=access, actor=cast.dana, item=_item(owned, "1.2"), direction="sideways"
        )
    assert raised.value.code == "unknown_direction"


def test_framework_details_can_be_edited(cast, owned):
    services.update_framework_details(
        access=cast.access(cast.dana), actor=cast.dana, framework=owned,
        title="Renamed", description="About", version="2",
    )  # fmt: skip
    owned.refresh_from_db()
    assert (owned.title, owned.description, owned.version) == ("Renamed", "About", "2")


# ---------------------------------------------------------------------------------------------
# the proficiency scale
# ---------------------------------------------------------------------------------------------


def test_a_valid_scale_replaces_the_old_one(cast, owned):
    levels = [
        LevelDraft(2, "Growing", "Some"),
        LevelDraft(1, " Starting ", ""),
        LevelDraft(3, "Skilled", "", True),
    ]
    services.update_scale(
        access=cast.access(cast.dana), actor=cast.dana, framework=owned, levels=levels
    )

    assert list(owned.levels.values_list("value", "label", "description", "is_target")) == [
        (1, "Starting", "", False),
        (2, "Growing", "Some", False),
        (3, "Skilled", "", True),
    ]
    event = AuditEvent.objects.get(action="frameworks.scale_updated")
    assert (
        event.summary
        == "Changed the proficiency scale of “Ours”: none → Starting / Growing / Skilled"
    )


@pytest.mark.parametrize(
    ("levels", "code", "message"),
    [
        (
            [LevelDraft(1, "Only", is_target=True)],
            "scale_size",
            "A proficiency scale needs 2 to 7 levels; this one has 1.",
        ),
        (
            [LevelDraft(n, f"L{n}", is_target=n == 1) for n in range(1, 9)],
            "scale_size",
            "A proficiency scale needs 2 to 7 levels; this one has 8.",
        ),
        (
            [LevelDraft(1, "A", is_target=True), LevelDraft(1, "B")],
            "scale_values",
            "Number the levels 1 to 2, each number once (1 is the lowest).",
        ),
        (
            [LevelDraft(1, "A", is_target=True), LevelDraft(3, "B")],
            "scale_values",
            "Number the levels 1 to 2, each number once (1 is the lowest).",
        ),
        (
            [LevelDraft(1, "A", is_target=True), LevelDraft(2, "  ")],
            "scale_label_required",
            "Give every level a label (missing for level 2).",
        ),
        (
            [LevelDraft(1, "A"), LevelDraft(2, "B")],
            "scale_target",
            "Mark exactly one level as the target level (now 0 are marked).",
        ),
        (
            [LevelDraft(1, "A", is_target=True), LevelDraft(2, "B", is_target=True)],
            "scale_target",
            "Mark exactly one level as the target level (now 2 are marked).",
        ),
    ],
)
def test_invalid_scales_are_refused_with_a_clear_message(cast, owned, levels, code, message):
    before = framework_snapshot()
    with pytest.raises(DomainError) as raised:
        services.update_scale(
            access=cast.access(cast.dana), actor=cast.dana, framework=owned, levels=levels
        )
    assert (raised.value.code, raised.value.message) == (code, message)
    assert framework_snapshot() == before


# ---------------------------------------------------------------------------------------------
# who may edit what
# ---------------------------------------------------------------------------------------------


def _every_edit(cast, user, framework: Framework) -> list[tuple[str, int]]:
    access = cast.access(user)
    item = framework.items.filter(children__isnull=True).first()
    calls = [
        lambda: services.update_item(access=access, actor=user, item=item, title="x"),
        lambda: services.add_item(
            access=access, actor=user, framework=framework, parent=None, kind="domain", title="x"
        ),
        lambda: services.delete_item(access=access, actor=user, item=item),
        lambda: services.move_item(access=access, actor=user, item=item, direction="up"),
        lambda: services.update_framework_details(
            access=access, actor=user, framework=framework, title="x"
        ),
        lambda: services.update_scale(
            access=access,
            actor=user,
            framework=framework,
            levels=[LevelDraft(1, "a", is_target=True), LevelDraft(2, "b")],
        ),
    ]
    outcomes = []
    for call in calls:
        with pytest.raises(DomainError) as raised:
            call()
        outcomes.append((raised.value.code, raised.value.status))
    return outcomes


def test_library_frameworks_are_read_only_even_for_admins(cast):
    starter, _ = services.ensure_library()
    before = framework_snapshot()

    assert _every_edit(cast, cast.dana, starter) == [("library_read_only", 409)] * 6
    assert framework_snapshot() == before


def test_another_districts_framework_looks_missing(cast, owned):
    before = framework_snapshot()
    assert _every_edit(cast, cast.bea, owned) == [("not_found", 404)] * 6
    assert framework_snapshot() == before


@pytest.mark.parametrize("user", ["alice", "carol", "ada", "pat"])
def test_other_roles_cannot_edit(cast, owned, user):
    before = framework_snapshot()
    outcomes = _every_edit(cast, getattr(cast, user), owned)
    assert outcomes == [("permission_denied", 403)] * 6
    assert framework_snapshot() == before
    assert isinstance(PermissionDenied(), DomainError)
