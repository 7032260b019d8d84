"""The job behind ``make demo``: Kota Tangerang's register, end to end.

It generates the 10,555 businesses that Kota Tangerang's Bidang UMKM coached in
December 2017 (synthetic, see :mod:`umkm_core.synthetic`), writes them as JSON Lines,
reads them back and prints how many of each size class live in each district, judged
on 19 December 2017, the first day of the reference programme (UU 20/2008 applies).

The steps are plain functions so that the command line can reuse them.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import pathlib
from collections.abc import Iterable, Iterator, Mapping, Sequence

from umkm_core.adapters.serialization import dump_jsonl, load_jsonl
from umkm_core.files import atomic_write
from umkm_core.model.business import Business
from umkm_core.model.identifiers import NIK, RegionCode, RegionLevel
from umkm_core.model.regions import KOTA_TANGERANG, region_name
from umkm_core.model.size import SizeClass, classify_size, regime_on
from umkm_core.synthetic import synthetic_register

__all__ = [
    "REFERENCE_DAY",
    "REGISTER_SIZE",
    "SizeTable",
    "format_size_table",
    "main",
    "read_register",
    "size_table",
    "write_register",
]

#: The first day of the 2017 flagship-product programme in Kota Tangerang.
REFERENCE_DAY = dt.date(2017, 12, 19)
#: Businesses on the Bidang UMKM's coaching register in December 2017.
REGISTER_SIZE = 10_555

#: Per district: how many businesses of each size class (``None``: unknown).
SizeTable = dict[RegionCode, collections.Counter[SizeClass | None]]

_COLUMNS: tuple[tuple[SizeClass | None, str], ...] = (
    (SizeClass.MIKRO, "Mikro"),
    (SizeClass.KECIL, "Kecil"),
    (SizeClass.MENENGAH, "Menengah"),
    (SizeClass.BESAR, "Besar"),
    (None, "Tak diketahui"),
)


def write_register(businesses: Iterable[Business], path: pathlib.Path) -> int:
    """Write ``businesses`` to ``path`` as JSON Lines, creating its folder.

    The file holds full NIKs: written whole or not at all, mode 0600.

    :returns: the number of businesses written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path, private=True) as fp:
        return dump_jsonl(businesses, fp)


def read_register(path: pathlib.Path) -> Iterator[Business]:
    """Read a register written by :func:`write_register`, one business at a time.

    :raises InvalidDocument: for the first line that is not a valid business.
    """
    with path.open("rb") as fp:
        yield from load_jsonl(fp, Business)


def size_table(businesses: Iterable[Business], *, on: dt.date) -> SizeTable:
    """Count businesses per district and size class under the law in force ``on``.

    Each business is judged by its latest financial record of a year begun by ``on``.
    Addresses below district level count for their district.
    """
    table: SizeTable = {}
    for business in businesses:
        district = business.region.at_level(RegionLevel.DISTRICT) or business.region
        assessment = classify_size(business.latest_financials(on), on=on)
        table.setdefault(district, collections.Counter())[assessment.size_class] += 1
    return dict(sorted(table.items()))


def format_size_table(table: Mapping[RegionCode, collections.Counter[SizeClass | None]]) -> str:
    """Render a :data:`SizeTable` as a fixed-width text table with a total row."""
    width = max([len("Kecamatan"), *(len(region_name(code)) for code in table)])
    head = f"{'Kecamatan':<{width}} " + " ".join(f"{label:>13}" for _, label in _COLUMNS)
    lines = [head + f" {'Jumlah':>8}", "-" * (len(head) + 9)]
    total: collections.Counter[SizeClass | None] = collections.Counter()
    for code, counts in table.items():
        total.update(counts)
        cells = " ".join(f"{counts[size]:>13,}" for size, _ in _COLUMNS)
        lines.append(f"{region_name(code):<{width}} {cells} {sum(counts.values()):>8,}")
    lines.append("-" * (len(head) + 9))
    cells = " ".join(f"{total[size]:>13,}" for size, _ in _COLUMNS)
    lines.append(f"{'Jumlah':<{width}} {cells} {sum(total.values()):>8,}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Generate, write, read back and tabulate Kota Tangerang's register."""
    parser = argparse.ArgumentParser(prog="python -m umkm_core.demo", description=__doc__)
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("out/register.jsonl"))
    parser.add_argument("-n", type=int, default=REGISTER_SIZE, help="businesses to generate")
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args(argv)

    nik = NIK.parse("3671 0545 0890 0001")
    print(f"NIK {nik!r}: lahir {nik.birth_date}, {nik.sex.value}, kecamatan {nik.region}")

    written = write_register(
        synthetic_register(args.n, region=KOTA_TANGERANG, seed=args.seed), args.out
    )
    print(f"{written:,} usaha binaan ditulis ke {args.out} (JSON Lines)")
    table = size_table(read_register(args.out), on=REFERENCE_DAY)
    read = sum(sum(c.values()) for c in table.values())
    regime = regime_on(REFERENCE_DAY)
    print(
        f"{read:,} usaha dibaca kembali; skala usaha per {REFERENCE_DAY:%d-%m-%Y} ({regime.title})"
    )
    print()
    print(format_size_table(table))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
