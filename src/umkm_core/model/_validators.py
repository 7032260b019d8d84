"""Small attrs validators that raise umkm_core's own :class:`ValidationError`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs

from umkm_core.errors import ValidationError

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def field_error(
    instance: object,
    attribute: attrs.Attribute[Any],
    problem: str,
    value: object,
    *,
    id: str,
    en: str,
    field: str | None = None,
) -> ValidationError:
    """The error for a bad ``attribute`` of ``instance``, coded ``<class>.<problem>``.

    Validators raise what this returns, so every field error has the same code shape
    (``"validity.years_negative"``) and names its field.

    :param instance: the object being built.
    :param attribute: the attrs attribute being checked.
    :param problem: the code's last part (``"bad_type"``, ``"years_negative"``).
    :param value: the refused value.
    :param id: the message in Indonesian.
    :param en: the message in English.
    :param field: the field to name when it is not the attribute (an item: ``"xs[2]"``).
    :returns: the error, for the caller to raise.
    """
    return ValidationError(
        f"{type(instance).__name__.lower()}.{problem}",
        field=attribute.name if field is None else field,
        value=value,
        id=id,
        en=en,
    )


def non_blank(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """The value is a string with something other than white space in it."""
    if not isinstance(value, str) or not value.strip():
        raise field_error(
            instance,
            attribute,
            f"{attribute.name}_blank",
            value,
            id=f"'{attribute.name}' wajib diisi.",
            en=f"'{attribute.name}' is required.",
        )


def _check_non_negative(
    instance: object, attribute: attrs.Attribute[Any], value: object, id_note: str, en_note: str
) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise field_error(
            instance,
            attribute,
            f"{attribute.name}_negative",
            value,
            id=f"'{attribute.name}' harus bilangan bulat 0 atau lebih{id_note}.",
            en=f"'{attribute.name}' must be a whole number of 0 or more{en_note}.",
        )


def non_negative_int(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """The value is a whole number (rupiah, a count) that is zero or more, or ``None``."""
    if value is not None:
        _check_non_negative(instance, attribute, value, " (rupiah utuh)", " (whole rupiah)")


def non_negative_whole(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """The value is a whole number (years, months, days) that is zero or more; never ``None``."""
    _check_non_negative(instance, attribute, value, "", "")


def year_between(low: int, high: int) -> Validator:
    """The value is a calendar year in ``[low, high]``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise field_error(
                instance,
                attribute,
                "bad_year",
                value,
                id=f"'{attribute.name}' harus tahun antara {low} dan {high}.",
                en=f"'{attribute.name}' must be a year between {low} and {high}.",
            )

    return check


def instance_of(*types: type) -> Validator:
    """Like ``attrs.validators.instance_of`` but raising our error with the field name."""
    names = " | ".join(t.__name__ for t in types)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise field_error(
                instance,
                attribute,
                "bad_type",
                value,
                id=f"'{attribute.name}' harus bertipe {names}.",
                en=f"'{attribute.name}' must be of type {names}.",
            )

    return check


def optional_instance_of(*types: type) -> Validator:
    """``None`` or an instance of ``types``."""
    inner = instance_of(*types)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            inner(instance, attribute, value)

    return check


def tuple_of(*types: type) -> Validator:
    """A tuple whose every item is an instance of ``types``."""
    names = " | ".join(t.__name__ for t in types)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise field_error(
                instance,
                attribute,
                "bad_type",
                value,
                id=f"'{attribute.name}' harus berupa tuple.",
                en=f"'{attribute.name}' must be a tuple.",
            )
        for i, item in enumerate(value):
            if not isinstance(item, types):
                raise field_error(
                    instance,
                    attribute,
                    "bad_type",
                    item,
                    field=f"{attribute.name}[{i}]",
                    id=f"'{attribute.name}[{i}]' harus bertipe {names}.",
                    en=f"'{attribute.name}[{i}]' must be of type {names}.",
                )

    return check


def date_not_before(other: str) -> Validator:
    """A date (or ``None``) that is not before the date in field ``other``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        start = getattr(instance, other)
        if value is None or start is None:
            return
        if not isinstance(value, dt.date):
            instance_of(dt.date)(instance, attribute, value)
        if value < start:
            raise field_error(
                instance,
                attribute,
                f"{attribute.name}_before_{other}",
                value,
                id=f"'{attribute.name}' tidak boleh sebelum '{other}'.",
                en=f"'{attribute.name}' may not be before '{other}'.",
            )

    return check


def non_empty(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A collection with at least one item (check its type with another validator first)."""
    if not value:
        raise field_error(
            instance,
            attribute,
            f"{attribute.name}_empty",
            value,
            id=f"'{attribute.name}' tidak boleh kosong.",
            en=f"'{attribute.name}' may not be empty.",
        )


def as_tuple(value: object) -> object:
    """Converter: lists become tuples (lossless); anything else is left for validators."""
    return tuple(value) if isinstance(value, list) else value


def aware_datetime(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """The value is a :class:`datetime.datetime` with a time zone (an offset)."""
    instance_of(dt.datetime)(instance, attribute, value)
    assert isinstance(value, dt.datetime)
    if value.tzinfo is None or value.utcoffset() is None:
        raise field_error(
            instance,
            attribute,
            "naive_datetime",
            value,
            id=f"'{attribute.name}' harus memiliki zona waktu (mis. Asia/Jakarta).",
            en=f"'{attribute.name}' needs a time zone (e.g. Asia/Jakarta).",
        )
