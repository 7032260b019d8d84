"""Screening a Parquet register against a programme: counts by reason and who is eligible.

:func:`screen` judges the register part file by part file with a compiled
:class:`~umkm_core.bulk.ScreeningPlan`, so memory stays bounded by the largest part
whatever the register's size. It counts, for every reason code, the refused businesses
that have it, and streams the eligible businesses' ids to a file (one per line, in
partition order) or to a callback.

A ``ScreeningReport`` compares equal for the same register and rules however it was
computed (one process, or :func:`umkm_core.bulk.screen_on_dask`).
"""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO

import attrs
import polars as pl

from umkm_core.adapters.program_file import ProgramFile
from umkm_core.bulk.compile import ScreeningPlan, compile_rules
from umkm_core.bulk.register import RegisterPartition, register_partitions
from umkm_core.errors import UmkmError
from umkm_core.model.program import PastEnrollment, Program
from umkm_core.rules.base import Rule, RuleFactory

__all__ = ["PartitionResult", "ScreeningReport", "plan_for", "screen", "screen_partition"]

#: What :func:`screen` accepts as the rules: a programme, a programme file, bare rules or
#: a plan compiled before.
Screenable = Program | ProgramFile | Iterable[Rule] | ScreeningPlan


@attrs.frozen(kw_only=True)
class ScreeningReport:
    """The result of screening a register.

    :param rows: businesses judged.
    :param eligible: businesses that pass every eligibility rule (for at least one wave).
    :param refused_by_reason: for each reason code, how many refused businesses have it
        (a business refused for two reasons counts under both), in the rules' order;
        codes no business was refused for are left out.
    :param row_by_row: the rules judged row by row because they have no columnar form.
    :param partitions: the register partitions read.
    :param as_of: the date the rules were judged on.
    :param eligible_path: where the eligible ids were written, if anywhere.
    """

    rows: int
    eligible: int
    refused_by_reason: Mapping[str, int]
    row_by_row: tuple[str, ...]
    partitions: int
    as_of: dt.date
    eligible_path: pathlib.Path | None = attrs.field(default=None, eq=False)

    @property
    def refused(self) -> int:
        """Businesses refused."""
        return self.rows - self.eligible


@attrs.frozen(kw_only=True, eq=False)
class PartitionResult:
    """What screening one partition found (a Dask task returns one of these).

    :param region: the partition.
    :param rows: rows judged.
    :param by_code: refused businesses per reason code.
    :param eligible_ids: the eligible businesses' ids, in file order.
    """

    region: str
    rows: int
    by_code: dict[str, int]
    eligible_ids: pl.Series


def _no_as_of() -> UmkmError:
    return UmkmError(
        "bulk.no_as_of",
        field="as_of",
        id="Tanggal penilaian (as_of) diperlukan untuk penyaringan.",
        en="Screening needs the date the rules are judged on (as_of).",
    )


def plan_for(
    rules: Screenable,
    *,
    as_of: dt.date | None = None,
    history: Iterable[PastEnrollment] = (),
    factories: Iterable[RuleFactory] = (),
) -> ScreeningPlan:
    """The plan :func:`screen` uses for ``rules`` (compiled unless it is one already).

    :raises UmkmError: ``bulk.no_as_of`` when no date is given nor in the programme file.
    """
    if isinstance(rules, ScreeningPlan):
        return rules
    if isinstance(rules, ProgramFile):
        as_of = as_of or rules.as_of
        rules = rules.program
    if as_of is None:
        raise _no_as_of()
    return compile_rules(rules, as_of=as_of, history=history, factories=factories)


def _code_counts(plan: ScreeningPlan, verdicts: pl.DataFrame) -> dict[str, int]:
    refused = ~pl.col("eligible")
    # A code can fill compiled slots (one bit each) and the slots of rules judged row by
    # row (their own code lists); a business counts once per code.
    dynamic: set[str] = set()
    for slot in plan.slots:
        if slot.fallback is not None:
            column = plan.fallbacks[slot.fallback].codes
            dynamic.update(verdicts.get_column(column).explode().drop_nulls().to_list())
    conditions: dict[str, list[pl.Expr]] = {}
    for i, slot in enumerate(plan.slots):
        if slot.fallback is None:
            bit = pl.lit(1 << (i % 64), pl.UInt64)
            fired = (pl.col(f"_reasons{i // 64}") & bit) != 0
            conditions.setdefault(slot.code, []).append(fired)
        else:
            column = plan.fallbacks[slot.fallback].codes
            for code in sorted(dynamic):
                conditions.setdefault(code, []).append(pl.col(column).list.contains(code))
    if not conditions:
        return {}
    sums = verdicts.select(
        (refused & pl.any_horizontal(exprs)).sum().alias(code)
        for code, exprs in conditions.items()
    )
    return {code: int(sums.get_column(code)[0]) for code in conditions}


def _unreadable(partition: RegisterPartition, file: pathlib.Path) -> UmkmError:
    return UmkmError(
        "bulk.unreadable",
        field=f"region={partition.region}/{file.name}",
        id="Berkas Parquet daftar usaha rusak atau tidak dapat dibaca.",
        en="A Parquet file of the register is damaged or cannot be read.",
    )


def _frames(plan: ScreeningPlan, partition: RegisterPartition) -> Iterator[pl.LazyFrame]:
    for file in partition.files:
        if plan.fallbacks:
            try:
                frame = pl.read_parquet(file)
            except (pl.exceptions.PolarsError, OSError) as exc:
                raise _unreadable(partition, file) from exc
            yield plan.with_fallbacks(frame).lazy()
        else:
            yield pl.scan_parquet(file)


def screen_partition(plan: ScreeningPlan, partition: RegisterPartition) -> PartitionResult:
    """Judge one partition of a register (the unit of work of :func:`screen_on_dask`).

    :param plan: the compiled rules.
    :param partition: the partition's files.
    :returns: its rows, refusals by code and eligible ids.
    :raises UmkmError: ``bulk.unreadable`` naming a damaged part file.
    """
    rows = 0
    counts: dict[str, int] = {}
    ids: list[pl.Series] = []
    for file, lazy in zip(partition.files, _frames(plan, partition), strict=True):
        try:
            verdicts = plan.judge(lazy).collect()
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise _unreadable(partition, file) from exc
        rows += verdicts.height
        for code, n in _code_counts(plan, verdicts).items():
            counts[code] = counts.get(code, 0) + n
        ids.append(verdicts.filter(pl.col("eligible")).get_column("id"))
    eligible = pl.concat(ids) if ids else pl.Series("id", [], dtype=pl.String)
    return PartitionResult(
        region=partition.region, rows=rows, by_code=counts, eligible_ids=eligible
    )


class _Gatherer:
    """Adds partition results up, in partition order, and streams the eligible ids."""

    def __init__(
        self,
        plan: ScreeningPlan,
        eligible_to: pathlib.Path | None,
        on_eligible: Callable[[Sequence[str]], None] | None,
    ) -> None:
        self.plan = plan
        self.rows = 0
        self.eligible = 0
        self.counts: dict[str, int] = {}
        self.on_eligible = on_eligible
        self.target = eligible_to
        self.stream: IO[str] | None = None
        self.temp: pathlib.Path | None = None
        if eligible_to is not None:
            eligible_to.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{eligible_to.name}.", dir=eligible_to.parent)
            self.temp = pathlib.Path(name)
            self.stream = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def add(self, result: PartitionResult) -> None:
        self.rows += result.rows
        self.eligible += result.eligible_ids.len()
        for code, n in result.by_code.items():
            self.counts[code] = self.counts.get(code, 0) + n
        if self.stream is not None and result.eligible_ids.len():
            self.stream.write("\n".join(result.eligible_ids.to_list()))
            self.stream.write("\n")
        if self.on_eligible is not None and result.eligible_ids.len():
            self.on_eligible(result.eligible_ids.to_list())

    def close(self, *, ok: bool) -> None:
        if self.stream is not None:
            self.stream.close()
            assert self.temp is not None
            assert self.target is not None
            if ok:
                os.replace(self.temp, self.target)
            else:
                self.temp.unlink(missing_ok=True)

    def report(self, partitions: int) -> ScreeningReport:
        order = {code: i for i, code in enumerate(self.plan.codes)}
        found = [code for code, n in self.counts.items() if n]
        ranked = sorted(found, key=lambda c: (order.get(c, len(order)), c))
        return ScreeningReport(
            rows=self.rows,
            eligible=self.eligible,
            refused_by_reason={code: self.counts[code] for code in ranked},
            row_by_row=self.plan.row_by_row,
            partitions=partitions,
            as_of=self.plan.as_of,
            eligible_path=self.target,
        )


def gather(
    plan: ScreeningPlan,
    results: Iterable[PartitionResult],
    *,
    partitions: int,
    eligible_to: pathlib.Path | str | None = None,
    on_eligible: Callable[[Sequence[str]], None] | None = None,
) -> ScreeningReport:
    """Add partition results (in partition order) into one report."""
    gatherer = _Gatherer(
        plan, pathlib.Path(eligible_to) if eligible_to is not None else None, on_eligible
    )
    ok = False
    try:
        for result in results:
            gatherer.add(result)
        ok = True
    finally:
        gatherer.close(ok=ok)
    return gatherer.report(partitions)


def screen(
    rules: Screenable,
    register: pathlib.Path | str,
    *,
    as_of: dt.date | None = None,
    history: Iterable[PastEnrollment] = (),
    factories: Iterable[RuleFactory] = (),
    eligible_to: pathlib.Path | str | None = None,
    on_eligible: Callable[[Sequence[str]], None] | None = None,
) -> ScreeningReport:
    """Screen a Parquet register against eligibility rules, partition by partition.

    :param rules: a :class:`~umkm_core.Program`, a programme file
        (:class:`~umkm_core.adapters.program_file.ProgramFile`, whose ``as_of`` is the
        default date), bare eligibility rules, or a :class:`ScreeningPlan`.
    :param register: a folder written by :func:`~umkm_core.bulk.write_register_parquet`.
    :param as_of: the date the rules are judged on.
    :param history: earlier enrollments, for ``not_attended_within``.
    :param factories: rule factories from plugins (the registry's ``rules.values()``).
    :param eligible_to: a file to write the eligible ids to, one per line (written whole
        or not at all).
    :param on_eligible: called with each partition's eligible ids, in order.
    :returns: the report.
    :raises UmkmError: ``bulk.not_a_register``, ``bulk.no_as_of``, ``bulk.unreadable``;
        ``ValidationError``
        from compiling the rules.
    """
    plan = plan_for(rules, as_of=as_of, history=history, factories=factories)
    partitions = register_partitions(register)
    return gather(
        plan,
        (screen_partition(plan, p) for p in partitions),
        partitions=len(partitions),
        eligible_to=eligible_to,
        on_eligible=on_eligible,
    )
