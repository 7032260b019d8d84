"""The kit itself: its fixtures come through pytest's entry point, and it catches bad plugins."""

from __future__ import annotations

import csv
import importlib.metadata
import io
import subprocess
import sys
from collections.abc import Iterator
from typing import IO, Any

import attrs
import pytest
from hypothesis import Phase, settings

from umkm_core import Exporter, ExportOptions, PluginHost, Registry, Table, Text, hookimpl
from umkm_core.adapters.tables import restore_formula
from umkm_core.testing import ExporterContract


def test_the_fixtures_are_registered_through_the_pytest11_entry_point() -> None:
    found = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="pytest11")}
    assert found["umkm_core"] == "umkm_core.testing.fixtures"


def test_the_fixtures_plugin_loads_without_hypothesis() -> None:
    code = "import sys, umkm_core.testing.fixtures; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_registry_fixture_holds_only_the_builtins(umkm_registry: Registry) -> None:
    assert {p.source for p in umkm_registry.plugins} == {"builtin"}
    assert umkm_registry.problems == ()


def test_the_host_fixture_holds_only_the_builtins(umkm_plugin_host: PluginHost) -> None:
    names = sorted(name for name, _ in umkm_plugin_host.pm.list_name_plugin())
    assert names == [
        "umkm_core.exporters",
        "umkm_core.importers",
        "umkm_core.kbli",
        "umkm_core.regions",
        "umkm_core.rules",
        "umkm_core.sectors",
        "umkm_core.steps",
    ]


def write_unsafe_csv(table: Table, stream: IO[bytes], options: ExportOptions) -> None:
    # Undoes the host's protection: exactly what the contract must catch.
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    writer = csv.writer(text)
    for row in table.rows:
        writer.writerow([restore_formula(v) if isinstance(v, str) else v for v in row])
    text.flush()
    text.detach()


class UnsafePlugin:
    @hookimpl
    def umkm_exporters(self) -> Iterator[Exporter]:
        yield Exporter(
            code="unsafe-csv",
            name=Text(id="Tidak aman", en="Unsafe"),
            extension=".csv",
            media_type="text/csv",
            write=write_unsafe_csv,
            spreadsheet=True,
        )


class UnsafeExporterContract(ExporterContract):
    plugins = (UnsafePlugin(),)
    exporter_code = "unsafe-csv"


@pytest.fixture
def no_shrinking() -> Iterator[None]:
    # Finding the failure is the point here; shrinking it would only cost time.
    previous = settings.default
    settings.register_profile("kit-self-test", parent=previous, phases=[Phase.generate])
    settings.load_profile("kit-self-test")
    yield
    settings.register_profile("kit-self-test-restore", parent=previous)
    settings.load_profile("kit-self-test-restore")


@pytest.mark.usefixtures("no_shrinking")
def test_the_exporter_contract_catches_an_exporter_that_writes_formulas() -> None:
    with pytest.raises(AssertionError):
        UnsafeExporterContract().test_exporter_never_writes_a_formula_cell()


def test_the_exporter_contract_passes_the_unsafe_exporter_on_what_it_does_right() -> None:
    UnsafeExporterContract().test_exporter_handles_any_table()


# --- exporters that look right and are not: the kit reads back what they wrote ---------


def _csv_writer(stream: IO[bytes]) -> tuple[io.TextIOWrapper, Any]:
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    return text, csv.writer(text)


def write_first_row_only(table: Table, stream: IO[bytes], options: ExportOptions) -> None:
    text, writer = _csv_writer(stream)
    writer.writerow([c.header(options.header_lang) for c in table.columns])
    for number, row in enumerate(table.rows):  # pulls every row, as the host counts
        if number == 0:
            writer.writerow(["" if v is None else v for v in row])
    text.flush()
    text.detach()


def write_collected(table: Table, stream: IO[bytes], options: ExportOptions) -> None:
    rows = list(table.rows)  # the documented "never collect"
    text, writer = _csv_writer(stream)
    writer.writerow([c.header(options.header_lang) for c in table.columns])
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    text.flush()
    text.detach()


def write_none_as_text(table: Table, stream: IO[bytes], options: ExportOptions) -> None:
    text, writer = _csv_writer(stream)
    writer.writerow([c.header(options.header_lang) for c in table.columns])
    for row in table.rows:
        writer.writerow([str(v) for v in row])  # an empty cell becomes "None"
    text.flush()
    text.detach()


def write_ascii_only(table: Table, stream: IO[bytes], options: ExportOptions) -> None:
    text = io.TextIOWrapper(stream, encoding="ascii", errors="replace", newline="")
    writer = csv.writer(text)
    writer.writerow([c.header(options.header_lang) for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if v is None else v for v in row])  # "Kafé" becomes "Kaf?"
    text.flush()
    text.detach()


class BrokenExporters:
    @hookimpl
    def umkm_exporters(self) -> Iterator[Exporter]:
        for code, write in (
            ("first-row-only", write_first_row_only),
            ("collected", write_collected),
            ("none-as-text", write_none_as_text),
            ("ascii-only", write_ascii_only),
        ):
            yield Exporter(
                code=code,
                name=Text(id=code, en=code),
                extension=".csv",
                media_type="text/csv",
                write=write,
            )


class BrokenContract(ExporterContract):
    plugins = (BrokenExporters(),)


class FirstRowOnly(BrokenContract):
    exporter_code = "first-row-only"


class Collected(BrokenContract):
    exporter_code = "collected"


class NoneAsText(BrokenContract):
    exporter_code = "none-as-text"


class AsciiOnly(BrokenContract):
    exporter_code = "ascii-only"


@pytest.mark.parametrize("suite", [FirstRowOnly, NoneAsText, AsciiOnly])
def test_the_exporter_contract_reads_back_every_cell_and_catches_a_lossy_exporter(
    suite: type[ExporterContract],
) -> None:
    suite().test_exporter_handles_any_table()  # what the kit checked before: it passes
    with pytest.raises(AssertionError):
        suite().test_exporter_writes_every_row_and_every_cell_as_given()


def test_the_exporter_contract_catches_an_exporter_that_collects_every_row() -> None:
    Collected().test_exporter_handles_any_table()
    Collected().test_exporter_writes_every_row_and_every_cell_as_given()  # right output
    with pytest.raises(AssertionError, match="collects rows"):
        Collected().test_exporter_streams_rows_without_collecting_them()


def test_a_one_way_format_must_say_how_to_read_its_files_back() -> None:
    class Markdownish(BrokenContract):
        exporter_code = "first-row-only"

        def exporter(self) -> Exporter:
            return attrs.evolve(super().exporter(), extension=".md")

    with pytest.raises(NotImplementedError, match="read_back"):
        Markdownish().test_exporter_writes_every_row_and_every_cell_as_given()
