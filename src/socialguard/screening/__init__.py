"""The screening engine: every contribution checked against the policy, offline.

    from socialguard.screening import Context, Roster, Screener
    verdict = Screener.default().screen("text", context=Context(audience="official_site"))

Pure Python (no Django): detectors in ``detectors/`` (one per file), the engine in ``engine.py``.
"""

from socialguard.screening.base import (
    Context,
    Example,
    Finding,
    HouseRule,
    Person,
    Roster,
    Verdict,
)
from socialguard.screening.engine import Screener

__all__ = ["Context", "Example", "Finding", "HouseRule", "Person", "Roster", "Screener", "Verdict"]
