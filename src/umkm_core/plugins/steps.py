"""Built-in follow-up steps and pathways: the catalogue of :mod:`umkm_core.followup`.

Packaging, PKP, PIRT, halal, trademark and BPOM MD, and the food and fashion pathways
planned for the reference story's follow-up (packaging, then halal, then the trademark).
"""

from __future__ import annotations

from collections.abc import Iterator

from umkm_core import BUILTIN_PATHWAYS, BUILTIN_STEP_KINDS, Pathway, StepKind, hookimpl

__all__ = ["umkm_certification_steps", "umkm_pathways"]


@hookimpl
def umkm_certification_steps() -> Iterator[StepKind]:
    """The built-in step kinds."""
    yield from BUILTIN_STEP_KINDS


@hookimpl
def umkm_pathways() -> Iterator[Pathway]:
    """The built-in pathways."""
    yield from BUILTIN_PATHWAYS
