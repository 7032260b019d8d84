"""Validators for the short codes that plugins register (``"kuliner"``, ``"csv"``).

Codes are what programme files, command lines and saved documents refer to, so they are
plain lowercase ASCII and stable: a display name can change, a code cannot.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from umkm_core.errors import ValidationError
from umkm_core.text import Text

__all__ = ["CODE_PATTERN", "check_code", "check_text_record"]

#: Lowercase ASCII words joined by ``-``, ``_`` or ``.``: ``"kuliner"``, ``"halal-self"``.
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*$")


def check_code(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: ``value`` is a code matching :data:`CODE_PATTERN`."""
    if not isinstance(value, str) or not CODE_PATTERN.match(value):
        kind = type(instance).__name__.lower()
        raise ValidationError(
            f"{kind}.bad_code",
            field=attribute.name,
            value=value,
            id=f"Kode {kind} harus huruf kecil ASCII, angka dan '-', '_' atau '.' "
            "(contoh: 'kuliner').",
            en=f"A {kind} code is lowercase ASCII letters, digits and '-', '_' or '.' "
            "(e.g. 'kuliner').",
        )


def check_text_record(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: ``value`` is a :class:`~umkm_core.text.Text` with both languages."""
    if not isinstance(value, Text) or not value.id.strip() or not value.en.strip():
        kind = type(instance).__name__.lower()
        raise ValidationError(
            f"{kind}.bad_text",
            field=attribute.name,
            value=value,
            id=f"'{attribute.name}' harus Text dengan bahasa Indonesia dan Inggris.",
            en=f"'{attribute.name}' must be a Text in Indonesian and English.",
        )
