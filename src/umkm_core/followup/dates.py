"""Calendar arithmetic for certificate terms: adding months and years to a date.

A term of "5 years" from a grant date ends on the same day of the month five years
later. When that day does not exist (29 February in a common year, the 31st in a
30-day month) the term ends on the last day of that month: it is never pushed into
the next month, so a certificate never lasts longer than the law says (see
docs/decisions/0031-certificate-terms-and-month-ends.md).

>>> import datetime as dt
>>> add_months(dt.date(2024, 2, 29), 60)
datetime.date(2029, 2, 28)
>>> add_months(dt.date(2024, 8, 31), -6)
datetime.date(2024, 2, 29)
"""

from __future__ import annotations

import calendar
import datetime as dt

from umkm_core.errors import ValidationError

__all__ = ["add_months", "add_years"]


def add_months(day: dt.date, months: int) -> dt.date:
    """Return ``day`` moved by ``months`` calendar months (negative moves back).

    The day of the month is kept, or clamped to the last day of the target month.

    :param day: the starting date.
    :param months: how many months to add; may be negative.
    :returns: the moved date.
    :raises ValidationError: ``date.out_of_range`` when the result falls outside the
        years 1-9999.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise ValidationError(
            "date.out_of_range",
            field="months",
            value=months,
            id="Tanggal hasil perhitungan di luar rentang kalender.",
            en="The computed date falls outside the calendar range.",
        )
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    """Return ``day`` moved by ``years`` years; 29 February becomes 28 February.

    :param day: the starting date.
    :param years: how many years to add; may be negative.
    :returns: the moved date.
    :raises ValidationError: ``date.out_of_range`` outside the years 1-9999.
    """
    return add_months(day, 12 * years)
