"""Turning umkm_core's records into JSON-ready data and back, exactly and strictly.

A register travels as JSON: one document per business in a JSON Lines file, or a
single JSON document. Every document carries the schema version in a top-level
``"schema"`` key, so a file written today can be recognised (and upgraded) later.
Identifiers travel as their compact digits (``"3671054508900001"``), a KBLI code as
``{"code": "10796", "edition": 2020}``, dates as ISO strings and enums by value.
Unknown keys are refused, and a refused document lists *every* problem with its JSON
path and umkm_core's code and bilingual message::

    >>> import datetime as dt
    >>> from umkm_core import Coaching
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

Two engines do the work and always agree (a property test holds them to it):

* the fast path decodes and encodes with msgspec: for every attrs class it builds a
  mirror ``msgspec.Struct`` (which refuses unknown keys in C) and a generated loader
  that calls the class's own constructor, so attrs validators and converters run;
* the reference path is a private cattrs converter (:func:`make_converter`), used for
  types the fast path cannot mirror and to explain a refused document in full.

Extending it: :func:`register_scalar` makes a value type travel as a plain string
(or number), and :func:`register_kind` (or a ``__umkm_kind__`` class attribute) gives
a class the stable ``"kind"`` tag that unions of attrs classes need. Register at import
time, before the first document is read or written.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import io
import itertools
import operator
import threading
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, Any, Literal, TypeVar

import attrs
import cattrs
import msgspec
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from umkm_core.errors import InvalidDocument, ValidationError
from umkm_core.model.identifiers import KBLI, NIB, NIK, NPWP, PIRTNumber, RegionCode

__all__ = [
    "INTERN_LIMIT",
    "KIND_KEY",
    "SCHEMA_KEY",
    "SCHEMA_VERSION",
    "configure_converter",
    "dump_jsonl",
    "from_dict",
    "from_json",
    "load_jsonl",
    "make_converter",
    "register_interned",
    "register_kind",
    "register_scalar",
    "to_dict",
    "to_json",
]

T = TypeVar("T")

#: The version of the document format this library writes and reads.
SCHEMA_VERSION = 1
#: The top-level key that carries :data:`SCHEMA_VERSION` in every JSON document.
SCHEMA_KEY = "schema"
#: The key that carries a class's stable tag (see :func:`register_kind`).
KIND_KEY = "kind"

_JSON_TYPES = (str, int, float, bool)
_TEMPORAL = (dt.datetime, dt.date, dt.time)


# --------------------------------------------------------------------------------------
# The registry of special types (shared by both engines)
# --------------------------------------------------------------------------------------


@attrs.frozen
class _Scalar:
    """A value type that travels as a single JSON value."""

    cls: type
    wire: type
    load: Callable[[Any], Any]
    dump: Callable[[Any], Any]
    intern: bool = False
    attribute: str | None = None  # the dump is this attribute: generated code reads it


_SCALARS: dict[type, _Scalar] = {}
_KINDS: dict[type, str] = {}
_INTERNED: set[type] = set()
#: At most this many distinct values of one type are shared (bounded memory).
INTERN_LIMIT = 4096
_LOCK = threading.Lock()


def register_scalar(
    cls: type[T],
    *,
    load: Callable[[Any], T],
    dump: Callable[[T], Any] | str,
    wire: type = str,
    intern: bool = False,
) -> None:
    """Make ``cls`` travel as a single JSON value (a string by default).

    Use it for value types that are stored as one string, as umkm_core does for its
    identifiers::

        register_scalar(NIK, load=NIK, dump="value")

    :param cls: the value type.
    :param load: builds the value from its wire form; should be the type's strict
        constructor and raise :class:`~umkm_core.ValidationError` for bad input.
    :param dump: gives the wire form of a value; or the name of the attribute that
        holds it (read directly by the generated code, which is faster).
    :param wire: the JSON type of the wire form (``str``, ``int``, ``float``, ``bool``).
    :param intern: share one instance among equal values read by the fast path (for
        immutable types with few distinct values, such as region codes; never for
        personal data such as NIKs, which would then linger in a cache).
    :raises TypeError: when ``wire`` is not a JSON type.
    """
    if wire not in _JSON_TYPES:
        raise TypeError(f"wire={wire!r} must be one of str, int, float, bool")
    attribute = dump if isinstance(dump, str) else None
    dumper = operator.attrgetter(dump) if isinstance(dump, str) else dump
    with _LOCK:
        _SCALARS[cls] = _Scalar(cls, wire, load, dumper, intern, attribute)
        _invalidate()


def register_interned(cls: type[T]) -> type[T]:
    """Share one instance among equal values of ``cls`` when reading documents.

    For small immutable value classes that repeat across a register (a KBLI code, a
    sector): building an attrs instance runs its validators, and a register of a
    million businesses holds only a few hundred distinct KBLI codes. At most
    :data:`INTERN_LIMIT` values per class are kept. Never use it for personal data.

    :param cls: a frozen attrs class with value equality and a hash.
    :returns: ``cls``.
    :raises TypeError: when instances of ``cls`` are not immutable, hashable values.
    """
    params = getattr(cls, "__attrs_attrs__", None)
    if params is None or getattr(cls, "__hash__", None) is None:
        raise TypeError(f"{cls!r} is not a hashable attrs class")
    if cls.__setattr__ is object.__setattr__:
        raise TypeError(f"{cls!r} is not frozen")
    with _LOCK:
        _INTERNED.add(cls)
        _invalidate()
    return cls


def register_kind(cls: type[T], kind: str) -> type[T]:
    """Give an attrs class a stable tag, written under ``"kind"`` in its documents.

    Unions of attrs classes (``Wave | Session``) can only be read back when every
    member has a kind. The tag, not the class name, is what files keep, so a class can
    be renamed without breaking saved documents. A class may instead declare
    ``__umkm_kind__: ClassVar[str] = "wave"``, which keeps the domain free of any
    import of this module.

    :param cls: an attrs class without a field named ``kind``.
    :param kind: the tag, e.g. ``"wave"``; unique among registered classes.
    :returns: ``cls``.
    :raises TypeError: when ``cls`` is not an attrs class, has a ``kind`` field, or the
        tag is already taken by another class.
    """
    if not _attrs_fields(cls):
        raise TypeError(f"{cls!r} is not an attrs class")
    if any(a.name == KIND_KEY for a in _attrs_fields(cls)):
        raise TypeError(f"{cls.__name__} has a field named {KIND_KEY!r}; it cannot be tagged")
    with _LOCK:
        for other, other_kind in _KINDS.items():
            if other_kind == kind and other is not cls:
                raise TypeError(f"kind {kind!r} is already used by {other.__qualname__}")
        _KINDS[cls] = kind
        _invalidate()
    return cls


def _attrs_fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    # attrs.fields() is typed for attrs classes only; every caller has checked.
    found: tuple[attrs.Attribute[Any], ...] = getattr(cls, "__attrs_attrs__", ())
    return found


def _kind_of(cls: type) -> str | None:
    kind = _KINDS.get(cls)
    if kind is None:
        declared = cls.__dict__.get("__umkm_kind__")
        kind = declared if isinstance(declared, str) else None
    return kind


# The identifiers travel as their compact digits and come back through their strict
# constructors (see docs/decisions/0010-document-format.md).
for _ident in (NIB, NIK, NPWP, PIRTNumber, RegionCode):
    _SCALARS[_ident] = _Scalar(
        _ident, str, _ident, operator.attrgetter("value"), _ident is RegionCode, "value"
    )
# A register holds a few hundred distinct KBLI codes and region codes at most.
_INTERNED.add(KBLI)


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


def _problem(code: str, path: str, *, id: str, en: str, value: object = None) -> ValidationError:
    return ValidationError(code, field=path, value=value, id=id, en=en)


def _placed(err: ValidationError, field: str | None) -> ValidationError:
    return ValidationError(
        err.code, field=field, value=err.value, id=err.message_id, en=err.message_en
    )


def _join(path: str, rel: str | None) -> str:
    """``path`` followed by the relative ``rel`` (``"name"``, ``"[2]"``, ``"a[1].b"``)."""
    if not rel:
        return path
    if not path or rel.startswith("["):
        return f"{path}{rel}"
    return f"{path}.{rel}"


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or str(tp)


def _bad_type(expected: str, value: object) -> ValidationError:
    got = type(value).__name__
    return ValidationError(
        "document.bad_type",
        value=value,
        id=f"Harus bertipe {expected}, bukan {got}.",
        en=f"Must be of type {expected}, not {got}.",
    )


def _collect(exc: BaseException, path: str) -> list[ValidationError]:
    """Flatten cattrs' exception groups into our errors, each with its JSON path.

    Our own ValidationErrors keep their code and bilingual message; their ``field`` is
    relative to the object being built, so it is appended to the path.
    """
    if isinstance(exc, InvalidDocument):
        return [_placed(e, _join(path, e.field)) for e in exc.errors]
    if isinstance(exc, ClassValidationError | IterableValidationError):
        found: list[ValidationError] = []
        for sub in exc.exceptions:
            sub_path = path
            for note in getattr(sub, "__notes__", ()):
                if isinstance(note, AttributeValidationNote):
                    sub_path = _join(path, note.name)
                    break
                if isinstance(note, IterableValidationNote):
                    index = note.index
                    sub_path = _join(path, f"[{index!r}]")
                    break
            found.extend(_collect(sub, sub_path))
        return found
    if isinstance(exc, ForbiddenExtraKeysError):
        return [
            _problem(
                "document.unknown_key",
                _join(path, key),
                id=f"Kunci '{key}' tidak dikenal.",
                en=f"Unknown key '{key}'.",
            )
            for key in sorted(exc.extra_fields)
        ]
    if isinstance(exc, KeyError):
        return [
            _problem(
                "document.missing_key",
                path,
                id="Kunci wajib tidak ada.",
                en="A required key is missing.",
            )
        ]
    if isinstance(exc, ValidationError):
        return [_placed(exc, _join(path, exc.field))]
    # Anything else is a bug in a hook or an odd input; its message may quote the
    # input (personal data), so only its type is reported.
    return [
        _problem(
            "document.invalid",
            path,
            id=f"Nilai tidak valid ({type(exc).__name__}).",
            en=f"Invalid value ({type(exc).__name__}).",
        )
    ]


def _invalid(errors: list[ValidationError], field: str | None = None) -> InvalidDocument:
    return InvalidDocument(errors, field=field)


# --------------------------------------------------------------------------------------
# The reference engine: a private cattrs converter
# --------------------------------------------------------------------------------------


def make_converter() -> cattrs.Converter:
    """Build a new private cattrs converter for umkm_core's document format.

    The converter refuses unknown keys, is strict about JSON types (``"12"`` is not an
    int, ``true`` is not a number), and raises cattrs' detailed exception groups whose
    leaves are umkm_core ValidationErrors; :func:`from_dict` turns those into one
    :class:`~umkm_core.InvalidDocument`.

    :returns: a :class:`cattrs.Converter` configured by :func:`configure_converter`.
    """
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    configure_converter(conv)
    return conv


def configure_converter(conv: cattrs.Converter) -> None:
    """Register umkm_core's hooks on ``conv`` (compose it into your own converter).

    Handles: strict JSON primitives; dates and times as ISO strings; enums by value;
    the types given to :func:`register_scalar` (the identifiers); tuples and lists
    (only from JSON arrays); sets (written sorted); mappings with string keys; attrs
    classes with unknown keys refused, a ``"kind"`` tag for classes given one, and
    *every* failing validator reported; unions of tagged attrs classes.

    :param conv: the converter to configure; it should have ``detailed_validation``.
    """
    _configure_primitives(conv)
    _configure_temporal(conv)
    _configure_enums(conv)
    _configure_scalars(conv)
    _configure_sequences(conv)
    _configure_sets_and_mappings(conv)
    _configure_records(conv)
    _configure_unions(conv)


def _configure_primitives(conv: cattrs.Converter) -> None:
    """Strict str, int, float and bool: no silent coercion."""

    def strict(tp: type) -> Callable[[Any, Any], Any]:
        def hook(value: Any, target: Any) -> Any:
            if target is not tp and isinstance(target, type) and issubclass(target, enum.Enum):
                # An IntEnum is an int too: cattrs may route it here first.
                return _structure_enum(value, target)
            if tp is float and isinstance(value, int) and not isinstance(value, bool):
                return float(value)
            if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
                raise _bad_type(tp.__name__, value)
            return value

        return hook

    for tp in _JSON_TYPES:
        conv.register_structure_hook(tp, strict(tp))


def _structure_enum(value: Any, tp: type[enum.Enum]) -> Any:
    if isinstance(value, str | int) and not isinstance(value, bool):
        try:
            return tp(value)
        except ValueError:
            pass
    allowed = ", ".join(repr(m.value) for m in tp)
    raise ValidationError(
        "document.bad_enum",
        value=value,
        id=f"Nilai harus salah satu dari: {allowed}.",
        en=f"The value must be one of: {allowed}.",
    )


def _configure_temporal(conv: cattrs.Converter) -> None:
    """Dates and times as ISO 8601 text, through msgspec on both paths."""

    # Dates go through msgspec on both paths, so both write and accept the same text.
    def is_temporal(tp: Any) -> bool:
        return tp in _TEMPORAL

    def structure_temporal(tp: Any) -> Callable[[Any, Any], Any]:
        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, str):
                raise _bad_type(f"{tp.__name__} (ISO 8601)", value)
            try:
                return msgspec.convert(value, tp)
            except msgspec.ValidationError:
                raise ValidationError(
                    "document.bad_date",
                    value=value,
                    id="Tanggal/waktu harus dalam format ISO 8601 (mis. 2017-12-19).",
                    en="Dates and times must be ISO 8601 text (e.g. 2017-12-19).",
                ) from None

        return hook

    conv.register_structure_hook_factory(is_temporal, structure_temporal)
    conv.register_unstructure_hook_factory(is_temporal, lambda _tp: msgspec.to_builtins)


def _configure_enums(conv: cattrs.Converter) -> None:
    """Enums by value."""

    def is_enum(tp: Any) -> bool:
        return isinstance(tp, type) and issubclass(tp, enum.Enum)

    def structure_enum(tp: Any) -> Callable[[Any, Any], Any]:
        return lambda value, _: _structure_enum(value, tp)

    conv.register_structure_hook_factory(is_enum, structure_enum)
    conv.register_unstructure_hook_factory(is_enum, lambda _tp: operator.attrgetter("value"))


def _configure_scalars(conv: cattrs.Converter) -> None:
    """The types given to :func:`register_scalar`."""

    def is_scalar(tp: Any) -> bool:
        return tp in _SCALARS

    def structure_scalar(tp: Any) -> Callable[[Any, Any], Any]:
        load = _SCALARS[tp].load

        def hook(value: Any, _: Any) -> Any:
            try:
                return load(value)
            except ValidationError as err:
                # The error names the identifier; its place is the path being built.
                raise _placed(err, None) from None

        return hook

    conv.register_structure_hook_factory(is_scalar, structure_scalar)
    conv.register_unstructure_hook_factory(is_scalar, lambda tp: _SCALARS[tp].dump)


def _configure_sequences(conv: cattrs.Converter) -> None:
    """Tuples and lists, only from JSON arrays, written as lists."""

    def is_sequence(tp: Any) -> bool:
        origin = typing.get_origin(tp)
        if origin is list:
            return True
        args = typing.get_args(tp)
        return origin is tuple and len(args) == 2 and args[1] is Ellipsis

    def structure_sequence(tp: Any) -> Callable[[Any, Any], Any]:
        item_type = typing.get_args(tp)[0]
        make = tuple if typing.get_origin(tp) is tuple else list

        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, list | tuple):
                raise _bad_type("array", value)
            item_hook = conv.get_structure_hook(item_type)
            out = []
            errors: list[Exception] = []
            for i, item in enumerate(value):
                try:
                    out.append(item_hook(item, item_type))
                except Exception as exc:
                    exc.add_note(IterableValidationNote(f"index {i}", i, item_type))
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {tp}", errors, tp)
            return make(out)

        return hook

    def unstructure_sequence(tp: Any) -> Callable[[Any], Any]:
        item_type = typing.get_args(tp)[0]
        item_hook = conv.get_unstructure_hook(item_type)
        return lambda value: [item_hook(item) for item in value]

    conv.register_structure_hook_factory(is_sequence, structure_sequence)
    conv.register_unstructure_hook_factory(is_sequence, unstructure_sequence)


def _configure_sets_and_mappings(conv: cattrs.Converter) -> None:
    """Sets from JSON arrays, written sorted; mappings from JSON objects."""

    def is_set(tp: Any) -> bool:
        return typing.get_origin(tp) in (set, frozenset) and len(typing.get_args(tp)) == 1

    def structure_set(tp: Any) -> Callable[[Any, Any], Any]:
        list_type: Any = list.__class_getitem__(typing.get_args(tp)[0])
        as_list = conv.get_structure_hook(list_type)
        make = typing.get_origin(tp)
        return lambda value, _: make(as_list(value, list_type))

    def unstructure_set(tp: Any) -> Callable[[Any], Any]:
        item_hook = conv.get_unstructure_hook(typing.get_args(tp)[0])
        return lambda value: sorted((item_hook(item) for item in value), key=_set_order)

    conv.register_structure_hook_factory(is_set, structure_set)
    conv.register_unstructure_hook_factory(is_set, unstructure_set)

    def is_mapping(tp: Any) -> bool:
        return typing.get_origin(tp) is dict and len(typing.get_args(tp)) == 2

    def structure_mapping(tp: Any) -> Callable[[Any, Any], Any]:
        key_type, value_type = typing.get_args(tp)

        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, dict):
                raise _bad_type("object", value)
            key_hook = conv.get_structure_hook(key_type)
            value_hook = conv.get_structure_hook(value_type)
            out = {}
            errors: list[Exception] = []
            for key, item in value.items():
                try:
                    out[key_hook(key, key_type)] = value_hook(item, value_type)
                except Exception as exc:
                    exc.add_note(IterableValidationNote(f"key {key!r}", key, value_type))
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {tp}", errors, tp)
            return out

        return hook

    def unstructure_mapping(tp: Any) -> Callable[[Any], Any]:
        key_type, value_type = typing.get_args(tp)
        key_hook = conv.get_unstructure_hook(key_type)
        value_hook = conv.get_unstructure_hook(value_type)
        return lambda value: {key_hook(k): value_hook(v) for k, v in value.items()}

    conv.register_structure_hook_factory(is_mapping, structure_mapping)
    conv.register_unstructure_hook_factory(is_mapping, unstructure_mapping)


def _set_order(item: Any) -> tuple[str, Any]:
    """Sets are written sorted, so that equal sets give equal documents."""
    if isinstance(item, enum.Enum):
        item = item.value  # the JSON shell leaves enums to msgspec; sort by value
    return (type(item).__name__, item)


def _configure_records(conv: cattrs.Converter) -> None:
    """Records (attrs classes): unknown keys refused, kinds, every failing validator."""

    def is_record(tp: Any) -> bool:
        return isinstance(tp, type) and attrs.has(tp) and tp not in _SCALARS

    def structure_record(cls: Any) -> Callable[[Any, Any], Any]:
        build = make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True
        )
        kind = _kind_of(cls)
        known = {f.name for f in attrs.fields(cls) if f.init}

        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, Mapping):
                raise _bad_type("object", value)
            errors: list[ValidationError] = []
            if kind is not None and KIND_KEY in value and value[KIND_KEY] != kind:
                errors.append(
                    ValidationError(
                        "document.wrong_kind",
                        field=KIND_KEY,
                        value=value[KIND_KEY],
                        id=f"'kind' harus '{kind}'.",
                        en=f"'kind' must be '{kind}'.",
                    )
                )
            allowed = known | {KIND_KEY} if kind is not None else known
            extra = [k for k in value if k not in allowed]
            errors.extend(_collect(ForbiddenExtraKeysError(None, cls, set(extra)), ""))
            if extra or kind is not None:
                value = {k: v for k, v in value.items() if k in known}
            try:
                result = build(value, cls)
            except ClassValidationError as exc:
                # cattrs reports the fields it could not build (with a note naming the
                # field) or the constructor's first failure (without one). attrs stops at
                # the first failing validator, so run every validator of the fields that
                # could be built: the report then holds every problem.
                noted, other = exc.group_exceptions()
                for sub, note in noted:
                    errors.extend(_collect(sub, note.name))
                failed = {note.name for _, note in noted}
                found = _every_validator_error(conv, cls, value, failed)
                errors.extend(found)
                if not found:
                    for sub in other:
                        errors.extend(_collect(sub, ""))
            except ValidationError as err:
                # A plain ValidationError comes from the class's own validators, and
                # attrs stops at the first one: look for all of them.
                errors.extend(_every_validator_error(conv, cls, value, set()) or [err])
            else:
                if not errors:
                    return result
            raise InvalidDocument(errors)

        return hook

    def unstructure_record(cls: Any) -> Callable[[Any], Any]:
        dump = make_dict_unstructure_fn(cls, conv)
        kind = _kind_of(cls)
        if kind is None:
            return dump
        return lambda value: {KIND_KEY: kind, **dump(value)}

    conv.register_structure_hook_factory(is_record, structure_record)
    conv.register_unstructure_hook_factory(is_record, unstructure_record)


def _configure_unions(conv: cattrs.Converter) -> None:
    """Unions of attrs classes that all have a kind."""

    def is_tagged_union(tp: Any) -> bool:
        members = _union_members(tp)
        classes = [m for m in members if m is not type(None)]
        return len(classes) > 1 and all(
            isinstance(m, type) and attrs.has(m) and _kind_of(m) for m in classes
        )

    def structure_union(tp: Any) -> Callable[[Any, Any], Any]:
        members = _union_members(tp)
        by_kind = {_kind_of(m): m for m in members if m is not type(None)}
        optional = type(None) in members
        known = ", ".join(sorted(k for k in by_kind if k))

        def hook(value: Any, _: Any) -> Any:
            if value is None and optional:
                return None
            if not isinstance(value, Mapping):
                raise _bad_type("object", value)
            if KIND_KEY not in value:
                raise ValidationError(
                    "document.missing_kind",
                    field=KIND_KEY,
                    id=f"Kunci 'kind' wajib ada ({known}).",
                    en=f"The key 'kind' is required ({known}).",
                )
            cls = by_kind.get(value[KIND_KEY])
            if cls is None:
                raise ValidationError(
                    "document.unknown_kind",
                    field=KIND_KEY,
                    value=value[KIND_KEY],
                    id=f"'kind' tidak dikenal; pilihan: {known}.",
                    en=f"Unknown 'kind'; expected one of: {known}.",
                )
            return conv.structure(value, cls)

        return hook

    def unstructure_union(tp: Any) -> Callable[[Any], Any]:
        return lambda value: None if value is None else conv.unstructure(value, type(value))

    conv.register_structure_hook_factory(is_tagged_union, structure_union)
    conv.register_unstructure_hook_factory(is_tagged_union, unstructure_union)


def _union_members(tp: Any) -> tuple[Any, ...]:
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        return typing.get_args(tp)
    return ()


def _every_validator_error(
    conv: cattrs.Converter, cls: type, data: Mapping[str, Any], skip: set[str]
) -> list[ValidationError]:
    """Run every validator of ``cls`` on the fields that could be built; collect failures.

    The instance is assembled without ``__init__`` (which stops at the first failure)
    and thrown away; it only serves validators that read other fields. Fields in
    ``skip`` (already reported) are set to ``None`` and not validated.
    """
    hints = _hints(cls)
    instance: Any = object.__new__(cls)
    fields = [f for f in _attrs_fields(cls) if f.init]
    try:
        for field in fields:
            if field.name in skip:
                value = None
            elif field.name in data:
                value = conv.structure(data[field.name], hints[field.name])
                if field.converter is not None and callable(field.converter):
                    value = field.converter(value)
            elif isinstance(default := field.default, _FACTORY):
                factory: Any = default
                value = factory.factory(instance) if factory.takes_self else factory.factory()
            elif field.default is attrs.NOTHING:
                skip = skip | {field.name}
                value = None
            else:
                value = field.default
            object.__setattr__(instance, field.name, value)
    except Exception:
        return []
    errors: list[ValidationError] = []
    for field in fields:
        if field.validator is None or field.name in skip:
            continue
        try:
            field.validator(instance, field, getattr(instance, field.name))
        except ValidationError as err:
            errors.append(err)
        except Exception:
            continue
    return errors


_FACTORY: type = type(attrs.Factory(list))


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


# --------------------------------------------------------------------------------------
# The fast engine: msgspec mirrors and generated loaders and dumpers
# --------------------------------------------------------------------------------------


class _Unsupported(Exception):
    """A type the fast engine does not mirror; the cattrs engine handles it."""


_NATIVE_LEAVES = (str, int, float, bool, type(None), *_TEMPORAL)


class _FastEngine:
    """Builds, per type, a msgspec mirror type plus generated load and dump functions.

    * Decoding: msgspec decodes (or converts) into the mirror, checking JSON types,
      parsing dates and refusing unknown keys in C; the generated loader then calls the
      real constructors, so attrs validators and converters run as usual.
    * Encoding to JSON: a generated function turns a record into a dict "shell" only
      where it holds something msgspec cannot write by itself (identifiers, kind tags);
      records made only of JSON types, dates and enums, and tuples of them, are left
      for msgspec to encode in C. Encoding to dicts: generated functions build the
      final dicts directly (faster than shells copied by ``msgspec.to_builtins``).
    """

    def __init__(
        self,
        scalars: Mapping[type, _Scalar],
        kinds: Callable[[type], str | None],
        interned: Iterable[type] = (),
    ):
        self._scalars = dict(scalars)
        self._interned = set(interned)
        self._kind_of = kinds
        self._ns: dict[str, Any] = {"UNSET": msgspec.UNSET}
        self._counter = itertools.count()
        self._mirrors: dict[type, Any] = {}
        self._loaders: dict[type, str] = {}
        self._dumpers: dict[type, str | None] = {}
        self._builders: dict[type, str] = {}
        self._building: set[type] = set()
        self._doc_decoders: dict[type, tuple[msgspec.json.Decoder[Any], Callable[[Any], Any]]] = {}
        self._doc_dumpers: dict[type, Callable[[Any], Any]] = {}
        self._convert_plans: dict[Any, tuple[Any, Callable[[Any], Any]]] = {}
        self._unsupported: set[Any] = set()
        self._interners: dict[Any, _Interner] = {}

    def _name(self, prefix: str, obj: Any) -> str:
        name = f"_{prefix}{next(self._counter)}"
        self._ns[name] = obj
        return name

    def _var(self) -> str:
        return f"_v{next(self._counter)}"

    # ---- mirror types -------------------------------------------------------------

    def mirror(self, tp: Any) -> Any:
        if tp in self._scalars:
            return self._scalars[tp].wire
        if tp in _NATIVE_LEAVES or (isinstance(tp, type) and issubclass(tp, enum.Enum)):
            return tp
        if isinstance(tp, type) and attrs.has(tp):
            return self._record_mirror(tp)
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is Literal:
            return tp
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return tuple[self.mirror(args[0]), ...]  # type: ignore[misc]
        if origin is list and len(args) == 1:
            return list[self.mirror(args[0])]  # type: ignore[misc]
        if origin in (set, frozenset) and len(args) == 1 and self._set_item(args[0]):
            return origin[self.mirror(args[0])]
        if origin is dict and len(args) == 2 and self._str_key(args[0]):
            return dict[str, self.mirror(args[1])]  # type: ignore[misc]
        if _union_members(tp):
            members = tuple(self.mirror(m) for m in args)
            return typing.Union[members]  # noqa: UP007 - built from a tuple at run time
        raise _Unsupported(tp)

    def _set_item(self, tp: Any) -> bool:
        # Set items must be hashable in their wire form too: JSON scalars and enums.
        scalar = self._scalars.get(tp)
        wire = scalar.wire if scalar is not None else tp
        return wire in (str, int) or (isinstance(wire, type) and issubclass(wire, enum.Enum))

    def _str_key(self, tp: Any) -> bool:
        scalar = self._scalars.get(tp)
        return tp is str or (scalar is not None and scalar.wire is str)

    def _record_mirror(self, cls: type) -> Any:
        if cls in self._mirrors:
            return self._mirrors[cls]
        if cls in self._building:
            raise _Unsupported(cls)  # recursive types stay with cattrs
        self._building.add(cls)
        try:
            struct = self._make_struct(cls, cls.__name__, with_schema=False)
        finally:
            self._building.discard(cls)
        self._mirrors[cls] = struct
        return struct

    def _fields(self, cls: type) -> list[attrs.Attribute[Any]]:
        fields = list(attrs.fields(cls))
        if any(not f.init for f in fields):
            raise _Unsupported(cls)
        return fields

    def _make_struct(self, cls: type, name: str, *, with_schema: bool) -> Any:
        hints = _hints(cls)
        spec: list[tuple[str, Any] | tuple[str, Any, Any]] = []
        rename: dict[str, str] = {}
        for i, field in enumerate(self._fields(cls)):
            if (field.name == SCHEMA_KEY and with_schema) or (
                field.name == KIND_KEY and self._kind_of(cls)
            ):
                raise _Unsupported(cls)  # the key is taken by the document format
            wire = self.mirror(hints[field.name])
            key = f"f{i}"
            rename[key] = field.name
            if field.default is attrs.NOTHING:
                spec.append((key, wire))
            elif _simple_default(field.default):
                spec.append((key, wire, field.default))
            else:
                spec.append((key, wire | msgspec.UnsetType, msgspec.UNSET))
        if with_schema:
            spec.append(("schema_", Literal[SCHEMA_VERSION]))
            rename["schema_"] = SCHEMA_KEY
        kind = self._kind_of(cls)
        return msgspec.defstruct(
            f"Mirror{name}",
            spec,
            frozen=cls in self._interned,
            rename=rename,
            kw_only=True,
            forbid_unknown_fields=True,
            tag_field=KIND_KEY if kind else None,
            tag=kind if kind else None,
            gc=False,
        )

    # ---- loaders (mirror -> real objects) ------------------------------------------

    def load_expr(self, tp: Any, src: str) -> str | None:
        """An expression turning mirror value ``src`` into a real one (None: as is)."""
        if tp in self._scalars:
            scalar = self._scalars[tp]
            if scalar.intern:
                return self._interned_expr(self._interner(tp, scalar.load), src)
            return f"{self._name('load', scalar.load)}({src})"
        if tp in _NATIVE_LEAVES or (isinstance(tp, type) and issubclass(tp, enum.Enum)):
            return None
        if isinstance(tp, type) and attrs.has(tp):
            name = self.loader(tp)
            if tp in self._interned:
                return self._interned_expr(self._interners[tp], src)
            return f"{name}({src})"
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is Literal:
            return None
        if origin in (tuple, list, set, frozenset):
            var = self._var()
            inner = self.load_expr(args[0], var)
            if inner is None:
                return None
            comp = f"[{inner} for {var} in {src}]"
            return comp if origin is list else f"{origin.__name__}({comp})"
        if origin is dict:
            key, var = self._var(), self._var()
            key_expr = self.load_expr(args[0], key)
            value_expr = self.load_expr(args[1], var)
            if key_expr is None and value_expr is None:
                return None
            return f"{{{key_expr or key}: {value_expr or var} for {key}, {var} in {src}.items()}}"
        members = _union_members(tp)
        if members:
            real = [m for m in members if m is not type(None)]
            if len(real) == 1:
                var = self._var()
                inner = self.load_expr(real[0], var)
                if inner is None:
                    return None
                return f"(None if ({var} := {src}) is None else {inner})"
            loaders = [(m, self.load_expr(m, "_x")) for m in real]
            if all(expr is None for _, expr in loaders):
                return None
            table = {self.mirror(m): self._ns[self.loader(m)] for m in real if attrs.has(m)}
            if len(table) != len(real):
                raise _Unsupported(tp)
            dispatch = self._name("union", _union_loader(table))
            return f"{dispatch}({src})"
        raise _Unsupported(tp)

    def loader(self, cls: type) -> str:
        if cls in self._loaders:
            return self._loaders[cls]
        self.mirror(cls)
        name = f"_L{next(self._counter)}"
        self._loaders[cls] = name
        hints = _hints(cls)
        target = self._name("cls", cls)
        fixed: list[tuple[str, str]] = []
        optional: list[str] = []
        for i, field in enumerate(self._fields(cls)):
            src = f"m.f{i}"
            kw = field.alias or field.name
            if field.default is attrs.NOTHING or _simple_default(field.default):
                fixed.append((kw, self.load_expr(hints[field.name], src) or src))
            else:
                var = self._var()
                expr = self.load_expr(hints[field.name], var) or var
                optional.append(
                    f"    if ({var} := {src}) is not UNSET:\n        kw[{kw!r}] = {expr}\n"
                )
        if optional:
            items = ", ".join(f"{kw!r}: {expr}" for kw, expr in fixed)
            body = f"    kw = {{{items}}}\n" + "".join(optional)
            body += f"    return {target}(**kw)\n"
        else:
            body = f"    return {target}({', '.join(f'{kw}={expr}' for kw, expr in fixed)})\n"
        if cls in self._interned:
            # Mirrors of interned classes are frozen Structs: hashable, so the mirror
            # itself is the cache key.
            self._exec(f"def {name}_build(m):\n{body}")
            self._ns[name] = self._interner(cls, self._ns[f"{name}_build"]).load
        else:
            self._exec(f"def {name}(m):\n{body}")
        return name

    def _interner(self, tp: Any, build: Callable[[Any], Any]) -> _Interner:
        interner = self._interners.get(tp)
        if interner is None:
            interner = self._interners[tp] = _Interner(build)
        return interner

    def _interned_expr(self, interner: _Interner, src: str) -> str:
        # The cache lookup is written inline (a C call); only a miss calls Python.
        var = self._var()
        get, miss = self._name("get", interner.cache.get), self._name("miss", interner.miss)
        return f"({get}({var} := {src}) or {miss}({var}))"

    # ---- dumpers (real objects -> JSON-ready shells) ---------------------------------

    def is_native(self, tp: Any) -> bool:
        """Whether msgspec writes ``tp`` exactly as the document format wants."""
        if tp in self._scalars:
            return False
        if tp in _NATIVE_LEAVES or (isinstance(tp, type) and issubclass(tp, enum.Enum)):
            return True
        if isinstance(tp, type) and attrs.has(tp):
            if self._kind_of(tp) or any(not f.init for f in attrs.fields(tp)):
                return False
            hints = _hints(tp)
            return all(self.is_native(hints[f.name]) for f in attrs.fields(tp))
        if typing.get_origin(tp) is Literal:
            return True
        members = _union_members(tp)
        return bool(members) and all(self.is_native(m) for m in members)

    def dump_expr(self, tp: Any, src: str) -> str | None:
        """An expression turning ``src`` into its shell (None: msgspec writes it as is)."""
        if self.is_native(tp):
            return None
        if tp in self._scalars:
            return self._scalar_dump(tp, src)
        if isinstance(tp, type) and attrs.has(tp):
            return f"{self.dumper(tp)}({src})"
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is tuple or origin is list:
            var = self._var()
            inner = self.dump_expr(args[0], var)
            # msgspec writes a tuple of records it knows as a JSON array by itself.
            return None if inner is None else f"[{inner} for {var} in {src}]"
        if origin in (set, frozenset):
            return self._sorted_set(args[0], src, self.dump_expr)
        if origin is dict:
            return self._mapping(args, src, self.dump_expr)
        members = _union_members(tp)
        if members:
            real = [m for m in members if m is not type(None)]
            if len(real) == 1:
                var = self._var()
                inner = self.dump_expr(real[0], var) or var
                return f"(None if ({var} := {src}) is None else {inner})"
            if not all(isinstance(m, type) and attrs.has(m) and self._kind_of(m) for m in real):
                raise _Unsupported(tp)
            table = {m: self._ns[self.dumper(m)] for m in real}
            dispatch = self._name("udump", _union_dumper(table))
            return f"{dispatch}({src})"
        raise _Unsupported(tp)

    def _sorted_set(
        self, item_type: Any, src: str, expr_of: Callable[[Any, str], str | None]
    ) -> str:
        var = self._var()
        inner = expr_of(item_type, var) or var
        order = self._name("order", _set_order)
        return f"sorted([{inner} for {var} in {src}], key={order})"

    def _mapping(
        self, args: tuple[Any, ...], src: str, expr_of: Callable[[Any, str], str | None]
    ) -> str:
        key, var = self._var(), self._var()
        key_expr = expr_of(args[0], key) or key
        value_expr = expr_of(args[1], var) or var
        return f"{{{key_expr}: {value_expr} for {key}, {var} in {src}.items()}}"

    def dumper(self, cls: type, *, with_schema: bool = False) -> str:
        if not with_schema and cls in self._dumpers:
            name = self._dumpers[cls]
            assert name is not None
            return name
        if with_schema and any(f.name == SCHEMA_KEY for f in self._fields(cls)):
            raise _Unsupported(cls)  # the key is taken by the document format
        name = f"_U{next(self._counter)}"
        if not with_schema:
            self._dumpers[cls] = name  # before the body: a recursive type refers to it
        lead = [f"{SCHEMA_KEY!r}: {SCHEMA_VERSION!r}"] if with_schema else []
        self._define(name, cls, self.dump_expr, lead, shell=True)
        return name

    def _scalar_dump(self, tp: Any, src: str) -> str:
        scalar = self._scalars[tp]
        if scalar.attribute is not None:
            return f"{src}.{scalar.attribute}"
        return f"{self._name('dump', scalar.dump)}({src})"

    def _define(
        self,
        name: str,
        cls: type,
        expr_of: Callable[[Any, str], str | None],
        lead: list[str],
        *,
        shell: bool,
    ) -> None:
        """Define ``name(o)`` returning ``cls``'s dict, with nested records inlined."""
        statements: list[str] = []
        display = self._display(cls, "o", expr_of, lead, statements, shell=shell, stack=(cls,))
        self._exec(f"def {name}(o):\n{''.join(statements)}    return {display}\n")

    def _display(
        self,
        cls: type,
        var: str,
        expr_of: Callable[[Any, str], str | None],
        lead: list[str],
        statements: list[str],
        *,
        shell: bool,
        stack: tuple[type, ...],
    ) -> str:
        # Records held directly (not optional, not in a union) are written inline, one
        # level deep: it saves a function call per record.
        hints = _hints(cls)
        items = list(lead)
        kind = self._kind_of(cls)
        if kind:
            items.append(f"{KIND_KEY!r}: {kind!r}")
        for field in self._fields(cls):
            tp = hints[field.name]
            src = f"{var}.{field.name}"
            inline = (
                len(stack) < 2
                and isinstance(tp, type)
                and attrs.has(tp)
                and tp not in self._scalars
                and tp not in stack
                and not (shell and self.is_native(tp))
            )
            if inline:
                sub = self._var()
                statements.append(f"    {sub} = {src}\n")
                self._fields(tp)  # refuses what the fast path does not handle
                expr = self._display(
                    tp, sub, expr_of, [], statements, shell=shell, stack=(*stack, tp)
                )
            else:
                expr = expr_of(tp, src) or src
            items.append(f"{field.name!r}: {expr}")
        return "{" + ", ".join(items) + "}"

    # ---- builders (real objects -> plain builtins, all in Python) --------------------

    def builtin_expr(self, tp: Any, src: str) -> str | None:
        """An expression turning ``src`` into plain builtins (None: it already is one).

        Building the final dicts directly is faster than building shells and letting
        ``msgspec.to_builtins`` copy them.
        """
        if tp in self._scalars:
            return self._scalar_dump(tp, src)
        if tp in (str, int, float, bool, type(None)) or typing.get_origin(tp) is Literal:
            return None
        if tp is dt.date:
            return f"{src}.isoformat()"
        if tp in _TEMPORAL:
            return f"{self._name('temporal', msgspec.to_builtins)}({src})"
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return f"{src}._value_"
        if isinstance(tp, type) and attrs.has(tp):
            return f"{self.builder(tp)}({src})"
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is tuple or origin is list:
            var = self._var()
            inner = self.builtin_expr(args[0], var)
            return f"list({src})" if inner is None else f"[{inner} for {var} in {src}]"
        if origin in (set, frozenset):
            return self._sorted_set(args[0], src, self.builtin_expr)
        if origin is dict:
            return self._mapping(args, src, self.builtin_expr)
        members = _union_members(tp)
        if members:
            real = [m for m in members if m is not type(None)]
            if len(real) == 1:
                var = self._var()
                inner = self.builtin_expr(real[0], var)
                return (
                    None if inner is None else f"(None if ({var} := {src}) is None else {inner})"
                )
            if all(m in (str, int, float, bool) for m in real):
                return None
            if not all(isinstance(m, type) and attrs.has(m) and self._kind_of(m) for m in real):
                raise _Unsupported(tp)
            table = {m: self._ns[self.builder(m)] for m in real}
            return f"{self._name('ubuild', _union_dumper(table))}({src})"
        raise _Unsupported(tp)

    def builder(self, cls: type) -> str:
        if cls in self._builders:
            return self._builders[cls]
        name = f"_B{next(self._counter)}"
        self._builders[cls] = name  # before the body: a recursive type refers to it
        self._define(name, cls, self.builtin_expr, [], shell=False)
        return name

    def _exec(self, source: str) -> None:
        exec(compile(source, f"<umkm_core serialization {source[4:12]}>", "exec"), self._ns)

    # ---- entry points ---------------------------------------------------------------

    def doc_decoder(self, cls: type) -> tuple[msgspec.json.Decoder[Any], Callable[[Any], Any]]:
        plan = self._doc_decoders.get(cls)
        if plan is None:
            if cls in self._unsupported:
                raise _Unsupported(cls)
            try:
                if not (isinstance(cls, type) and attrs.has(cls)) or cls in self._scalars:
                    raise _Unsupported(cls)
                self.mirror(cls)
                doc = self._make_struct(cls, f"{cls.__name__}Document", with_schema=True)
                load = self._ns[self.loader(cls)]
                plan = (msgspec.json.Decoder(doc), load)
            except (_Unsupported, TypeError, NameError) as exc:
                self._forget_unbuilt()
                self._unsupported.add(cls)
                raise _Unsupported(cls) from exc
            self._doc_decoders[cls] = plan
        return plan

    def convert_plan(self, tp: Any) -> tuple[Any, Callable[[Any], Any]]:
        plan = self._convert_plans.get(tp)
        if plan is None:
            if tp in self._unsupported:
                raise _Unsupported(tp)
            try:
                wire = self.mirror(tp)
                expr = self.load_expr(tp, "m")
                if expr is None:
                    load: Callable[[Any], Any] = _identity
                else:
                    name = f"_T{next(self._counter)}"
                    self._exec(f"def {name}(m):\n    return {expr}\n")
                    load = self._ns[name]
                msgspec.convert(None, wire | None)  # fails early on types msgspec refuses
                plan = (wire, load)
            except (_Unsupported, TypeError, NameError) as exc:
                self._forget_unbuilt()
                self._unsupported.add(tp)
                raise _Unsupported(tp) from exc
            self._convert_plans[tp] = plan
        return plan

    def _forget_unbuilt(self) -> None:
        # A failed build may leave names of functions that were never defined.
        for table in (self._loaders, self._dumpers, self._builders):
            for cls in [c for c, name in table.items() if name not in self._ns]:
                del table[cls]

    def _entry(self, table: dict[type, str | None], make: Callable[[type], str], cls: type) -> Any:
        name = table.get(cls)
        if name is None or name not in self._ns:
            if cls in self._unsupported:
                raise _Unsupported(cls)
            try:
                if not (isinstance(cls, type) and attrs.has(cls)) or cls in self._scalars:
                    raise _Unsupported(cls)
                name = make(cls)
            except (_Unsupported, TypeError, NameError) as exc:
                self._forget_unbuilt()
                self._unsupported.add(cls)
                raise _Unsupported(cls) from exc
        return self._ns[name]

    def shell(self, cls: type) -> Callable[[Any], Any]:
        """The function giving ``cls``'s JSON shell (msgspec writes the rest)."""
        fn: Callable[[Any], Any] = self._entry(self._dumpers, self.dumper, cls)
        return fn

    def builtins(self, cls: type) -> Callable[[Any], Any]:
        """The function giving ``cls``'s plain-builtins form."""
        fn: Callable[[Any], Any] = self._entry(
            typing.cast("dict[type, str | None]", self._builders), self.builder, cls
        )
        return fn

    def doc_shell(self, cls: type) -> Callable[[Any], Any]:
        """The function giving ``cls``'s JSON document shell (with the schema)."""
        fn = self._doc_dumpers.get(cls)
        if fn is None:
            self.shell(cls)
            try:
                fn = self._ns[self.dumper(cls, with_schema=True)]
            except (_Unsupported, TypeError, NameError) as exc:
                self._forget_unbuilt()
                raise _Unsupported(cls) from exc
            self._doc_dumpers[cls] = fn
        return fn


def _identity(value: Any) -> Any:
    return value


def _simple_default(value: object) -> bool:
    """Defaults that can be written into a mirror as they are (immutable JSON values)."""
    return (
        value is None
        or type(value) in (bool, int, float, str)
        or isinstance(value, enum.Enum)
        or (type(value) is tuple and not value)
    )


class _Interner:
    """Shares one (immutable) result among equal inputs, for at most INTERN_LIMIT inputs."""

    def __init__(self, build: Callable[[Any], Any]) -> None:
        self.build = build
        self.cache: dict[Any, Any] = {}

    def miss(self, key: Any) -> Any:
        found = self.build(key)
        if len(self.cache) < INTERN_LIMIT:
            self.cache[key] = found
        return found

    def load(self, key: Any) -> Any:
        found = self.cache.get(key)
        return self.miss(key) if found is None else found


def _union_loader(table: dict[type, Callable[[Any], Any]]) -> Callable[[Any], Any]:
    def load(value: Any) -> Any:
        return None if value is None else table[type(value)](value)

    return load


def _union_dumper(table: dict[type, Callable[[Any], Any]]) -> Callable[[Any], Any]:
    def dump(value: Any) -> Any:
        return table[type(value)](value)

    return dump


# --------------------------------------------------------------------------------------
# The public functions
# --------------------------------------------------------------------------------------


class _Engines:
    """The converter and the fast engine in use, with one function per type and job.

    Rebuilt (lazily) after every registration, so that new hooks take effect.
    """

    def __init__(self) -> None:
        self.converter = make_converter()
        self.fast = _FastEngine(_SCALARS, _kind_of, _INTERNED)
        self.dict_writers: dict[type, Callable[[Any], Any]] = {}
        self.doc_writers: dict[type, Callable[[Any], Any]] = {}
        self.dict_readers: dict[Any, Callable[[Any], Any]] = {}
        self.json_readers: dict[Any, Callable[[Any], Any]] = {}
        # Functions are generated on first use of a type; one thread at a time.
        self.lock = threading.RLock()

    def structure_slowly(self, data: Any, tp: Any) -> Any:
        """The cattrs path: the object, or InvalidDocument with every problem."""
        try:
            return self.converter.structure(data, tp)
        except Exception as exc:
            raise _invalid(_collect(exc, "$")) from None

    def from_json_slowly(self, data: Any, tp: Any) -> Any:
        try:
            raw = _PLAIN_DECODER.decode(data)
        except (msgspec.DecodeError, TypeError):
            raise _invalid(
                [
                    _problem(
                        "document.bad_json",
                        "$",
                        id="Dokumen bukan JSON yang sah.",
                        en="The document is not valid JSON.",
                    )
                ]
            ) from None
        if not isinstance(raw, dict):
            raise _invalid([_placed(_bad_type("object", raw), "$")])
        return self.structure_slowly(_check_schema(raw), tp)

    def dict_writer(self, cls: type) -> Callable[[Any], Any]:
        with self.lock:
            return self._dict_writer(cls)

    def _dict_writer(self, cls: type) -> Callable[[Any], Any]:
        try:
            write = self.fast.builtins(cls)
        except _Unsupported:
            converter = self.converter

            def write(obj: Any) -> Any:
                return converter.unstructure(obj, cls)

        self.dict_writers[cls] = write
        return write

    def doc_writer(self, cls: type) -> Callable[[Any], Any]:
        with self.lock:
            return self._doc_writer(cls)

    def _doc_writer(self, cls: type) -> Callable[[Any], Any]:
        try:
            write = self.fast.doc_shell(cls)
        except _Unsupported:
            converter = self.converter

            def write(obj: Any) -> Any:
                body = converter.unstructure(obj, cls)
                if not isinstance(body, dict) or SCHEMA_KEY in body:
                    raise TypeError(f"{cls.__name__} does not make a JSON object document")
                return {SCHEMA_KEY: SCHEMA_VERSION, **body}

        self.doc_writers[cls] = write
        return write

    def dict_reader(self, tp: Any) -> Callable[[Any], Any]:
        with self.lock:
            return self._dict_reader(tp)

    def _dict_reader(self, tp: Any) -> Callable[[Any], Any]:
        slowly = self.structure_slowly
        try:
            wire, load = self.fast.convert_plan(tp)
        except _Unsupported:

            def read(data: Any) -> Any:
                return slowly(data, tp)

        else:
            convert = msgspec.convert

            def read(data: Any) -> Any:
                try:
                    return load(convert(data, wire))
                except Exception:
                    return slowly(data, tp)

        self.dict_readers[tp] = read
        return read

    def json_reader(self, tp: Any) -> Callable[[Any], Any]:
        with self.lock:
            return self._json_reader(tp)

    def _json_reader(self, tp: Any) -> Callable[[Any], Any]:
        slowly = self.from_json_slowly
        try:
            decoder, load = self.fast.doc_decoder(tp)
        except _Unsupported:

            def read(data: Any) -> Any:
                return slowly(data, tp)

        else:
            decode = decoder.decode

            def read(data: Any) -> Any:
                try:
                    return load(decode(data))
                except Exception:
                    return slowly(data, tp)

        self.json_readers[tp] = read
        return read


_ENGINES: _Engines | None = None
_ENCODER = msgspec.json.Encoder()
_encode = _ENCODER.encode
_PLAIN_DECODER = msgspec.json.Decoder()


def _invalidate() -> None:
    global _ENGINES  # noqa: PLW0603 - a cache that registrations must reset
    _ENGINES = None


def _engines() -> _Engines:
    global _ENGINES  # noqa: PLW0603 - built lazily, once
    engines = _ENGINES
    if engines is None:
        with _LOCK:
            engines = _ENGINES = _ENGINES or _Engines()
    return engines


def to_dict(obj: Any) -> Any:
    """Turn a record into JSON-ready builtins (dicts, lists, strings, numbers, None).

    :param obj: an attrs instance of umkm_core or of an extension.
    :returns: a dict without a schema version (embed it in your own document, or use
        :func:`to_json` for a stand-alone document).
    """
    engines = _ENGINES or _engines()
    cls = type(obj)
    write = engines.dict_writers.get(cls) or engines.dict_writer(cls)
    return write(obj)


def from_dict(data: Any, cls: type[T]) -> T:
    """Build a ``cls`` from JSON-ready builtins, strictly.

    :param data: what :func:`to_dict` (or a JSON parser) gave.
    :param cls: the type to build: an attrs class, or a type such as
        ``tuple[Business, ...]``.
    :returns: the validated object.
    :raises InvalidDocument: listing every problem with its JSON path (``$.owner.nik``).
    """
    engines = _ENGINES or _engines()
    read = engines.dict_readers.get(cls) or engines.dict_reader(cls)
    result: T = read(data)
    return result


def to_json(obj: Any) -> bytes:
    """Write one record as a JSON document carrying ``"schema"``.

    :param obj: an attrs instance.
    :returns: UTF-8 JSON bytes: ``"schema"`` (and ``"kind"``) first, then the fields.
    :raises TypeError: when ``obj`` does not turn into a JSON object.
    """
    engines = _ENGINES or _engines()
    cls = type(obj)
    write = engines.doc_writers.get(cls) or engines.doc_writer(cls)
    return _encode(write(obj))


def _document(obj: Any) -> Any:
    engines = _ENGINES or _engines()
    cls = type(obj)
    write = engines.doc_writers.get(cls) or engines.doc_writer(cls)
    return write(obj)


def from_json(data: bytes | str, cls: type[T]) -> T:
    """Read one JSON document written by :func:`to_json`.

    :param data: the JSON text or bytes.
    :param cls: the attrs class the document holds.
    :returns: the validated object.
    :raises InvalidDocument: for broken JSON, a missing or unsupported schema version,
        and every problem in the record, each with its JSON path.
    """
    engines = _ENGINES or _engines()
    read = engines.json_readers.get(cls) or engines.json_reader(cls)
    result: T = read(data)
    return result


def _check_schema(raw: dict[str, Any]) -> dict[str, Any]:
    if SCHEMA_KEY not in raw:
        raise _invalid(
            [
                _problem(
                    "document.missing_schema",
                    f"$.{SCHEMA_KEY}",
                    id=f"Dokumen tidak memuat versi skema ('{SCHEMA_KEY}').",
                    en=f"The document carries no schema version ('{SCHEMA_KEY}').",
                )
            ]
        )
    version = raw[SCHEMA_KEY]
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise _invalid(
            [
                _problem(
                    "document.unsupported_schema",
                    f"$.{SCHEMA_KEY}",
                    value=version,
                    id=f"Versi skema tidak didukung; versi ini membaca {SCHEMA_VERSION}.",
                    en=f"Unsupported schema version; this version reads {SCHEMA_VERSION}.",
                )
            ]
        )
    return {k: v for k, v in raw.items() if k != SCHEMA_KEY}


_FLUSH_BYTES = 1 << 20


def dump_jsonl(iterable: Iterable[Any], fp: IO[bytes] | IO[str]) -> int:
    """Write records as JSON Lines, one :func:`to_json` document per line.

    Memory stays constant: records are taken one at a time from ``iterable`` and
    written in blocks of about a megabyte.

    :param iterable: the records (any iterable, e.g. a generator).
    :param fp: a file opened for writing, in binary (preferred) or text mode.
    :returns: the number of records written.
    """
    text = isinstance(fp, io.TextIOBase)
    buffer = bytearray()
    count = 0
    encode_into = _ENCODER.encode_into
    for obj in iterable:
        encode_into(_document(obj), buffer, -1)
        buffer += b"\n"
        count += 1
        if len(buffer) >= _FLUSH_BYTES:
            _write(fp, buffer, text)
            buffer.clear()
    if buffer:
        _write(fp, buffer, text)
    return count


def _write(fp: IO[bytes] | IO[str], buffer: bytearray, text: bool) -> None:
    if text:
        typing.cast("IO[str]", fp).write(buffer.decode("utf-8"))
    else:
        typing.cast("IO[bytes]", fp).write(bytes(buffer))


def load_jsonl(fp: Iterable[bytes | str], cls: type[T]) -> Iterator[T]:
    """Read records written by :func:`dump_jsonl`, lazily, one line at a time.

    Blank lines are skipped. Memory stays constant however long the file.

    :param fp: a file opened for reading (binary or text), or any iterable of lines.
    :param cls: the attrs class every line holds.
    :returns: an iterator of validated objects.
    :raises InvalidDocument: for the first bad line; its ``field`` is ``"line N"`` and
        its ``errors`` hold every problem of that line with its JSON path.
    """
    for number, line in enumerate(fp, start=1):
        if not line.strip():
            continue
        try:
            yield from_json(line, cls)
        except InvalidDocument as err:
            raise InvalidDocument(err.errors, field=f"line {number}") from None
