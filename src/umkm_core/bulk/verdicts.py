"""Eligibility verdicts for the allocation engine, judged over columns.

:func:`columnar_verdicts` judges a programme's eligibility rules for a whole register
at once (the rules the engine judges once per business: those that do not read the
application) and returns an :class:`~umkm_core.allocation.EligibilityVerdicts` for
:func:`umkm_core.allocate`. Waves whose per-wave rules come out as the same expression
(all the food waves, for ``sector_matches_wave``) are judged once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs
import polars as pl

from umkm_core.bulk.compile import compile_rules
from umkm_core.bulk.register import register_frame
from umkm_core.model.business import Business
from umkm_core.model.program import PastEnrollment, Program
from umkm_core.rules.base import EligibilityRule, RuleFactory

__all__ = ["ColumnarVerdicts", "columnar_verdicts"]


@attrs.frozen(kw_only=True, eq=False)
class ColumnarVerdicts:
    """Who passes, judged in columns (implements ``EligibilityVerdicts``).

    :param static: ids passing every rule that concerns all waves (empty when some such
        rule has no columnar form: the engine then judges them all).
    :param groups: per group of waves judged alike, the ids for which they are open.
    :param wave_group: each wave's group (waves missing: the engine judges them).
    """

    static: frozenset[str]
    groups: tuple[frozenset[str], ...]
    wave_group: Mapping[int, int]

    def passes_static(self, business_id: str) -> bool:
        """Whether the business passes every rule that concerns all waves."""
        return business_id in self.static

    def wave_open(self, business_id: str, wave: int) -> bool:
        """Whether every per-wave rule passes for the business in ``wave``."""
        group = self.wave_group.get(wave)
        return group is not None and business_id in self.groups[group]


def columnar_verdicts(
    program: Program,
    businesses: Iterable[Business] | pl.DataFrame,
    *,
    as_of: dt.date,
    history: Iterable[PastEnrollment] = (),
    factories: Iterable[RuleFactory] = (),
) -> ColumnarVerdicts:
    """Judge ``program``'s eligibility rules for a register, in columns.

    :param program: the programme.
    :param businesses: the register, as businesses or as a register frame.
    :param as_of: the date the rules are judged on (as for :func:`umkm_core.allocate`).
    :param history: earlier enrollments (the same as given to ``allocate``).
    :param factories: plugin rule factories with columnar forms.
    :returns: the verdicts, to pass as ``allocate(..., verdicts=...)``.
    """
    rules = tuple(
        r for r in program.rules if isinstance(r, EligibilityRule) and not r.depends_on_application
    )
    plan = compile_rules(
        attrs.evolve(program, rules=rules), as_of=as_of, history=history, factories=factories
    )
    frame = businesses if isinstance(businesses, pl.DataFrame) else register_frame(businesses)
    # Rules judged row by row are left to the engine, which judges them anyway.
    static_ok = all(fb.wave is not None for fb in plan.fallbacks)
    waves_ok = all(fb.wave is None for fb in plan.fallbacks)
    distinct: list[pl.Expr] = []
    wave_group: dict[int, int] = {}
    if waves_ok:
        for number, expr in zip(plan.waves, plan.wave_open, strict=True):
            found = next((i for i, e in enumerate(distinct) if e.meta.eq(expr)), None)
            if found is None:
                found = len(distinct)
                distinct.append(expr)
            wave_group[number] = found
    judged = plan.prepare(frame).select(
        pl.col("id"),
        (plan.static_ok if static_ok else pl.lit(False)).alias("_static"),
        *(e.alias(f"_group{i}") for i, e in enumerate(distinct)),
    )
    out = judged.collect()
    ids = out.get_column("id")
    return ColumnarVerdicts(
        static=frozenset(ids.filter(out.get_column("_static")).to_list()),
        groups=tuple(
            frozenset(ids.filter(out.get_column(f"_group{i}")).to_list())
            for i in range(len(distinct))
        ),
        wave_group=wave_group,
    )
