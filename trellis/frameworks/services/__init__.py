"""Every write to frameworks: keyword-only, taking the caller's access and an actor, atomic, audited."""

from trellis.frameworks.services.case_import import (
    ImportPreview,
    ImportResult,
    import_case_package,
    import_staged_upload,
    preview_case_import,
    stage_case_upload,
)
from trellis.frameworks.services.common import LevelDraft, NotFound, validate_levels
from trellis.frameworks.services.editing import (
    add_item,
    delete_item,
    move_item,
    update_framework_details,
    update_item,
    update_scale,
)
from trellis.frameworks.services.library import (
    adopt_framework,
    copy_framework,
    ensure_library,
    library_framework,
)

__all__ = [
    "ImportPreview",
    "ImportResult",
    "LevelDraft",
    "NotFound",
    "add_item",
    "adopt_framework",
    "copy_framework",
    "delete_item",
    "ensure_library",
    "import_case_package",
    "import_staged_upload",
    "library_framework",
    "move_item",
    "preview_case_import",
    "stage_case_upload",
    "update_framework_details",
    "update_item",
    "update_scale",
    "validate_levels",
]
