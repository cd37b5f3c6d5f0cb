"""The log: validation, counting under the district's caps (exact values), editing and
deleting counted entries, permissions and the tenant boundary."""

# ruff: noqa: E501 (expected messages are quoted whole)

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from trellis.audit.models import AuditEvent
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.credit.models import CreditAward
from trellis.credit.services import revoke_award
from trellis.informal.models import InformalEntry, InformalRules
from trellis.informal.services import entries, rules
from trellis.informal.services.counting import school_year

pytestmark = pytest.mark.django_db


def log(cast, user=None, **fields):
    user = user or cast.alice
    values = {
        "title": "Think-pair-share in maths",
        "minutes": 30,
        "format": "video",
        "learned_on": timezone.localdate(),
        "url": "https://www.youtube.com/watch?v=tps",
        "reflection": "Try it on Monday.",
    }
    values.update(fields)
    return entries.create_entry(access=cast.access(user), actor=user, **values)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": " "}, "title", "Enter the title."),
        (
            {"title": "x" * 201},
            "title",
            "The title is too long: at most 200 characters (201 given).",
        ),
        (
            {"minutes": 0},
            "minutes",
            "The time spent must be between 1 and 1440 minutes (a day); 0 given.",
        ),
        (
            {"minutes": 1441},
            "minutes",
            "The time spent must be between 1 and 1440 minutes (a day); 1441 given.",
        ),
        ({"minutes": "half an hour"}, "minutes", "Enter the time spent in whole minutes."),
        (
            {"url": "javascript:alert(1)"},
            "url",
            "Enter a web link starting with http:// or https://.",
        ),
        (
            {"url": "ftp://files.example.org/x"},
            "url",
            "Enter a web link starting with http:// or https://.",
        ),
        (
            {"format": "tv"},
            "format",
            "Choose what kind of learning it was: video, podcast, article, social media chat, book, colleague visit, edcamp, online course, other.",
        ),
        ({"learned_on": timezone.localdate() + dt.timedelta(days=1)}, "learned_on", None),
        ({"learned_on": "soon"}, "learned_on", "Enter the date you learned it as YYYY-MM-DD."),
        (
            {"reflection": "x" * 2001},
            "reflection",
            "The reflection is too long: at most 2000 characters (2001 given).",
        ),
        (
            {"competency": "not-a-competency"},
            "competency",
            "“not-a-competency” is not a competency of your district's framework.",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_written(cast, fields, field, message) -> None:
    with pytest.raises(DomainError) as caught:
        log(cast, **fields)
    assert caught.value.details == {"field": field}
    if message:
        assert caught.value.message == message
    else:
        assert "is in the future; log learning once it is done." in caught.value.message
    assert InformalEntry.objects.count() == 0


def test_logging_without_rules_counts_nothing_and_is_audited(cast) -> None:
    entry = log(cast)
    assert entry.counted_hours is None
    assert entry.credit_note == "Your district does not count informal learning toward credit."
    assert CreditAward.objects.count() == 0
    assert AuditEvent.objects.filter(action="informal.entry.logged").count() == 1


def test_caps_per_entry_and_per_year_exact_values(cast, capped_rules) -> None:
    first = log(cast, minutes=90)
    assert (first.counted_hours, first.credit_note) == (Decimal("1.50"), "Counted 1.5 h.")
    long = log(cast, minutes=180)
    assert (long.counted_hours, long.credit_note) == (
        Decimal("2.00"),
        "Counted 2 of 3 h: the district counts at most 2 h for one entry.",
    )
    for _ in range(3):
        log(cast, minutes=120)  # 5.5, 7.5, 9.5 h
    crossing = log(cast, minutes=60)
    assert (crossing.counted_hours, crossing.credit_note) == (
        Decimal("0.50"),
        "Counted 0.5 of 1 h: the district counts at most 10 h of informal learning a year.",
    )
    after = log(cast, minutes=30)
    assert (after.counted_hours, after.credit_note) == (
        Decimal("0.00"),
        "Counted 0 of 0.5 h: the district counts at most 10 h of informal learning a year.",
    )
    awards = CreditAward.objects.filter(educator=cast.alice, source="informal")
    assert sum(a.amount for a in awards) == Decimal(10)
    assert awards.count() == 6  # nothing recorded for the entry that counted 0
    award = awards.get(source_ref=str(crossing.public_id))
    assert (award.unit, award.category, award.hours, award.completed_on) == (
        "clock_hour",
        "informal",
        Decimal("0.50"),
        crossing.learned_on,
    )
    # Another educator has their own cap.
    assert log(cast, user=cast.eve, minutes=60).counted_hours == Decimal("1.00")


def test_last_years_learning_does_not_use_this_years_cap(cast, capped_rules) -> None:
    start, _ = school_year(timezone.localdate())
    for _ in range(5):
        log(cast, minutes=120, learned_on=start - dt.timedelta(days=10))
    assert log(cast, minutes=60).counted_hours == Decimal("1.00")


def test_reflection_and_formats_rules(cast, capped_rules) -> None:
    silent = log(cast, reflection="")
    assert (silent.counted_hours, silent.credit_note) == (
        None,
        "Add a reflection to count this toward credit.",
    )
    edited = entries.update_entry(
        access=cast.access(cast.alice),
        actor=cast.alice,
        entry=silent,
        title=silent.title,
        url=silent.url,
        minutes=30,
        format="video",
        learned_on=silent.learned_on,
        reflection="Now with a reflection.",
    )
    assert (edited.counted_hours, edited.credit_note) == (Decimal("0.50"), "Counted 0.5 h.")
    rules.update_rules(
        access=cast.access(cast.dana),
        actor=cast.dana,
        counts_toward_credit=True,
        yearly_cap_hours="10",
        counted_formats=["video", "book"],
    )
    social = log(cast, format="social")
    assert (
        social.credit_note
        == "Your district does not count “social media chat” learning toward credit."
    )


def test_counted_entries_keep_their_credit_fields(cast, capped_rules) -> None:
    entry = log(cast, minutes=60)
    access = cast.access(cast.alice)
    base = dict(  # noqa: C408 (reads like the keyword arguments it becomes)
        title=entry.title,
        url=entry.url,
        minutes=60,
        format="video",
        learned_on=entry.learned_on,
        reflection=entry.reflection,
    )
    with pytest.raises(ConflictError) as caught:
        entries.update_entry(
            access=access, actor=cast.alice, entry=entry, **{**base, "minutes": 600}
        )
    assert caught.value.details == {"field": "minutes"}
    assert caught.value.message.startswith("This entry already counts toward your credit (1 h)")
    renamed = entries.update_entry(
        access=access, actor=cast.alice, entry=entry, **{**base, "title": "Renamed"}
    )
    assert renamed.title == "Renamed"
    with pytest.raises(ConflictError):
        entries.delete_entry(access=access, actor=cast.alice, entry=entry)
    award = CreditAward.objects.get(source_ref=str(entry.public_id))
    revoke_award(access=cast.access(cast.dana), actor=cast.dana, award=award, reason="Duplicate")
    entries.delete_entry(access=access, actor=cast.alice, entry=entry)
    assert not InformalEntry.objects.filter(pk=entry.pk).exists()


def test_revoked_credit_is_never_given_again(cast, capped_rules) -> None:
    entry = log(cast, minutes=60)
    award = CreditAward.objects.get(source_ref=str(entry.public_id))
    revoke_award(access=cast.access(cast.dana), actor=cast.dana, award=award, reason="Not PD")
    edited = entries.update_entry(
        access=cast.access(cast.alice),
        actor=cast.alice,
        entry=entry,
        title="x",
        url="",
        minutes=90,
        format="video",
        learned_on=entry.learned_on,
        reflection="r",
    )
    assert (edited.counted_hours, edited.credit_note) == (
        None,
        "The credit for this entry was revoked, so it is not counted again.",
    )


def test_only_the_owner_changes_an_entry(cast) -> None:
    entry = log(cast)
    with pytest.raises(PermissionDenied):
        entries.delete_entry(access=cast.access(cast.eve), actor=cast.eve, entry=entry)
    with pytest.raises(PermissionDenied):
        entries.delete_entry(access=cast.access(cast.bob), actor=cast.bob, entry=entry)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"yearly_cap_hours": "-1"},
            "yearly_cap_hours",
            "The yearly cap must be more than 0 and at most 1000 hours.",
        ),
        (
            {"yearly_cap_hours": "ten"},
            "yearly_cap_hours",
            "Enter the yearly cap as a number of hours.",
        ),
        (
            {"entry_cap_hours": "25"},
            "entry_cap_hours",
            "The cap per entry must be more than 0 and at most 24 hours.",
        ),
        ({"counted_formats": ["tv"]}, "counted_formats", "“tv” is not a kind of learning."),
    ],
)
def test_rules_validation(cast, fields, field, message) -> None:
    with pytest.raises(DomainError) as caught:
        rules.update_rules(
            access=cast.access(cast.dana), actor=cast.dana, counts_toward_credit=True, **fields
        )
    assert (caught.value.details, caught.value.message) == ({"field": field}, message)
    assert InformalRules.objects.count() == 0


def test_rules_need_manage_credit(cast) -> None:
    with pytest.raises(PermissionDenied):
        rules.update_rules(
            access=cast.access(cast.alice), actor=cast.alice, counts_toward_credit=True
        )
