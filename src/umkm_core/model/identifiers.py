"""Indonesian identifiers as small, validated value types.

Each identifier has a ``parse(text)`` constructor that accepts what people type and
spreadsheets keep (spaces, dots, dashes) and normalises it, and a strict constructor
that takes the compact digits. Numbers damaged by spreadsheets (``3.67101E+15``, a stray
``.0``, a lost leading zero) are refused with their own error codes and never
"repaired": a repaired identifier would silently belong to somebody else.

>>> nik = NIK.parse("3671 0545 0890 0001")
>>> nik.birth_date, nik.sex.value, str(nik.region)
(datetime.date(1990, 8, 5), 'female', '36.71.05')
>>> NPWP.parse("01.300.066.6-091.000").formatted
'01.300.066.6-091.000'
>>> str(RegionCode.parse("367105").parent)
'36.71'

It is longer than 500 lines on purpose: each identifier is a small strict value
class, and they share the parsing helpers that refuse spreadsheet damage.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from typing import TYPE_CHECKING, Any, ClassVar, Self

import attrs
from stdnum import exceptions as stdnum_errors
from stdnum.id import nik as stdnum_nik
from stdnum.id import npwp as stdnum_npwp

from umkm_core.errors import ValidationError
from umkm_core.limits import MAX_IDENTIFIER_CHARS

if TYPE_CHECKING:
    from umkm_core.model.kbli import KbliCodeList
    from umkm_core.model.regions import RegionList

__all__ = [
    "KBLI",
    "NIB",
    "NIK",
    "NPWP",
    "KBLIEdition",
    "PIRTNumber",
    "RegionCode",
    "RegionLevel",
    "Sex",
]

_SEPARATORS = re.compile(r"[\s.\-/]+")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_STRAY_DECIMAL = re.compile(r"^\d+[.,]0+$")


class Sex(enum.Enum):
    """Sex as recorded on the KTP (and encoded in the NIK)."""

    MALE = "male"
    FEMALE = "female"


class RegionLevel(enum.IntEnum):
    """Levels of the Kemendagri region code ``PP.RR.SS.VVVV``."""

    PROVINCE = 1  #: provinsi
    REGENCY = 2  #: kabupaten / kota
    DISTRICT = 3  #: kecamatan
    VILLAGE = 4  #: kelurahan / desa


def _fail(kind: str, problem: str, value: object, *, id: str, en: str) -> ValidationError:
    return ValidationError(f"{kind}.{problem}", field=kind, value=value, id=id, en=en)


def _too_long(kind: str, label: str, value: object) -> ValidationError:
    return _fail(
        kind,
        "too_long",
        value,
        id=f"{label} terlalu panjang (paling banyak {MAX_IDENTIFIER_CHARS} karakter).",
        en=f"{label} is too long (at most {MAX_IDENTIFIER_CHARS} characters).",
    )


def _clean_digits(
    text: object,
    *,
    kind: str,
    label: str,
    lengths: tuple[int, ...],
    leading_zero_possible: bool,
) -> str:
    """Normalise ``text`` to its digits, refusing spreadsheet damage with its own code."""
    if isinstance(text, bool) or text is None:
        raise _fail(
            kind,
            "empty" if text is None else "not_text",
            text,
            id=f"{label} kosong atau bukan teks.",
            en=f"{label} is empty or not text.",
        )
    if isinstance(text, float):
        # A float has already lost what makes an identifier: precision and leading zeros.
        # Excel shows numbers of 12 or more digits in scientific notation.
        problem = "scientific_notation" if abs(text) >= 1e11 else "spreadsheet_decimal"
        raise _fail(
            kind,
            problem,
            text,
            id=f"{label} tersimpan sebagai angka desimal oleh spreadsheet; "
            "simpan kolom sebagai teks.",
            en=f"{label} was stored as a decimal number by a spreadsheet; "
            "store the column as text.",
        )
    if isinstance(text, int) and abs(text) >= 10**MAX_IDENTIFIER_CHARS:
        # str() of a huge int hits Python's int-string limit; no identifier is this long.
        raise _too_long(kind, label, text)
    if isinstance(text, str) and len(text) > MAX_IDENTIFIER_CHARS:
        raise _too_long(kind, label, text)
    if isinstance(text, int):
        raw = str(text)
        had_separators = False
    elif isinstance(text, str):
        raw = text.strip()
        if not raw:
            raise _fail(kind, "empty", text, id=f"{label} kosong.", en=f"{label} is empty.")
        if _SCIENTIFIC.match(raw):
            raise _fail(
                kind,
                "scientific_notation",
                text,
                id=f"{label} rusak menjadi notasi ilmiah oleh spreadsheet (mis. 3.67E+15); "
                "digit aslinya sudah hilang.",
                en=f"{label} was mangled into scientific notation by a spreadsheet "
                "(e.g. 3.67E+15); its digits are lost.",
            )
        if _STRAY_DECIMAL.match(raw):
            raise _fail(
                kind,
                "spreadsheet_decimal",
                text,
                id=f"{label} berakhiran '.0' dari spreadsheet; simpan kolom sebagai teks.",
                en=f"{label} ends in a spreadsheet '.0'; store the column as text.",
            )
        compact = _SEPARATORS.sub("", raw)
        had_separators = compact != raw
        raw = compact
    else:
        raise _fail(
            kind,
            "not_text",
            text,
            id=f"{label} harus berupa teks.",
            en=f"{label} must be text.",
        )
    if not raw.isascii() or not raw.isdigit():
        raise _fail(
            kind,
            "bad_characters",
            text,
            id=f"{label} hanya boleh berisi angka.",
            en=f"{label} may contain digits only.",
        )
    if len(raw) not in lengths:
        expected = " atau ".join(str(n) for n in lengths)
        expected_en = " or ".join(str(n) for n in lengths)
        if leading_zero_possible and not had_separators and 0 < min(lengths) - len(raw) <= 2:
            raise _fail(
                kind,
                "lost_leading_zero",
                text,
                id=f"{label} kurang {min(lengths) - len(raw)} digit; kemungkinan angka 0 di "
                "depan hilang karena spreadsheet.",
                en=f"{label} is {min(lengths) - len(raw)} digit(s) short; a spreadsheet "
                "probably dropped its leading zero.",
            )
        raise _fail(
            kind,
            "bad_length",
            text,
            id=f"{label} harus {expected} digit.",
            en=f"{label} must have {expected_en} digits.",
        )
    return raw


@attrs.frozen(order=True)
class _DigitIdentifier:
    """Shared behaviour: a compact digit string, strict constructor, lenient ``parse``."""

    value: str = attrs.field()

    kind: ClassVar[str] = "identifier"
    label: ClassVar[str] = "Identifier"
    lengths: ClassVar[tuple[int, ...]] = ()
    leading_zero_possible: ClassVar[bool] = False

    @value.validator
    def _check_value(self, _attribute: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not value.isascii() or not value.isdigit():
            raise _fail(
                self.kind,
                "bad_characters",
                value,
                id=f"{self.label} hanya boleh berisi angka (gunakan {type(self).__name__}.parse"
                " untuk teks bebas).",
                en=f"{self.label} may contain digits only (use {type(self).__name__}.parse "
                "for free text).",
            )
        if len(value) not in self.lengths:
            _clean_digits(
                value,
                kind=self.kind,
                label=self.label,
                lengths=self.lengths,
                leading_zero_possible=self.leading_zero_possible,
            )
        self._check_compact(value)

    def _check_compact(self, value: str) -> None:
        """Kind-specific checks on the compact digits (checksum, dates, regions)."""

    @classmethod
    def parse(cls, text: object) -> Self:
        """Parse what a person typed or a spreadsheet kept.

        :param text: the identifier, with or without spaces, dots and dashes.
        :returns: the validated identifier.
        :raises ValidationError: with a code such as ``nik.bad_length`` or
            ``nib.scientific_notation``.
        """
        digits = _clean_digits(
            text,
            kind=cls.kind,
            label=cls.label,
            lengths=cls.lengths,
            leading_zero_possible=cls.leading_zero_possible,
        )
        return cls(digits)

    def __str__(self) -> str:
        return self.value


@attrs.frozen(order=True)
class NIB(_DigitIdentifier):
    """Nomor Induk Berusaha: the 13-digit business number issued through OSS.

    It has no public checksum, so only its shape can be checked.
    """

    kind: ClassVar[str] = "nib"
    label: ClassVar[str] = "NIB"
    lengths: ClassVar[tuple[int, ...]] = (13,)
    leading_zero_possible: ClassVar[bool] = True


def _nik_birth_date(value: str, *, today: dt.date | None = None) -> dt.date:
    """Decode the birth date, choosing the latest century that is not in the future."""
    day = int(value[6:8])
    day = day - 40 if day > 40 else day
    month = int(value[8:10])
    yy = int(value[10:12])
    reference = today or dt.date.today()
    for century in (2000, 1900):
        try:
            born = dt.date(century + yy, month, day)
        except ValueError:
            continue
        if born <= reference or century == 1900:
            return born
    raise _fail(
        "nik",
        "bad_birth_date",
        value,
        id="Tanggal lahir di NIK (digit 7-12) tidak valid.",
        en="The birth date in the NIK (digits 7-12) is not a valid date.",
    )


@functools.cache
def _nik_regency_known(prefix: str) -> bool:
    # python-stdnum looks the regency up in its table on every call, which made it most of
    # the cost of reading a register; ask it once per regency (at most 10,000 of them)
    # with a NIK that differs only there. Birth date and length are checked by us.
    try:
        stdnum_nik.validate(f"{prefix}01" + "010190" + "0001")  # district, birth date, serial
    except stdnum_errors.ValidationError:
        return False
    return True


@attrs.frozen(order=True)
class NIK(_DigitIdentifier):
    """Nomor Induk Kependudukan: the 16-digit population number (personal data).

    Layout ``PP RR SS DDMMYY NNNN``: district of registration, birth date (women: day
    + 40) and a serial. Validation uses python-stdnum's ``stdnum.id.nik``.
    """

    kind: ClassVar[str] = "nik"
    label: ClassVar[str] = "NIK"
    lengths: ClassVar[tuple[int, ...]] = (16,)

    def _check_compact(self, value: str) -> None:
        _nik_birth_date(value)
        if not _nik_regency_known(value[:4]):
            raise _fail(
                "nik",
                "unknown_region",
                value,
                id="Kode wilayah di NIK (digit 1-4) tidak dikenal.",
                en="The region code in the NIK (digits 1-4) is not a known regency.",
            )

    @property
    def birth_date(self) -> dt.date:
        """The birth date encoded in digits 7-12 (the day of women has 40 added)."""
        return _nik_birth_date(self.value)

    @property
    def sex(self) -> Sex:
        """The sex encoded in the NIK (day of birth above 40 means female)."""
        return Sex.FEMALE if int(self.value[6:8]) > 40 else Sex.MALE

    @property
    def region(self) -> RegionCode:
        """The district (kecamatan) where the NIK was registered."""
        return RegionCode(self.value[:6])

    def __repr__(self) -> str:
        # Personal data: never show the whole number in reprs, logs or tracebacks.
        return f"NIK('{self.value[:6]}**********')"


@attrs.frozen(order=True)
class NPWP(_DigitIdentifier):
    """Nomor Pokok Wajib Pajak, the tax number: 15 digits, or 16 since 1 July 2024.

    The 16-digit form is the owner's NIK for residents and the 15-digit number with a
    leading ``0`` for others. ``str()`` gives the compact digits, ``formatted`` the
    printed layout: ``XX.XXX.XXX.X-XXX.XXX`` for 15 digits, plain digits for 16
    (PER-06/PJ/2024 prints the new form without dots or dashes).
    """

    kind: ClassVar[str] = "npwp"
    label: ClassVar[str] = "NPWP"
    lengths: ClassVar[tuple[int, ...]] = (15, 16)
    leading_zero_possible: ClassVar[bool] = True

    def _check_compact(self, value: str) -> None:
        if len(value) == 16 and not value.startswith("0"):
            try:
                NIK(value)
            except ValidationError as exc:
                raise _fail(
                    "npwp",
                    "bad_nik",
                    value,
                    id="NPWP 16 digit untuk orang pribadi harus berupa NIK yang valid.",
                    en="A 16-digit personal NPWP must be a valid NIK.",
                ) from exc
            return
        try:
            stdnum_npwp.validate(value)
        except stdnum_errors.ValidationError as exc:
            raise _fail(
                "npwp",
                "bad_checksum",
                value,
                id="Digit pemeriksa NPWP tidak cocok.",
                en="The NPWP check digit does not match.",
            ) from exc

    def __repr__(self) -> str:
        # A personal NPWP is the owner's NIK: mask it as NIK's repr does, for every form.
        return f"NPWP('{self.value[:6]}{'*' * (len(self.value) - 6)}')"

    @property
    def formatted(self) -> str:
        """The printed layout: dotted for 15 digits, plain digits for 16."""
        v = self.value
        if len(v) == 15:
            return f"{v[:2]}.{v[2:5]}.{v[5:8]}.{v[8]}-{v[9:12]}.{v[12:]}"
        return v

    @property
    def is_nik(self) -> bool:
        """Whether this is the 16-digit form that is the holder's NIK."""
        return len(self.value) == 16 and not self.value.startswith("0")


class KBLIEdition(enum.IntEnum):
    """Editions of the KBLI classification; codes differ between them."""

    KBLI_2020 = 2020
    KBLI_2025 = 2025


def _check_kbli_code(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str) or len(value) != 5 or not value.isascii() or not value.isdigit():
        raise _fail(
            "kbli",
            "bad_length" if isinstance(value, str) and value.isdigit() else "bad_characters",
            value,
            id="Kode KBLI harus 5 digit.",
            en="A KBLI code has 5 digits.",
        )


def _to_edition(value: Any) -> KBLIEdition:
    try:
        return KBLIEdition(value)
    except ValueError:
        raise _fail(
            "kbli",
            "unknown_edition",
            value,
            id="Edisi KBLI tidak dikenal (2020 atau 2025).",
            en="Unknown KBLI edition (2020 or 2025).",
        ) from None


@attrs.frozen(order=True, kw_only=False)
class KBLI:
    """A 5-digit business classification code with the edition it belongs to.

    >>> KBLI.parse("10796")
    KBLI(code='10796', edition=<KBLIEdition.KBLI_2020: 2020>)
    """

    code: str = attrs.field(validator=_check_kbli_code)
    edition: KBLIEdition = attrs.field(default=KBLIEdition.KBLI_2020, converter=_to_edition)

    @classmethod
    def parse(
        cls, text: object, edition: int = 2020, *, codes: KbliCodeList | None = None
    ) -> KBLI:
        """Parse a KBLI code such as ``"10796"`` or ``"10 796"`` and check it exists.

        A KBLI 2020 code must lie in one of the edition's 88 divisions
        (:data:`~umkm_core.model.kbli.KBLI_2020_DIVISIONS`). Without ``codes`` nothing
        more is checked: ``"10797"`` passes although BPS lists no such code. With the
        edition's :class:`~umkm_core.model.kbli.KbliCodeList`, a code the list lacks is
        refused. The strict constructor ``KBLI("...")`` checks the shape only, so that
        stored documents keep loading.

        :param text: the code; spaces and dots are ignored.
        :param edition: the KBLI edition the code is from (2020 or 2025).
        :param codes: the known codes of ``edition`` (an office's copy of the BPS list);
            ``None`` checks the shape and the division only.
        :raises ValidationError: ``kbli.bad_length``, ``kbli.lost_leading_zero``...,
            ``kbli.unknown_division``, ``kbli.unknown_code``, ``kbli.edition_mismatch``.
        """
        from umkm_core.model.kbli import check_kbli  # noqa: PLC0415 - kbli imports us

        digits = _clean_digits(
            text, kind="kbli", label="Kode KBLI", lengths=(5,), leading_zero_possible=True
        )
        return check_kbli(cls(digits, _to_edition(edition)), codes=codes)

    @property
    def division(self) -> str:
        """The 2-digit division (golongan pokok), e.g. ``"10"`` for food manufacturing."""
        return self.code[:2]

    def __str__(self) -> str:
        return self.code


_REGION_LENGTHS = {2: RegionLevel.PROVINCE, 4: RegionLevel.REGENCY, 6: RegionLevel.DISTRICT}
_REGION_LENGTHS[10] = RegionLevel.VILLAGE


@attrs.frozen(order=True)
class RegionCode(_DigitIdentifier):
    """A Kemendagri region code ``PP.RR.SS.VVVV`` at any of its four levels.

    ``str()`` gives the dotted form. BPS codes differ below the regency level and are
    not accepted here.

    >>> RegionCode.parse("36.71").contains(RegionCode.parse("36.71.05"))
    True
    """

    kind: ClassVar[str] = "region"
    label: ClassVar[str] = "Kode wilayah"
    lengths: ClassVar[tuple[int, ...]] = (2, 4, 6, 10)

    def _check_compact(self, value: str) -> None:
        parts = [value[:2], value[2:4], value[4:6], value[6:10]]
        if int(parts[0]) < 11 or any(p and int(p) == 0 for p in parts[1:]):
            raise _fail(
                "region",
                "unknown_region",
                value,
                id="Kode wilayah tidak sah (provinsi mulai 11; bagian lain tidak boleh 00).",
                en="Not a valid region code (provinces start at 11; no part may be zero).",
            )

    @classmethod
    def parse(cls, text: object, *, regions: RegionList | None = None) -> RegionCode:
        """Parse ``"36.71.05"``, ``"367105"`` or ``"36.71.05.1001"`` and check it exists.

        :param text: the code, dotted or compact.
        :param regions: the codes to check against; the built-in
            :class:`~umkm_core.model.regions.RegionList` by default (every province and
            regency, the districts of Kota Tangerang).
        :raises ValidationError: ``region.bad_length``, ``region.unknown_region``...
        """
        from umkm_core.model.regions import RegionList  # noqa: PLC0415 - regions imports us

        code = cls.parse_shape(text)
        known = regions if regions is not None else RegionList.builtin()
        if not known.knows(code):
            raise _fail(
                "region",
                "unknown_region",
                text,
                id="Kode wilayah tidak ada dalam daftar wilayah Kemendagri.",
                en="The region code is not in the Kemendagri region list.",
            )
        return code

    @classmethod
    def parse_shape(cls, text: object) -> RegionCode:
        """Parse a region code checking its shape only (not that the region exists).

        :raises ValidationError: ``region.bad_length``, ``region.unknown_region``...
        """
        if isinstance(text, int) and not isinstance(text, bool):
            if abs(text) >= 10**MAX_IDENTIFIER_CHARS:
                raise _too_long(cls.kind, cls.label, text)
            text = str(text)
        return super().parse(text)

    @property
    def level(self) -> RegionLevel:
        """Province, regency/city, district or village."""
        return _REGION_LENGTHS[len(self.value)]

    @property
    def parent(self) -> RegionCode | None:
        """The region one level up, or ``None`` for a province."""
        cut = {4: 2, 6: 4, 10: 6}.get(len(self.value))
        return RegionCode(self.value[:cut]) if cut else None

    def at_level(self, level: RegionLevel) -> RegionCode | None:
        """Cut this code to ``level`` (``None`` when this code is above that level)."""
        size = {1: 2, 2: 4, 3: 6, 4: 10}[int(level)]
        return RegionCode(self.value[:size]) if len(self.value) >= size else None

    def contains(self, other: RegionCode) -> bool:
        """Whether ``other`` lies within (or is) this region."""
        return other.value.startswith(self.value)

    def __str__(self) -> str:
        v = self.value
        parts = [v[:2], v[2:4], v[4:6], v[6:10]]
        return ".".join(p for p in parts if p)


@attrs.frozen(order=True)
class PIRTNumber(_DigitIdentifier):
    """The 15-digit number of an SPP-IRT (home-industry food production certificate).

    Printed ``P-IRT No. 1234567890123-45``: packaging type (1 digit), food type (2),
    province and regency (4), product number (2), firm number (4), expiry year (2).
    """

    kind: ClassVar[str] = "pirt"
    label: ClassVar[str] = "Nomor P-IRT"
    lengths: ClassVar[tuple[int, ...]] = (15,)

    _PREFIX: ClassVar[re.Pattern[str]] = re.compile(r"^\s*(?:SPP-?)?P-?IRT\s*(?:No\.?)?\s*", re.I)

    def _check_compact(self, value: str) -> None:
        try:
            RegionCode(value[3:7])
        except ValidationError as exc:
            raise _fail(
                "pirt",
                "unknown_region",
                value,
                id="Kode provinsi dan kabupaten/kota di nomor P-IRT (digit 4-7) tidak sah.",
                en="The province and regency code in the P-IRT number (digits 4-7) is invalid.",
            ) from exc

    @classmethod
    def parse(cls, text: object) -> PIRTNumber:
        """Parse ``"P-IRT No. 2051234010203-28"`` or the bare 15 digits."""
        if isinstance(text, str):
            text = cls._PREFIX.sub("", text)
        return super().parse(text)

    @property
    def packaging_code(self) -> str:
        """Digit 1: the type of packaging."""
        return self.value[0]

    @property
    def food_type_code(self) -> str:
        """Digits 2-3: the food type."""
        return self.value[1:3]

    @property
    def region(self) -> RegionCode:
        """Digits 4-7: the regency or city that issued it."""
        return RegionCode(self.value[3:7])

    @property
    def product_number(self) -> str:
        """Digits 8-9: the product number within the firm."""
        return self.value[7:9]

    @property
    def firm_number(self) -> str:
        """Digits 10-13: the firm number."""
        return self.value[9:13]

    @property
    def expiry_year(self) -> int:
        """Digits 14-15: the year the certificate expires (20YY)."""
        return 2000 + int(self.value[13:15])

    @property
    def formatted(self) -> str:
        """The printed form ``P-IRT No. 1234567890123-45``."""
        return f"P-IRT No. {self.value[:13]}-{self.value[13:]}"
