"""The reference engine: a private cattrs converter for umkm_core's document format.

:func:`make_converter` builds a new converter for one plugin registry;
:func:`configure_converter` composes umkm_core's hooks into any converter. The
converter refuses unknown keys, is strict about JSON types (``"12"`` is not an int,
``true`` is not a number) and raises cattrs' detailed exception groups whose leaves
are umkm_core ValidationErrors. :func:`writable` says, before anything is written,
whether a type has a document form that reads back exactly.
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import enum
import functools
import inspect
import operator
import types as pytypes
import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal

import attrs
import cattrs
import msgspec
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from umkm_core.adapters.serialization._errors import bad_type, collect, placed, unsupported
from umkm_core.adapters.serialization._types import (
    JSON_TYPES,
    KIND_KEY,
    Catalogue,
    TypeRegistry,
    attrs_fields,
    make_type_registry,
    registry_required,
)
from umkm_core.errors import InvalidDocument, ValidationError
from umkm_core.rules.base import Rule
from umkm_core.rules.registry import rule_from_data

__all__ = [
    "TEMPORAL",
    "concrete_subclasses",
    "configure_converter",
    "hints",
    "is_abstract_record",
    "is_rule",
    "make_converter",
    "set_order",
    "union_members",
    "writable",
]

TEMPORAL = (dt.datetime, dt.date, dt.time)


def make_converter(
    registry: Catalogue | None = None, *, types: TypeRegistry | None = None
) -> cattrs.Converter:
    """Build a new private cattrs converter for umkm_core's document format.

    :param registry: where step kinds and rules are looked up when read (the plugin
        registry); ``None`` refuses documents that hold them.
    :param types: the special types; by default :func:`make_type_registry` of
        ``registry``.
    :returns: a :class:`cattrs.Converter` configured by :func:`configure_converter`.
    """
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    configure_converter(conv, types if types is not None else make_type_registry(registry))
    return conv


def configure_converter(conv: cattrs.Converter, types: TypeRegistry | None = None) -> None:
    """Register umkm_core's hooks on ``conv`` (compose it into your own converter).

    Handles: strict JSON primitives; dates and times as ISO strings; enums by value;
    the scalars of ``types`` (the identifiers, step kinds as their code); rules as
    their programme-file table; tuples and lists (only from JSON arrays); sets
    (written sorted); mappings with string keys; attrs classes with unknown keys
    refused, a ``"kind"`` tag for classes given one, and *every* failing validator
    reported; unions of tagged attrs classes and fields typed by an abstract base
    whose subclasses are tagged.

    :param conv: the converter to configure; it should have ``detailed_validation``.
    :param types: the special types; by default :func:`make_type_registry` (no registry).
    """
    types = types if types is not None else make_type_registry()
    _configure_primitives(conv)
    _configure_temporal(conv)
    _configure_enums(conv)
    _configure_scalars(conv, types)
    _configure_sequences(conv)
    _configure_sets_and_mappings(conv)
    _configure_records(conv, types)
    _configure_rules(conv, types.catalogue)
    _configure_abstract(conv, types)
    _configure_unions(conv, types)


def is_rule(tp: Any) -> bool:
    """Whether ``tp`` is a rule class (rules travel as their programme-file table)."""
    return isinstance(tp, type) and issubclass(tp, Rule)


def is_abstract_record(tp: Any) -> bool:
    """Whether ``tp`` is an abstract attrs base (its values are of tagged subclasses)."""
    return isinstance(tp, type) and attrs.has(tp) and inspect.isabstract(tp) and not is_rule(tp)


def concrete_subclasses(tp: type) -> list[type]:
    """Every concrete subclass of ``tp`` defined so far (``tp`` itself if concrete)."""
    found: list[type] = []
    stack = [tp]
    seen: set[type] = set()
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        if not inspect.isabstract(cls):
            found.append(cls)
        stack.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: c.__qualname__)


def _configure_rules(conv: cattrs.Converter, catalogue: Catalogue | None) -> None:
    """Rules as their programme-file table, rebuilt by the registry's factories."""

    def structure_rule(tp: Any) -> Callable[[Any, Any], Any]:
        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, Mapping):
                raise bad_type("object", value)
            if catalogue is None:
                raise registry_required("rules / aturan")
            try:
                rule = rule_from_data(value, factories=catalogue.rules.values())
            except ValidationError as err:
                raise placed(err, None) from None
            if not isinstance(rule, tp):
                raise ValidationError(
                    "document.wrong_rule",
                    field="rule",
                    value=value.get("rule"),
                    id=f"Aturan di sini harus berjenis {tp.__name__}.",
                    en=f"The rule here must be a {tp.__name__}.",
                )
            return rule

        return hook

    def unstructure_rule(_tp: Any) -> Callable[[Any], Any]:
        def hook(rule: Any) -> Any:
            if catalogue is not None and rule.name not in catalogue.rules:
                # Written, it could never be read back with this registry.
                raise unsupported(
                    type(rule),
                    f"tidak ada pabrik aturan '{rule.name}' di registri",
                    f"no rule factory '{rule.name}' in the registry",
                )
            return rule.to_data()

        return hook

    conv.register_structure_hook_factory(is_rule, structure_rule)
    conv.register_unstructure_hook_factory(is_rule, unstructure_rule)


def _configure_abstract(conv: cattrs.Converter, types: TypeRegistry) -> None:
    """Fields typed by an abstract base: the value's own class, by its kind."""

    def structure_abstract(tp: Any) -> Callable[[Any, Any], Any]:
        def hook(value: Any, _: Any) -> Any:
            by_kind = {types.kind_of(c): c for c in concrete_subclasses(tp)}
            by_kind.pop(None, None)
            return _by_kind(conv, value, by_kind)

        return hook

    def unstructure_abstract(tp: Any) -> Callable[[Any], Any]:
        return lambda value: conv.unstructure(value, type(value))

    conv.register_structure_hook_factory(is_abstract_record, structure_abstract)
    conv.register_unstructure_hook_factory(is_abstract_record, unstructure_abstract)


def _by_kind(conv: cattrs.Converter, value: Any, by_kind: Mapping[Any, type]) -> Any:
    known = ", ".join(sorted(k for k in by_kind if k))
    if not isinstance(value, Mapping):
        raise bad_type("object", value)
    if KIND_KEY not in value:
        raise ValidationError(
            "document.missing_kind",
            field=KIND_KEY,
            id=f"Kunci 'kind' wajib ada ({known}).",
            en=f"The key 'kind' is required ({known}).",
        )
    kind = value[KIND_KEY]
    cls = by_kind.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValidationError(
            "document.unknown_kind",
            field=KIND_KEY,
            value=kind,
            id=f"'kind' tidak dikenal; pilihan: {known}.",
            en=f"Unknown 'kind'; expected one of: {known}.",
        )
    return conv.structure(value, cls)


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
                raise bad_type(tp.__name__, value)
            return value

        return hook

    for tp in JSON_TYPES:
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
        return tp in TEMPORAL

    def structure_temporal(tp: Any) -> Callable[[Any, Any], Any]:
        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, str):
                raise bad_type(f"{tp.__name__} (ISO 8601)", value)
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


def _configure_scalars(conv: cattrs.Converter, types: TypeRegistry) -> None:
    """The types given to :func:`register_scalar`."""

    def is_scalar(tp: Any) -> bool:
        return tp in types.scalars

    def structure_scalar(tp: Any) -> Callable[[Any, Any], Any]:
        load = types.scalars[tp].load

        def hook(value: Any, _: Any) -> Any:
            try:
                return load(value)
            except ValidationError as err:
                # The error names the identifier; its place is the path being built.
                raise placed(err, None) from None

        return hook

    conv.register_structure_hook_factory(is_scalar, structure_scalar)
    conv.register_unstructure_hook_factory(is_scalar, lambda tp: types.scalars[tp].dump)


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
                raise bad_type("array", value)
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

    def is_fixed_tuple(tp: Any) -> bool:
        args = typing.get_args(tp)
        return typing.get_origin(tp) is tuple and bool(args) and Ellipsis not in args

    def structure_fixed(tp: Any) -> Callable[[Any, Any], Any]:
        item_types = typing.get_args(tp)

        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, list | tuple) or len(value) != len(item_types):
                raise bad_type(f"array of {len(item_types)}", value)
            out = []
            errors: list[Exception] = []
            for i, (item, item_type) in enumerate(zip(value, item_types, strict=True)):
                try:
                    out.append(conv.get_structure_hook(item_type)(item, item_type))
                except Exception as exc:
                    exc.add_note(IterableValidationNote(f"index {i}", i, item_type))
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {tp}", errors, tp)
            return tuple(out)

        return hook

    def unstructure_fixed(tp: Any) -> Callable[[Any], Any]:
        hooks = [conv.get_unstructure_hook(t) for t in typing.get_args(tp)]
        return lambda value: [h(v) for h, v in zip(hooks, value, strict=True)]

    conv.register_structure_hook_factory(is_fixed_tuple, structure_fixed)
    conv.register_unstructure_hook_factory(is_fixed_tuple, unstructure_fixed)


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
        return lambda value: sorted((item_hook(item) for item in value), key=set_order)

    conv.register_structure_hook_factory(is_set, structure_set)
    conv.register_unstructure_hook_factory(is_set, unstructure_set)

    def is_mapping(tp: Any) -> bool:
        origin = typing.get_origin(tp)
        return origin in (dict, collections.abc.Mapping) and len(typing.get_args(tp)) == 2

    def structure_mapping(tp: Any) -> Callable[[Any, Any], Any]:
        key_type, value_type = typing.get_args(tp)

        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, dict):
                raise bad_type("object", value)
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


def set_order(item: Any) -> tuple[str, Any]:
    """Sets are written sorted, so that equal sets give equal documents."""
    if isinstance(item, enum.Enum):
        item = item.value  # the JSON shell leaves enums to msgspec; sort by value
    if isinstance(item, dict | list):
        # Records in a set (KBLI codes): ordered by their canonical JSON text.
        return ("record", msgspec.json.encode(item, order="sorted").decode())
    return (type(item).__name__, item)


def _configure_records(conv: cattrs.Converter, types: TypeRegistry) -> None:
    """Records (attrs classes): unknown keys refused, kinds, every failing validator."""

    def is_record(tp: Any) -> bool:
        return isinstance(tp, type) and attrs.has(tp) and tp not in types.scalars

    def structure_record(cls: Any) -> Callable[[Any, Any], Any]:
        build = make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True
        )
        kind = types.kind_of(cls)
        known = {f.name for f in attrs.fields(cls) if f.init}

        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, Mapping):
                raise bad_type("object", value)
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
            errors.extend(collect(ForbiddenExtraKeysError(None, cls, set(extra)), ""))
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
                    errors.extend(collect(sub, note.name))
                failed = {note.name for _, note in noted}
                found = _every_validator_error(conv, cls, value, failed)
                errors.extend(found)
                if not found:
                    for sub in other:
                        errors.extend(collect(sub, ""))
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
        kind = types.kind_of(cls)
        if kind is None:
            return dump
        return lambda value: {KIND_KEY: kind, **dump(value)}

    conv.register_structure_hook_factory(is_record, structure_record)
    conv.register_unstructure_hook_factory(is_record, unstructure_record)


def _configure_unions(conv: cattrs.Converter, types: TypeRegistry) -> None:
    """Unions of attrs classes that all have a kind."""

    def is_tagged_union(tp: Any) -> bool:
        members = union_members(tp)
        classes = [m for m in members if m is not type(None)]
        return len(classes) > 1 and all(
            isinstance(m, type) and attrs.has(m) and types.kind_of(m) for m in classes
        )

    def structure_union(tp: Any) -> Callable[[Any, Any], Any]:
        members = union_members(tp)
        by_kind = {types.kind_of(m): m for m in members if m is not type(None)}
        optional = type(None) in members
        known = ", ".join(sorted(k for k in by_kind if k))

        def hook(value: Any, _: Any) -> Any:
            if value is None and optional:
                return None
            if not isinstance(value, Mapping):
                raise bad_type("object", value)
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


def union_members(tp: Any) -> tuple[Any, ...]:
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is pytypes.UnionType:
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
    found_hints = hints(cls)
    instance: Any = object.__new__(cls)
    fields = [f for f in attrs_fields(cls) if f.init]
    try:
        for field in fields:
            if field.name in skip:
                value = None
            elif field.name in data:
                value = conv.structure(data[field.name], found_hints[field.name])
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
def hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)
