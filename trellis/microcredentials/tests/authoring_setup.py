"""Shared set-up for the authoring tests: an adopted framework and ready-to-publish drafts."""

from trellis.growth.tests.factories import build_framework
from trellis.microcredentials.services import definition_parts, definitions

LEVELS_3 = [
    {"key": "not_yet", "label": "Not yet", "descriptor": "Wrong answers are random."},
    {
        "key": "proficient",
        "label": "Proficient",
        "descriptor": "Each wrong answer is a misconception.",
    },
    {"key": "exemplary", "label": "Exemplary", "descriptor": "Answerable in two minutes, too."},
]


def framework(district):
    """The district's adopted framework; returns its competencies ("1.1", "1.2", "2.1", "2.2")."""
    return build_framework(district).competencies


def ready_draft(access, actor, competency, *, title="Hinge questions", **fields):
    """A draft with every field publishing needs, one part and one criterion."""
    version = definitions.create_micro_credential(
        access=access,
        actor=actor,
        title=title,
        issuer_name="Northfield PD",
        key_method="Ask one diagnostic question at the hinge point of the lesson.",
        competencies=[competency],
        credit_amount="15",
        estimated_hours="15",
        **fields,
    )
    part = definition_parts.add_part(
        access=access,
        actor=actor,
        version=version,
        kind="artifact",
        title="Lesson plan",
        prompt="Upload the plan.",
        accepted_types=["document"],
    )
    definition_parts.add_criterion(
        access=access, actor=actor, part=part, name="Diagnostic distractors", levels=LEVELS_3
    )
    return version


def use_tmp_media(settings, tmp_path):
    """Uploaded files go to the test's own directory, not var/media."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
