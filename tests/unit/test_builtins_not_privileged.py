"""Built-ins are plugins like any other: block one and its codes are gone everywhere."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from umkm_core import InvalidDocument, ValidationError, load_registry
from umkm_core.adapters.program_file import program_from_toml
from umkm_core.rules import rule_from_data

SRC = Path(__file__).resolve().parents[2] / "src"

PROGRAMME = """
[program]
id = "p"
title = "Pelatihan"
office_id = "dinkopukm-3671"
year = 2017
kind = "training"

[[waves]]
number = 1
sector = "kuliner"
start = 2017-12-19
end = 2017-12-20
seats = 80

[[rules]]
rule = "has_nib"
"""


def test_a_registry_without_the_builtin_rules_plugin_does_not_know_has_nib() -> None:
    registry = load_registry(autoload=False, blocklist=["umkm_core.rules"])
    assert "has_nib" not in registry.rules
    with pytest.raises(ValidationError) as info:
        registry.rule_from_data({"rule": "has_nib"})
    assert info.value.code == "rule.unknown"


def test_a_programme_file_cannot_name_a_rule_of_a_blocked_builtin_plugin() -> None:
    registry = load_registry(autoload=False, blocklist=["umkm_core.rules"])
    with pytest.raises(InvalidDocument) as info:
        program_from_toml(PROGRAMME, factories=registry.rules.values())
    assert [(e.field, e.code) for e in info.value.errors] == [("rules[0].rule", "rule.unknown")]


def test_given_factories_are_the_whole_vocabulary_of_rules() -> None:
    with pytest.raises(ValidationError) as info:
        rule_from_data({"rule": "has_nib"}, factories=())
    assert info.value.code == "rule.unknown"


def test_without_factories_the_builtin_rules_apply() -> None:
    assert rule_from_data({"rule": "has_nib"}).name == "has_nib"
    program = program_from_toml(PROGRAMME)
    assert [r.name for r in program.rules] == ["has_nib"]


def _imports_of(package: Path) -> dict[str, set[str]]:
    """Every umkm_core module each file of ``package`` imports, lazily or not."""
    found: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[path.relative_to(SRC).as_posix()] = {n for n in names if n.startswith("umkm_core")}
    return found


@pytest.mark.parametrize(
    ("package", "above"),
    [
        ("model", ("umkm_core.rules", "umkm_core.allocation", "umkm_core.followup")),
        ("rules", ("umkm_core.allocation",)),
    ],
)
def test_the_domain_never_imports_a_layer_above_it(package: str, above: tuple[str, ...]) -> None:
    # program.py once imported rules.base lazily (a cycle) and rules.base imported
    # allocation: the model's own Rule base and Application end both.
    upward = {
        module: sorted(n for n in names if n.startswith(above))
        for module, names in _imports_of(SRC / "umkm_core" / package).items()
        if any(n.startswith(above) for n in names)
    }
    assert upward == {}
