"""Seats at national scale: a programme allocated from a Parquet register, in columns.

Needs the ``bulk`` extra; not imported by :mod:`umkm_core.services` itself. The
office's own programmes go through :func:`umkm_core.services.allocate_programme` and the
store; a provincial or national call, with a register of millions and applications
by the hundred thousand, goes through :func:`allocate_register`, which reads them as
columns and gives the same decisions (:func:`umkm_core.bulk.allocate_columns`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import polars as pl

from umkm_core._plugins import Registry
from umkm_core.adapters.application_rows import read_applications
from umkm_core.adapters.program_file import load_program_file
from umkm_core.adapters.roster import RefusedRow
from umkm_core.bulk import (
    APPLICATIONS_SCHEMA,
    ColumnarAllocation,
    allocate_columns,
    applications_frame,
    scan_register,
)
from umkm_core.errors import UmkmError
from umkm_core.services._common import applications_zone, file_rows, registry_or_default

__all__ = ["RegisterAllocation", "allocate_register"]


@attrs.frozen(kw_only=True)
class RegisterAllocation:
    """What :func:`allocate_register` decided, and the application rows it could not read.

    :param allocation: the decisions, in policy order, with every reason.
    :param refused: application rows refused on reading (a table file), with their
        problems; none for a Parquet file, which is refused whole when malformed.
    """

    allocation: ColumnarAllocation
    refused: tuple[RefusedRow, ...] = ()


def _parquet_applications(path: Path, program_id: str) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(path)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise UmkmError(
            "bulk.bad_applications",
            field=path.name,
            id="Berkas Parquet pendaftaran rusak atau tidak dapat dibaca.",
            en="The applications Parquet file is damaged or cannot be read.",
        ) from exc
    if "program_id" not in frame.columns:
        frame = frame.with_columns(pl.lit(program_id).alias("program_id"))
    if "tier" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.Int64).alias("tier"))
    return frame.select([c for c in APPLICATIONS_SCHEMA if c in frame.columns])


def allocate_register(
    program_file: str | Path,
    register: str | Path,
    applications: str | Path,
    *,
    as_of: dt.date | None = None,
    registry: Registry | None = None,
) -> RegisterAllocation:
    """Allocate a programme's seats to applications, judging a Parquet register in columns.

    :param program_file: the programme file (its rules, waves and ``[allocation]``
        policy and date).
    :param register: a Parquet register (``umkm export --format parquet``); only the
        applicants' rows are read.
    :param applications: the applications: a Parquet file of
        :data:`~umkm_core.bulk.APPLICATIONS_SCHEMA` (``program_id`` and ``tier``
        optional), or a table file as ``umkm enroll`` reads it (bad rows are reported
        and left out).
    :param as_of: the date rules are judged on; the programme file's by default.
    :param registry: the plugins (the default registry if ``None``).
    :returns: the decisions and the refused application rows.
    :raises UmkmError: ``bulk.no_as_of`` when neither gives a date; the errors of
        :func:`~umkm_core.bulk.allocate_columns`.
    """
    registry = registry_or_default(registry)
    factories = tuple(registry.rules.values())
    parsed = load_program_file(program_file, factories=factories)
    program = parsed.program
    day = as_of or parsed.as_of
    if day is None:
        raise UmkmError(
            "bulk.no_as_of",
            field="as_of",
            id="Tanggal penilaian tidak diberikan (--as-of atau [allocation] as_of).",
            en="No date to judge on (--as-of or [allocation] as_of).",
        )
    path = Path(applications)
    refused: tuple[RefusedRow, ...] = ()
    if path.suffix.lower() == ".parquet":
        frame = _parquet_applications(path, program.id)
    else:
        zone = applications_zone(program)
        report = read_applications(
            file_rows(registry, path), program_id=program.id, time_zone=zone
        )
        frame = applications_frame(report.applications)
        refused = report.refused
    allocation = allocate_columns(
        program,
        frame,
        scan_register(register),
        as_of=day,
        policy=parsed.policy,
        factories=factories,
    )
    return RegisterAllocation(allocation=allocation, refused=refused)
