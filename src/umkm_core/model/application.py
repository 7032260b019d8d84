"""An application (pendaftaran) of one business to one programme."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from umkm_core.errors import ValidationError
from umkm_core.model._validators import as_tuple, instance_of, non_blank

__all__ = ["Application"]


def _aware(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    instance_of(dt.datetime)(instance, attribute, value)
    assert isinstance(value, dt.datetime)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            "application.naive_datetime",
            field=attribute.name,
            value=value,
            id="Waktu pendaftaran harus memiliki zona waktu (mis. Asia/Jakarta).",
            en="The application time needs a time zone (e.g. Asia/Jakarta).",
        )


def _wave_preferences(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple):
        instance_of(tuple)(instance, attribute, value)
    assert isinstance(value, tuple)
    seen: set[int] = set()
    for i, number in enumerate(value):
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise ValidationError(
                "application.bad_wave",
                field=f"{attribute.name}[{i}]",
                value=number,
                id="Nomor gelombang harus bilangan bulat 1 atau lebih.",
                en="A wave number is a whole number of 1 or more.",
            )
        if number in seen:
            raise ValidationError(
                "application.duplicate_wave",
                field=f"{attribute.name}[{i}]",
                value=number,
                id=f"Gelombang {number} disebut lebih dari sekali.",
                en=f"Wave {number} is listed more than once.",
            )
        seen.add(number)


def _tier(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ValidationError(
            "application.bad_tier",
            field=attribute.name,
            value=value,
            id="Tingkat prioritas harus bilangan bulat 0 atau lebih (0 paling tinggi).",
            en="A priority tier is a whole number of 0 or more (0 is the highest).",
        )


@attrs.frozen(kw_only=True)
class Application:
    """A business's request for a seat in a programme.

    :param business_id: the applicant (a :class:`~umkm_core.Business` id).
    :param program_id: the programme applied to.
    :param applied_at: when the application arrived; must carry a time zone.
    :param waves: the waves wanted, most wanted first; empty means any wave, in the
        programme's order.
    :param tier: a priority tier for :class:`~umkm_core.PriorityTiers` (0 is the highest;
        ``None`` comes after every tier).
    :raises ValidationError: ``application.naive_datetime``, ``application.bad_wave``,
        ``application.duplicate_wave``, ``application.bad_tier``.
    """

    business_id: str = attrs.field(validator=non_blank)
    program_id: str = attrs.field(validator=non_blank)
    applied_at: dt.datetime = attrs.field(validator=_aware)
    waves: tuple[int, ...] = attrs.field(
        default=(), converter=as_tuple, validator=_wave_preferences
    )
    tier: int | None = attrs.field(default=None, validator=_tier)
