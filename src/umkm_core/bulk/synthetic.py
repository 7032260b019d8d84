"""A synthetic national register built column by column (NumPy), for benchmarks and tests.

:func:`umkm_core.synthetic.synthetic_register` makes realistic Business objects one by
one; at ten million businesses that alone takes minutes and gigabytes. This generator
writes the register's columns directly: the same ``seed`` and ``chunk`` always give the
same rows. About a third of the businesses are in Kota Tangerang (36.71); the rest
spread over other regencies of Banten, Jakarta and West Java.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import polars as pl
import pyarrow as pa

from umkm_core.bulk.register import REGISTER_SCHEMA

__all__ = ["synthetic_register_frames"]

_REGENCIES = np.array(
    [3671, 3601, 3602, 3603, 3604, 3672, 3673, 3674, 3171, 3172, 3173, 3174, 3175, 3273],
    dtype=np.int64,
)
_REGENCY_WEIGHTS = np.array([33, 4, 4, 9, 5, 3, 3, 7, 5, 5, 5, 6, 6, 5], dtype=np.float64)
_SECTORS = np.array(["kuliner", "fesyen", "kriya", "jasa"])
_SECTOR_WEIGHTS = np.array([0.62, 0.20, 0.12, 0.06])
# Annual sales: mostly micro, some small, a few medium and large (rupiah).
_SALES_BOUNDS = np.array(
    [[10e6, 300e6], [300e6, 2_500e6], [2_500e6, 50_000e6], [50_000e6, 90_000e6]]
)
_SALES_WEIGHTS = np.array([0.80, 0.14, 0.05, 0.01])
_EPOCH = dt.date(1970, 1, 1)


def _days(day: dt.date) -> int:
    return (day - _EPOCH).days


def _lists(counts: np.ndarray, values: pa.StructArray, dtype: pl.DataType) -> pl.Series:
    offsets = np.zeros(len(counts) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    array = pa.ListArray.from_arrays(pa.array(offsets), values)
    return pl.Series(pl.from_arrow(array)).cast(dtype)  # vectorised twin of list_column


def _chunk(rng: np.random.Generator, start: int, n: int) -> pl.DataFrame:
    regency = _REGENCIES[
        rng.choice(len(_REGENCIES), n, p=_REGENCY_WEIGHTS / _REGENCY_WEIGHTS.sum())
    ]
    district = rng.integers(1, 14, n)
    region = regency * 100 + district
    sector = _SECTORS[rng.choice(len(_SECTORS), n, p=_SECTOR_WEIGHTS)]
    has_nib = rng.random(n) < 0.6
    sex_draw = rng.random(n)

    # Financial records: none, one (the latest year) or two (the year before as well).
    fin_counts = rng.choice(3, n, p=[0.05, 0.35, 0.60])
    total = int(fin_counts.sum())
    owner = np.repeat(np.arange(n), fin_counts)
    first = np.concatenate([[0], np.cumsum(fin_counts)[:-1]])
    position = np.arange(total) - np.repeat(first, fin_counts)
    latest = np.where(rng.random(n) < 0.7, 2017, 2016)
    years = (latest[owner] - (fin_counts[owner] - 1) + position).astype(np.int16)
    bucket = rng.choice(4, total, p=_SALES_WEIGHTS)
    low, high = _SALES_BOUNDS[bucket, 0], _SALES_BOUNDS[bucket, 1]
    sales = (low + (high - low) * rng.random(total)).astype(np.int64)
    assets = (sales * rng.uniform(0.05, 0.4, total)).astype(np.int64)
    sales_known = rng.random(total) < 0.95
    assets_known = rng.random(total) < 0.5
    financials = pa.StructArray.from_arrays(
        [
            pa.array(years),
            pa.array(sales, mask=~sales_known),
            pa.array(assets, mask=~assets_known),
            pa.array(np.zeros(total, dtype=np.int64), mask=np.ones(total, dtype=bool)),
        ],
        names=["year", "annual_sales", "net_assets", "business_capital"],
    )

    # Coaching: most Tangerang businesses are binaan of the city office; others of theirs.
    coach_counts = rng.choice(3, n, p=[0.15, 0.75, 0.10])
    total = int(coach_counts.sum())
    owner = np.repeat(np.arange(n), coach_counts)
    offices = np.char.add("dinkopukm-", regency[owner].astype(str))
    since = rng.integers(_days(dt.date(2010, 1, 1)), _days(dt.date(2018, 6, 30)), total)
    ended = rng.random(total) < 0.1
    until = since + rng.integers(30, 3_000, total)
    coaching = pa.StructArray.from_arrays(
        [
            pa.array(offices, type=pa.string()),
            pa.array(since.astype(np.int32), type=pa.int32()).cast(pa.date32()),
            pa.array(until.astype(np.int32), type=pa.int32(), mask=~ended).cast(pa.date32()),
        ],
        names=["office_id", "since", "until"],
    )

    cert_counts = (rng.random(n) < 0.2).astype(np.int64)
    total = int(cert_counts.sum())
    issued = rng.integers(_days(dt.date(2012, 1, 1)), _days(dt.date(2017, 12, 1)), total)
    certificates = pa.StructArray.from_arrays(
        [
            pa.array(np.where(rng.random(total) < 0.5, "halal", "pirt"), type=pa.string()),
            pa.array(issued.astype(np.int32), type=pa.int32()).cast(pa.date32()),
            pa.array(
                (issued + 5 * 365).astype(np.int32), type=pa.int32(), mask=rng.random(total) < 0.3
            ).cast(pa.date32()),
        ],
        names=["kind", "issued_on", "expires_on"],
    )

    index = pl.int_range(start, start + n, eager=True, dtype=pl.Int64)
    frame = pl.DataFrame(
        {
            "id": ("B" + index.cast(pl.String).str.zfill(10)),
            "region_code": pl.Series(region).cast(pl.String),
            "sector": pl.Series(sector, dtype=pl.String),
            "nib": pl.select(
                pl.when(pl.Series(has_nib))
                .then((index + 1_000_000_000_000).cast(pl.String))
                .otherwise(None)
            ).to_series(),
            "owner_sex": pl.select(
                pl.when(pl.Series(sex_draw) < 0.55)
                .then(pl.lit("female"))
                .when(pl.Series(sex_draw) < 0.95)
                .then(pl.lit("male"))
                .otherwise(None)
            ).to_series(),
            "financials": _lists(fin_counts, financials, REGISTER_SCHEMA["financials"]),
            "coaching": _lists(coach_counts, coaching, REGISTER_SCHEMA["coaching"]),
            "certificates": _lists(cert_counts, certificates, REGISTER_SCHEMA["certificates"]),
        }
    )
    return frame.cast(REGISTER_SCHEMA)  # type: ignore[arg-type]


def synthetic_register_frames(
    n: int, *, seed: int = 2017, chunk: int = 1_000_000
) -> Iterator[pl.DataFrame]:
    """``n`` synthetic businesses as register frames of at most ``chunk`` rows.

    :param n: how many businesses.
    :param seed: the seed; the same ``seed`` and ``chunk`` give the same rows.
    :param chunk: rows per frame.
    :returns: frames in :data:`~umkm_core.bulk.REGISTER_SCHEMA`, ids ``B0000000000`` up.
    """
    for number, start in enumerate(range(0, n, chunk)):
        rng = np.random.default_rng([seed, number])
        yield _chunk(rng, start, min(chunk, n - start))
