"""Names of regions, the list of known region codes, and the districts plugins register.

Province and regency names come from python-stdnum's table (the same one that validates
NIKs). :class:`RegionList` is what :meth:`RegionCode.parse <umkm_core.RegionCode.parse>`
checks typed codes against. District names are registered by plugins (:class:`District`,
the ``umkm_districts()`` hook) so that each office brings its own; Kota Tangerang's 13
districts, the reference office's, are one built-in plugin and are kept here as data.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib import resources
from typing import Any

import attrs
from stdnum import numdb

from umkm_core.errors import ValidationError
from umkm_core.model.identifiers import RegionCode, RegionLevel

__all__ = [
    "KOTA_TANGERANG",
    "TANGERANG_DISTRICTS",
    "District",
    "RegionList",
    "regencies",
    "region_name",
]


def _district_code(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, RegionCode) or value.level is not RegionLevel.DISTRICT:
        raise ValidationError(
            "district.bad_region",
            field=attribute.name,
            value=value,
            id="'region' harus kode wilayah tingkat kecamatan (6 digit, mis. 3671.05).",
            en="'region' must be a district-level region code (6 digits, e.g. 3671.05).",
        )


def _name_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip() or len(value) > 80:
        raise ValidationError(
            "district.bad_name",
            field=attribute.name,
            value=value,
            id="Nama kecamatan harus teks tidak kosong (paling panjang 80 karakter).",
            en="A district name must be non-blank text (at most 80 characters).",
        )


def _aliases(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, frozenset):
        raise ValidationError(
            "district.bad_aliases",
            field=attribute.name,
            value=value,
            id="'aliases' harus himpunan nama.",
            en="'aliases' must be a set of names.",
        )
    for alias in value:
        _name_text(instance, attribute, alias)


def _as_frozenset(value: object) -> object:
    return frozenset(value) if isinstance(value, list | tuple | set) else value


@attrs.frozen(kw_only=True)
class District:
    """A district (kecamatan) that rosters may name instead of giving its region code.

    >>> d = District(region=RegionCode("337501"), name="Pekalongan Barat")
    >>> d.code, str(d.region)
    ('337501', '33.75.01')

    :param region: the district's region code (Kemendagri, 6 digits).
    :param name: its name as rosters write it (``"Pekalongan Barat"``).
    :param aliases: other spellings (``"Pekalongan Brt"``); matched ignoring case,
        spaces and punctuation, like the name.
    """

    region: RegionCode = attrs.field(validator=_district_code)
    name: str = attrs.field(validator=_name_text)
    aliases: frozenset[str] = attrs.field(
        default=frozenset(), converter=_as_frozenset, validator=_aliases
    )

    @property
    def code(self) -> str:
        """The registry key: the region code's digits (``"337501"``)."""
        return self.region.value


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


_DATA = "kemendagri-regions.csv"

#: Provinces whose regency codes python-stdnum does not cover the way Kemendagri numbers
#: them since the 2022 split of Papua: any regency code within them is accepted.
_OPEN_PROVINCES = frozenset({"91", "92", "93", "94", "95", "96"})


@attrs.frozen(kw_only=True)
class RegionList:
    """The region codes known to be valid, to check what people type against.

    Provinces and regencies come from python-stdnum's table (the one that validates
    NIKs) plus the shipped ``kemendagri-regions.csv``; districts are known for the
    regencies listed there (Kota Tangerang) and accepted elsewhere; villages are not
    checked. :meth:`extended` adds codes, e.g. the districts of another regency that a
    plugin ships (see docs/decisions/0083-region-and-kbli-code-lists.md).

    :param codes: compact codes (``"3671"``, ``"367105"``) known to exist.
    :param verify: codes that rest on one secondary source.
    """

    codes: frozenset[str]
    verify: frozenset[str] = frozenset()

    @classmethod
    def builtin(cls) -> RegionList:
        """The list umkm_core ships (cached)."""
        return _builtin_list()

    def extended(self, codes: Iterable[str | RegionCode]) -> RegionList:
        """A list with ``codes`` added (dotted or compact text, or :class:`RegionCode`).

        :raises ValidationError: a code that is not a well-formed region code.
        """
        added = {c.value if isinstance(c, RegionCode) else RegionCode.parse_shape(c).value
                 for c in codes}  # fmt: skip
        return attrs.evolve(self, codes=self.codes | added)

    def knows(self, code: RegionCode) -> bool:
        """Whether ``code`` is known, or lies where this list does not go down to."""
        value = code.value
        province = value[:2]
        if province not in self.codes:
            return False
        if len(value) == 2:
            return True
        regency = value[:4]
        if province not in _OPEN_PROVINCES and regency not in self.codes:
            return False
        if len(value) == 4:
            return True
        districts_known = any(len(c) == 6 and c.startswith(regency) for c in self.codes)
        return not districts_known or value[:6] in self.codes


@functools.cache
def _builtin_list() -> RegionList:
    codes: set[str] = set()
    verify: set[str] = set()
    for _length, low, _high, _props, children in numdb.get("id/loc").prefixes:
        codes.add(low)
        for _l2, reg_low, _h2, _reg_props, _c2 in children:
            codes.add(low + reg_low)
    text = resources.files("umkm_core.model").joinpath("data", _DATA).read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, _name, flag = [*line.split(","), "", ""][:3]
        compact = code.replace(".", "")
        codes.add(compact)
        if flag.strip() == "verify":
            verify.add(compact)
    return RegionList(codes=frozenset(codes), verify=frozenset(verify))
