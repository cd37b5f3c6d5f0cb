"""Roster test helpers: uploads go to a temporary folder; small CSV builders."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps

from trellis.roster import services
from trellis.roster.models import RosterImport

HEADER = "email,full_name,roles,school,position,years_experience,subjects,grade_bands,source_id"
# The shared folder beside the repository (…/work/main → …/work/shared); absent in other checkouts.
ONEROSTER_SAMPLES = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "oneroster"


def roster_csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def table_counts(*, exclude: tuple[type, ...] = (RosterImport,)) -> dict[str, int]:
    """Rows in every table the project owns (to prove a dry run writes nothing)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model not in exclude
    }


@pytest.fixture(autouse=True)
def roster_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """Start an import as a district admin would, running the queued task (immediate backend)."""

    def start(access, actor, data: bytes, *, name: str = "roster.csv", **options) -> RosterImport:
        options.setdefault("dry_run", False)
        with django_capture_on_commit_callbacks(execute=True):
            item = services.start_import(
                access=access, actor=actor, uploads=[services.Upload(name, data)], **options
            )
        item.refresh_from_db()
        return item

    return start


@pytest.fixture
def apply_import(django_capture_on_commit_callbacks):
    def apply(access, actor, item: RosterImport) -> RosterImport:
        with django_capture_on_commit_callbacks(execute=True):
            services.request_apply(access=access, actor=actor, roster_import=item)
        item.refresh_from_db()
        return item

    return apply
