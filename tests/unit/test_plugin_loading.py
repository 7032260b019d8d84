"""Loading plugins: order, isolation of broken plugins, clashes, blocklists, the listing."""

from __future__ import annotations

import importlib.metadata
import sys
import textwrap
import types
from collections.abc import Iterator
from pathlib import Path

import pluggy
import pytest

import umkm_core
from umkm_core import (
    KBLI,
    PluginError,
    Sector,
    Text,
    ValidationError,
    _plugins,
    hookimpl,
    load_registry,
)


def sector(code: str, **kw: object) -> Sector:
    return Sector(code=code, name=Text(id=code, en=code), kbli=frozenset({KBLI("32903")}), **kw)  # type: ignore[arg-type]


def plugin(name: str, *sectors: Sector) -> types.ModuleType:
    module = types.ModuleType(name)

    @hookimpl
    def umkm_sectors() -> Iterator[Sector]:
        yield from sectors

    module.umkm_sectors = umkm_sectors  # type: ignore[attr-defined]
    return module


@pytest.fixture
def entry_points(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[dict[str, str]]:
    """Fake installed distributions: entry-point name -> module source."""
    sources: dict[str, str] = {}
    monkeypatch.syspath_prepend(str(tmp_path))

    def fake(*, group: str) -> list[importlib.metadata.EntryPoint]:
        assert group == "umkm_core"
        for name, source in sources.items():
            (tmp_path / f"fake_{name}.py").write_text(textwrap.dedent(source))
        return [
            importlib.metadata.EntryPoint(name=name, value=f"fake_{name}", group=group)
            for name in sources
        ]

    monkeypatch.setattr(importlib.metadata, "entry_points", fake)
    yield sources
    for name in sources:
        sys.modules.pop(f"fake_{name}", None)


GOOD_PLUGIN = """
    from umkm_core import KBLI, Sector, Text, hookimpl

    @hookimpl
    def umkm_sectors():
        yield Sector(code="kriya", name=Text(id="Kriya", en="Crafts"),
                     kbli=frozenset({KBLI("32903")}), nice_classes=frozenset({20}))
"""


def test_builtins_are_registered_as_ordinary_plugins() -> None:
    registry = load_registry(autoload=False)
    builtins = {p.name: p for p in registry.plugins if p.source == "builtin"}
    assert sorted(builtins) == sorted(_plugins.BUILTIN_PLUGINS)
    assert all(p.status == "active" and p.distribution == "umkm-core" for p in builtins.values())
    assert builtins["umkm_core.sectors"].registered == {
        "umkm_sectors": ("fesyen", "jasa", "kuliner", "perdagangan")
    }


def test_no_plugin_manager_exists_at_import_time() -> None:
    for module in (umkm_core, _plugins, umkm_core.hookspecs):
        assert not [v for v in vars(module).values() if isinstance(v, pluggy.PluginManager)]


def test_each_load_builds_a_fresh_registry() -> None:
    assert load_registry(autoload=False) is not load_registry(autoload=False)


def test_hooks_are_called_once_per_load() -> None:
    calls: list[str] = []

    class Counting:
        @hookimpl
        def umkm_sectors(self) -> Iterator[Sector]:
            calls.append("sectors")
            yield sector("kriya")

    load_registry(plugins=[Counting()], autoload=False)
    assert calls == ["sectors"]


def test_registry_is_sorted_by_code_and_cannot_be_changed() -> None:
    registry = load_registry(plugins=[plugin("p", sector("zzz"), sector("aaa"))], autoload=False)
    assert list(registry.sectors) == sorted(registry.sectors)
    with pytest.raises(TypeError):
        registry.sectors["new"] = sector("new")  # type: ignore[index]
    with pytest.raises(AttributeError):
        registry.sectors = {}  # type: ignore[misc]


def test_two_plugins_registering_the_same_code_raise_naming_both() -> None:
    with pytest.raises(PluginError) as caught:
        load_registry(
            plugins=[plugin("first", sector("kriya")), plugin("second", sector("kriya"))],
            autoload=False,
        )
    assert caught.value.code == "plugin.duplicate_code"
    assert "'kriya' by first, second" in caught.value.message("en")


def test_every_clash_of_every_kind_is_reported_at_once() -> None:
    twins = [
        plugin("first", sector("kriya"), sector("tenun")),
        plugin("second", sector("kriya"), sector("tenun")),
    ]
    with pytest.raises(PluginError) as caught:
        load_registry(plugins=twins, autoload=False)
    message = caught.value.message("en")
    assert "sector 'kriya' by first, second" in message
    assert "sector 'tenun' by first, second" in message


def test_a_diagnostic_registry_lists_every_plugin_and_marks_each_clash() -> None:
    twins = [plugin("first", sector("kriya")), plugin("second", sector("kriya"))]
    registry = load_registry(plugins=twins, autoload=False, strict=False)
    assert "kriya" not in registry.sectors
    assert "kuliner" in registry.sectors
    assert {"first", "second"} <= {p.name for p in registry.plugins}
    clashes = [p for p in registry.problems if p.code == "plugin.duplicate_code"]
    assert sorted(p.plugin for p in clashes) == ["first", "second"]
    assert all("'kriya'" in p.reason for p in clashes)


def test_a_plugin_clashing_with_a_builtin_names_the_builtin_too() -> None:
    with pytest.raises(PluginError, match=r"'kuliner' by copycat, umkm_core\.sectors"):
        load_registry(plugins=[plugin("copycat", sector("kuliner"))], autoload=False)


def test_blocking_the_builtin_lets_a_replacement_register_the_code() -> None:
    registry = load_registry(
        plugins=[plugin("better_food", sector("kuliner"))],
        blocklist=["umkm_core.sectors"],
        autoload=False,
    )
    assert registry.sector("kuliner").name.en == "kuliner"
    blocked = {p.name: p.status for p in registry.plugins}
    assert blocked["umkm_core.sectors"] == "blocked"
    # The food pathway serves a sector that is still registered; fashion's is gone.
    assert "fashion" not in registry.pathways
    assert [p.code for p in registry.problems] == ["plugin.bad_reference"]


def test_a_plugin_returning_junk_is_reported_and_the_others_load() -> None:
    class Junk:
        @hookimpl
        def umkm_sectors(self) -> object:
            return ["not a sector"]

    class Raising:
        @hookimpl
        def umkm_sectors(self) -> Iterator[Sector]:
            yield sector("half")
            raise RuntimeError("database down")

    class NotIterable:
        @hookimpl
        def umkm_sectors(self) -> object:
            return None

    registry = load_registry(
        plugins=[Junk(), Raising(), NotIterable(), plugin("good", sector("kriya"))],
        autoload=False,
    )
    assert list(registry.sectors) == ["fesyen", "jasa", "kriya", "kuliner", "perdagangan"]
    reasons = sorted(p.reason for p in registry.problems)
    assert reasons == [
        "RuntimeError: database down",
        "TypeError: returned NoneType, not an iterable",
        "returned str, expected Sector",
    ]
    assert {p.stage for p in registry.problems} == {"hook"}
    assert {p.hook for p in registry.problems} == {"umkm_sectors"}


def test_a_plugin_registering_a_code_twice_is_left_out() -> None:
    registry = load_registry(
        plugins=[plugin("twice", sector("kriya"), sector("kriya"))], autoload=False
    )
    assert "kriya" not in registry.sectors
    assert registry.problems[0].reason == "registered kriya more than once"


def test_a_plugin_with_an_unknown_hook_is_left_out_and_reported() -> None:
    class Typo:
        @hookimpl
        def umkm_sector(self) -> Iterator[Sector]:
            yield sector("kriya")

    registry = load_registry(plugins=[Typo()], autoload=False)
    (problem,) = registry.problems
    assert (problem.stage, problem.code) == ("check", "plugin.unknown_hook")
    assert "umkm_sector" in problem.reason
    assert "kriya" not in registry.sectors


def test_a_plugin_with_a_wrong_hook_signature_is_reported() -> None:
    class WrongArguments:
        @hookimpl
        def umkm_sectors(self, office: str) -> Iterator[Sector]:
            yield sector("kriya")

    registry = load_registry(plugins=[WrongArguments()], autoload=False)
    (problem,) = registry.problems
    assert (problem.stage, problem.code) == ("register", "plugin.invalid_hook")


def test_a_pathway_for_an_unregistered_sector_is_left_out() -> None:
    from umkm_core import BUILTIN_STEP_KINDS, Pathway

    class Orphan:
        @hookimpl
        def umkm_pathways(self) -> Iterator[Pathway]:
            yield Pathway.chain(
                code="nowhere",
                name=Text(id="x", en="x"),
                sector="perikanan",
                steps=BUILTIN_STEP_KINDS[:1],
            )

    registry = load_registry(plugins=[Orphan()], autoload=False)
    assert "nowhere" not in registry.pathways
    assert "perikanan" in registry.problems[0].reason


def test_a_sector_naming_an_unknown_default_pathway_is_left_out() -> None:
    registry = load_registry(
        plugins=[plugin("p", sector("kriya", default_pathways=("crafts",)))], autoload=False
    )
    assert "kriya" not in registry.sectors
    assert registry.problems[0].reason == (
        "sector 'kriya' names default pathways nobody registered: crafts"
    )


def test_entry_point_plugins_are_loaded_with_their_name(entry_points: dict[str, str]) -> None:
    entry_points["kriya"] = GOOD_PLUGIN
    registry = load_registry()
    assert "kriya" in registry.sectors
    (info,) = [p for p in registry.plugins if p.name == "kriya"]
    assert (info.source, info.status, info.module) == ("entry point", "active", "fake_kriya")


def test_a_plugin_that_fails_to_import_is_reported_and_the_others_load(
    entry_points: dict[str, str],
) -> None:
    entry_points["broken"] = "import umkm_module_that_does_not_exist\n"
    entry_points["kriya"] = GOOD_PLUGIN
    registry = load_registry()
    assert "kriya" in registry.sectors
    (problem,) = registry.problems
    assert (problem.plugin, problem.stage, problem.code) == (
        "broken",
        "import",
        "plugin.import_failed",
    )
    assert "umkm_module_that_does_not_exist" in problem.reason
    assert {p.name: p.status for p in registry.plugins}["broken"] == "failed"


def test_autoload_can_be_turned_off_by_the_environment(
    entry_points: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    entry_points["kriya"] = GOOD_PLUGIN
    monkeypatch.setenv("UMKM_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert "kriya" not in load_registry().sectors
    assert "kriya" in load_registry(autoload=True).sectors
    monkeypatch.setenv("UMKM_DISABLE_PLUGIN_AUTOLOAD", "0")
    assert "kriya" in load_registry().sectors


def test_plugins_can_be_blocked_by_name_or_by_the_environment(
    entry_points: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    entry_points["kriya"] = GOOD_PLUGIN
    assert "kriya" not in load_registry(blocklist=["kriya"]).sectors
    monkeypatch.setenv("UMKM_DISABLED_PLUGINS", "other, kriya")
    registry = load_registry()
    assert "kriya" not in registry.sectors
    assert {p.name: p.status for p in registry.plugins}["kriya"] == "blocked"


def test_unknown_codes_raise_our_error_listing_the_known_ones() -> None:
    registry = load_registry(autoload=False)
    with pytest.raises(
        ValidationError, match="known: fesyen, jasa, kuliner, perdagangan"
    ) as caught:
        registry.sector("perikanan")
    assert caught.value.code == "sector.unknown"
    with pytest.raises(ValidationError, match=r"exporter\.unknown"):
        registry.exporter_for("laporan.pdf")
    with pytest.raises(ValidationError, match=r"rule\.unknown"):
        registry.rule_factory("lucky_draw")


def test_formats_are_found_by_file_extension() -> None:
    registry = load_registry(autoload=False)
    assert registry.exporter_for("Laporan.XLSX").code == "xlsx"
    assert registry.importer_for("daftar.txt").code == "csv"
    assert registry.importer_for("daftar.ndjson").code == "jsonl"


def test_sectors_know_their_default_pathways() -> None:
    registry = load_registry(autoload=False)
    food = registry.default_pathways("kuliner")
    assert [p.code for p in food] == ["food"]
    assert [k.code for k in food[0].order] == ["packaging", "pkp", "pirt", "halal", "trademark"]


def test_two_plugins_under_one_name_keep_the_first_and_report_the_second() -> None:
    registry = load_registry(
        plugins=[plugin("same", sector("kriya")), plugin("same", sector("jamu"))],
        autoload=False,
    )
    assert "kriya" in registry.sectors
    assert "jamu" not in registry.sectors
    assert [p.code for p in registry.problems] == ["plugin.duplicate_name"]


def test_an_entry_point_named_like_a_builtin_is_reported(entry_points: dict[str, str]) -> None:
    entry_points["umkm_core.sectors"] = GOOD_PLUGIN
    registry = load_registry()
    assert "kriya" not in registry.sectors
    (problem,) = registry.problems
    assert (problem.plugin, problem.code) == ("umkm_core.sectors", "plugin.duplicate_name")
