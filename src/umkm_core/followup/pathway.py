"""Pathways: the order in which an office walks a sector's businesses through steps.

A :class:`Pathway` is a directed acyclic graph of :class:`StepKind` for one sector:
food goes packaging -> PKP -> PIRT -> halal -> trademark, fashion goes packaging ->
trademark. An edge ``(a, b)`` means "b comes after a": b is offered only once a is
granted and still valid (or waived). A pathway that names an unknown step or has a
cycle is refused with a :class:`PathwayError` naming the steps concerned.

>>> from umkm_core.followup.catalogue import FASHION_PATHWAY
>>> [k.code for k in FASHION_PATHWAY.order]
['packaging', 'trademark']
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from umkm_core.errors import ValidationError
from umkm_core.followup.kinds import StepKind
from umkm_core.model._validators import as_tuple, instance_of, non_blank, tuple_of
from umkm_core.text import Text

__all__ = ["Pathway", "PathwayError"]


class PathwayError(ValidationError):
    """A pathway that is not a valid DAG of known steps.

    Codes: ``pathway.unknown_step`` (an edge or a prerequisite names a step the pathway
    does not hold), ``pathway.cycle`` (the steps on a cycle), ``pathway.duplicate_step``.
    ``steps`` names the steps concerned.
    """

    default_code = "pathway.invalid"

    def __init__(
        self,
        code: str,
        *,
        steps: Sequence[str],
        id: str,
        en: str,
        field: str | None = None,
    ) -> None:
        self.steps: tuple[str, ...] = tuple(steps)
        super().__init__(code, id=id, en=en, field=field, value=self.steps)


def _as_edges(value: object) -> object:
    if isinstance(value, list | tuple):
        return tuple(tuple(e) if isinstance(e, list) else e for e in value)
    return value


def _check_edges(instance: Pathway, attribute: attrs.Attribute[Any], value: object) -> None:
    ok = isinstance(value, tuple) and all(
        isinstance(e, tuple) and len(e) == 2 and all(isinstance(s, str) for s in e) for e in value
    )
    if not ok:
        raise ValidationError(
            "pathway.bad_edges",
            field=attribute.name,
            value=value,
            id="'edges' harus berupa pasangan kode langkah (sebelum, sesudah).",
            en="'edges' must be pairs of step codes (before, after).",
        )


def _find_cycle(codes: Sequence[str], edges: Iterable[tuple[str, str]]) -> list[str] | None:
    """Return the steps of one cycle, in order, or ``None`` for a DAG."""
    after: dict[str, list[str]] = {c: [] for c in codes}
    for a, b in edges:
        after[a].append(b)
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(codes, white)
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = grey
        stack.append(node)
        for nxt in after[node]:
            if colour[nxt] == grey:
                return [*stack[stack.index(nxt) :], nxt]
            if colour[nxt] == white and (found := visit(nxt)) is not None:
                return found
        stack.pop()
        colour[node] = black
        return None

    for code in codes:
        if colour[code] == white and (found := visit(code)) is not None:
            return found
    return None


@attrs.frozen(kw_only=True)
class Pathway:
    """A DAG of step kinds for a sector.

    :param code: a stable code (``"food"``).
    :param name: the name in both languages.
    :param sector: the sector code it serves (``"kuliner"``).
    :param steps: the step kinds, in the order they are listed to staff.
    :param edges: ``(before, after)`` pairs of step codes.
    :raises PathwayError: for duplicate or unknown steps and for cycles.
    """

    code: str = attrs.field(validator=non_blank)
    name: Text = attrs.field(validator=instance_of(Text))
    sector: str = attrs.field(validator=non_blank)
    steps: tuple[StepKind, ...] = attrs.field(converter=as_tuple, validator=tuple_of(StepKind))
    edges: tuple[tuple[str, str], ...] = attrs.field(
        default=(), converter=_as_edges, validator=_check_edges
    )

    @edges.validator
    def _check_graph(
        self, attribute: attrs.Attribute[tuple[tuple[str, str], ...]], value: Any
    ) -> None:
        codes = [k.code for k in self.steps]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            names = ", ".join(duplicates)
            raise PathwayError(
                "pathway.duplicate_step",
                steps=duplicates,
                field="steps",
                id=f"Langkah muncul lebih dari sekali di jalur '{self.code}': {names}.",
                en=f"Steps listed more than once in pathway '{self.code}': {names}.",
            )
        known = set(codes)
        unknown = sorted({s for edge in value for s in edge if s not in known})
        unknown_req = sorted({r for k in self.steps for r in k.requires if r not in known})
        missing = sorted(set(unknown) | set(unknown_req))
        if missing:
            names = ", ".join(missing)
            raise PathwayError(
                "pathway.unknown_step",
                steps=missing,
                field="edges" if unknown else "steps",
                id=f"Jalur '{self.code}' menyebut langkah yang tidak ada di dalamnya: {names}.",
                en=f"Pathway '{self.code}' names steps it does not hold: {names}.",
            )
        cycle = _find_cycle(codes, [*value, *self._requirement_edges()])
        if cycle is not None:
            names = " -> ".join(cycle)
            raise PathwayError(
                "pathway.cycle",
                steps=cycle[:-1],
                field=attribute.name,
                id=f"Jalur '{self.code}' berputar: {names}.",
                en=f"Pathway '{self.code}' has a cycle: {names}.",
            )

    def _requirement_edges(self) -> list[tuple[str, str]]:
        return [(r, k.code) for k in self.steps for r in k.requires]

    @classmethod
    def chain(cls, *, code: str, name: Text, sector: str, steps: Sequence[StepKind]) -> Pathway:
        """A pathway that takes ``steps`` one after the other.

        :param code: the pathway's code.
        :param name: its name.
        :param sector: the sector it serves.
        :param steps: the steps in order.
        :returns: the pathway.
        :raises PathwayError: for duplicate steps or unknown prerequisites.
        """
        codes = [k.code for k in steps]
        return cls(
            code=code,
            name=name,
            sector=sector,
            steps=tuple(steps),
            edges=tuple(itertools.pairwise(codes)),
        )

    def kind(self, code: str) -> StepKind:
        """The step kind ``code`` of this pathway.

        :raises PathwayError: ``pathway.unknown_step`` when the pathway lacks it.
        """
        for kind in self.steps:
            if kind.code == code:
                return kind
        raise PathwayError(
            "pathway.unknown_step",
            steps=[code],
            field="step",
            id=f"Langkah '{code}' tidak ada di jalur '{self.code}'.",
            en=f"Step '{code}' is not in pathway '{self.code}'.",
        )

    def predecessors(self, code: str) -> tuple[str, ...]:
        """The steps that come directly before ``code`` (edges only, not requirements)."""
        return tuple(a for a, b in self.edges if b == code)

    def prerequisites(self, code: str) -> tuple[str, ...]:
        """Everything that must be satisfied before ``code``: predecessors and requirements."""
        kind = self.kind(code)
        seen = dict.fromkeys((*self.predecessors(code), *kind.requires))
        return tuple(seen)

    def ancestors(self, code: str) -> tuple[str, ...]:
        """Every step that comes before ``code``, directly or not, in pathway order."""
        found: set[str] = set()
        todo = list(self.prerequisites(code))
        while todo:
            step = todo.pop()
            if step not in found:
                found.add(step)
                todo.extend(self.prerequisites(step))
        return tuple(k.code for k in self.order if k.code in found)

    @property
    def order(self) -> tuple[StepKind, ...]:
        """The steps in a topological order; ties keep the order of ``steps``."""
        pending = list(self.steps)
        done: list[StepKind] = []
        placed: set[str] = set()
        while pending:
            for kind in pending:
                if all(p in placed for p in self.prerequisites(kind.code)):
                    done.append(kind)
                    placed.add(kind.code)
                    pending.remove(kind)
                    break
        return tuple(done)
