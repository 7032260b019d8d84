"""Eligibility verdicts judged elsewhere, which the allocation engine may trust.

Judging a large register one business at a time in Python is the slow part of a cold
allocation. :func:`umkm_core.bulk.columnar_verdicts` judges the same eligibility rules
over columns and hands the engine an :class:`EligibilityVerdicts`: the engine then
skips the rules for every business (and wave) that the verdicts say passes, and judges
the others itself, so every refusal keeps its reasons and their texts. The seat
assignment does not change: passing verdicts are exactly the rules' own answer (a
property test holds the columnar rules to the interpreted ones).
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["EligibilityVerdicts"]


class EligibilityVerdicts(Protocol):
    """Which businesses pass the programme's eligibility rules, judged beforehand.

    Only "passes" is trusted: ``False`` means "judge it yourself", never "refuse".
    Rules that read the application are always judged by the engine.
    """

    def passes_static(self, business_id: str) -> bool:
        """Whether the business passes every rule that concerns all waves."""

    def wave_open(self, business_id: str, wave: int) -> bool:
        """Whether the business passes every rule judged per wave, for ``wave``."""
