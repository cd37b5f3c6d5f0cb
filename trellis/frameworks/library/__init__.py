"""The frameworks shipped with Trellis, as data. `services.ensure_library()` writes them."""

from trellis.frameworks.library.learning_forward import LEARNING_FORWARD
from trellis.frameworks.library.spec import FrameworkSpec, ItemSpec, LevelSpec
from trellis.frameworks.library.starter import DEFAULT_LEVELS, STARTER

LIBRARY: tuple[FrameworkSpec, ...] = (STARTER, LEARNING_FORWARD)

__all__ = [
    "DEFAULT_LEVELS",
    "LEARNING_FORWARD",
    "LIBRARY",
    "STARTER",
    "FrameworkSpec",
    "ItemSpec",
    "LevelSpec",
]
