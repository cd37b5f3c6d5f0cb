"""Earning pages: start, the workspace (Save and Submit without JS, autosave endpoint, uploads,
privacy, resubmission), version history, My micro-credentials, withdraw; tenancy and query
budgets."""

from __future__ import annotations

import json
import re

import pytest

from trellis.microcredentials.models import (
    AnswerRevision,
    Artifact,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from trellis.microcredentials.services import submissions as services
from trellis.microcredentials.tests.earning_support import (
    PNG,
    SVG,
    earn,
    make_definition,
    not_yet,
    part,
    start,
    upload,
    use_tmp_storage,
)


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    use_tmp_storage(settings, tmp_path)


@pytest.fixture
def definition(cast):
    return make_definition(cast)


@pytest.fixture
def draft(cast, definition):
    return start(cast, cast.alice, definition)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def ws_url(submission, suffix=""):
    return f"/micro-credentials/submissions/{submission.public_id}/{suffix}"


def ids(definition):
    return {k: str(part(definition, k).public_id) for k in ("overview", "artifact", "reflection")}


# ---- start --------------------------------------------------------------------------------


def test_definition_page_shows_start_then_continue(cast, definition, client_for):
    client = client_for(cast.alice)
    page = f"/micro-credentials/{definition.micro_credential.public_id}/"
    response = client.get(page)
    assert response.status_code == 200
    assert "Start this micro-credential" in text(response)
    response = client.post(f"/micro-credentials/{definition.micro_credential.public_id}/start/")
    submission = Submission.objects.get(educator=cast.alice)
    assert response.status_code == 302
    assert response["Location"] == ws_url(submission)
    assert "Continue your draft" in text(client.get(page))
    # Starting again leads to the open draft instead of a second one.
    again = client.post(f"/micro-credentials/{definition.micro_credential.public_id}/start/")
    assert again["Location"] == ws_url(submission)
    assert Submission.objects.count() == 1


def test_start_refused_without_prerequisites_says_why(cast, definition, client_for):
    from trellis.microcredentials.tests.factories import published_definition

    prerequisite = published_definition(cast.district_a, title="Questioning basics")
    definition.prerequisites.add(prerequisite.micro_credential)
    client = client_for(cast.alice)
    page = f"/micro-credentials/{definition.micro_credential.public_id}/"
    assert "Earn these first: “Questioning basics”." in text(client.get(page))
    response = client.post(f"{page}start/", follow=True)
    assert "Earn these micro-credentials first: “Questioning basics”." in text(response)
    assert Submission.objects.count() == 0
    earn(cast.alice, prerequisite.micro_credential, prerequisite)
    assert "Start this micro-credential" in text(client.get(page))


def test_start_of_another_districts_micro_credential_is_404(cast, client_for):
    from trellis.microcredentials.tests.factories import published_definition

    elsewhere = published_definition(cast.district_b)
    response = client_for(cast.alice).post(
        f"/micro-credentials/{elsewhere.micro_credential.public_id}/start/"
    )
    assert response.status_code == 404


# ---- workspace ----------------------------------------------------------------------------


def test_workspace_shows_parts_prompts_rubric_and_checklist(cast, draft, client_for):
    response = client_for(cast.alice).get(ws_url(draft))
    assert response.status_code == 200
    page = text(response)
    assert "Part 1: Part 1" in page
    assert "Part 3: Part 3" in page
    assert "Describe the class and the unit where you used the method." in page
    assert "Criterion 2" in page
    assert "The evidence clearly shows it." in page
    assert "Answer “Part 1”." in page
    assert "Confirm that your evidence protects student privacy." in page
    assert 'id="save-status"' in page
    assert 'aria-live="polite"' in page
    assert "js/autosave.js" in page


def test_workspace_query_budget(cast, definition, draft, client_for, django_assert_max_num_queries):
    from trellis.microcredentials.services import artifacts as artifact_services

    for n in range(3):
        artifact_services.add_artifact(
            access=cast.access(cast.alice),
            actor=cast.alice,
            submission=draft,
            part=part(definition, "artifact"),
            upload=upload(f"photo-{n}.png", PNG),
        )
    client = client_for(cast.alice)
    client.get(ws_url(draft))  # the district's assessment settings are created once
    with django_assert_max_num_queries(12):
        response = client.get(ws_url(draft))
    assert text(response).count('class="mc-preview"') == 3


def test_save_without_js_saves_answers_and_privacy(cast, definition, draft, client_for):
    i = ids(definition)
    response = client_for(cast.alice).post(
        ws_url(draft),
        {
            f"answer-{i['overview']}": "Grade 7 science.",
            f"base-{i['overview']}": "0",
            "privacy_shown": "1",
            "privacy_confirmed": "on",
            "action": "save",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.privacy_confirmed is True
    revision = AnswerRevision.objects.get(answer__submission=draft)
    assert (revision.text, revision.client_id) == ("Grade 7 science.", "form")
    assert SubmissionEvent.objects.filter(submission=draft, action="saved").count() == 1


def test_save_over_the_word_limit_keeps_the_typed_text_on_the_page(
    cast, definition, draft, client_for
):
    reflection = part(definition, "reflection")
    reflection.max_words = 2
    reflection.save()
    response = client_for(cast.alice).post(
        ws_url(draft), {f"answer-{reflection.public_id}": "one two three", "action": "save"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "“Part 3” has 3 words; the limit is 2." in page
    assert ">one two three</textarea>" in page
    assert AnswerRevision.objects.count() == 0


def test_submit_without_js_shows_what_is_missing(cast, draft, client_for):
    response = client_for(cast.alice).post(ws_url(draft), {"action": "submit"})
    assert response.status_code == 400
    assert "Not ready to submit yet: Answer “Part 1”." in text(response)
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.DRAFT


def test_full_flow_by_form_upload_and_submit(cast, definition, draft, client_for):
    client = client_for(cast.alice)
    i = ids(definition)
    response = client.post(
        ws_url(draft, "artifacts/"), {"part": i["artifact"], "file": upload("board.png", PNG)}
    )
    assert response.status_code == 302
    artifact = Artifact.objects.get()
    page = text(client.get(ws_url(draft)))
    assert f'src="/micro-credentials/evidence/{artifact.public_id}/"' in page
    response = client.post(
        ws_url(draft),
        {
            f"answer-{i['overview']}": "Context",
            f"answer-{i['reflection']}": "Reflection",
            "privacy_shown": "1",
            "privacy_confirmed": "on",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.SUBMITTED
    page = text(client.get(ws_url(draft)))
    assert "can no longer be edited" in page
    assert "<textarea" not in page
    assert "feedback expected by" in page
    # Editing after submitting is refused with the reason.
    response = client.post(ws_url(draft), {f"answer-{i['overview']}": "late", "action": "save"})
    assert response.status_code == 409
    assert "This submission has been submitted and can no longer be edited." in text(response)


def test_upload_refusal_is_shown_beside_the_form(cast, definition, draft, client_for):
    response = client_for(cast.alice).post(
        ws_url(draft, "artifacts/"),
        {"part": ids(definition)["artifact"], "file": upload("lesson.png", SVG)},
    )
    assert response.status_code == 400
    assert "The file contains web page or script content" in text(response)
    assert Artifact.objects.count() == 0


def test_remove_artifact_by_form(cast, definition, draft, client_for):
    client = client_for(cast.alice)
    client.post(
        ws_url(draft, "artifacts/"),
        {"part": ids(definition)["artifact"], "url": "https://video.example.org/x"},
    )
    artifact = Artifact.objects.get()
    response = client.post(ws_url(draft, f"artifacts/{artifact.public_id}/remove/"))
    assert response.status_code == 302
    assert Artifact.objects.count() == 0


def test_autosave_endpoint(cast, definition, draft, client_for):
    i = ids(definition)
    client = client_for(cast.alice)
    response = client.post(
        ws_url(draft, "autosave/"),
        json.dumps(
            {
                "answers": {i["overview"]: "typed"},
                "client_id": "tab-x",
                "base_revisions": {i["overview"]: 0},
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    assert data["revisions"] == {i["overview"]: 1}
    assert data["overwritten"] == []
    assert re.fullmatch(r"\d\d:\d\d", data["saved_at_label"])
    response = client.post(
        ws_url(draft, "autosave/"),
        json.dumps({"privacy_confirmed": True}),
        content_type="application/json",
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.privacy_confirmed is True
    bad = client.post(ws_url(draft, "autosave/"), "not json", content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_json"
    locked = client.post(
        ws_url(draft, "autosave/"),
        json.dumps({"answers": {i["artifact"]: "x"}}),
        content_type="application/json",
    )
    assert locked.status_code == 400
    assert locked.json()["error"]["code"] == "not_a_text_part"


def test_autosave_needs_the_csrf_token(cast, definition, draft):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.alice, backend="trellis.accounts.backends.EmailBackend")
    response = client.post(ws_url(draft, "autosave/"), "{}", content_type="application/json")
    assert response.status_code == 403


def test_not_yet_highlights_parts_to_revise_and_locks_the_rest(cast, definition, client_for):
    from trellis.microcredentials.tests.test_submissions import complete

    submission = complete(cast, start(cast, cast.alice, definition))
    services.submit(access=cast.access(cast.alice), actor=cast.alice, submission=submission)
    not_yet(submission, cast.ada, failing_parts=[part(definition, "reflection")])
    i = ids(definition)
    page = text(client_for(cast.alice).get(ws_url(submission)))
    assert "Good start; the reflection needs evidence of adjusting." in page
    assert page.count("To revise") >= 1
    assert f'name="answer-{i["reflection"]}"' in page
    assert f'name="answer-{i["overview"]}"' not in page
    assert "Show what you changed." in page
    assert "Resubmit" in page


def test_history_page_lists_every_saved_version(cast, definition, draft, client_for):
    o = ids(definition)["overview"]
    for n in range(3):
        services.save_answers(
            access=cast.access(cast.alice),
            actor=cast.alice,
            submission=draft,
            answers={o: f"version {n}"},
            client_id="tab-a",
        )
    response = client_for(cast.alice).get(ws_url(draft, f"parts/{o}/history/"))
    assert response.status_code == 200
    page = text(response)
    assert page.index("Version 3") < page.index("Version 1")
    assert "version 0" in page
    assert "version 2" in page


def test_someone_elses_workspace_and_history_are_404(cast, definition, draft, client_for):
    o = ids(definition)["overview"]
    for who in (cast.eve, cast.dana, cast.bob):
        client = client_for(who)
        assert client.get(ws_url(draft)).status_code == 404
        assert client.get(ws_url(draft, f"parts/{o}/history/")).status_code == 404
        assert (
            client.post(
                ws_url(draft, "autosave/"), "{}", content_type="application/json"
            ).status_code
            == 404
        )


# ---- my micro-credentials and withdraw -----------------------------------------------------


def test_my_page_lists_submissions_and_earned(
    cast, definition, draft, client_for, django_assert_max_num_queries
):
    from trellis.microcredentials.tests.factories import published_definition

    other = published_definition(cast.district_a, title="Exit tickets")
    earn(cast.alice, other.micro_credential, other)
    for n in range(4):
        start(cast, cast.alice, published_definition(cast.district_a, title=f"Extra {n}"))
    client = client_for(cast.alice)
    client.get("/micro-credentials/my/")
    with django_assert_max_num_queries(10):
        response = client.get("/micro-credentials/my/")
    page = text(response)
    assert "Hinge questions" in page
    assert "Draft" in page
    assert "Exit tickets" in page
    assert "earned" in page
    assert "Extra 3" in page


def test_my_page_links_each_award_to_its_credential(cast, definition, client_for):
    from trellis.microcredentials import credentialing

    award = earn(cast.alice, definition.micro_credential, definition)
    credential = credentialing.issue_for(award)
    assert credential is not None
    response = client_for(cast.alice).get("/micro-credentials/my/")
    assert f'href="/credentials/{credential.public_id}"' in response.content.decode()
    assert (
        'View and share the credential<span class="visually-hidden"> for Hinge questions</span>'
        in text(response)
    )


def test_my_page_empty_state(cast, client_for):
    page = text(client_for(cast.eve).get("/micro-credentials/my/"))
    assert "You have not started a micro-credential yet." in page
    assert "None yet." in page


def test_withdraw_page(cast, draft, client_for):
    client = client_for(cast.alice)
    assert client.get(ws_url(draft, "withdraw/")).status_code == 200
    response = client.post(ws_url(draft, "withdraw/"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.WITHDRAWN
    again = client.post(ws_url(draft, "withdraw/"))
    assert again.status_code == 409
    assert "can only be withdrawn while it is a draft" in text(again)
