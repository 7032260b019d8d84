"""Sphinx configuration: Markdown pages through MyST, API reference through autodoc.

The build is strict (``make docs`` passes ``-W --keep-going``): a warning fails it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

project = "umkm_core"
author = "umkm_core developers"
copyright = "2026, umkm_core developers"  # noqa: A001 - Sphinx's name

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3


autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}

html_theme = "alabaster"
html_title = "umkm_core"


# Pages written by other parts of the project (the hook reference ``hooks.md``, the kriya
# plugin tutorial) join the "Plugins and more" toctree of the index when they exist. A
# glob would do the same but warns (and so fails the strict build) while none exists.
_SENTINEL = "%extra-pages%"


def _extra_pages() -> list[str]:
    here = Path(__file__).resolve().parent
    # Pages the index already lists on a line of their own stay where they are.
    index = (here / "index.md").read_text(encoding="utf-8")
    listed = {line.strip() for line in index.splitlines()} | {"index"}
    pages = [p.stem for p in here.glob("*.md") if p.stem not in listed]
    # The hook reference first, then the rest by name.
    return sorted(pages, key=lambda name: (name != "hooks", name))


def _fill_extra_pages(_app: object, docname: str, source: list[str]) -> None:
    if docname == "index":
        source[0] = source[0].replace(_SENTINEL, "\n".join(_extra_pages()))


def setup(app: Any) -> None:
    """Register the hook that lists plugin pages in the index."""
    app.connect("source-read", _fill_extra_pages)
