"""The register in columns: one Parquet row per business, partitioned by regency.

A national register does not fit in memory as Python objects, so the bulk tools keep it
as Apache Parquet: one row per business with exactly the fields the eligibility rules
read, as typed columns (:data:`REGISTER_SCHEMA`), written in hive-style partitions by
regency (``register/region=36.71/part-00000.parquet``). Personal data (owner names,
NIK, phone numbers, NPWP) is *not* in these columns: the owner's sex is kept as the
rules see it (as recorded, else as the NIK encodes it). A register written with
``records=True`` also keeps each business whole, as its JSON document, for rules that
have no columnar form; such a file holds personal data and is created 0600.

Financial records are stored sorted by year, coaching memberships and certificates in
the business's own order: the compiled rules rely on the first.
"""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs
import polars as pl
import pyarrow as pa

from umkm_core.adapters.serialization import from_json, to_json
from umkm_core.errors import UmkmError
from umkm_core.model.business import (
    Address,
    Business,
    Coaching,
    FinancialRecord,
    HeldCertificate,
    Owner,
)
from umkm_core.model.identifiers import NIB, RegionCode, Sex

__all__ = [
    "REGISTER_SCHEMA",
    "RegisterPartition",
    "RegisterWritten",
    "business_from_row",
    "iter_register",
    "list_column",
    "partition_key",
    "register_frame",
    "register_partitions",
    "scan_register",
    "write_register_frames",
    "write_register_parquet",
]

_COACHING = pl.Struct({"office_id": pl.String, "since": pl.Date, "until": pl.Date})
_FINANCIALS = pl.Struct(
    {
        "year": pl.Int16,
        "annual_sales": pl.Int64,
        "net_assets": pl.Int64,
        "business_capital": pl.Int64,
    }
)
_CERTIFICATE = pl.Struct({"kind": pl.String, "issued_on": pl.Date, "expires_on": pl.Date})

#: The columns of a register file, in order. ``region_code`` holds the address's region
#: digits (``"367105"``); ``owner_sex`` is ``"female"``, ``"male"`` or null; ``nib`` the
#: NIB digits or null; ``record`` (optional) the business's JSON document.
REGISTER_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),
    "region_code": pl.String(),
    "sector": pl.String(),
    "nib": pl.String(),
    "owner_sex": pl.String(),
    "financials": pl.List(_FINANCIALS),
    "coaching": pl.List(_COACHING),
    "certificates": pl.List(_CERTIFICATE),
}
_RECORD = "record"
#: The hive partition key: the regency (``"36.71"``), or the province for coarser codes.
PARTITION = "region"


def partition_key(region_digits: str) -> str:
    """The partition a business with region code ``region_digits`` is written to.

    >>> partition_key("3671051001")
    '36.71'
    """
    return str(RegionCode(region_digits[:4])) if len(region_digits) >= 4 else region_digits


def list_column(
    counts: Sequence[int], fields: dict[str, pa.Array], dtype: pl.DataType
) -> pl.Series:
    """A list-of-struct column from flat field arrays and the number of items per row.

    Built through Arrow offsets: building lists of dictionaries row by row is orders of
    magnitude slower at register sizes.
    """
    offsets = [0]
    total = 0
    for count in counts:
        total += count
        offsets.append(total)
    values = pa.StructArray.from_arrays(list(fields.values()), names=list(fields))
    array = pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), values)
    return pl.Series(pl.from_arrow(array)).cast(dtype)


class _Columns:
    """The register's columns gathered business by business, flat."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.regions: list[str] = []
        self.sectors: list[str] = []
        self.nibs: list[str | None] = []
        self.sexes: list[str | None] = []
        self.fin_counts: list[int] = []
        self.fin: tuple[list[int], list[int | None], list[int | None], list[int | None]] = (
            [],
            [],
            [],
            [],
        )
        self.coach_counts: list[int] = []
        self.coach: tuple[list[str], list[dt.date], list[dt.date | None]] = ([], [], [])
        self.cert_counts: list[int] = []
        self.cert: tuple[list[str], list[dt.date], list[dt.date | None]] = ([], [], [])
        # Registers share value objects (interned on load): convert each tuple once.
        self._seen_fin: dict[int, tuple[object, list[FinancialRecord]]] = {}

    def add(self, business: Business) -> None:
        sex = business.owner.effective_sex
        self.ids.append(business.id)
        self.regions.append(business.address.region.value)
        self.sectors.append(business.sector)
        self.nibs.append(business.nib.value if business.nib is not None else None)
        self.sexes.append(sex.value if sex is not None else None)
        financials = business.financials
        seen = self._seen_fin.get(id(financials))
        if seen is None or seen[0] is not financials:
            seen = (financials, sorted(financials, key=lambda f: f.year))
            self._seen_fin[id(financials)] = seen
        self.fin_counts.append(len(seen[1]))
        years, sales, assets, capital = self.fin
        for f in seen[1]:
            years.append(f.year)
            sales.append(f.annual_sales)
            assets.append(f.net_assets)
            capital.append(f.business_capital)
        self.coach_counts.append(len(business.coached_by))
        offices, since, until = self.coach
        for c in business.coached_by:
            offices.append(c.office_id)
            since.append(c.since)
            until.append(c.until)
        self.cert_counts.append(len(business.certificates))
        kinds, issued, expires = self.cert
        for h in business.certificates:
            kinds.append(h.kind)
            issued.append(h.issued_on)
            expires.append(h.expires_on)

    def frame(self) -> pl.DataFrame:
        years, sales, assets, capital = self.fin
        offices, since, until = self.coach
        kinds, issued, expires = self.cert
        return pl.DataFrame(
            {
                "id": pl.Series(self.ids, dtype=pl.String),
                "region_code": pl.Series(self.regions, dtype=pl.String),
                "sector": pl.Series(self.sectors, dtype=pl.String),
                "nib": pl.Series(self.nibs, dtype=pl.String),
                "owner_sex": pl.Series(self.sexes, dtype=pl.String),
                "financials": list_column(
                    self.fin_counts,
                    {
                        "year": pa.array(years, type=pa.int16()),
                        "annual_sales": pa.array(sales, type=pa.int64()),
                        "net_assets": pa.array(assets, type=pa.int64()),
                        "business_capital": pa.array(capital, type=pa.int64()),
                    },
                    REGISTER_SCHEMA["financials"],
                ),
                "coaching": list_column(
                    self.coach_counts,
                    {
                        "office_id": pa.array(offices, type=pa.string()),
                        "since": pa.array(since, type=pa.date32()),
                        "until": pa.array(until, type=pa.date32()),
                    },
                    REGISTER_SCHEMA["coaching"],
                ),
                "certificates": list_column(
                    self.cert_counts,
                    {
                        "kind": pa.array(kinds, type=pa.string()),
                        "issued_on": pa.array(issued, type=pa.date32()),
                        "expires_on": pa.array(expires, type=pa.date32()),
                    },
                    REGISTER_SCHEMA["certificates"],
                ),
            }
        )


def register_frame(businesses: Iterable[Business], *, records: bool = False) -> pl.DataFrame:
    """The businesses as a register frame (:data:`REGISTER_SCHEMA`).

    :param businesses: the businesses.
    :param records: also keep each business whole (its JSON document) in ``record``.
    :returns: a frame with one row per business, in the given order.
    """
    columns = _Columns()
    kept: list[bytes] = []
    for business in businesses:
        columns.add(business)
        if records:
            kept.append(to_json(business))
    frame = columns.frame()
    if records:
        frame = frame.with_columns(pl.Series(_RECORD, kept, dtype=pl.Binary))
    return frame


@attrs.frozen(kw_only=True)
class RegisterWritten:
    """What :func:`write_register_parquet` wrote.

    :param path: the register folder.
    :param rows: businesses written.
    :param partitions: the partition values (regencies), sorted.
    :param files: the Parquet files written.
    """

    path: pathlib.Path
    rows: int
    partitions: tuple[str, ...]
    files: int


def _not_a_register(path: pathlib.Path, why_id: str, why_en: str) -> UmkmError:
    return UmkmError(
        "bulk.not_a_register",
        field=path.name,
        id=f"Bukan daftar usaha Parquet: {why_id}.",
        en=f"Not a Parquet register: {why_en}.",
    )


class _PartitionWriter:
    """Buffers rows by partition and writes numbered part files into a new folder."""

    def __init__(self, folder: pathlib.Path, batch_size: int, *, private: bool) -> None:
        self.folder = folder
        self.batch_size = batch_size
        self.private = private
        self.buffers: dict[str, list[pl.DataFrame]] = {}
        self.buffered = 0
        self.parts: dict[str, int] = {}
        self.rows = 0

    def add(self, frame: pl.DataFrame) -> None:
        if frame.height == 0:
            return
        keys = frame.get_column("region_code").str.slice(0, 4)
        if keys.n_unique() == 1:
            groups = [(str(keys[0]), frame)]
        else:
            groups = [
                (str(key[0]), part.drop("_key"))
                for key, part in frame.with_columns(keys.alias("_key")).group_by(
                    "_key", maintain_order=True
                )
            ]
        for key, part in groups:
            self.buffers.setdefault(partition_key(key), []).append(part)
            self.buffered += part.height
        if self.buffered >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        for key in sorted(self.buffers):
            frame = pl.concat(self.buffers[key], how="vertical")
            number = self.parts.get(key, 0)
            self.parts[key] = number + 1
            target = self.folder / f"{PARTITION}={key}" / f"part-{number:05d}.parquet"
            target.parent.mkdir(exist_ok=True)
            frame.write_parquet(target, compression="zstd", statistics=True)
            if self.private:
                target.chmod(0o600)
            self.rows += frame.height
        self.buffers.clear()
        self.buffered = 0


def _write(
    frames: Iterable[pl.DataFrame],
    path: pathlib.Path | str,
    *,
    batch_size: int,
    private: bool,
) -> RegisterWritten:
    target = pathlib.Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # The register is written whole or not at all: into a new sibling folder, which then
    # takes the place of any earlier register of the same name.
    work = pathlib.Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        writer = _PartitionWriter(work, batch_size, private=private)
        for frame in frames:
            writer.add(frame)
        writer.flush()
        old: pathlib.Path | None = None
        if target.exists():
            old = pathlib.Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.replace(target, old / target.name)
        os.replace(work, target)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return RegisterWritten(
        path=target,
        rows=writer.rows,
        partitions=tuple(sorted(writer.parts)),
        files=sum(writer.parts.values()),
    )


def write_register_parquet(
    businesses: Iterable[Business],
    path: pathlib.Path | str,
    *,
    batch_size: int = 100_000,
    records: bool = False,
) -> RegisterWritten:
    """Write businesses as a partitioned Parquet register (one folder per regency).

    The businesses are consumed as a stream: at most about ``batch_size`` of them are
    held at once, so a register of any size can be written.

    :param businesses: the businesses (any iterable, consumed once).
    :param path: the register folder; an existing register there is replaced once the new
        one is complete.
    :param batch_size: rows buffered before part files are written.
    :param records: also keep each business whole (JSON) for rules without a columnar
        form; the files then hold personal data and are created 0600.
    :returns: what was written.
    """

    def frames() -> Iterator[pl.DataFrame]:
        batch: list[Business] = []
        for business in businesses:
            batch.append(business)
            if len(batch) >= batch_size:
                yield register_frame(batch, records=records)
                batch = []
        if batch:
            yield register_frame(batch, records=records)

    return _write(frames(), path, batch_size=batch_size, private=records)


def write_register_frames(
    frames: Iterable[pl.DataFrame], path: pathlib.Path | str, *, batch_size: int = 1_000_000
) -> RegisterWritten:
    """Write register frames (already in :data:`REGISTER_SCHEMA`) as a partitioned register.

    For generators that build columns directly (the benchmark's ten-million-row register).

    :param frames: frames with the register's columns.
    :param path: the register folder (replaced once complete).
    :param batch_size: rows buffered before part files are written.
    :returns: what was written.
    """

    def checked() -> Iterator[pl.DataFrame]:
        for frame in frames:
            _check_schema(frame.schema, pathlib.Path(path))
            yield frame

    return _write(checked(), path, batch_size=batch_size, private=False)


def _check_schema(schema: pl.Schema | dict[str, pl.DataType], path: pathlib.Path) -> None:
    for name, dtype in REGISTER_SCHEMA.items():
        found = schema.get(name)
        if found is None or found != dtype:
            raise _not_a_register(
                path,
                f"kolom '{name}' tidak ada atau salah tipe",
                f"column '{name}' is missing or mistyped",
            )


@attrs.frozen(kw_only=True)
class RegisterPartition:
    """One partition of a register: its regency and its part files, in name order."""

    region: str
    files: tuple[pathlib.Path, ...]


def register_partitions(path: pathlib.Path | str) -> tuple[RegisterPartition, ...]:
    """The partitions of a register folder, sorted by region.

    :param path: a folder written by :func:`write_register_parquet`, or one Parquet file
        (one partition named after the file).
    :returns: the partitions.
    :raises UmkmError: ``bulk.not_a_register`` when the path holds no register.
    """
    root = pathlib.Path(path)
    if root.is_file():
        return (RegisterPartition(region=root.stem, files=(root,)),)
    if not root.is_dir():
        raise _not_a_register(root, "tidak ditemukan", "not found")
    found: list[RegisterPartition] = []
    for folder in sorted(root.glob(f"{PARTITION}=*")):
        files = tuple(sorted(folder.glob("*.parquet")))
        if files:
            found.append(RegisterPartition(region=folder.name.split("=", 1)[1], files=files))
    if not found:
        raise _not_a_register(root, "tidak ada partisi region=...", "no region=... partitions")
    try:
        schema = pl.read_parquet_schema(found[0].files[0])
    except (pl.exceptions.PolarsError, OSError):
        raise _not_a_register(
            root,
            "berkas Parquet pertama tidak dapat dibaca",
            "its first Parquet file is unreadable",
        ) from None
    _check_schema(schema, root)
    return tuple(found)


def scan_register(path: pathlib.Path | str) -> pl.LazyFrame:
    """The whole register as one lazy frame (nothing is read until it is collected).

    :param path: the register folder or file.
    :returns: a lazy frame over every part file, in partition order.
    :raises UmkmError: ``bulk.not_a_register``.
    """
    files = [f for p in register_partitions(path) for f in p.files]
    return pl.scan_parquet(files)


def iter_register(
    path: pathlib.Path | str, *, columns: Sequence[str] | None = None
) -> Iterator[pl.DataFrame]:
    """The register part file by part file: memory bounded by the largest part.

    :param path: the register folder or file.
    :param columns: the columns to read (all by default).
    :returns: an iterator of frames, in partition and part order.
    :raises UmkmError: ``bulk.not_a_register``.
    """
    for partition in register_partitions(path):
        for file in partition.files:
            yield pl.read_parquet(file, columns=list(columns) if columns else None)


def _date(value: object) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def business_from_row(row: dict[str, object]) -> Business:
    """A :class:`Business` as a rule evaluated row by row sees it.

    From the ``record`` column when the register keeps whole records; otherwise built
    from the columns alone, so fields outside :data:`REGISTER_SCHEMA` (name, products,
    KBLI, NIK, NPWP) are placeholders or empty.

    :param row: one row of a register frame, as ``frame.iter_rows(named=True)`` gives.
    :returns: the business.
    """
    record = row.get(_RECORD)
    if isinstance(record, bytes):
        return from_json(record, Business)
    sex = row.get("owner_sex")
    nib = row.get("nib")
    return Business(
        id=str(row["id"]),
        name="-",
        owner=Owner(name="-", sex=Sex(sex) if isinstance(sex, str) else None),
        address=Address(region=RegionCode(str(row["region_code"]))),
        sector=str(row["sector"]),
        nib=NIB(nib) if isinstance(nib, str) else None,
        financials=tuple(
            FinancialRecord(
                year=int(f["year"]),
                annual_sales=f["annual_sales"],
                net_assets=f["net_assets"],
                business_capital=f["business_capital"],
            )
            for f in _items(row.get("financials"))
        ),
        coached_by=tuple(
            Coaching(office_id=c["office_id"], since=c["since"], until=_date(c["until"]))
            for c in _items(row.get("coaching"))
        ),
        certificates=tuple(
            HeldCertificate(
                kind=c["kind"],
                number="-",
                issued_on=c["issued_on"],
                expires_on=_date(c["expires_on"]),
            )
            for c in _items(row.get("certificates"))
        ),
    )


def _items(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
