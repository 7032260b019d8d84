"""Writing a table in every registered format, so that one broken plugin spoils nothing.

Each exporter runs on its own: a format whose plugin fails is reported with the plugin's
name and the error, and every other format is still written (each file whole or not at
all).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from umkm_core.adapters.exchange import Exporter, ExportOptions, export_table
from umkm_core.adapters.tables import Table
from umkm_core.errors import UmkmError
from umkm_core.text import Lang, Text

if TYPE_CHECKING:
    from umkm_core._plugins import Registry

__all__ = ["ExportFailure", "ExportSummary", "export_everywhere", "plugin_of"]


@attrs.frozen(kw_only=True)
class ExportFailure:
    """A format that could not be written.

    :param format: the exporter's code.
    :param plugin: the plugin that registered it.
    :param path: the file that was not written.
    :param code: the error's code (``exporter.failed`` for an error that is not ours).
    :param text: what went wrong, in both languages.
    """

    format: str
    plugin: str
    path: Path
    code: str
    text: Text


@attrs.frozen(kw_only=True)
class ExportSummary:
    """What :func:`export_everywhere` wrote, and what it could not."""

    written: tuple[Path, ...]
    failed: tuple[ExportFailure, ...] = ()


def plugin_of(registry: Registry, hook: str, code: str) -> str:
    """The name of the plugin that registered ``code`` through ``hook``."""
    for info in registry.plugins:
        if code in info.registered.get(hook, ()):
            return info.name
    return "?"


def export_everywhere(
    registry: Registry,
    make_table: Callable[[], Table],
    folder: str | Path,
    stem: str,
    *,
    lang: Lang = "id",
    options: ExportOptions | None = None,
) -> ExportSummary:
    """Write a table once per registered export format: ``folder/stem.<extension>``.

    :param make_table: builds the table (called once per format).
    :param options: export options (default: ``;`` for Excel with Indonesian settings,
        titles in ``lang``).
    :returns: the files written and the formats that failed, each naming its plugin.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    options = options or ExportOptions(lang=lang, delimiter=";")
    written: list[Path] = []
    failed: list[ExportFailure] = []
    exporter: Exporter
    for code, exporter in sorted(registry.exporters.items()):
        path = folder / f"{stem}{exporter.extension}"
        if path in written:  # two formats share an extension: keep both apart
            path = folder / f"{stem}.{code}{exporter.extension}"
        try:
            export_table(make_table(), path, exporter, options=options)
        except UmkmError as error:
            failed.append(ExportFailure(
                format=code, plugin=plugin_of(registry, "umkm_exporters", code), path=path,
                code=error.code, text=Text(error.message("id"), error.message("en")),
            ))  # fmt: skip
        except Exception as error:
            name = type(error).__name__
            failed.append(ExportFailure(
                format=code, plugin=plugin_of(registry, "umkm_exporters", code), path=path,
                code="exporter.failed",
                text=Text(f"Plugin ekspor gagal ({name}).", f"The export plugin failed ({name})."),
            ))  # fmt: skip
        else:
            written.append(path)
    return ExportSummary(written=tuple(written), failed=tuple(failed))
