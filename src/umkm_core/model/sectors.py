"""Sectors (sektor): the lines of business an office groups its programmes by.

A sector such as *kuliner* (food) or *fesyen* (fashion) names the KBLI codes that belong
to it, the Nice classes a trademark for its products is usually filed in, and the
follow-up pathways an office offers it by default. Sectors are supplied by plugins (the
built-in ones live in ``umkm_core.plugins.sectors``); this module only defines the record.

>>> from umkm_core.text import Text
>>> food = Sector(code="kuliner", name=Text(id="Kuliner", en="Food"),
...     kbli=frozenset({KBLI("10796")}), nice_classes=frozenset({29, 30}))
>>> food.covers(KBLI.parse("10796"))
True
"""

from __future__ import annotations

from typing import Any

import attrs

from umkm_core._codes import check_code, check_text_record
from umkm_core.errors import ValidationError
from umkm_core.model.identifiers import KBLI
from umkm_core.text import Text

__all__ = ["NICE_CLASSES", "Sector"]

#: The 45 classes of the Nice classification used by DJKI for trademarks
#: (1-34 goods, 35-45 services).
NICE_CLASSES = range(1, 46)


def _check_kbli_set(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, frozenset) or not all(isinstance(k, KBLI) for k in value):
        raise ValidationError(
            "sector.bad_kbli",
            field=attribute.name,
            value=value,
            id="'kbli' harus frozenset berisi KBLI.",
            en="'kbli' must be a frozenset of KBLI codes.",
        )


def _check_nice_classes(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    ok = isinstance(value, frozenset) and all(
        isinstance(n, int) and not isinstance(n, bool) and n in NICE_CLASSES for n in value
    )
    if not ok:
        raise ValidationError(
            "sector.bad_nice_class",
            field=attribute.name,
            value=value,
            id="Kelas Nice harus bilangan 1 sampai 45.",
            en="Nice classes are whole numbers from 1 to 45.",
        )


def _check_pathway_codes(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or len(set(value)) != len(value):
        raise ValidationError(
            "sector.bad_pathways",
            field=attribute.name,
            value=value,
            id="'default_pathways' harus tuple kode jalur tanpa duplikat.",
            en="'default_pathways' must be a tuple of distinct pathway codes.",
        )
    for code in value:
        check_code(instance, attribute, code)


def _check_aliases(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, frozenset) or not all(
        isinstance(a, str) and a.strip() and len(a) <= 80 for a in value
    ):
        kind = type(instance).__name__.lower()
        raise ValidationError(
            f"{kind}.bad_aliases",
            field=attribute.name,
            value=value,
            id="'aliases' harus himpunan teks tidak kosong (paling panjang 80 karakter).",
            en="'aliases' must be a set of non-blank texts (at most 80 characters).",
        )


def _as_frozenset(value: object) -> object:
    # Lists, tuples and sets carry the same membership: converting them is lossless.
    return frozenset(value) if isinstance(value, list | tuple | set) else value


def _as_tuple(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


@attrs.frozen(kw_only=True)
class Sector:
    """A sector that programmes, rules and reports refer to by ``code``.

    :param code: stable code (``"kuliner"``); business records carry it.
    :param name: the display name in Indonesian and English.
    :param kbli: the KBLI codes (with edition) that belong to the sector.
    :param nice_classes: the Nice classes trademarks for its products usually go in.
    :param default_pathways: codes of the follow-up pathways offered by default, most
        usual first.
    :param description: an optional longer description.
    :param aliases: other words rosters use for the sector (``"makanan"``, ``"mamin"``);
        the code and both names are recognised anyway. Matched ignoring case, spaces
        and punctuation.
    """

    code: str = attrs.field(validator=check_code)
    name: Text = attrs.field(validator=check_text_record)
    kbli: frozenset[KBLI] = attrs.field(
        default=frozenset(), converter=_as_frozenset, validator=_check_kbli_set
    )
    nice_classes: frozenset[int] = attrs.field(
        default=frozenset(), converter=_as_frozenset, validator=_check_nice_classes
    )
    default_pathways: tuple[str, ...] = attrs.field(
        default=(), converter=_as_tuple, validator=_check_pathway_codes
    )
    description: Text | None = attrs.field(default=None)
    aliases: frozenset[str] = attrs.field(
        default=frozenset(), converter=_as_frozenset, validator=_check_aliases
    )

    @description.validator
    def _check_description(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            check_text_record(self, attribute, value)

    def covers(self, kbli: KBLI) -> bool:
        """Whether ``kbli`` (code and edition) belongs to the sector."""
        return kbli in self.kbli
