"""Which rule detectors run, chosen by name (Presidio's registry idea). The semantic stage is
the engine's own second look (``detectors/semantic.py``), not one of these."""

from __future__ import annotations

from socialguard.screening.base import Detector
from socialguard.screening.detectors.abuse import AbuseDetector
from socialguard.screening.detectors.conduct import ConductDetector
from socialguard.screening.detectors.confidential import ConfidentialDetector
from socialguard.screening.detectors.contact import ContactDetector
from socialguard.screening.detectors.house_rules import HouseRulesDetector
from socialguard.screening.detectors.personal import PersonalWebspaceDetector
from socialguard.screening.detectors.phrases import SafeguardingPhraseDetector
from socialguard.screening.detectors.pupils import PupilNameDetector
from socialguard.screening.detectors.safeguarding import SafeguardingDetector

DETECTORS: dict[str, type[Detector]] = {
    cls.name: cls
    for cls in (
        ContactDetector,
        PupilNameDetector,
        ConfidentialDetector,
        AbuseDetector,
        SafeguardingDetector,
        ConductDetector,
        PersonalWebspaceDetector,
        HouseRulesDetector,
        SafeguardingPhraseDetector,
    )
}


def build_detectors(names: list[str] | None = None) -> list[Detector]:
    unknown = set(names or ()) - set(DETECTORS)
    if unknown:
        raise ValueError(f"unknown detectors: {', '.join(sorted(unknown))}")
    return [DETECTORS[name]() for name in (names or list(DETECTORS))]
