"""Building blocks of the demo definitions (demo_definitions.py): the issuer, criteria shared by
many rubrics, and helpers that shape parts as the JSON exchange format's parts."""

from __future__ import annotations

from typing import Any

ISSUER = {"name": "Trellis Professional Learning", "url": "https://trellis.example.org/"}
WWC = {"title": "What Works Clearinghouse practice guides", "url": "https://ies.ed.gov/ncee/wwc/"}


def crit(name: str, not_yet: str, proficient: str, exemplary: str = "") -> dict[str, Any]:
    levels = [
        {"key": "not_yet", "label": "Not yet", "descriptor": not_yet},
        {"key": "proficient", "label": "Proficient", "descriptor": proficient},
    ]
    if exemplary:
        levels.append({"key": "exemplary", "label": "Exemplary", "descriptor": exemplary})
    return {"name": name, "levels": levels}


def _at_least_two(criteria: tuple[dict[str, Any], ...], extra: dict[str, Any]) -> list[dict]:
    """Every part is scored on two to four criteria; a part written with one gets `extra`."""
    return [*criteria, extra] if len(criteria) < 2 else list(criteria)


def overview(prompt: str, *criteria: dict[str, Any], title: str = "Overview questions") -> dict:
    return {
        "kind": "overview",
        "title": title,
        "prompt": prompt,
        "required": True,
        "accepted_types": [],
        "max_files": 3,
        "max_words": 800,
        "criteria": _at_least_two(criteria, RATIONALE),
    }


def artifact(
    title: str, prompt: str, types: list[str], *criteria: dict[str, Any], files: int = 3
) -> dict:
    return {
        "kind": "artifact",
        "title": title,
        "prompt": prompt,
        "required": True,
        "accepted_types": types,
        "max_files": files,
        "max_words": None,
        "criteria": _at_least_two(criteria, PRIVACY),
    }


def reflection(prompt: str, *criteria: dict[str, Any]) -> dict:
    return {
        "kind": "reflection",
        "title": "Reflection",
        "prompt": prompt,
        "required": True,
        "accepted_types": [],
        "max_files": 3,
        "max_words": 1000,
        "criteria": _at_least_two(criteria, HONEST),
    }


CONTEXT = crit(
    "Context of the class",
    "The class, the students or the unit are described too vaguely to judge the evidence.",
    "Describes the grade, subject, unit and what students already knew, so the evidence can be "
    "read in context.",
)
IMPACT = crit(
    "Evidence of impact on students",
    "Claims about student learning are not backed by the evidence submitted.",
    "Points to specific student work or responses that show what changed for students.",
    "Compares evidence from before and after, including students who were struggling.",
)
RATIONALE = crit(
    "Rationale for the method",
    "Does not say why the method suits these students or this goal.",
    "Explains why the method fits these students and this goal, citing what they needed.",
)
PRIVACY = crit(
    "Student privacy",
    "Student names, faces or other identifying details appear without consent.",
    "Names are removed and faces or voices appear only with the families' consent.",
)
HONEST = crit(
    "Honest appraisal",
    "Describes only what went well.",
    "Names what did not work as hoped and gives a reason grounded in the evidence.",
    "Connects what did not work to the research behind the method.",
)
NEXT_STEPS = crit(
    "Next steps",
    "Next steps are missing or generic (“keep doing it”).",
    "Names one concrete change to the practice and when it will be tried.",
)


def definition(
    slug: str,
    title: str,
    codes: list[str],
    summary: str,
    key_method: str,
    components: list[str],
    research: str,
    resources: list[dict],
    parts: list[dict],
    hours: str = "15",
) -> dict[str, Any]:
    return {
        "slug": slug,
        "title": title,
        "issuer": ISSUER,
        "summary": summary,
        "key_method": key_method,
        "method_components": components,
        "research": research,
        "resources": resources,
        "competencies": [{"human_code": code} for code in codes],
        "credit": {"amount": hours, "unit": "clock_hour"},
        "estimated_hours": hours,
        "prerequisites": [],
        "parts": parts,
    }


__all__ = [
    "CONTEXT",
    "IMPACT",
    "ISSUER",
    "NEXT_STEPS",
    "WWC",
    "artifact",
    "crit",
    "definition",
    "overview",
    "reflection",
]
