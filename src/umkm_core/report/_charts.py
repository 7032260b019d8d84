"""Bar charts drawn by matplotlib as SVG, made fit to sit inline in one HTML file.

matplotlib writes a standalone SVG document: an XML declaration, a DOCTYPE naming the
W3C DTD, RDF metadata with links, a global ``*`` style and ids such as ``patch_1`` that
every chart repeats. Inline in HTML none of that is needed, and the links and clashing
ids would be wrong, so :func:`inline_svg` strips them, prefixes every id with the
chart's own, and adds a ``<title>`` and ``role="img"`` for screen readers. Each bar is
a ``<g class="mark">``, which the browser test counts.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from typing import Any

import attrs

__all__ = ["Series", "bar_chart", "inline_svg"]

#: Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")

_XML_HEADER = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_STYLE = re.compile(r"\s*<style[^>]*>.*?</style>", re.DOTALL)
_NAMESPACES = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')
_SIZE = re.compile(r'<svg([^>]*?)\swidth="[^"]*"\s+height="[^"]*"')
_ID = re.compile(r'\bid="([^"]+)"')
_REFERENCE = re.compile(r'(url\(#|href="#)([^)"]+)')
_MARK = re.compile(r'<g id="([^"]*-mark-\d+)"')


@attrs.frozen(kw_only=True)
class Series:
    """One series of bars: a legend label and one value per category."""

    label: str
    values: tuple[float, ...]


def inline_svg(svg: str, chart_id: str, title: str) -> str:
    """Matplotlib's SVG document, cleaned for inline use in HTML (see the module doc).

    :param svg: the SVG text matplotlib wrote.
    :param chart_id: a prefix unique in the page, also the ``id`` of the ``<svg>``.
    :param title: the accessible title.
    :returns: an ``<svg>`` element.
    """
    from html import escape  # noqa: PLC0415 - only here

    text = _XML_HEADER.sub("", svg)
    text = _METADATA.sub("", text)
    text = _STYLE.sub("", text)
    text = _NAMESPACES.sub("", text)
    text = text.replace("xlink:href=", "href=")
    text = _ID.sub(lambda m: f'id="{chart_id}-{m.group(1)}"', text)
    text = _REFERENCE.sub(lambda m: f"{m.group(1)}{chart_id}-{m.group(2)}", text)
    text = _MARK.sub(lambda m: f'<g class="mark" id="{m.group(1)}"', text)
    text = _SIZE.sub(
        lambda m: (
            f'<svg{m.group(1)} id="{chart_id}" class="chart" role="img" '
            f'aria-labelledby="{chart_id}-title"'
        ),
        text,
        count=1,
    )
    return text.replace(">", f'><title id="{chart_id}-title">{escape(title)}</title>', 1).strip()


def bar_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    value_label: str,
    format_value: Callable[[float], str],
    stacked: bool = False,
    reference: float | None = None,
    reference_label: str | None = None,
    percent_axis: bool = False,
) -> str:
    """A horizontal bar chart (grouped, or stacked) as an inline ``<svg>``.

    :param chart_id: unique in the page; bars get ids ``{chart_id}-mark-N``.
    :param title: the chart's title (drawn and given to screen readers).
    :param categories: one row of bars per category, top to bottom.
    :param series: the series; one bar per category and series.
    :param value_label: the label of the value axis.
    :param format_value: writes a value on its bar and on the axis.
    :param stacked: stack the series instead of grouping them.
    :param reference: draw a dashed vertical line at this value.
    :param reference_label: its legend label.
    :param percent_axis: the value axis runs from 0 to 1.
    :returns: the ``<svg>`` element.
    """
    import matplotlib as mpl  # noqa: PLC0415 - optional dependency ("report" extra)
    from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415
    from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: PLC0415

    rows = max(len(categories), 1)
    per_row = 1 if stacked else max(len(series), 1)
    height = 1.2 + 0.26 * rows * per_row + (0.3 if len(series) > 1 else 0.0)
    style: dict[Any, Any] = {
        "svg.fonttype": "none",
        "svg.hashsalt": "umkm-core",
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with mpl.rc_context(style):
        figure = Figure(figsize=(7.0, height), layout="constrained")
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        positions = list(range(rows))
        band = 0.8 / per_row
        left = [0.0] * rows
        mark = 0
        largest = 0.0
        for s_index, one in enumerate(series):
            offsets = (
                positions if stacked else [p - 0.4 + band * (s_index + 0.5) for p in positions]
            )
            bars = axes.barh(
                offsets,
                list(one.values),
                height=band * 0.92,
                left=left if stacked else None,
                color=PALETTE[s_index % len(PALETTE)],
                label=one.label,
            )
            for bar in bars:
                bar.set_gid(f"mark-{mark}")
                mark += 1
            if not stacked or s_index == len(series) - 1:
                totals = (
                    [a + b for a, b in zip(left, one.values, strict=True)]
                    if stacked
                    else list(one.values)
                )
                largest = max([largest, *totals])
                if not stacked:
                    axes.bar_label(bars, labels=[format_value(v) for v in one.values], padding=2)
                else:
                    for y, total in zip(positions, totals, strict=True):
                        axes.annotate(
                            format_value(total),
                            (total, y),
                            xytext=(2, 0),
                            textcoords="offset points",
                            va="center",
                        )
            if stacked:
                left = [a + b for a, b in zip(left, one.values, strict=True)]
        if reference is not None:
            axes.axvline(
                reference, color="#444444", linestyle="--", linewidth=1, label=reference_label
            )
        axes.set_yticks(positions, list(categories))
        axes.invert_yaxis()
        axes.set_xlabel(value_label)
        axes.set_title(title, loc="left", fontsize=10, fontweight="bold")
        axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_value(v)))
        if percent_axis:
            axes.set_xlim(0, 1.12)
        else:
            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
            axes.set_xlim(0, max(largest, 1) * 1.15)
        if len(series) > 1 or (reference is not None and reference_label):
            # Below the plot, outside it: never over a bar or the title.
            figure.legend(
                loc="outside lower center",
                ncols=len(series) + (reference is not None),
                frameon=False,
                fontsize=8,
            )
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return inline_svg(buffer.getvalue(), chart_id, title)
