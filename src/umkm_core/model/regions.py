"""Names of regions, for reports.

Province and regency names come from python-stdnum's table (the same one that validates
NIKs); district names are kept here only for Kota Tangerang, the reference office.
"""

from __future__ import annotations

import functools

from stdnum import numdb

from umkm_core.model.identifiers import RegionCode

__all__ = ["KOTA_TANGERANG", "TANGERANG_DISTRICTS", "regencies", "region_name"]

#: Kota Tangerang (Banten 36, city 71).
KOTA_TANGERANG = RegionCode("3671")

#: The 13 districts (kecamatan) of Kota Tangerang.
TANGERANG_DISTRICTS: dict[RegionCode, str] = {
    RegionCode(f"3671{n:02d}"): name
    for n, name in enumerate(
        [
            "Tangerang",
            "Jatiuwung",
            "Batuceper",
            "Benda",
            "Cipondoh",
            "Ciledug",
            "Karawaci",
            "Periuk",
            "Cibodas",
            "Neglasari",
            "Pinang",
            "Karang Tengah",
            "Larangan",
        ],
        start=1,
    )
}


@functools.cache
def regencies() -> dict[RegionCode, str]:
    """Every regency and city that python-stdnum knows, by code (as used in NIKs)."""
    result: dict[RegionCode, str] = {}
    for _length, low, _high, props, children in numdb.get("id/loc").prefixes:
        for _l2, reg_low, _h2, reg_props, _c2 in children:
            name = reg_props.get("name_id", "")
            result[RegionCode(low + reg_low)] = name.title()
        del props
    return result


def region_name(code: RegionCode) -> str:
    """A readable name for ``code``; the dotted code itself when unknown."""
    if code in TANGERANG_DISTRICTS:
        return TANGERANG_DISTRICTS[code]
    if code == KOTA_TANGERANG:
        return "Kota Tangerang"
    return regencies().get(code, str(code))
