"""Whether a type can be written as a document that reads back exactly.

The writers ask before writing anything: a type whose values could not be read back
(a field typed ``Any`` or ``Iterable``, a union of ``str`` and ``date``, an abstract
base with an untagged subclass, a forward reference nobody can resolve) is refused
with :class:`~umkm_core.SerializationError` (``document.unsupported_type``), naming the
field and why, so no file ever holds a document this library cannot read.
"""

from __future__ import annotations

import collections.abc
import enum
import typing
from typing import Any, Literal

import attrs

from umkm_core.adapters.serialization._converter import (
    TEMPORAL,
    concrete_subclasses,
    hints,
    is_abstract_record,
    is_rule,
    union_members,
)
from umkm_core.adapters.serialization._errors import unsupported
from umkm_core.adapters.serialization._types import TypeRegistry, attrs_fields

__all__ = ["writable"]


_NATIVE = (str, int, float, bool, type(None))


def writable(tp: Any, types: TypeRegistry, *, document: bool = False) -> None:
    """Check that values of ``tp`` have a document form that reads back exactly.

    :param tp: the type.
    :param types: the special types.
    :param document: whether the value is a whole document (a JSON object: a record).
    :raises SerializationError: ``document.unsupported_type`` naming the type and why.
    """
    if document and not (isinstance(tp, type) and attrs.has(tp) and tp not in types.scalars):
        raise unsupported(
            tp,
            "dokumen adalah objek JSON (sebuah rekaman); simpan nilai ini di dalam rekaman",
            "a document is a JSON object (a record); keep this value inside a record",
        )
    reason = _why_not(tp, types, set())
    if reason is not None:
        raise unsupported(tp, *reason)


def _why_not(tp: Any, types: TypeRegistry, seen: set[Any]) -> tuple[str, str] | None:
    if tp in types.scalars or tp in _NATIVE or tp in TEMPORAL:
        return None
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return None
    if is_rule(tp):
        return None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is Literal:
        return None
    if (origin is tuple and len(args) == 2 and args[1] is Ellipsis) or origin is list:
        return _why_not(args[0], types, seen)
    if origin is tuple and args and Ellipsis not in args:
        for arg in args:
            reason = _why_not(arg, types, seen)
            if reason is not None:
                return reason
        return None
    if origin in (set, frozenset) and len(args) == 1:
        return _why_not(args[0], types, seen)
    if origin in (dict, collections.abc.Mapping) and len(args) == 2:
        if not _text_key(args[0], types):
            return ("kunci pemetaan harus teks", "mapping keys must be text")
        return _why_not(args[1], types, seen)
    members = union_members(tp)
    if members:
        return _union_why_not(members, types, seen)
    if isinstance(tp, type) and attrs.has(tp):
        return _record_why_not(tp, types, seen)
    name = getattr(tp, "__name__", None) or str(tp)
    return (f"tipe {name} tidak punya bentuk JSON", f"type {name} has no JSON form")


def _text_key(tp: Any, types: TypeRegistry) -> bool:
    """Whether ``tp`` keys a JSON object: text, a text scalar, an enum of text values."""
    if tp is str or (tp in types.scalars and types.scalars[tp].wire is str):
        return True
    return (
        isinstance(tp, type)
        and issubclass(tp, enum.Enum)
        and all(isinstance(m.value, str) for m in tp)
    )


def _union_why_not(
    members: tuple[Any, ...], types: TypeRegistry, seen: set[Any]
) -> tuple[str, str] | None:
    real = [m for m in members if m is not type(None)]
    records = [m for m in real if isinstance(m, type) and attrs.has(m) and m not in types.scalars]
    textual = [m for m in real if m is str or m in TEMPORAL or m in types.scalars]
    if len(textual) > 1:
        # "2018-01-02" could be a str or a date: the reader could not tell them apart.
        return ("gabungan tipe teks yang ambigu", "an ambiguous union of text types")
    if records and len(records) != len(real):
        return ("gabungan rekaman dan nilai", "a union of records and plain values")
    if len(records) > 1 and not all(types.kind_of(m) for m in records):
        return ("anggota gabungan tanpa 'kind'", "union members without a 'kind'")
    for member in real:
        reason = _why_not(member, types, seen)
        if reason is not None:
            return reason
    return None


def _record_why_not(cls: type, types: TypeRegistry, seen: set[Any]) -> tuple[str, str] | None:
    if cls in seen:
        return None
    seen.add(cls)
    if is_abstract_record(cls):
        subclasses = concrete_subclasses(cls)
        untagged = [c.__name__ for c in subclasses if not types.kind_of(c)]
        if not subclasses or untagged:
            return (
                f"subkelas tanpa 'kind': {', '.join(untagged) or '-'}",
                f"subclasses without a 'kind': {', '.join(untagged) or '-'}",
            )
        for sub in subclasses:
            reason = _record_why_not(sub, types, seen)
            if reason is not None:
                return reason
        return None
    try:
        found = hints(cls)
    except Exception as exc:  # a forward reference nobody can resolve
        return (f"anotasi tidak terbaca ({exc})", f"unreadable annotations ({exc})")
    for field in attrs_fields(cls):
        if not field.init:
            return (
                f"medan '{field.name}' bukan parameter",
                f"field '{field.name}' is not in init",
            )
        reason = _why_not(found[field.name], types, seen)
        if reason is not None:
            why_id, why_en = reason
            return (
                f"{cls.__name__}.{field.name}: {why_id}",
                f"{cls.__name__}.{field.name}: {why_en}",
            )
    return None
