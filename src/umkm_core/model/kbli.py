"""Which KBLI codes exist: the divisions of KBLI 2020 and lists of known codes.

A KBLI code (*Klasifikasi Baku Lapangan Usaha Indonesia*, BPS's business classification)
has five digits; the first two are its division (*golongan pokok*). KBLI 2020 keeps the
88 divisions of ISIC Rev. 4, so a code whose first two digits name no division is a
typo whatever list an office holds: :meth:`KBLI.parse <umkm_core.KBLI.parse>` refuses it
(``kbli.unknown_division``). Whether the whole code exists needs the list BPS publishes
for the edition: a :class:`KbliCodeList`, which umkm_core does not ship; an office or a
plugin brings it (read from a CSV file by
:func:`~umkm_core.adapters.kbli_codes.read_kbli_code_list`, registered through the
``umkm_kbli_codes()`` hook). Without a list only the shape and the division are checked
(docs/decisions/0130-kbli-code-lists-from-the-office.md).

>>> codes = KbliCodeList(edition=2020, codes={"10796", "56102"},
...     source="Peraturan BPS Nomor 2 Tahun 2020", published=dt.date(2020, 6, 26))
>>> codes.contains(KBLI("10796")), codes.contains(KBLI("10797"))
(True, False)
>>> KBLI.parse("10797", codes=codes)
Traceback (most recent call last):
...
umkm_core.errors.ValidationError: kbli.unknown_code [kbli]: ...
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Mapping
from typing import Any

import attrs

from umkm_core.errors import ValidationError
from umkm_core.model.identifiers import KBLI, KBLIEdition

__all__ = [
    "KBLI_2020_DIVISIONS",
    "KbliCodeList",
    "check_kbli",
    "known_divisions",
]


def _spans(*spans: tuple[int, int]) -> frozenset[str]:
    return frozenset(f"{n:02d}" for low, high in spans for n in range(low, high + 1))


#: The 88 divisions (golongan pokok) of KBLI 2020, by section (kategori) A-U: the
#: two-digit divisions of ISIC Rev. 4, which KBLI 2020 follows (Peraturan BPS Nomor 2
#: Tahun 2020). KBLI 2025 follows ISIC Rev. 5, whose divisions differ; they are not
#: checked until a source for them is at hand.
KBLI_2020_DIVISIONS: frozenset[str] = _spans(
    (1, 3),  # A agriculture, forestry and fishing
    (5, 9),  # B mining and quarrying
    (10, 33),  # C manufacturing
    (35, 35),  # D electricity and gas
    (36, 39),  # E water supply and waste
    (41, 43),  # F construction
    (45, 47),  # G wholesale and retail trade, repair of vehicles
    (49, 53),  # H transportation and storage
    (55, 56),  # I accommodation and food service
    (58, 63),  # J information and communication
    (64, 66),  # K financial and insurance
    (68, 68),  # L real estate
    (69, 75),  # M professional, scientific and technical
    (77, 82),  # N administrative and support services
    (84, 84),  # O public administration
    (85, 85),  # P education
    (86, 88),  # Q health and social work
    (90, 93),  # R arts, entertainment and recreation
    (94, 96),  # S other services
    (97, 98),  # T households as employers
    (99, 99),  # U extraterritorial organisations
)

_DIVISIONS: Mapping[KBLIEdition, frozenset[str]] = types.MappingProxyType(
    {KBLIEdition.KBLI_2020: KBLI_2020_DIVISIONS}
)


def known_divisions(edition: int) -> frozenset[str] | None:
    """The divisions (two-digit prefixes) of ``edition``; ``None`` when not checked.

    >>> len(known_divisions(2020)), known_divisions(2025) is None
    (88, True)

    :param edition: 2020 or 2025.
    :returns: the divisions, or ``None`` for an edition whose divisions are not known.
    :raises ValidationError: ``kbli.unknown_edition``.
    """
    return _DIVISIONS.get(_edition(edition, "edition"))


def _edition(value: object, field: str) -> KBLIEdition:
    try:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(value)
        return KBLIEdition(value)
    except ValueError:
        raise ValidationError(
            "kbli.unknown_edition",
            field=field,
            value=value,
            id="Edisi KBLI tidak dikenal (2020 atau 2025).",
            en="Unknown KBLI edition (2020 or 2025).",
        ) from None


def _check_codes(instance: KbliCodeList, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, frozenset) or not value:
        raise ValidationError(
            "kbli_list.empty",
            field=attribute.name,
            value=None,
            id="Daftar kode KBLI harus berisi paling sedikit satu kode.",
            en="A KBLI code list must hold at least one code.",
        )
    divisions = _DIVISIONS.get(instance.edition)
    for code in sorted(c for c in value if isinstance(c, str)):
        if len(code) != 5 or not code.isascii() or not code.isdigit():
            raise ValidationError(
                "kbli_list.bad_code",
                field=attribute.name,
                value=code,
                id=f"Daftar kode KBLI memuat '{code[:16]}', bukan kode 5 digit.",
                en=f"The KBLI code list holds '{code[:16]}', not a 5-digit code.",
            )
        if divisions is not None and code[:2] not in divisions:
            raise _unknown_division(code, instance.edition, attribute.name)
    if not all(isinstance(c, str) for c in value):
        raise ValidationError(
            "kbli_list.bad_code",
            field=attribute.name,
            value=None,
            id="Daftar kode KBLI hanya boleh berisi teks kode.",
            en="A KBLI code list holds code text only.",
        )


def _check_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip() or len(value) > 300:
        raise ValidationError(
            "kbli_list.source_missing",
            field=attribute.name,
            value=None,
            id="Sumber daftar KBLI harus teks tidak kosong (paling panjang 300 karakter), "
            "mis. 'Peraturan BPS Nomor 2 Tahun 2020'.",
            en="The KBLI list's source must be non-blank text (at most 300 characters), "
            "e.g. 'Peraturan BPS Nomor 2 Tahun 2020'.",
        )


def _check_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError(
            "kbli_list.date_missing",
            field=attribute.name,
            value=None,
            id="Tanggal daftar KBLI harus berupa tanggal (tanggal terbit atau unduh).",
            en="The KBLI list's date must be a date (when it was published or obtained).",
        )


def _check_titles(instance: KbliCodeList, attribute: attrs.Attribute[Any], value: object) -> None:
    ok = isinstance(value, Mapping) and all(
        isinstance(k, str) and k in instance.codes and isinstance(t, str) and len(t) <= 500
        for k, t in value.items()
    )
    if not ok:
        raise ValidationError(
            "kbli_list.bad_titles",
            field=attribute.name,
            value=None,
            id="Judul KBLI harus teks (paling panjang 500 karakter) untuk kode yang ada "
            "dalam daftar.",
            en="KBLI titles must be text (at most 500 characters) for codes in the list.",
        )


def _as_frozenset(value: object) -> object:
    return frozenset(value) if isinstance(value, list | tuple | set) else value


def _as_mapping(value: object) -> object:
    if isinstance(value, Mapping):
        return types.MappingProxyType(dict(sorted(value.items(), key=lambda kv: str(kv[0]))))
    return value


def _to_edition(value: object) -> KBLIEdition:
    return _edition(value, "edition")


@attrs.frozen(kw_only=True)
class KbliCodeList:
    """The codes of one KBLI edition known to exist, with where the list comes from.

    umkm_core ships no list: BPS publishes them (KBLI 2020: Peraturan BPS Nomor 2 Tahun
    2020). An office reads its copy with
    :func:`~umkm_core.adapters.kbli_codes.read_kbli_code_list`, or a plugin registers one
    through ``umkm_kbli_codes()``.

    :param edition: the edition (2020 or 2025) every code belongs to.
    :param codes: the five-digit codes (kelompok) of the list. For KBLI 2020 each must
        lie in one of its 88 divisions.
    :param source: where the list comes from, e.g. ``"Peraturan BPS Nomor 2 Tahun 2020,
        lampiran"``.
    :param published: the list's date (publication, or when the office obtained it).
    :param titles: code -> title (``"Industri dodol"``), for codes of the list; optional.
    """

    edition: KBLIEdition = attrs.field(converter=_to_edition)
    codes: frozenset[str] = attrs.field(converter=_as_frozenset, validator=_check_codes)
    source: str = attrs.field(validator=_check_text)
    published: dt.date = attrs.field(validator=_check_date)
    titles: Mapping[str, str] = attrs.field(
        factory=dict, converter=_as_mapping, validator=_check_titles, hash=False
    )

    @property
    def code(self) -> str:
        """The registry key: the edition as text (``"2020"``); one list per edition."""
        return str(self.edition.value)

    def contains(self, kbli: KBLI) -> bool:
        """Whether ``kbli`` is a code of this list (same edition, same code).

        :param kbli: the code.
        :returns: ``True`` when the list holds it.
        """
        return kbli.edition is self.edition and kbli.code in self.codes

    def title(self, kbli: KBLI) -> str | None:
        """The title of ``kbli`` in this list, when the list has titles and the code."""
        return self.titles.get(kbli.code) if kbli.edition is self.edition else None

    def __len__(self) -> int:
        return len(self.codes)


def _unknown_division(code: str, edition: KBLIEdition, field: str) -> ValidationError:
    return ValidationError(
        "kbli.unknown_division",
        field=field,
        value=code,
        id=f"Kode KBLI {code}: golongan pokok {code[:2]} tidak ada dalam KBLI "
        f"{edition.value} (88 golongan pokok, 01-99).",
        en=f"KBLI code {code}: division {code[:2]} does not exist in KBLI {edition.value} "
        "(88 divisions, 01-99).",
    )


def check_kbli(kbli: KBLI, *, codes: KbliCodeList | None = None, field: str = "kbli") -> KBLI:
    """Check that ``kbli`` exists: its division always, its code when a list is given.

    >>> check_kbli(KBLI("04123"))
    Traceback (most recent call last):
    ...
    umkm_core.errors.ValidationError: kbli.unknown_division [kbli]: ...

    :param kbli: the code (its shape is already valid).
    :param codes: the list of known codes of ``kbli``'s edition; ``None`` checks the
        division only.
    :param field: the field named in an error.
    :returns: ``kbli``.
    :raises ValidationError: ``kbli.unknown_division`` (KBLI 2020 only),
        ``kbli.unknown_code``, or ``kbli.edition_mismatch`` when ``codes`` is the list
        of another edition.
    """
    divisions = _DIVISIONS.get(kbli.edition)
    if divisions is not None and kbli.division not in divisions:
        raise _unknown_division(kbli.code, kbli.edition, field)
    if codes is None:
        return kbli
    if codes.edition is not kbli.edition:
        raise ValidationError(
            "kbli.edition_mismatch",
            field=field,
            value=kbli.code,
            id=f"Kode KBLI {kbli.edition.value} diperiksa dengan daftar KBLI "
            f"{codes.edition.value}; berikan daftar edisi yang sama.",
            en=f"A KBLI {kbli.edition.value} code was checked against the KBLI "
            f"{codes.edition.value} list; give the list of the same edition.",
        )
    if kbli.code not in codes.codes:
        raise ValidationError(
            "kbli.unknown_code",
            field=field,
            value=kbli.code,
            id=f"Kode KBLI {kbli.code} tidak ada dalam daftar KBLI {kbli.edition.value} "
            f"({codes.source[:80]}, {codes.published.isoformat()}).",
            en=f"KBLI code {kbli.code} is not in the KBLI {kbli.edition.value} list "
            f"({codes.source[:80]}, {codes.published.isoformat()}).",
        )
    return kbli
