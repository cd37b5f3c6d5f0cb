"""Career stages derived from years of experience. Pure: no Django import."""

from __future__ import annotations

from enum import StrEnum


class CareerStage(StrEnum):
    NOVICE = "novice"
    DEVELOPING = "developing"
    EXPERIENCED = "experienced"
    VETERAN = "veteran"

    @property
    def label(self) -> str:
        return {
            "novice": "Novice (0–3 years)",
            "developing": "Developing (4–7 years)",
            "experienced": "Experienced (8–15 years)",
            "veteran": "Veteran (16+ years)",
        }[self.value]


# First year of each stage after novice; districts may configure their own thresholds later.
DEFAULT_THRESHOLDS: tuple[int, int, int] = (4, 8, 16)


def career_stage(years: int, thresholds: tuple[int, int, int] = DEFAULT_THRESHOLDS) -> CareerStage:
    if years < 0:
        raise ValueError("Years of experience cannot be negative.")
    developing, experienced, veteran = thresholds
    if years >= veteran:
        return CareerStage.VETERAN
    if years >= experienced:
        return CareerStage.EXPERIENCED
    if years >= developing:
        return CareerStage.DEVELOPING
    return CareerStage.NOVICE


def stage_label(stage: CareerStage, thresholds: tuple[int, int, int] = DEFAULT_THRESHOLDS) -> str:
    """The stage's name with the year range it covers under these thresholds."""
    developing, experienced, veteran = thresholds
    ranges = {
        CareerStage.NOVICE: f"0–{developing - 1} years",
        CareerStage.DEVELOPING: f"{developing}–{experienced - 1} years",
        CareerStage.EXPERIENCED: f"{experienced}–{veteran - 1} years",
        CareerStage.VETERAN: f"{veteran}+ years",
    }
    return f"{stage.value.title()} ({ranges[stage]})"


MAX_THRESHOLD_YEARS = 60


def threshold_problem(thresholds: tuple[int, int, int]) -> str:
    """Why these thresholds cannot be used, or "" when they can."""
    developing, experienced, veteran = thresholds
    if developing < 1:
        return "Developing must start at year 1 or later (novice covers at least year 0)."
    if not developing < experienced < veteran:
        return (
            "Each stage must start later than the one before: "
            f"developing ({developing}) < experienced ({experienced}) < veteran ({veteran})."
        )
    if veteran > MAX_THRESHOLD_YEARS:
        return f"Veteran must start at {MAX_THRESHOLD_YEARS} years or earlier."
    return ""
