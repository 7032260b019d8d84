"""One serializer per registry: documents and dicts, through the fast or the reference engine.

A :class:`Serializer` holds a cattrs converter and a fast engine built for one
:class:`~umkm_core.adapters.serialization.TypeRegistry`, and one generated function per
type and job. Writing first checks that the type has a document form that reads back
exactly (:class:`~umkm_core.SerializationError` otherwise); reading refuses documents
nested deeper than :data:`MAX_DEPTH` with ``document.too_deep``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import cattrs
import msgspec

from umkm_core.adapters.serialization._converter import configure_converter, writable
from umkm_core.adapters.serialization._errors import (
    bad_type,
    collect,
    placed,
    problem,
    too_deep,
    unsupported,
)
from umkm_core.adapters.serialization._fast import FastEngine, Unsupported
from umkm_core.adapters.serialization._types import SCHEMA_KEY, SCHEMA_VERSION, TypeRegistry
from umkm_core.errors import InvalidDocument

__all__ = ["MAX_DEPTH", "Serializer", "check_schema", "depth_within"]

T = TypeVar("T")

#: Documents nested deeper than this (objects and arrays) are refused when read.
MAX_DEPTH = 64

_ENCODER = msgspec.json.Encoder()
_PLAIN_DECODER = msgspec.json.Decoder()


def depth_within(data: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether ``data`` (decoded JSON) nests at most ``limit`` objects and arrays deep.

    Iterative, so that a hostile document cannot exhaust the call stack here.
    """
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            items: Any = value.values()
        elif isinstance(value, list | tuple):
            items = value
        else:
            continue
        if depth > limit:
            return False
        stack.extend((item, depth + 1) for item in items)
    return True


def check_schema(raw: dict[str, Any]) -> dict[str, Any]:
    """The document without its ``"schema"`` key, once the version is checked."""
    if SCHEMA_KEY not in raw:
        raise InvalidDocument(
            [
                problem(
                    "document.missing_schema",
                    f"$.{SCHEMA_KEY}",
                    id=f"Dokumen tidak memuat versi skema ('{SCHEMA_KEY}').",
                    en=f"The document carries no schema version ('{SCHEMA_KEY}').",
                )
            ]
        )
    version = raw[SCHEMA_KEY]
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise InvalidDocument(
            [
                problem(
                    "document.unsupported_schema",
                    f"$.{SCHEMA_KEY}",
                    value=version,
                    id=f"Versi skema tidak didukung; versi ini membaca {SCHEMA_VERSION}.",
                    en=f"Unsupported schema version; this version reads {SCHEMA_VERSION}.",
                )
            ]
        )
    return {k: v for k, v in raw.items() if k != SCHEMA_KEY}


class Serializer:
    """Reads and writes umkm_core's documents for one registry of types.

    Build one with :func:`~umkm_core.adapters.serialization.make_serializer`; it is safe
    to share between threads (functions are generated on first use of a type, under a
    lock).

    :param types: the special types (scalars, kinds, lookups).
    """

    def __init__(self, types: TypeRegistry) -> None:
        self.types = types
        self.converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
        configure_converter(self.converter, types)
        self.fast = FastEngine(types)
        self._dict_writers: dict[type, Callable[[Any], Any]] = {}
        self._doc_writers: dict[type, Callable[[Any], Any]] = {}
        self._dict_readers: dict[Any, Callable[[Any], Any]] = {}
        self._json_readers: dict[Any, Callable[[Any], Any]] = {}
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ public

    def to_dict(self, obj: Any) -> Any:
        """Turn a record into JSON-ready builtins (dicts, lists, strings, numbers, None).

        :param obj: an attrs instance of umkm_core or of an extension.
        :returns: a dict without a schema version.
        :raises SerializationError: when the type has no document form that reads back.
        """
        cls = type(obj)
        write = self._dict_writers.get(cls) or self._dict_writer(cls)
        return write(obj)

    def from_dict(self, data: Any, cls: type[T]) -> T:
        """Build a ``cls`` from JSON-ready builtins, strictly.

        :param data: what :meth:`to_dict` (or a JSON parser) gave.
        :param cls: the type to build: an attrs class, or a type such as
            ``tuple[Business, ...]``.
        :returns: the validated object.
        :raises InvalidDocument: listing every problem with its JSON path.
        """
        read = self._dict_readers.get(cls) or self._dict_reader(cls)
        result: T = read(data)
        return result

    def document(self, obj: Any) -> Any:
        """The JSON-ready document of ``obj``: :meth:`to_dict` with ``"schema"`` first.

        :raises SerializationError: when ``obj`` does not make a JSON object document.
        """
        cls = type(obj)
        write = self._doc_writers.get(cls) or self._doc_writer(cls)
        return write(obj)

    def to_json(self, obj: Any) -> bytes:
        """Write one record as a JSON document carrying ``"schema"``.

        :param obj: an attrs instance.
        :returns: UTF-8 JSON bytes: ``"schema"`` (and ``"kind"``) first, then the fields.
        :raises SerializationError: when ``obj`` does not make a JSON object document
            that reads back exactly.
        """
        return _ENCODER.encode(self.document(obj))

    def from_json(self, data: bytes | str, cls: type[T]) -> T:
        """Read one JSON document written by :meth:`to_json`.

        :param data: the JSON text or bytes.
        :param cls: the attrs class the document holds.
        :returns: the validated object.
        :raises InvalidDocument: for broken JSON, a missing or unsupported schema
            version, a document nested too deep, and every problem in the record.
        """
        read = self._json_readers.get(cls) or self._json_reader(cls)
        result: T = read(data)
        return result

    # ------------------------------------------------------------------ engines

    def structure_slowly(self, data: Any, tp: Any) -> Any:
        """The cattrs path: the object, or InvalidDocument with every problem."""
        if not depth_within(data):
            raise too_deep(MAX_DEPTH)
        try:
            return self.converter.structure(data, tp)
        except Exception as exc:
            raise InvalidDocument(collect(exc, "$")) from None

    def from_json_slowly(self, data: Any, tp: Any) -> Any:
        """Decode without the fast path and build through the cattrs path."""
        try:
            raw = _PLAIN_DECODER.decode(data)
        except RecursionError:
            raise too_deep(MAX_DEPTH) from None
        except (msgspec.DecodeError, TypeError):
            raise InvalidDocument(
                [
                    problem(
                        "document.bad_json",
                        "$",
                        id="Dokumen bukan JSON yang sah.",
                        en="The document is not valid JSON.",
                    )
                ]
            ) from None
        if not isinstance(raw, dict):
            raise InvalidDocument([placed(bad_type("object", raw), "$")])
        return self.structure_slowly(check_schema(raw), tp)

    def _dict_writer(self, cls: type) -> Callable[[Any], Any]:
        with self._lock:
            writable(cls, self.types)
            try:
                write = self.fast.builtins(cls)
            except Unsupported:
                converter = self.converter

                def write(obj: Any) -> Any:
                    return converter.unstructure(obj, cls)

            self._dict_writers[cls] = write
            return write

    def _doc_writer(self, cls: type) -> Callable[[Any], Any]:
        with self._lock:
            writable(cls, self.types, document=True)
            try:
                write = self.fast.doc_shell(cls)
            except Unsupported:
                body_of = self.converter.get_unstructure_hook(cls)

                def write(obj: Any) -> Any:
                    body = body_of(obj)
                    if not isinstance(body, dict) or SCHEMA_KEY in body:
                        raise unsupported(
                            cls,
                            "bukan objek JSON, atau memakai kunci 'schema'",
                            "not a JSON object, or it uses the key 'schema'",
                        )
                    return {SCHEMA_KEY: SCHEMA_VERSION, **body}

            self._doc_writers[cls] = write
            return write

    def _dict_reader(self, tp: Any) -> Callable[[Any], Any]:
        with self._lock:
            slowly = self.structure_slowly
            try:
                wire, load = self.fast.convert_plan(tp)
            except Unsupported:

                def read(data: Any) -> Any:
                    return slowly(data, tp)

            else:
                convert = msgspec.convert

                def read(data: Any) -> Any:
                    try:
                        return load(convert(data, wire))
                    except Exception:
                        return slowly(data, tp)

            self._dict_readers[tp] = read
            return read

    def _json_reader(self, tp: Any) -> Callable[[Any], Any]:
        with self._lock:
            slowly = self.from_json_slowly
            try:
                decoder, load = self.fast.doc_decoder(tp)
            except Unsupported:

                def read(data: Any) -> Any:
                    return slowly(data, tp)

            else:
                decode = decoder.decode

                def read(data: Any) -> Any:
                    try:
                        return load(decode(data))
                    except Exception:
                        return slowly(data, tp)

            self._json_readers[tp] = read
            return read
