"""The special types one converter knows: scalars, kind tags, interned classes, lookups.

A :class:`TypeRegistry` is an immutable value built by :func:`make_type_registry` for
one plugin registry (or none): nothing here is filled at import time, so a document
is written the same way whatever modules happened to be imported first. Step kinds
travel as their ``code`` and are looked up, when read, in the registry's ``steps``;
rules travel as their programme-file table and are rebuilt with the registry's
``rules``. Without a registry, documents holding either are written but not read
(``document.registry_required``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

import attrs

from umkm_core.errors import ValidationError
from umkm_core.followup.kinds import StepKind
from umkm_core.model.identifiers import KBLI, NIB, NIK, NPWP, PIRTNumber, RegionCode
from umkm_core.rules.base import RuleFactory

__all__ = [
    "INTERN_LIMIT",
    "JSON_TYPES",
    "KIND_KEY",
    "SCHEMA_KEY",
    "SCHEMA_VERSION",
    "Catalogue",
    "Scalar",
    "TypeRegistry",
    "attrs_fields",
    "make_type_registry",
    "registry_required",
]

T = TypeVar("T")

#: The version of the document format this library writes and reads.
SCHEMA_VERSION = 1
#: The top-level key that carries :data:`SCHEMA_VERSION` in every JSON document.
SCHEMA_KEY = "schema"
#: The key that carries a class's stable tag (see :meth:`TypeRegistry.with_kind`).
KIND_KEY = "kind"
#: At most this many distinct values of one type are shared (bounded memory).
INTERN_LIMIT = 4096
#: The JSON types a scalar may travel as.
JSON_TYPES: tuple[type, ...] = (str, int, float, bool)


class Catalogue(Protocol):
    """What reading needs from a plugin registry (:class:`umkm_core.Registry` is one).

    ``steps``: the step kinds by code; ``rules``: the rule factories by name.
    """

    @property
    def steps(self) -> Mapping[str, StepKind]:
        """The step kinds by code."""
        ...  # pragma: no cover - a protocol

    @property
    def rules(self) -> Mapping[str, RuleFactory]:
        """The rule factories by name."""
        ...  # pragma: no cover - a protocol


@attrs.frozen
class Scalar:
    """A value type that travels as a single JSON value.

    :param cls: the value type.
    :param wire: the JSON type of its wire form.
    :param load: builds the value from its wire form.
    :param dump: gives the wire form of a value.
    :param intern: share one instance among equal values read by the fast path.
    :param attribute: when the dump is an attribute, its name (read by generated code).
    """

    cls: type
    wire: type
    load: Callable[[Any], Any]
    dump: Callable[[Any], Any]
    intern: bool = False
    attribute: str | None = None


def attrs_fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    """The attrs fields of ``cls`` (empty for other classes)."""
    # attrs.fields() is typed for attrs classes only; every caller has checked.
    found: tuple[attrs.Attribute[Any], ...] = getattr(cls, "__attrs_attrs__", ())
    return found


def registry_required(what: str) -> ValidationError:
    """A document holding ``what`` (step kinds, rules) read without a registry."""
    return ValidationError(
        "document.registry_required",
        id=f"Membaca {what} memerlukan registri plugin (load_registry()).",
        en=f"Reading {what} needs a plugin registry (load_registry()).",
    )


@attrs.frozen(eq=False)
class TypeRegistry:
    """The special types of one converter. Immutable: ``with_*`` return a new registry.

    :param scalars: value types that travel as one JSON value, by type.
    :param kinds: stable ``"kind"`` tags, by class (a class may instead declare
        ``__umkm_kind__: ClassVar[str]``, which keeps the domain free of this module).
    :param interned: frozen classes whose equal values share one instance when read.
    :param catalogue: where step kinds and rules are looked up when read; ``None``
        refuses documents that hold them.
    """

    scalars: Mapping[type, Scalar] = attrs.field(factory=dict)
    kinds: Mapping[type, str] = attrs.field(factory=dict)
    interned: frozenset[type] = frozenset()
    catalogue: Catalogue | None = None

    def kind_of(self, cls: type) -> str | None:
        """The tag of ``cls``: registered, or its own ``__umkm_kind__``; else ``None``."""
        kind = self.kinds.get(cls)
        if kind is None:
            declared = cls.__dict__.get("__umkm_kind__") if isinstance(cls, type) else None
            kind = declared if isinstance(declared, str) else None
        return kind

    def with_scalar(
        self,
        cls: type[T],
        *,
        load: Callable[[Any], T],
        dump: Callable[[T], Any] | str,
        wire: type = str,
        intern: bool = False,
    ) -> TypeRegistry:
        """A registry where ``cls`` travels as a single JSON value (a string by default).

        Use it for value types stored as one string, as umkm_core does for its
        identifiers: ``types.with_scalar(NIK, load=NIK, dump="value")``.

        :param cls: the value type.
        :param load: builds the value from its wire form; should be the type's strict
            constructor and raise :class:`~umkm_core.ValidationError` for bad input.
        :param dump: gives the wire form of a value; or the name of the attribute that
            holds it (read directly by the generated code, which is faster).
        :param wire: the JSON type of the wire form (``str``, ``int``, ``float``, ``bool``).
        :param intern: share one instance among equal values read by the fast path (for
            immutable types with few distinct values, such as region codes; never for
            personal data such as NIKs, which would then linger in a cache).
        :returns: the new registry.
        :raises TypeError: when ``wire`` is not a JSON type.
        """
        if wire not in JSON_TYPES:
            raise TypeError(f"wire={wire!r} must be one of str, int, float, bool")
        attribute = dump if isinstance(dump, str) else None
        dumper = operator.attrgetter(dump) if isinstance(dump, str) else dump
        scalars = {**self.scalars, cls: Scalar(cls, wire, load, dumper, intern, attribute)}
        return attrs.evolve(self, scalars=scalars)

    def with_kind(self, cls: type, kind: str) -> TypeRegistry:
        """A registry where ``cls`` carries the tag ``kind`` under ``"kind"``.

        Unions of attrs classes (``Wave | Session``) and fields typed by an abstract base
        can only be read back when every member has a kind. The tag, not the class
        name, is what files keep, so a class can be renamed without breaking them.

        :param cls: an attrs class without a field named ``kind``.
        :param kind: the tag, e.g. ``"wave"``; unique among the registry's classes.
        :returns: the new registry.
        :raises TypeError: when ``cls`` is not an attrs class, has a ``kind`` field, or the
            tag is already taken by another class.
        """
        if not attrs_fields(cls):
            raise TypeError(f"{cls!r} is not an attrs class")
        if any(a.name == KIND_KEY for a in attrs_fields(cls)):
            raise TypeError(f"{cls.__name__} has a field named {KIND_KEY!r}; it cannot be tagged")
        for other, other_kind in self.kinds.items():
            if other_kind == kind and other is not cls:
                raise TypeError(f"kind {kind!r} is already used by {other.__qualname__}")
        return attrs.evolve(self, kinds={**self.kinds, cls: kind})

    def with_interned(self, cls: type) -> TypeRegistry:
        """A registry where equal values of ``cls`` read by the fast path share one instance.

        For small immutable value classes that repeat across a register (a KBLI code):
        building an attrs instance runs its validators, and a register of a million
        businesses holds only a few hundred distinct KBLI codes. At most
        :data:`INTERN_LIMIT` values per class are kept. Never use it for personal data.

        :param cls: a frozen attrs class with value equality and a hash.
        :returns: the new registry.
        :raises TypeError: when instances of ``cls`` are not immutable, hashable values.
        """
        params = getattr(cls, "__attrs_attrs__", None)
        if params is None or getattr(cls, "__hash__", None) is None:
            raise TypeError(f"{cls!r} is not a hashable attrs class")
        if cls.__setattr__ is object.__setattr__:  # type: ignore[comparison-overlap]
            raise TypeError(f"{cls!r} is not frozen")
        return attrs.evolve(self, interned=self.interned | {cls})


def _step_loader(catalogue: Catalogue | None) -> Callable[[Any], StepKind]:
    def load(code: Any) -> StepKind:
        if catalogue is None:
            raise registry_required("step kinds / jenis langkah")
        steps = catalogue.steps
        kind = steps.get(code) if isinstance(code, str) else None
        if kind is None:
            names = ", ".join(sorted(steps)) or "-"
            raise ValidationError(
                "step.unknown",
                value=code,
                id=f"Jenis langkah '{code}' tidak dikenal (tersedia: {names}).",
                en=f"Unknown step kind '{code}' (available: {names}).",
            )
        return kind

    return load


def make_type_registry(registry: Catalogue | None = None) -> TypeRegistry:
    """The types umkm_core's document format knows, reading lookups from ``registry``.

    Identifiers travel as their compact digits and come back through their strict
    constructors (docs/decisions/0010-document-format.md); KBLI codes and region codes
    are interned; step kinds travel as their code, looked up in ``registry.steps``;
    rules as their programme-file table, rebuilt with ``registry.rules``.

    :param registry: the plugin registry (:func:`umkm_core.load_registry`), or any
        object with ``steps`` and ``rules`` mappings; ``None``: documents holding step
        kinds or rules are written but refused when read.
    :returns: a new, immutable registry of types.
    """
    types = TypeRegistry(catalogue=registry)
    for ident in (NIB, NIK, NPWP, PIRTNumber, RegionCode):
        types = types.with_scalar(ident, load=ident, dump="value", intern=ident is RegionCode)
    types = types.with_scalar(StepKind, load=_step_loader(registry), dump="code")
    return types.with_interned(KBLI)
