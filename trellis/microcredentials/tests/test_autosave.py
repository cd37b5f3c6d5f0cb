"""Autosave: per-field last write wins across two tabs, every save kept as a revision, word
limits, and the throttled `autosaved` event."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from trellis.core.errors import DomainError
from trellis.microcredentials.models import Answer, AnswerRevision, SubmissionEvent
from trellis.microcredentials.services import submissions as services
from trellis.microcredentials.tests.earning_support import make_definition, part, start


@pytest.fixture
def definition(cast):
    return make_definition(cast)


@pytest.fixture
def draft(cast, definition):
    return start(cast, cast.alice, definition)


def save(cast, submission, answers, *, tab="", base=None, explicit=False):
    return services.save_answers(
        access=cast.access(cast.alice),
        actor=cast.alice,
        submission=submission,
        answers=answers,
        client_id=tab,
        base_revisions=base,
        explicit=explicit,
    )


def history(submission, p):
    return list(
        AnswerRevision.objects.filter(answer__submission=submission, answer__part=p)
        .order_by("revision")
        .values_list("revision", "text", "client_id")
    )


def test_two_tabs_editing_different_fields_never_clobber_each_other(cast, definition, draft):
    overview, reflection = part(definition, "overview"), part(definition, "reflection")
    o, r = str(overview.public_id), str(reflection.public_id)
    # Both tabs loaded the page at revision 0 of both fields; each only sends its own field.
    save(cast, draft, {o: "Tab A: context v1"}, tab="tab-a", base={o: 0})
    save(cast, draft, {r: "Tab B: reflection v1"}, tab="tab-b", base={r: 0})
    save(cast, draft, {o: "Tab A: context v2"}, tab="tab-a", base={o: 1})
    save(cast, draft, {r: "Tab B: reflection v2"}, tab="tab-b", base={r: 1})
    answers = {a.part_id: a for a in Answer.objects.filter(submission=draft)}
    assert answers[overview.pk].text == "Tab A: context v2"
    assert answers[overview.pk].revision == 2
    assert answers[reflection.pk].text == "Tab B: reflection v2"
    assert answers[reflection.pk].revision == 2
    assert history(draft, overview) == [
        (1, "Tab A: context v1", "tab-a"),
        (2, "Tab A: context v2", "tab-a"),
    ]
    assert history(draft, reflection) == [
        (1, "Tab B: reflection v1", "tab-b"),
        (2, "Tab B: reflection v2", "tab-b"),
    ]


def test_same_field_from_two_tabs_last_write_wins_and_history_keeps_both(cast, definition, draft):
    overview = part(definition, "overview")
    o = str(overview.public_id)
    first = save(cast, draft, {o: "Tab A's text"}, tab="tab-a", base={o: 0})
    assert first["overwritten"] == []
    second = save(cast, draft, {o: "Tab B's text"}, tab="tab-b", base={o: 0})
    assert second["revisions"] == {o: 2}
    assert second["overwritten"] == [o]  # tab B had not seen tab A's save
    assert Answer.objects.get(submission=draft, part=overview).text == "Tab B's text"
    assert history(draft, overview) == [(1, "Tab A's text", "tab-a"), (2, "Tab B's text", "tab-b")]


def test_a_save_returns_revisions_and_time_and_updates_last_saved(cast, definition, draft):
    o = str(part(definition, "overview").public_id)
    result = save(cast, draft, {o: "Hello"}, tab="t")
    draft.refresh_from_db()
    assert result["revisions"] == {o: 1}
    assert draft.last_saved_at == result["saved_at"]


def test_unchanged_text_makes_no_new_revision(cast, definition, draft):
    overview = part(definition, "overview")
    o = str(overview.public_id)
    save(cast, draft, {o: "Same"})
    result = save(cast, draft, {o: "Same"})
    assert result["revisions"] == {o: 1}
    assert AnswerRevision.objects.filter(answer__submission=draft).count() == 1


def test_word_limit_refuses_the_whole_batch(cast, definition, draft):
    overview, reflection = part(definition, "overview"), part(definition, "reflection")
    reflection.max_words = 5
    reflection.save()
    with pytest.raises(DomainError) as caught:
        save(
            cast,
            draft,
            {
                str(overview.public_id): "Fine",
                str(reflection.public_id): "one two three four five six",
            },
        )
    assert caught.value.code == "too_many_words"
    assert caught.value.message == "“Part 3” has 6 words; the limit is 5."
    assert caught.value.details == {"field": str(reflection.public_id)}
    assert AnswerRevision.objects.count() == 0
    assert Answer.objects.get(submission=draft, part=overview).text == ""


def test_exactly_at_the_word_limit_is_saved(cast, definition, draft):
    reflection = part(definition, "reflection")
    reflection.max_words = 3
    reflection.save()
    result = save(cast, draft, {str(reflection.public_id): "one two  three\n"})
    assert result["revisions"] == {str(reflection.public_id): 1}


@pytest.mark.parametrize(
    ("key", "code"),
    [("not-a-uuid", "unknown_part"), ("00000000-0000-0000-0000-000000000000", "unknown_part")],
)
def test_unknown_parts_are_refused(cast, draft, key, code):
    with pytest.raises(DomainError) as caught:
        save(cast, draft, {key: "x"})
    assert caught.value.code == code
    assert AnswerRevision.objects.count() == 0


def test_artifact_parts_take_no_text(cast, definition, draft):
    with pytest.raises(DomainError) as caught:
        save(cast, draft, {str(part(definition, "artifact").public_id): "text"})
    assert caught.value.code == "not_a_text_part"


def test_overlong_text_is_refused(cast, definition, draft):
    with pytest.raises(DomainError) as caught:
        save(cast, draft, {str(part(definition, "overview").public_id): "x" * 100_001})
    assert caught.value.code == "answer_too_long"


def test_autosave_event_at_most_every_ten_minutes_and_explicit_save_always(cast, definition, draft):
    o = str(part(definition, "overview").public_id)

    def autosave_events():
        return SubmissionEvent.objects.filter(submission=draft, action="autosaved").count()

    with time_machine.travel(dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC), tick=False) as clock:
        for n in range(5):
            save(cast, draft, {o: f"draft {n}"})
            clock.shift(dt.timedelta(seconds=3))
        assert autosave_events() == 1
        clock.shift(dt.timedelta(minutes=10))
        save(cast, draft, {o: "later"})
        assert autosave_events() == 2
        save(cast, draft, {o: "saved by the button"}, explicit=True)
        save(cast, draft, {o: "saved by the button"}, explicit=True)
    assert SubmissionEvent.objects.filter(submission=draft, action="saved").count() == 2
    assert AnswerRevision.objects.filter(answer__submission=draft).count() == 7


def test_client_id_is_cut_to_its_column(cast, definition, draft):
    overview = part(definition, "overview")
    save(cast, draft, {str(overview.public_id): "x"}, tab="t" * 200)
    assert history(draft, overview)[0][2] == "t" * 64


def test_a_whole_form_save_from_a_stale_tab_keeps_the_other_tabs_newer_answer(
    cast, definition, draft
):
    overview, reflection = part(definition, "overview"), part(definition, "reflection")
    o, r = str(overview.public_id), str(reflection.public_id)
    save(cast, draft, {o: "loaded", r: "loaded too"}, tab="tab-a")
    # Tab B changes the overview; tab A, still showing revision 1 of both, presses Save with
    # the reflection changed and the overview as it loaded it.
    save(cast, draft, {o: "newer, from tab B"}, tab="tab-b", base={o: 1})
    result = save(cast, draft, {o: "loaded", r: "edited in tab A"}, tab="form", base={o: 1, r: 1})
    assert result["revisions"] == {o: 2, r: 2}
    assert result["overwritten"] == []
    answers = {a.part_id: a.text for a in Answer.objects.filter(submission=draft)}
    assert answers[overview.pk] == "newer, from tab B"
    assert answers[reflection.pk] == "edited in tab A"
