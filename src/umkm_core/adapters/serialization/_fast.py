"""The fast engine: msgspec mirrors plus generated loaders and dumpers, per type.

For every attrs class it builds a mirror ``msgspec.Struct`` (which refuses unknown
keys and checks JSON types in C) and a generated loader that calls the class's own
constructor, so attrs validators and converters run as usual. Types it cannot mirror
(rules, abstract bases, recursive types, mappings that are not dicts) are left to the
cattrs converter; a property test holds the two engines to the same results.

This module is longer than 500 lines on purpose: it is one code generator whose
mirror, loader, dumper and builder passes share one namespace and one set of caches;
split, each part would reach into the others' private state.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import typing
from collections.abc import Callable
from typing import Any, Literal

import attrs
import msgspec

from umkm_core.adapters.serialization._converter import (
    TEMPORAL,
    is_abstract_record,
    is_rule,
    set_order,
    union_members,
)
from umkm_core.adapters.serialization._converter import (
    hints as type_hints,
)
from umkm_core.adapters.serialization._types import (
    INTERN_LIMIT,
    KIND_KEY,
    SCHEMA_KEY,
    SCHEMA_VERSION,
    TypeRegistry,
)

__all__ = ["FastEngine", "Unsupported"]


class Unsupported(Exception):
    """A type the fast engine does not mirror; the cattrs engine handles it."""


_NATIVE_LEAVES = (str, int, float, bool, type(None), *TEMPORAL)


class FastEngine:
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

    def __init__(self, types: TypeRegistry) -> None:
        self._scalars = dict(types.scalars)
        self._interned = set(types.interned)
        self._kind_of = types.kind_of
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

    def _opaque(self, cls: Any) -> bool:
        """Whether ``cls`` is not a record this engine writes (the converter does)."""
        return (
            not (isinstance(cls, type) and attrs.has(cls))
            or cls in self._scalars
            or is_rule(cls)
            or is_abstract_record(cls)
        )

    def _name(self, prefix: str, obj: Any) -> str:
        name = f"_{prefix}{next(self._counter)}"
        self._ns[name] = obj
        return name

    def _var(self) -> str:
        return f"_v{next(self._counter)}"

    # ---- mirror types -------------------------------------------------------------

    def mirror(self, tp: Any) -> Any:
        if is_rule(tp) or is_abstract_record(tp):
            raise Unsupported(tp)  # rules and abstract bases stay with cattrs
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
        if union_members(tp):
            members = tuple(self.mirror(m) for m in args)
            return typing.Union[members]  # noqa: UP007 - built from a tuple at run time
        raise Unsupported(tp)

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
            raise Unsupported(cls)  # recursive types stay with cattrs
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
            raise Unsupported(cls)
        return fields

    def _make_struct(self, cls: type, name: str, *, with_schema: bool) -> Any:
        hints = type_hints(cls)
        spec: list[tuple[str, Any] | tuple[str, Any, Any]] = []
        rename: dict[str, str] = {}
        for i, field in enumerate(self._fields(cls)):
            if (field.name == SCHEMA_KEY and with_schema) or (
                field.name == KIND_KEY and self._kind_of(cls)
            ):
                raise Unsupported(cls)  # the key is taken by the document format
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
        if is_rule(tp) or is_abstract_record(tp):
            raise Unsupported(tp)
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
        members = union_members(tp)
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
                raise Unsupported(tp)
            dispatch = self._name("union", _union_loader(table))
            return f"{dispatch}({src})"
        raise Unsupported(tp)

    def loader(self, cls: type) -> str:
        if cls in self._loaders:
            return self._loaders[cls]
        self.mirror(cls)
        name = f"_L{next(self._counter)}"
        self._loaders[cls] = name
        hints = type_hints(cls)
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
        if tp in self._scalars or is_rule(tp) or is_abstract_record(tp):
            return False
        if tp in _NATIVE_LEAVES or (isinstance(tp, type) and issubclass(tp, enum.Enum)):
            return True
        if isinstance(tp, type) and attrs.has(tp):
            if self._kind_of(tp) or any(not f.init for f in attrs.fields(tp)):
                return False
            hints = type_hints(tp)
            return all(self.is_native(hints[f.name]) for f in attrs.fields(tp))
        if typing.get_origin(tp) is Literal:
            return True
        members = union_members(tp)
        return bool(members) and all(self.is_native(m) for m in members)

    def dump_expr(self, tp: Any, src: str) -> str | None:
        """An expression turning ``src`` into its shell (None: msgspec writes it as is)."""
        if self.is_native(tp):
            return None
        if is_rule(tp) or is_abstract_record(tp):
            raise Unsupported(tp)
        if tp in self._scalars:
            return self._scalar_dump(tp, src)
        if isinstance(tp, type) and attrs.has(tp):
            return f"{self.dumper(tp)}({src})"
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            raise Unsupported(tp)  # fixed-length tuples stay with cattrs
        if origin is tuple or origin is list:
            var = self._var()
            inner = self.dump_expr(args[0], var)
            # msgspec writes a tuple of records it knows as a JSON array by itself.
            return None if inner is None else f"[{inner} for {var} in {src}]"
        if origin in (set, frozenset):
            return self._sorted_set(args[0], src, self.dump_expr)
        if origin is dict:
            return self._mapping(args, src, self.dump_expr)
        members = union_members(tp)
        if members:
            real = [m for m in members if m is not type(None)]
            if len(real) == 1:
                var = self._var()
                inner = self.dump_expr(real[0], var) or var
                return f"(None if ({var} := {src}) is None else {inner})"
            if not all(isinstance(m, type) and attrs.has(m) and self._kind_of(m) for m in real):
                raise Unsupported(tp)
            table = {m: self._ns[self.dumper(m)] for m in real}
            dispatch = self._name("udump", _union_dumper(table))
            return f"{dispatch}({src})"
        raise Unsupported(tp)

    def _sorted_set(
        self, item_type: Any, src: str, expr_of: Callable[[Any, str], str | None]
    ) -> str:
        var = self._var()
        inner = expr_of(item_type, var) or var
        order = self._name("order", set_order)
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
            raise Unsupported(cls)  # the key is taken by the document format
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
        hints = type_hints(cls)
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
                and not self._opaque(tp)
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
        if is_rule(tp) or is_abstract_record(tp):
            raise Unsupported(tp)
        if tp in self._scalars:
            return self._scalar_dump(tp, src)
        if tp in (str, int, float, bool, type(None)) or typing.get_origin(tp) is Literal:
            return None
        if tp is dt.date:
            return f"{src}.isoformat()"
        if tp in TEMPORAL:
            return f"{self._name('temporal', msgspec.to_builtins)}({src})"
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return f"{src}._value_"
        if isinstance(tp, type) and attrs.has(tp):
            return f"{self.builder(tp)}({src})"
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            raise Unsupported(tp)  # fixed-length tuples stay with cattrs
        if origin is tuple or origin is list:
            var = self._var()
            inner = self.builtin_expr(args[0], var)
            return f"list({src})" if inner is None else f"[{inner} for {var} in {src}]"
        if origin in (set, frozenset):
            return self._sorted_set(args[0], src, self.builtin_expr)
        if origin is dict:
            return self._mapping(args, src, self.builtin_expr)
        members = union_members(tp)
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
                raise Unsupported(tp)
            table = {m: self._ns[self.builder(m)] for m in real}
            return f"{self._name('ubuild', _union_dumper(table))}({src})"
        raise Unsupported(tp)

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
                raise Unsupported(cls)
            try:
                if self._opaque(cls):
                    raise Unsupported(cls)
                self.mirror(cls)
                doc = self._make_struct(cls, f"{cls.__name__}Document", with_schema=True)
                load = self._ns[self.loader(cls)]
                plan = (msgspec.json.Decoder(doc), load)
            except (Unsupported, TypeError, NameError) as exc:
                self._forget_unbuilt()
                self._unsupported.add(cls)
                raise Unsupported(cls) from exc
            self._doc_decoders[cls] = plan
        return plan

    def convert_plan(self, tp: Any) -> tuple[Any, Callable[[Any], Any]]:
        plan = self._convert_plans.get(tp)
        if plan is None:
            if tp in self._unsupported:
                raise Unsupported(tp)
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
            except (Unsupported, TypeError, NameError) as exc:
                self._forget_unbuilt()
                self._unsupported.add(tp)
                raise Unsupported(tp) from exc
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
                raise Unsupported(cls)
            try:
                if self._opaque(cls):
                    raise Unsupported(cls)
                name = make(cls)
            except (Unsupported, TypeError, NameError) as exc:
                self._forget_unbuilt()
                self._unsupported.add(cls)
                raise Unsupported(cls) from exc
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
            except (Unsupported, TypeError, NameError) as exc:
                self._forget_unbuilt()
                raise Unsupported(cls) from exc
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
