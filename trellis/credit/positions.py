"""Which shipped rule set an educator follows when the district has recorded no licence for them:
the district's jurisdiction plus the position on their growth profile.

A licence on record always wins; this table is only the best guess for everyone else, and the
renewal page says it is a guess. `None` means the rules Trellis ships do not cover that position
in that state: the educator then sees their hours with no requirement (docs/credit.md).
"""

from __future__ import annotations

from collections.abc import Mapping

# jurisdiction → growth Position value → rule-set role (None: no shipped rule set applies)
POSITION_ROLES: Mapping[str, Mapping[str, str | None]] = {
    # Texas certificates: a specialist, interventionist or instructional coach most often renews
    # a classroom-teacher certificate (a reading specialist records a TX/reading_specialist
    # licence); educational aide certificates carry no CPE requirement; district staff vary.
    "TX": {
        "teacher": "classroom_teacher",
        "counselor": "counselor",
        "librarian": "librarian",
        "leader": "principal",
        "specialist": "classroom_teacher",
        "coach": "classroom_teacher",
        "para": None,
        "district": None,
    },
    # New York's CTLE covers Professional certificate holders (teachers, library media
    # specialists and school leaders) and Level III teaching assistants. School counselors hold
    # Pupil Personnel Services certificates, which it does not cover.
    "NY": {
        "teacher": "professional",
        "counselor": None,
        "librarian": "professional",
        "leader": "professional",
        "specialist": "professional",
        "coach": "professional",
        "para": "teaching_assistant_level_3",
        "district": None,
    },
    # Tennessee: every licensed educator renews a professional licence with 60 PDPs;
    # paraprofessionals hold no educator licence; district staff vary.
    "TN": {
        "teacher": "professional_renewal",
        "counselor": "professional_renewal",
        "librarian": "professional_renewal",
        "leader": "professional_renewal",
        "specialist": "professional_renewal",
        "coach": "professional_renewal",
        "para": None,
        "district": None,
    },
}

DEFAULT_POSITION = "teacher"  # an educator without a growth profile


def default_rule_set_key(jurisdiction: str, position: str | None) -> str | None:
    """ "TX/classroom_teacher" for a Texas teacher; None when no shipped rule set applies."""
    roles = POSITION_ROLES.get(jurisdiction.upper())
    if roles is None:
        return None
    role = roles.get(position or DEFAULT_POSITION)
    return f"{jurisdiction.upper()}/{role}" if role else None
