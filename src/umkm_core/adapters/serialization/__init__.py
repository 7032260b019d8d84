"""Turning umkm_core's records into JSON-ready data and back, exactly and strictly.

A register travels as JSON: one document per business in a JSON Lines file, or a
single JSON document. Every document carries the schema version in a top-level
``"schema"`` key, so a file written today can be recognised (and upgraded) later.
Identifiers travel as their compact digits (``"3671054508900001"``), a KBLI code as
``{"code": "10796", "edition": 2020}``, dates as ISO strings and enums by value; a step
kind as its code and a rule as its programme-file table, both looked up again in the
plugin registry given when reading. Unknown keys are refused, and a refused document
lists *every* problem with its JSON path and umkm_core's code and bilingual message::

    >>> import datetime as dt
    >>> from umkm_core import Coaching, InvalidDocument
    >>> to_json(Coaching(office_id="dinkopukm-3671", since=dt.date(2015, 3, 1)))
    b'{"schema":1,"office_id":"dinkopukm-3671","since":"2015-03-01","until":null}'
    >>> try:
    ...     from_dict({"office_id": " ", "since": "2015-02-30", "zone": 1}, Coaching)
    ... except InvalidDocument as err:
    ...     for e in err.errors:
    ...         print(e.field, e.code, "/", e.message("en"))
    $.zone document.unknown_key / Unknown key 'zone'.
    $.since document.bad_date / Dates and times must be ISO 8601 text (e.g. 2017-12-19).
    $.office_id coaching.office_id_blank / 'office_id' is required.

A type whose values could not be read back exactly (a table of rows, a union of text
types) is refused by the writers with :class:`~umkm_core.SerializationError`
(``document.unsupported_type``) before anything is written.

The package has one concern per module: ``_types`` (the :class:`TypeRegistry` of
scalars, kinds and lookups), ``_converter`` (the reference cattrs engine,
:func:`make_converter`), ``_fast`` (the msgspec engine), ``_document`` (the
:class:`Serializer` that chooses between them) and ``_jsonl`` (JSON Lines). Nothing is
registered at import time: a :class:`Serializer` is built for a registry by
:func:`make_serializer`, and the functions below use one built (once, on first use)
for the ``registry`` they are given, so a document is written the same way whatever
was imported first. Extensions add their own types to a :class:`TypeRegistry`
(:meth:`~TypeRegistry.with_scalar`, :meth:`~TypeRegistry.with_kind`, or a
``__umkm_kind__`` class attribute) and build their own serializer from it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Iterator
from typing import IO, Any, TypeVar

from umkm_core.adapters.serialization._converter import configure_converter, make_converter
from umkm_core.adapters.serialization._document import MAX_DEPTH, Serializer
from umkm_core.adapters.serialization._jsonl import dump_lines, load_lines
from umkm_core.adapters.serialization._types import (
    INTERN_LIMIT,
    KIND_KEY,
    SCHEMA_KEY,
    SCHEMA_VERSION,
    Catalogue,
    TypeRegistry,
    make_type_registry,
)

__all__ = [
    "INTERN_LIMIT",
    "KIND_KEY",
    "MAX_DEPTH",
    "SCHEMA_KEY",
    "SCHEMA_VERSION",
    "Catalogue",
    "Serializer",
    "TypeRegistry",
    "configure_converter",
    "dump_jsonl",
    "from_dict",
    "from_json",
    "load_jsonl",
    "make_converter",
    "make_serializer",
    "make_type_registry",
    "to_dict",
    "to_json",
]

T = TypeVar("T")


def make_serializer(
    registry: Catalogue | None = None, *, types: TypeRegistry | None = None
) -> Serializer:
    """Build a new serializer for ``registry``.

    :param registry: the plugin registry (:func:`umkm_core.load_registry`): step kinds
        and rules are looked up in it when read; ``None``: documents holding them are
        written but refused when read (``document.registry_required``).
    :param types: the special types; by default :func:`make_type_registry` of
        ``registry``. Build your own from it to add an extension's types.
    :returns: the serializer.
    """
    return Serializer(types if types is not None else make_type_registry(registry))


# Serializers already built, by registry. A cache, not a registry of types: its content
# depends only on the registry object it is keyed by, never on what was imported.
_NO_REGISTRY: list[Serializer] = []
_KEEP: dict[int, tuple[weakref.ref[Any] | None, Serializer]] = {}
_LOCK = threading.Lock()
_CACHE_SIZE = 8


def _serializer(registry: Catalogue | None) -> Serializer:
    if registry is None:
        if _NO_REGISTRY:
            return _NO_REGISTRY[0]
        with _LOCK:
            if not _NO_REGISTRY:
                _NO_REGISTRY.append(make_serializer())
            return _NO_REGISTRY[0]
    key = id(registry)
    found = _KEEP.get(key)
    if found is not None and found[0] is not None and found[0]() is registry:
        return found[1]
    with _LOCK:
        serializer = make_serializer(registry)
        try:
            ref: weakref.ref[Any] | None = weakref.ref(registry)
        except TypeError:
            return serializer  # not weakly referable: not cached
        if len(_KEEP) >= _CACHE_SIZE:
            _KEEP.pop(next(iter(_KEEP)))
        _KEEP[key] = (ref, serializer)
        return serializer


def to_dict(obj: Any, *, registry: Catalogue | None = None) -> Any:
    """Turn a record into JSON-ready builtins (dicts, lists, strings, numbers, None).

    :param obj: an attrs instance of umkm_core or of an extension.
    :param registry: the plugin registry (only reading needs one; the result is the
        same with any registry).
    :returns: a dict without a schema version (embed it in your own document, or use
        :func:`to_json` for a stand-alone document).
    :raises SerializationError: when the type has no document form that reads back.
    """
    return _serializer(registry).to_dict(obj)


def from_dict(data: Any, cls: type[T], *, registry: Catalogue | None = None) -> T:
    """Build a ``cls`` from JSON-ready builtins, strictly.

    :param data: what :func:`to_dict` (or a JSON parser) gave.
    :param cls: the type to build: an attrs class, or a type such as
        ``tuple[Business, ...]``.
    :param registry: where step kinds and rules are looked up.
    :returns: the validated object.
    :raises InvalidDocument: listing every problem with its JSON path (``$.owner.nik``);
        ``document.too_deep`` beyond :data:`MAX_DEPTH`.
    """
    return _serializer(registry).from_dict(data, cls)


def to_json(obj: Any, *, registry: Catalogue | None = None) -> bytes:
    """Write one record as a JSON document carrying ``"schema"``.

    :param obj: an attrs instance.
    :param registry: the plugin registry (only reading needs one).
    :returns: UTF-8 JSON bytes: ``"schema"`` (and ``"kind"``) first, then the fields.
    :raises SerializationError: when ``obj`` does not make a JSON object document that
        reads back exactly (``document.unsupported_type``).
    """
    return _serializer(registry).to_json(obj)


def from_json(data: bytes | str, cls: type[T], *, registry: Catalogue | None = None) -> T:
    """Read one JSON document written by :func:`to_json`.

    :param data: the JSON text or bytes.
    :param cls: the attrs class the document holds.
    :param registry: where step kinds and rules are looked up.
    :returns: the validated object.
    :raises InvalidDocument: for broken JSON, a missing or unsupported schema version,
        a document nested deeper than :data:`MAX_DEPTH`, and every problem in the
        record, each with its JSON path.
    """
    return _serializer(registry).from_json(data, cls)


def dump_jsonl(
    iterable: Iterable[Any], fp: IO[bytes] | IO[str], *, registry: Catalogue | None = None
) -> int:
    """Write records as JSON Lines, one :func:`to_json` document per line.

    Memory stays constant: records are taken one at a time from ``iterable`` and
    written in blocks of about a megabyte.

    :param iterable: the records (any iterable, e.g. a generator).
    :param fp: a file opened for writing, in binary (preferred) or text mode.
    :param registry: the plugin registry (only reading needs one).
    :returns: the number of records written.
    :raises SerializationError: for a record whose type has no document form.
    """
    return dump_lines(_serializer(registry), iterable, fp)


def load_jsonl(
    fp: Iterable[bytes | str], cls: type[T], *, registry: Catalogue | None = None
) -> Iterator[T]:
    """Read records written by :func:`dump_jsonl`, lazily, one line at a time.

    Blank lines are skipped. Memory stays constant however long the file.

    :param fp: a file opened for reading (binary or text), or any iterable of lines.
    :param cls: the attrs class every line holds.
    :param registry: where step kinds and rules are looked up.
    :returns: an iterator of validated objects.
    :raises InvalidDocument: for the first bad line; its ``field`` is ``"line N"`` and
        its ``errors`` hold every problem of that line with its JSON path.
    """
    return load_lines(_serializer(registry), fp, cls)
