"""The completeness guard: every model that points at the user is classified in the policy, so
a new kind of personal data cannot be forgotten by the erasure."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model

from trellis.privacy.policy import ERASED, KEPT, KIND_LABELS
from trellis.privacy.queries import erasable


def _models_pointing_at_the_user() -> set[str]:
    user_model = get_user_model()
    return {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False)
        and (field.many_to_one or field.one_to_one)
        and field.related_model is user_model
    }


def test_every_model_with_a_foreign_key_to_the_user_is_erased_or_kept_with_a_reason() -> None:
    unclassified = sorted(_models_pointing_at_the_user() - ERASED.keys() - KEPT.keys())

    assert unclassified == [], (
        "Classify these models in trellis/privacy/policy.py (ERASED, or KEPT with the reason), "
        f"and erase them in the owning app's services if they hold personal data: {unclassified}"
    )


def test_the_policy_names_only_real_models_with_reasons() -> None:
    pointing = _models_pointing_at_the_user()

    assert sorted(set(ERASED) & set(KEPT)) == []
    assert sorted((set(ERASED) | set(KEPT)) - pointing) == []
    assert [label for label, reason in {**ERASED, **KEPT}.items() if len(reason) < 10] == []


def test_every_erased_kind_has_a_label_on_the_page(cast) -> None:
    found = erasable(cast.district_a, cast.alice, everywhere=True)

    assert sorted(set(found) ^ set(KIND_LABELS)) == []
