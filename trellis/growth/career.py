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
