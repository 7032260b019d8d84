"""Allocation over columns: a national register and a million applications, in constant objects.

:func:`umkm_core.allocate` judges and seats Python objects, one business at a time. At
national scale the register is a Parquet file and the applications a table, and holding
them as objects costs gigabytes. :func:`allocate_columns` gives the same allocation from
frames:

* eligibility is judged by the compiled screening plan (:func:`compile_rules`): the same
  verdicts and the same reason slots, in the same order, as the interpreted engine;
* the seat assignment is the interpreted engine's, exactly: applications in policy
  order, each seated in the first wave it wants whose counters (wave seats, district
  quotas, total seats, one seat per business, reserved shares) all have room, a release
  pass for reserved shares, then the single waitlist. It runs as one loop over integer
  counters; the counters a seat uses are worked out in columns beforehand;
* every reason is kept, as a small integer per reason into :attr:`ColumnarAllocation.reason_table`
  (a code and a wave), so a million decisions cost a few bytes each.

A property test holds every decision (status, wave, waitlist position, eligible waves,
reason codes and waves, in order) to :func:`umkm_core.allocate` on random programmes.

What it does not take: rules that read the application itself, eligibility rules with
no columnar form, and capacity rules other than the built-in ones. Those are refused
with ``bulk.not_columnar``, naming the rule; :func:`umkm_core.allocate` takes them all.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import pathlib
from collections.abc import Iterable, Mapping, Sequence

import attrs
import polars as pl

from umkm_core.allocation.policy import FirstComeFirstServed, Policy
from umkm_core.bulk._allocation_run import _STATUSES, _Run
from umkm_core.bulk.compile import ScreeningPlan, compile_rules
from umkm_core.bulk.register import REGISTER_SCHEMA
from umkm_core.errors import InvalidDocument, UmkmError, ValidationError
from umkm_core.files import atomic_write
from umkm_core.limits import check_date
from umkm_core.model.application import Application
from umkm_core.model.program import PastEnrollment, Program
from umkm_core.rules.base import CapacityRule, EligibilityRule, RuleFactory
from umkm_core.rules.capacity import (
    DistrictQuota,
    OneSeatPerBusiness,
    ReservedShare,
    TotalSeats,
    allocation_rules,
)

__all__ = [
    "APPLICATIONS_SCHEMA",
    "ColumnarAllocation",
    "allocate_columns",
    "applications_frame",
]

#: The columns of an applications frame. ``applied_at`` is an instant (UTC); ``waves``
#: the waves wanted, most wanted first (empty: any wave); ``tier`` the priority tier.
APPLICATIONS_SCHEMA: dict[str, pl.DataType] = {
    "business_id": pl.String(),
    "program_id": pl.String(),
    "applied_at": pl.Datetime("us", "UTC"),
    "waves": pl.List(pl.Int64()),
    "tier": pl.Int64(),
}


def applications_frame(applications: Iterable[Application]) -> pl.DataFrame:
    """The applications as a frame of :data:`APPLICATIONS_SCHEMA`, in the order given.

    :param applications: the applications.
    :returns: the frame (``applied_at`` converted to UTC; the instant is kept).
    """
    business: list[str] = []
    program: list[str] = []
    applied: list[dt.datetime] = []
    waves: list[list[int]] = []
    tiers: list[int | None] = []
    for a in applications:
        business.append(a.business_id)
        program.append(a.program_id)
        applied.append(a.applied_at)
        waves.append(list(a.waves))
        tiers.append(a.tier)
    return pl.DataFrame(
        {
            "business_id": pl.Series(business, dtype=pl.String),
            "program_id": pl.Series(program, dtype=pl.String),
            "applied_at": pl.Series(applied, dtype=pl.Datetime("us", "UTC")),
            "waves": pl.Series(waves, dtype=pl.List(pl.Int64)),
            "tier": pl.Series(tiers, dtype=pl.Int64),
        }
    )


@attrs.frozen(kw_only=True, eq=False)
class ColumnarAllocation:
    """The result of :func:`allocate_columns`: one row per application, in policy order.

    :param program: the programme allocated.
    :param policy: the policy that ordered the applicants.
    :param as_of: the date the rules were judged on.
    :param decisions: ``business_id``, ``applied_at``, ``waves``, ``tier``, ``status``
        (``accepted`` / ``waitlisted`` / ``refused``), ``wave`` (the seat), ``position``
        (on the waitlist) and ``eligible`` (the waves open to the applicant, in its order
        of preference), as :class:`umkm_core.Decision` has them.
    :param reasons: every reason of every decision, one row each: ``row`` (the
        decision's row in :attr:`decisions`), ``code`` and ``wave`` (null when the
        reason concerns no wave), in the order :func:`umkm_core.allocate` gives them.
    """

    program: Program
    policy: Policy
    as_of: dt.date
    decisions: pl.DataFrame = attrs.field(repr=False)
    reasons: pl.DataFrame = attrs.field(repr=False)

    def __len__(self) -> int:
        return self.decisions.height

    def status_counts(self) -> dict[str, int]:
        """How many applications were accepted, waitlisted and refused."""
        found = self.decisions.get_column("status").value_counts()
        counts = {str(s): int(c) for s, c in found.iter_rows()}
        return {s: counts.get(s, 0) for s in _STATUSES}

    def seats_taken(self) -> dict[int, int]:
        """Seats taken per wave (every wave listed, also the empty ones)."""
        taken = dict.fromkeys(self.program.wave_numbers, 0)
        seated = self.decisions.get_column("wave").drop_nulls().value_counts()
        for wave, count in seated.iter_rows():
            taken[int(wave)] = int(count)
        return taken

    def reason_counts(self) -> dict[str, int]:
        """Per reason code, how many decisions carry it (a decision counts once per code)."""
        found = self.reasons.unique(["row", "code"]).get_column("code").value_counts(sort=True)
        return {str(code): int(n) for code, n in found.iter_rows()}

    def reasons_of(self, row: int) -> tuple[tuple[str, int | None], ...]:
        """The reasons of the decision at ``row`` (policy order), as (code, wave) pairs."""
        found = self.reasons.filter(pl.col("row") == row)
        return tuple(found.select("code", "wave").iter_rows())

    def with_reasons(self) -> pl.DataFrame:
        """:attr:`decisions` with a ``reasons`` column: each decision's ``{code, wave}`` list."""
        lists = self.reasons.group_by("row", maintain_order=True).agg(
            pl.struct("code", "wave").alias("reasons")
        )
        empty = pl.lit([], dtype=pl.List(pl.Struct({"code": pl.String, "wave": pl.Int64})))
        return (
            self.decisions.with_row_index("row")
            .join(lists, on="row", how="left", maintain_order="left")
            .with_columns(pl.col("reasons").fill_null(empty))
            .drop("row")
        )

    def write_parquet(self, path: str | os.PathLike[str]) -> pathlib.Path:
        """Write :meth:`with_reasons` to a Parquet file, whole or not at all.

        The decisions hold no personal data (business ids, times, waves, reasons), so
        the file is created ``0644``.

        :param path: the file.
        :returns: the path written.
        :raises UmkmError: ``file.folder_missing`` / ``file.cannot_write``.
        """
        target = pathlib.Path(path)
        with atomic_write(target, private=False) as stream:
            self.with_reasons().write_parquet(stream)
        return target


def _not_columnar(name: str, why_id: str, why_en: str) -> UmkmError:
    return UmkmError(
        "bulk.not_columnar",
        field=name,
        id=f"Aturan '{name}' tidak dapat dinilai per kolom ({why_id}); gunakan allocate().",
        en=f"Rule '{name}' cannot be judged in columns ({why_en}); use allocate().",
    )


def _check_rules(
    program: Program,
) -> tuple[tuple[EligibilityRule, ...], tuple[CapacityRule, ...]]:
    rules = allocation_rules(program)  # with one seat per business unless lifted
    eligibility = tuple(r for r in rules if isinstance(r, EligibilityRule))
    capacity = tuple(r for r in rules if isinstance(r, CapacityRule))
    for rule in (*eligibility, *capacity):
        if rule.depends_on_application:
            raise _not_columnar(rule.name, "membaca pendaftarannya", "it reads the application")
    for rule in capacity:
        if not isinstance(rule, DistrictQuota | TotalSeats | OneSeatPerBusiness | ReservedShare):
            raise _not_columnar(
                rule.name, "aturan kapasitas dari plugin", "a capacity rule from a plugin"
            )
    return eligibility, capacity


def _check_applications(applications: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in APPLICATIONS_SCHEMA if c not in applications.columns]
    if missing:
        raise UmkmError(
            "bulk.bad_applications",
            field=missing[0],
            id=f"Tabel pendaftaran tanpa kolom '{missing[0]}'.",
            en=f"The applications table has no column '{missing[0]}'.",
        )
    try:
        frame = applications.select(
            pl.col(name).cast(dtype, strict=True) for name, dtype in APPLICATIONS_SCHEMA.items()
        )
    except pl.exceptions.PolarsError as exc:
        raise UmkmError(
            "bulk.bad_applications",
            field="applications",
            id="Tipe kolom tabel pendaftaran salah.",
            en="A column of the applications table has the wrong type.",
        ) from exc
    nulls = frame.select(pl.col("business_id", "program_id", "applied_at", "waves").null_count())
    for name, count in zip(nulls.columns, nulls.row(0), strict=True):
        if count:
            raise UmkmError(
                "bulk.bad_applications",
                field=name,
                id=f"Kolom '{name}' tabel pendaftaran kosong di {count} baris.",
                en=f"Column '{name}' of the applications table is empty in {count} rows.",
            )
    _check_values(frame)
    return frame


def _check_values(frame: pl.DataFrame) -> None:
    """Each application as :class:`~umkm_core.Application` would have it, or every bad row."""
    wave = pl.element()
    checks = {
        "business_id": (
            pl.col("business_id").str.strip_chars() == "",
            "application.business_id_blank",
            ("'business_id' wajib diisi.", "'business_id' is required."),
        ),
        "program_id": (
            pl.col("program_id").str.strip_chars() == "",
            "application.program_id_blank",
            ("'program_id' wajib diisi.", "'program_id' is required."),
        ),
        "waves": (
            pl.col("waves").list.eval(wave.is_null() | (wave < 1)).list.any(),
            "application.bad_wave",
            (
                "Nomor gelombang harus bilangan bulat 1 atau lebih.",
                "A wave number is a whole number of 1 or more.",
            ),
        ),
        "waves ": (
            pl.col("waves").list.n_unique() != pl.col("waves").list.len(),
            "application.duplicate_wave",
            ("Gelombang disebut lebih dari sekali.", "A wave is listed more than once."),
        ),
        "tier": (
            (pl.col("tier") < 0).fill_null(False),
            "application.bad_tier",
            (
                "Tingkat prioritas harus bilangan bulat 0 atau lebih.",
                "A priority tier is a whole number of 0 or more.",
            ),
        ),
    }
    found = (
        frame.select(*(check.alias(name) for name, (check, _, _) in checks.items()))
        .with_row_index("_row")
        .filter(pl.any_horizontal(list(checks)))
    )
    if not found.height:
        return
    errors = [
        ValidationError(
            code,
            field=f"applications[{row['_row']}].{name.strip()}",
            id=text_id,
            en=text_en,
        )
        for row in found.iter_rows(named=True)
        for name, (_, code, (text_id, text_en)) in checks.items()
        if row[name]
    ]
    raise InvalidDocument(errors)


def _check_register(register: pl.DataFrame | pl.LazyFrame) -> None:
    try:
        schema = (
            register.schema if isinstance(register, pl.DataFrame) else register.collect_schema()
        )
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise UmkmError(
            "bulk.bad_register",
            field="register",
            id="Daftar usaha tidak dapat dibaca.",
            en="The register cannot be read.",
        ) from exc
    for name, dtype in REGISTER_SCHEMA.items():
        if schema.get(name) != dtype:
            raise UmkmError(
                "bulk.bad_register",
                field=name,
                id=f"Kolom '{name}' daftar usaha tidak ada atau salah tipe.",
                en=f"Column '{name}' of the register is missing or mistyped.",
            )


def _wrong_program(program: Program, applications: pl.DataFrame) -> None:
    wrong = (
        applications.select(pl.col("program_id"))
        .with_row_index("i")
        .filter(pl.col("program_id") != program.id)
    )
    if wrong.height:
        raise InvalidDocument(
            [
                ValidationError(
                    "application.wrong_program",
                    field=f"applications[{i}].program_id",
                    value=value,
                    id=f"Pendaftaran untuk program lain, bukan {program.id}.",
                    en=f"Application for another programme, not {program.id}.",
                )
                for i, value in wrong.iter_rows()
            ]
        )


def _member_plans(
    program: Program,
    capacity: Sequence[CapacityRule],
    *,
    as_of: dt.date,
    history: Mapping[str, tuple[PastEnrollment, ...]],
    factories: Sequence[RuleFactory],
) -> list[ScreeningPlan | None]:
    """Per capacity rule, its reserved-share group compiled (``None`` for other rules)."""
    plans: list[ScreeningPlan | None] = []
    for rule in capacity:
        if not isinstance(rule, ReservedShare):
            plans.append(None)
            continue
        plan = compile_rules(
            attrs.evolve(program, rules=(rule.group,)),
            as_of=as_of,
            history=history,
            factories=factories,
        )
        if plan.fallbacks:
            raise _not_columnar(
                plan.row_by_row[0], "tanpa bentuk kolom", "it has no columnar form"
            )
        plans.append(plan)
    return plans


def allocate_columns(
    program: Program,
    applications: pl.DataFrame,
    register: pl.DataFrame | pl.LazyFrame,
    *,
    as_of: dt.date,
    policy: Policy | None = None,
    history: Iterable[PastEnrollment] = (),
    factories: Iterable[RuleFactory] = (),
) -> ColumnarAllocation:
    """Decide every application to ``program`` over columns, as :func:`umkm_core.allocate` does.

    :param program: the programme, with its waves and rules.
    :param applications: a frame of :data:`APPLICATIONS_SCHEMA` (see
        :func:`applications_frame`), in any order.
    :param register: the register as a frame of :data:`~umkm_core.bulk.REGISTER_SCHEMA`
        (:func:`~umkm_core.bulk.scan_register` of a Parquet register, or
        :func:`~umkm_core.bulk.register_frame`); a business listed twice counts as its
        last row, as in a mapping.
    :param as_of: the date the rules are judged on.
    :param policy: the order of consideration; first come, first served by default.
    :param history: earlier enrollments, for ``not_attended_within``.
    :param factories: plugin rule factories with columnar forms.
    :returns: the :class:`ColumnarAllocation`.
    :raises InvalidDocument: ``application.wrong_program`` for applications to another
        programme; ``application.business_id_blank``, ``application.bad_wave``,
        ``application.duplicate_wave``, ``application.bad_tier`` for values an
        :class:`~umkm_core.Application` refuses (``field`` names each row).
    :raises UmkmError: ``bulk.not_columnar`` for a rule that reads the application, has
        no columnar form or is a capacity rule from a plugin; ``bulk.bad_applications``
        for a frame without the columns or types of :data:`APPLICATIONS_SCHEMA` (or with
        empty cells where a value is needed); ``bulk.bad_register`` for a register
        without the columns of :data:`~umkm_core.bulk.REGISTER_SCHEMA`.
    :raises ValidationError: ``date.out_of_range`` for an as-of date past the limit.
    """
    check_date(as_of, field="as_of")
    policy = policy if policy is not None else FirstComeFirstServed()
    eligibility, capacity = _check_rules(program)
    frame = _check_applications(applications)
    _check_register(register)
    _wrong_program(program, frame)
    grouped: dict[str, list[PastEnrollment]] = {}
    for entry in history:
        grouped.setdefault(entry.business_id, []).append(entry)
    past = {k: tuple(v) for k, v in grouped.items()}
    chosen = tuple(factories)
    plan = compile_rules(
        attrs.evolve(program, rules=eligibility), as_of=as_of, history=past, factories=chosen
    )
    if plan.fallbacks:
        raise _not_columnar(plan.row_by_row[0], "tanpa bentuk kolom", "it has no columnar form")
    members = _member_plans(program, capacity, as_of=as_of, history=past, factories=chosen)
    collecting = gc.isenabled()
    gc.disable()  # the seat loop makes many small, acyclic objects
    try:
        decisions, reasons = _Run(program, plan, capacity, members).allocate(
            policy, frame, register
        )
    finally:
        if collecting:
            gc.enable()
    return ColumnarAllocation(
        program=program, policy=policy, as_of=as_of, decisions=decisions, reasons=reasons
    )
