"""The shape of a library framework as data, with identifiers that never change between releases."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

# Items and frameworks of the library get uuid5(LIBRARY_NAMESPACE, "<key>/<code>"): the same
# identifier in every installation, so copies and CASE exports keep pointing at the same thing.
LIBRARY_NAMESPACE = uuid.UUID("d303c823-49ad-4748-9641-707c71edf59b")


@dataclass(frozen=True)
class LevelSpec:
    value: int
    label: str
    description: str
    is_target: bool = False


@dataclass(frozen=True)
class ItemSpec:
    code: str
    kind: str
    title: str
    statement: str = ""
    children: tuple[ItemSpec, ...] = ()


@dataclass(frozen=True)
class FrameworkSpec:
    key: str  # stable name inside the library, e.g. "starter"
    title: str
    description: str
    source: str  # Framework.Source value
    purpose: str  # Framework.Purpose value
    version: str
    levels: tuple[LevelSpec, ...]
    items: tuple[ItemSpec, ...] = field(default_factory=tuple)
    creator: str = "Trellis"
    publisher: str = "Trellis"
    subject: str = ""

    @property
    def identifier(self) -> str:
        return str(uuid.uuid5(LIBRARY_NAMESPACE, self.key))

    def item_identifier(self, code: str) -> str:
        return str(uuid.uuid5(LIBRARY_NAMESPACE, f"{self.key}/{code}"))


def competency(code: str, title: str, statement: str, indicators: tuple[str, ...]) -> ItemSpec:
    """A competency with lettered indicators (1.2.a, 1.2.b, …) whose text is their title."""
    return ItemSpec(
        code=code,
        kind="competency",
        title=title,
        statement=statement,
        children=tuple(
            ItemSpec(code=f"{code}.{letter}", kind="indicator", title=text, statement=text)
            for letter, text in zip("abcdefgh", indicators, strict=False)
        ),
    )


def domain(code: str, title: str, statement: str, children: tuple[ItemSpec, ...]) -> ItemSpec:
    return ItemSpec(code=code, kind="domain", title=title, statement=statement, children=children)
