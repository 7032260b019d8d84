"""The main job behind ``make demo``: a short tour of the model on the reference story."""

from __future__ import annotations

import datetime as dt

from umkm_core import NIK, FinancialRecord, RegionCode, classify_size


def main() -> None:
    """Print what the model decides for a few businesses of Kota Tangerang in Dec 2017."""
    on = dt.date(2017, 12, 19)
    nik = NIK.parse("3671 0545 0890 0001")
    print(f"NIK {nik!r}: lahir {nik.birth_date}, {nik.sex.value}, kecamatan {nik.region}")
    print(f"Kota Tangerang berisi 36.71.05: {RegionCode.parse('36.71').contains(nik.region)}")
    for sales in (150_000_000, 900_000_000, 12_000_000_000):
        a = classify_size(FinancialRecord(year=2017, annual_sales=sales), on=on)
        print(f"omzet Rp{sales:,}: {a.explain('id')}")


if __name__ == "__main__":
    main()
