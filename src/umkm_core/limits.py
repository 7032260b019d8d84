"""The explicit limits umkm_core puts on input, and the checks that enforce them.

Input beyond these limits is refused with a typed :class:`~umkm_core.ValidationError`
before it can reach Python's own limits (the 4,300-digit int-string limit, the recursion
limit, the calendar's year 9999), which would otherwise end in a bare ``ValueError``,
``RecursionError`` or ``OverflowError``. The limits are far above anything an office
writes.

>>> check_nesting({"rule": "all_of", "rules": [{"rule": "has_nib"}]}, field="rule")
>>> check_date(__import__("datetime").date(9999, 12, 31), field="as_of")
Traceback (most recent call last):
...
umkm_core.errors.ValidationError: date.out_of_range [as_of]: ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Final

from umkm_core.errors import ValidationError

__all__ = [
    "LATEST_DATE",
    "MAX_IDENTIFIER_CHARS",
    "MAX_NESTING",
    "MAX_RULE_DEPTH",
    "MAX_RUPIAH_DIGITS",
    "MAX_SEED_BITS",
    "MAX_WAVE_DAYS",
    "MAX_YEARS",
    "check_date",
    "check_nesting",
]

#: Longest text accepted where an identifier (NIK, NIB, NPWP, KBLI, region, P-IRT) is
#: expected, separators included; the longest identifier, a village code, has 13.
MAX_IDENTIFIER_CHARS: Final = 64

#: Most digits of a rupiah amount: 18 digits are a billion times Indonesia's GDP.
MAX_RUPIAH_DIGITS: Final = 18

#: Deepest nesting of rules (``all_of`` inside ``any_of`` inside ``not`` ...).
MAX_RULE_DEPTH: Final = 32

#: Deepest nesting of tables and arrays in a programme file or follow-up plan (a rule
#: nested in another takes two levels: its table and the ``rules`` array).
MAX_NESTING: Final = 80

#: Most years a rule may look back or ahead (``not_attended_within years``).
MAX_YEARS: Final = 100

#: Bits of a lottery seed (the seed salts a 16-byte BLAKE2 hash).
MAX_SEED_BITS: Final = 128

#: Most days from a wave's first day to its last (ten years): a wave has a session a
#: day at most, and every session is built in memory.
MAX_WAVE_DAYS: Final = 3660

#: The latest date of a programme (wave days, sessions, the as-of date) or of a
#: follow-up plan's start. Leaves room for terms of up to 10 years and for renewal
#: windows computed from them without reaching the calendar's end.
LATEST_DATE: Final = dt.date(2200, 12, 31)


def check_date(value: dt.date, *, field: str) -> dt.date:
    """Refuse a date after :data:`LATEST_DATE`.

    :param value: the date.
    :param field: the field or key path named in the error.
    :returns: ``value``.
    :raises ValidationError: ``date.out_of_range``.
    """
    if value > LATEST_DATE:
        raise ValidationError(
            "date.out_of_range",
            field=field,
            value=value,
            id=f"Tanggal paling akhir yang diterima adalah {LATEST_DATE.isoformat()}.",
            en=f"The latest date accepted is {LATEST_DATE.isoformat()}.",
        )
    return value


def check_nesting(data: object, *, field: str, limit: int = MAX_NESTING) -> None:
    """Refuse tables and arrays nested deeper than ``limit`` (checked without recursion).

    :param data: parsed TOML or JSON-like data (mappings, lists, tuples, scalars).
    :param field: the field or file named in the error.
    :param limit: the deepest nesting accepted.
    :raises ValidationError: ``document.too_deep``.
    """
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: list[object] = list(item.values())
        elif isinstance(item, list | tuple):
            children = list(item)
        else:
            continue
        if depth > limit:
            raise ValidationError(
                "document.too_deep",
                field=field,
                id=f"Tabel dan daftar bersarang lebih dari {limit} tingkat.",
                en=f"Tables and arrays are nested more than {limit} levels deep.",
            )
        stack.extend((child, depth + 1) for child in children)
