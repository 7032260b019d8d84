"""Small attrs validators that raise umkm_core's own :class:`ValidationError`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs

from umkm_core.errors import ValidationError

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _where(instance: object, attribute: attrs.Attribute[Any]) -> str:
    return attribute.name


def non_blank(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """The value is a string with something other than white space in it."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"{type(instance).__name__.lower()}.{attribute.name}_blank",
            field=_where(instance, attribute),
            value=value,
            id=f"'{attribute.name}' wajib diisi.",
            en=f"'{attribute.name}' is required.",
        )


def non_negative_int(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """The value is a whole number (rupiah, a count) that is zero or more."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            f"{type(instance).__name__.lower()}.{attribute.name}_negative",
            field=_where(instance, attribute),
            value=value,
            id=f"'{attribute.name}' harus bilangan bulat 0 atau lebih (rupiah utuh).",
            en=f"'{attribute.name}' must be a whole number of 0 or more (whole rupiah).",
        )


def year_between(low: int, high: int) -> Validator:
    """The value is a calendar year in ``[low, high]``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationError(
                f"{type(instance).__name__.lower()}.bad_year",
                field=_where(instance, attribute),
                value=value,
                id=f"'{attribute.name}' harus tahun antara {low} dan {high}.",
                en=f"'{attribute.name}' must be a year between {low} and {high}.",
            )

    return check


def instance_of(*types: type) -> Validator:
    """Like ``attrs.validators.instance_of`` but raising our error with the field name."""
    names = " | ".join(t.__name__ for t in types)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise ValidationError(
                f"{type(instance).__name__.lower()}.bad_type",
                field=_where(instance, attribute),
                value=value,
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
            raise ValidationError(
                f"{type(instance).__name__.lower()}.bad_type",
                field=attribute.name,
                value=value,
                id=f"'{attribute.name}' harus berupa tuple.",
                en=f"'{attribute.name}' must be a tuple.",
            )
        for i, item in enumerate(value):
            if not isinstance(item, types):
                raise ValidationError(
                    f"{type(instance).__name__.lower()}.bad_type",
                    field=f"{attribute.name}[{i}]",
                    value=item,
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
            raise ValidationError(
                f"{type(instance).__name__.lower()}.{attribute.name}_before_{other}",
                field=attribute.name,
                value=value,
                id=f"'{attribute.name}' tidak boleh sebelum '{other}'.",
                en=f"'{attribute.name}' may not be before '{other}'.",
            )

    return check


def as_tuple(value: object) -> object:
    """Converter: lists become tuples (lossless); anything else is left for validators."""
    return tuple(value) if isinstance(value, list) else value
