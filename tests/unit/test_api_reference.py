"""The public API is one list: every public name has an entry in docs/api.rst.

A public name is one in ``umkm_core.__all__`` or in the ``__all__`` of a documented
public module (the packages programs import from, and every module the reference
documents). An entry is an ``auto*`` directive naming it, or an ``automodule`` (with
members) whose ``__all__`` holds the same object.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
API = (ROOT / "docs" / "api.rst").read_text(encoding="utf-8")

#: Modules whose names programs are told to import (the top package and its public
#: namespaces); every module the reference documents is public too.
PUBLIC_MODULES = [
    "umkm_core",
    "umkm_core.adapters.serialization",
    "umkm_core.allocation",
    "umkm_core.followup",
    "umkm_core.model",
    "umkm_core.rules",
    "umkm_core.strategies",
    "umkm_core.testing",
]

_DIRECTIVE = re.compile(
    r"^\.\. auto(module|class|function|data|exception)::\s*(\S+)\n((?:   :.*\n)*)", re.M
)


def _directives() -> list[tuple[str, str, bool]]:
    """(kind, target, with_members) for every autodoc directive of the reference."""
    return [
        (kind, target, ":no-members:" not in options)
        for kind, target, options in _DIRECTIVE.findall(API)
    ]


def _documented_modules() -> list[str]:
    return [target for kind, target, members in _directives() if kind == "module" and members]


def _exports(module: ModuleType) -> list[str]:
    return [n for n in getattr(module, "__all__", ()) if not n.startswith("__")]


def _rendered(module: ModuleType, name: str) -> bool:
    """Whether autodoc shows ``name`` of ``module`` (it skips data without a ``#:``)."""
    obj = getattr(module, name)
    if inspect.isclass(obj) or inspect.isroutine(obj):
        return bool(inspect.getdoc(obj))
    source = inspect.getsource(module)
    return re.search(rf"^#:.*\n(?:#:.*\n)*{re.escape(name)}\b", source, re.M) is not None


def _entries() -> list[tuple[str, object]]:
    """What the reference documents: (dotted name, object)."""
    found: list[tuple[str, object]] = []
    for kind, target, _members in _directives():
        if kind == "module":
            continue
        module_name, _, attr = target.rpartition(".")
        found.append((target, getattr(importlib.import_module(module_name), attr)))
    for module_name in _documented_modules():
        module = importlib.import_module(module_name)
        found.extend(
            (f"{module_name}.{n}", getattr(module, n))
            for n in _exports(module)
            if _rendered(module, n)
        )
    return found


ENTRIES = _entries()


def _public_names() -> list[str]:
    names: set[str] = set()
    for module_name in PUBLIC_MODULES + _documented_modules():
        module = importlib.import_module(module_name)
        names.update(f"{module_name}.{n}" for n in _exports(module))
    return sorted(names)


def _has_entry(dotted: str) -> bool:
    module_name, _, name = dotted.rpartition(".")
    obj = getattr(importlib.import_module(module_name), name)
    for entry, documented in ENTRIES:
        if entry == dotted:
            return True
        if entry.rpartition(".")[2] == name and documented is obj:
            return True
    return False


@pytest.mark.parametrize("dotted", _public_names())
def test_every_public_name_has_an_entry_in_the_api_reference(dotted: str) -> None:
    assert _has_entry(dotted), f"{dotted} is public but docs/api.rst has no entry for it"


def test_every_documented_module_declares_its_public_names() -> None:
    missing = [m for m in _documented_modules() if not _exports(importlib.import_module(m))]
    assert missing == []


def test_the_names_the_reference_once_lacked_are_documented() -> None:
    for name in ("allocate", "Program", "Wave", "Enrollments", "FirstComeFirstServed"):
        assert _has_entry(f"umkm_core.{name}")
    assert "umkm_core.adapters.serialization" in _documented_modules()
