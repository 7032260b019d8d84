"""The kit for plugin authors: pytest fixtures and contract suites.

Installing umkm-core registers :mod:`umkm_core.testing.fixtures` as a pytest plugin
(entry point ``pytest11``), so these fixtures are available in any test suite:

- ``umkm_plugin_host``: a :class:`~umkm_core.PluginHost` holding only the built-ins;
- ``umkm_registry``: the :class:`~umkm_core.Registry` of the built-ins only;
- ``umkm_register_plugin``: ``umkm_register_plugin(my_plugin)`` returns a registry of
  the built-ins plus ``my_plugin``, for one test.

The contract suites (need ``umkm-core[hypothesis]``) check a plugin the way umkm_core
checks its own built-ins. Subclass one per record your plugin registers::

    from umkm_core.testing import ExporterContract, SectorContract
    import umkm_kriya.plugin

    class TestKriyaSector(SectorContract):
        plugins = (umkm_kriya.plugin,)
        sector_code = "kriya"

    class TestMarkdownExport(ExporterContract):
        plugins = (umkm_kriya.plugin,)
        exporter_code = "kriya-md"
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from umkm_core.testing.contracts import (
        Contract,
        ExporterContract,
        ImporterContract,
        KbliCodeListContract,
        PathwayContract,
        RuleContract,
        SectorContract,
        StepContract,
        csv_cells,
        is_formula_text,
        xlsx_cells,
    )

__all__ = [
    "Contract",
    "ExporterContract",
    "ImporterContract",
    "KbliCodeListContract",
    "PathwayContract",
    "RuleContract",
    "SectorContract",
    "StepContract",
    "csv_cells",
    "is_formula_text",
    "xlsx_cells",
]


def __getattr__(name: str) -> Any:
    # The contracts import Hypothesis; the fixtures module (loaded by pytest in every
    # project that installs umkm-core) must not, so the import waits until it is used.
    if name in __all__:
        from umkm_core.testing import contracts  # noqa: PLC0415

        return getattr(contracts, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
