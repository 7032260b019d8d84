"""The Tangerang roster file read by the CSV importer plugin and imported as businesses.

The real file (``examples/tangerang-2017/roster.csv``: UTF-8 with BOM, ``;`` delimited,
10,555 coached businesses plus damaged rows) goes through the registry's importer, then
:func:`umkm_core.adapters.roster.import_roster`, with the sectors the registry knows.
"""

from __future__ import annotations

import pathlib

import pytest

import umkm_kriya.plugin
from umkm_core import ImportedRow, Registry, load_registry, read_rows
from umkm_core.adapters.roster import ImportReport, import_roster

ROSTER = pathlib.Path(__file__).resolve().parents[2] / "examples" / "tangerang-2017" / "roster.csv"


def import_with(registry: Registry) -> tuple[int, ImportReport]:
    results = list(read_rows(ROSTER, registry.importer_for(ROSTER)))
    rows = [(r.row, r.values) for r in results if isinstance(r, ImportedRow)]
    assert len(rows) == len(results)  # no row of this file is unreadable as CSV
    return len(rows), import_roster(
        rows, office_id="dinkop-kota-tangerang", sectors=registry.sectors
    )


@pytest.fixture(scope="module")
def builtins_only() -> tuple[int, ImportReport]:
    return import_with(load_registry(autoload=False))


def test_every_roster_row_is_imported_or_refused_with_its_reasons(
    builtins_only: tuple[int, ImportReport],
) -> None:
    read, report = builtins_only
    assert read == report.rows_read == report.imported + report.refused_count
    assert all(refused.problems for refused in report.refused)


def test_craft_businesses_are_imported_once_the_kriya_plugin_is_registered(
    builtins_only: tuple[int, ImportReport],
) -> None:
    _, without = builtins_only
    _, with_kriya = import_with(load_registry(plugins=[umkm_kriya.plugin], autoload=False))
    crafts = sum(b.sector == "kriya" for b in with_kriya.businesses)
    assert crafts > 0
    assert with_kriya.imported == without.imported + crafts
