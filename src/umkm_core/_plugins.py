"""Loading plugins: the plugin-manager factory, the typed host and the immutable registry.

:func:`load_registry` builds a fresh ``pluggy.PluginManager`` each time it runs (none
exists at import time), in a fixed order: the hook specifications, the built-in plugins
(``umkm_core.plugins.*``), then the packages published under the ``umkm_core``
entry-point group, then pluggy's ``check_pending``. It calls every registration hook
once, checks and sorts what came back, and freezes it into a :class:`Registry`.

A plugin that fails to import, that implements a hook that does not exist, or that
returns something malformed is left out and reported in ``Registry.problems`` (and its
line in ``Registry.plugins``); the other plugins still load. Two plugins that register
the same code raise :class:`~umkm_core.PluginError` naming both: choosing one silently
would make results depend on installation order.

It is longer than 500 lines on purpose: the host, the registry it freezes and the
checks between them (codes, references, ambiguous names) are one loading procedure.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import pathlib
import types
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypeVar

import attrs
import pluggy

from umkm_core import hookspecs
from umkm_core.adapters.exchange import Exporter, Importer
from umkm_core.adapters.roster import normalise_header
from umkm_core.audit import AuditAttribute
from umkm_core.errors import PluginError, ValidationError
from umkm_core.followup.kinds import StepKind
from umkm_core.followup.pathway import Pathway
from umkm_core.model.identifiers import KBLI, RegionCode
from umkm_core.model.kbli import KbliCodeList, check_kbli
from umkm_core.model.regions import District
from umkm_core.model.sectors import Sector
from umkm_core.rules.base import Rule, RuleFactory
from umkm_core.rules.registry import rule_from_data

__all__ = [
    "BUILTIN_PLUGINS",
    "DISABLED_PLUGINS_ENV",
    "DISABLE_AUTOLOAD_ENV",
    "ENTRY_POINT_GROUP",
    "PluginHost",
    "PluginInfo",
    "PluginProblem",
    "Registry",
    "load_registry",
    "make_plugin_host",
]

#: The entry-point group third-party packages publish their plugins under.
ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME
#: Set (to anything but ``""`` or ``"0"``) to stop loading entry-point plugins.
DISABLE_AUTOLOAD_ENV = "UMKM_DISABLE_PLUGIN_AUTOLOAD"
#: Comma-separated plugin names to block, added to the ``blocklist`` argument.
DISABLED_PLUGINS_ENV = "UMKM_DISABLED_PLUGINS"

#: The built-in plugins: plugin name -> module. Registered like any third-party plugin.
BUILTIN_PLUGINS: Mapping[str, str] = types.MappingProxyType(
    {
        "umkm_core.sectors": "umkm_core.plugins.sectors",
        "umkm_core.regions": "umkm_core.plugins.regions",
        "umkm_core.steps": "umkm_core.plugins.steps",
        "umkm_core.rules": "umkm_core.plugins.rules",
        "umkm_core.exporters": "umkm_core.plugins.exporters",
        "umkm_core.importers": "umkm_core.plugins.importers",
        "umkm_core.kbli": "umkm_core.plugins.kbli",
    }
)

Source = Literal["builtin", "entry point", "explicit"]
Status = Literal["active", "blocked", "failed"]
Stage = Literal["import", "register", "check", "hook"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class PluginProblem:
    """A plugin that could not be loaded, or a hook result that was refused.

    :param plugin: the plugin name (entry-point name for installed packages).
    :param stage: ``"import"``, ``"register"`` (bad hook signature), ``"check"`` (a hook
        that does not exist) or ``"hook"`` (the hook raised or returned bad data).
    :param hook: the hook concerned, if any.
    :param code: a stable error code (``"plugin.import_failed"``).
    :param reason: what went wrong, in English, as the plugin's error said it.
    :param distribution: the installed distribution providing the plugin, if known.
    """

    plugin: str
    stage: Stage
    hook: str | None
    code: str
    reason: str
    distribution: str | None = None


@attrs.frozen(kw_only=True)
class PluginInfo:
    """One line of the plugin listing (what ``umkm plugins`` shows).

    :param name: the plugin name.
    :param source: ``"builtin"``, ``"entry point"`` or ``"explicit"`` (passed by the caller).
    :param status: ``"active"``, ``"blocked"`` or ``"failed"``.
    :param module: the module that implements it.
    :param distribution: the distribution (package) that provides it.
    :param version: that distribution's version.
    :param registered: per hook, the codes the plugin registered.
    """

    name: str
    source: Source
    status: Status
    module: str | None = None
    distribution: str | None = None
    version: str | None = None
    registered: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)


def _frozen_mapping(items: Mapping[str, Any]) -> Mapping[str, Any]:
    return types.MappingProxyType(dict(sorted(items.items())))


def _unknown(kind: str, code: str, known: Iterable[str]) -> ValidationError:
    names = ", ".join(sorted(known)) or "-"
    return ValidationError(
        f"{kind}.unknown",
        field=kind,
        value=code,
        id=f"Kode {kind} '{code}' tidak dikenal (yang ada: {names}).",
        en=f"Unknown {kind} code '{code}' (known: {names}).",
    )


def _registered(kind: str, code: str, registered: Mapping[str, T]) -> T:
    """The entry registered as ``code``; ``<kind>.unknown`` naming the known codes."""
    if code not in registered:
        raise _unknown(kind, code, registered)
    return registered[code]


@attrs.frozen(kw_only=True)
class Registry:
    """Everything the plugins registered, by code, frozen and sorted by code.

    Build it with :func:`load_registry`; the rest of umkm_core takes it as an argument.

    :param sectors: sectors by code.
    :param steps: follow-up step kinds by code.
    :param pathways: pathways by code.
    :param rules: rule factories by name (what programme files write after ``rule =``).
    :param exporters: export formats by code.
    :param importers: roster formats by code.
    :param districts: districts (kecamatan) by region code, for rosters that name them.
    :param audit_attributes: attributes plugins add to the fairness audit, by code.
    :param kbli_codes: the lists of known KBLI codes, by edition (``"2020"``, ``"2025"``);
        an edition without a list is checked for shape and division only.
    :param plugins: every plugin seen, with its status and what it registered.
    :param problems: plugins or results that were left out, and why.
    """

    sectors: Mapping[str, Sector] = attrs.field(converter=_frozen_mapping)
    steps: Mapping[str, StepKind] = attrs.field(converter=_frozen_mapping)
    pathways: Mapping[str, Pathway] = attrs.field(converter=_frozen_mapping)
    rules: Mapping[str, RuleFactory] = attrs.field(converter=_frozen_mapping)
    exporters: Mapping[str, Exporter] = attrs.field(converter=_frozen_mapping)
    importers: Mapping[str, Importer] = attrs.field(converter=_frozen_mapping)
    districts: Mapping[str, District] = attrs.field(factory=dict, converter=_frozen_mapping)
    audit_attributes: Mapping[str, AuditAttribute] = attrs.field(
        factory=dict, converter=_frozen_mapping
    )
    kbli_codes: Mapping[str, KbliCodeList] = attrs.field(factory=dict, converter=_frozen_mapping)
    plugins: tuple[PluginInfo, ...] = ()
    problems: tuple[PluginProblem, ...] = ()

    def sector(self, code: str) -> Sector:
        """The sector registered as ``code``.

        :raises ValidationError: ``sector.unknown``.
        """
        return _registered("sector", code, self.sectors)

    def sector_aliases(self) -> Mapping[str, str]:
        """The words rosters use for each sector, normalised, mapped to its code.

        Every sector's code, both names and ``aliases`` count (compared as
        :func:`~umkm_core.adapters.roster.normalise_header` does). A word that two
        sectors claim is left out (and reported in ``problems`` when loading).

        >>> load_registry(autoload=False).sector_aliases()["makanan"]
        'kuliner'
        """
        return _unambiguous(
            (word, sector.code) for sector in self.sectors.values() for word in _words(sector)
        )

    def district_names(self) -> Mapping[str, RegionCode]:
        """District names (and aliases), normalised, mapped to their region code.

        A name that two districts share is left out: the roster must give the code.

        >>> str(load_registry(autoload=False).district_names()["karawaci"])
        '36.71.07'
        """
        return _unambiguous(
            (normalise_header(name), d.region)
            for d in self.districts.values()
            for name in (d.name, *sorted(d.aliases))
        )

    def kbli_code_list(self, edition: int) -> KbliCodeList | None:
        """The list of known KBLI codes of ``edition`` that a plugin registered, if any.

        Pass it to the roster reader (``kbli_codes=``) with the roster's edition.

        >>> load_registry(autoload=False).kbli_code_list(2020) is None  # none is shipped
        True

        :param edition: 2020 or 2025.
        :returns: the list, or ``None`` when no plugin registered one for ``edition``.
        """
        if isinstance(edition, bool) or edition not in (2020, 2025):
            return None
        return self.kbli_codes.get(str(edition))

    def step(self, code: str) -> StepKind:
        """The step kind registered as ``code``.

        :raises ValidationError: ``step.unknown``.
        """
        return _registered("step", code, self.steps)

    def pathway(self, code: str) -> Pathway:
        """The pathway registered as ``code``.

        :raises ValidationError: ``pathway.unknown``.
        """
        return _registered("pathway", code, self.pathways)

    def default_pathways(self, sector: str) -> tuple[Pathway, ...]:
        """The pathways a sector offers by default, most usual first.

        :raises ValidationError: ``sector.unknown``.
        """
        return tuple(self.pathways[code] for code in self.sector(sector).default_pathways)

    def rule_factory(self, name: str) -> RuleFactory:
        """The rule factory registered as ``name``.

        :raises ValidationError: ``rule.unknown``.
        """
        return _registered("rule", name, self.rules)

    def rule_from_data(self, data: Mapping[str, object]) -> Rule:
        """Build a rule from a programme file's table with every registered factory.

        >>> load_registry(autoload=False).rule_from_data({"rule": "has_nib"}).name
        'has_nib'

        :param data: a table such as ``{"rule": "coached_by", "office_id": "x"}``.
        :returns: the rule.
        :raises ValidationError: as :func:`umkm_core.rules.rule_from_data`.
        """
        return rule_from_data(data, factories=self.rules.values())

    def exporter(self, code: str) -> Exporter:
        """The export format registered as ``code``.

        :raises ValidationError: ``exporter.unknown``.
        """
        return _registered("exporter", code, self.exporters)

    def importer(self, code: str) -> Importer:
        """The roster format registered as ``code``.

        :raises ValidationError: ``importer.unknown``.
        """
        return _registered("importer", code, self.importers)

    def exporter_for(self, path: str | os.PathLike[str]) -> Exporter:
        """The export format for a file name, by its extension (first code wins).

        :raises ValidationError: ``exporter.unknown`` for an extension nobody writes.
        """
        suffix = pathlib.Path(path).suffix.lower()
        for exporter in self.exporters.values():
            if exporter.extension == suffix:
                return exporter
        raise _unknown("exporter", suffix or str(path), self.exporters)

    def importer_for(self, path: str | os.PathLike[str]) -> Importer:
        """The roster format for a file name, by its extension (first code wins).

        :raises ValidationError: ``importer.unknown`` for an extension nobody reads.
        """
        suffix = pathlib.Path(path).suffix.lower()
        for importer in self.importers.values():
            if suffix in importer.extensions:
                return importer
        raise _unknown("importer", suffix or str(path), self.importers)


def _words(sector: Sector) -> list[str]:
    names = (sector.code, sector.name.id, sector.name.en, *sorted(sector.aliases))
    return [normalise_header(name) for name in names]


def _unambiguous(pairs: Iterable[tuple[str, T]]) -> Mapping[str, T]:
    """The pairs as a mapping, leaving out keys given with two different values."""
    found: dict[str, T] = {}
    clashes: set[str] = set()
    for key, value in pairs:
        if not key:
            continue
        if key in found and found[key] != value:
            clashes.add(key)
        found.setdefault(key, value)
    return types.MappingProxyType({k: v for k, v in sorted(found.items()) if k not in clashes})


def _reason(exc: BaseException) -> str:
    # UmkmError messages are bilingual; the English part is enough in a listing.
    message = getattr(exc, "message_en", None) or str(exc)
    return f"{type(exc).__name__}: {message}"


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0")


class PluginHost:
    """A pluggy plugin manager with umkm_core's specs and one typed method per hook.

    ``pm.hook.umkm_sectors()`` is typed ``Any``; the methods here return checked,
    typed records, so ``mypy --strict`` checks the code that uses them. Make one with
    :func:`make_plugin_host`.
    """

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self._infos: dict[str, PluginInfo] = {}
        self._problems: list[PluginProblem] = []

    # ------------------------------------------------------------------ registration

    @property
    def problems(self) -> tuple[PluginProblem, ...]:
        """Problems found so far, in the order found."""
        return tuple(self._problems)

    def _problem(
        self, plugin: str, stage: Stage, code: str, reason: str, *, hook: str | None = None
    ) -> None:
        info = self._infos.get(plugin)
        self._problems.append(
            PluginProblem(
                plugin=plugin,
                stage=stage,
                hook=hook,
                code=code,
                reason=reason,
                distribution=info.distribution if info else None,
            )
        )

    def block(self, name: str) -> None:
        """Block the plugin ``name``: it is listed as blocked and never registered."""
        self.pm.set_blocked(name)

    def register(
        self,
        plugin: object,
        *,
        name: str | None = None,
        source: Source = "explicit",
        distribution: str | None = None,
        version: str | None = None,
    ) -> bool:
        """Register one plugin object (a module, a class instance).

        :param plugin: the plugin.
        :param name: its name; by default its module name.
        :param source: where it came from, for the listing.
        :param distribution: the distribution providing it, for the listing.
        :param version: that distribution's version.
        :returns: whether it is now active (not blocked, valid hooks).
        """
        plugin_name = name or getattr(plugin, "__name__", None) or repr(plugin)
        module = getattr(plugin, "__name__", None) or type(plugin).__module__
        if plugin_name in self._infos:
            self._problem(
                plugin_name,
                "register",
                "plugin.duplicate_name",
                f"another plugin is already registered as '{plugin_name}' ({module} left out)",
            )
            return False
        info = PluginInfo(
            name=plugin_name,
            source=source,
            status="active",
            module=module,
            distribution=distribution,
            version=version,
        )
        self._infos[plugin_name] = info
        if self.pm.is_blocked(plugin_name):
            self._infos[plugin_name] = attrs.evolve(info, status="blocked")
            return False
        try:
            self.pm.register(plugin, name=plugin_name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            self._fail(plugin_name, "register", "plugin.invalid_hook", _reason(exc))
            return False
        unknown = [
            caller.name
            for caller in self.pm.get_hookcallers(plugin) or ()
            if caller.spec is None
            and any(
                impl.plugin is plugin and not impl.optionalhook for impl in caller.get_hookimpls()
            )
        ]
        if unknown:
            self.pm.unregister(plugin)
            self._fail(
                plugin_name,
                "check",
                "plugin.unknown_hook",
                f"implements hooks that umkm_core does not define: {', '.join(sorted(unknown))}",
            )
            return False
        return True

    def _fail(self, plugin: str, stage: Stage, code: str, reason: str) -> None:
        info = self._infos.get(plugin) or PluginInfo(
            name=plugin, source="explicit", status="failed"
        )
        self._infos[plugin] = attrs.evolve(info, status="failed")
        self._problem(plugin, stage, code, reason)

    def register_builtins(self) -> None:
        """Register the built-in plugins (:data:`BUILTIN_PLUGINS`)."""
        from umkm_core import __version__  # noqa: PLC0415 - the package imports this module

        for name, module_name in BUILTIN_PLUGINS.items():
            module = importlib.import_module(module_name)
            self.register(
                module,
                name=name,
                source="builtin",
                distribution="umkm-core",
                version=__version__,
            )

    def load_entry_points(self, group: str = ENTRY_POINT_GROUP) -> None:
        """Import and register every plugin published under the entry-point ``group``.

        A plugin that fails to import is recorded as a problem; loading goes on.
        """
        for ep in sorted(importlib.metadata.entry_points(group=group), key=lambda e: e.name):
            dist = ep.dist
            info = PluginInfo(
                name=ep.name,
                source="entry point",
                status="active",
                module=ep.value,
                distribution=dist.name if dist else None,
                version=dist.version if dist else None,
            )
            if self.pm.is_blocked(ep.name):
                self._infos[ep.name] = attrs.evolve(info, status="blocked")
                continue
            if ep.name in self._infos:
                # Two plugins under one name: keeping either silently would hide the other.
                self._problem(
                    ep.name,
                    "register",
                    "plugin.duplicate_name",
                    f"another plugin is already registered as '{ep.name}' "
                    f"(entry point {ep.value} left out)",
                )
                continue
            try:
                plugin = ep.load()
            except Exception as exc:
                self._infos[ep.name] = attrs.evolve(info, status="failed")
                self._problem(ep.name, "import", "plugin.import_failed", _reason(exc))
                continue
            self.register(
                plugin,
                name=ep.name,
                source="entry point",
                distribution=info.distribution,
                version=info.version,
            )

    def check_pending(self) -> None:
        """Run pluggy's check for hooks nobody specified (none are left by now)."""
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:  # pragma: no cover - filtered above
            raise PluginError(
                "plugin.unknown_hook",
                id=f"Plugin memakai hook yang tidak dikenal: {exc}",
                en=f"A plugin implements an unknown hook: {exc}",
            ) from exc

    # ------------------------------------------------------------------ typed hook calls

    def _collect(
        self, hook: str, record_type: type[T], *, key: str = "code"
    ) -> list[tuple[str, list[T]]]:
        """Call ``hook`` once per plugin; keep each plugin's records or report it.

        Implementations are called one by one, not through ``pm.hook``, so that one
        plugin raising or returning junk is attributed to it and does not hide the rest.
        """
        caller = getattr(self.pm.hook, hook)
        results: list[tuple[str, list[T]]] = []
        for impl in reversed(caller.get_hookimpls()):
            name = impl.plugin_name
            if impl.hookwrapper or impl.wrapper:
                self._hook_problem(name, hook, "registration hooks cannot be wrappers")
                continue
            try:
                returned = impl.function()
                if returned is None or isinstance(returned, str | bytes | Mapping):
                    raise TypeError(f"returned {type(returned).__name__}, not an iterable")
                records = list(returned)
            except Exception as exc:
                self._hook_problem(name, hook, _reason(exc))
                continue
            bad = [r for r in records if not isinstance(r, record_type)]
            if bad:
                self._hook_problem(
                    name,
                    hook,
                    f"returned {type(bad[0]).__name__}, expected {record_type.__name__}",
                )
                continue
            codes: list[str] = [getattr(r, key) for r in records]
            if len(set(codes)) != len(codes):
                twice = sorted({c for c in codes if codes.count(c) > 1})
                self._hook_problem(name, hook, f"registered {', '.join(twice)} more than once")
                continue
            results.append((name, records))
            info = self._infos.get(name)
            if info is not None:
                registered = dict(info.registered)
                registered[hook] = tuple(sorted(codes))
                self._infos[name] = attrs.evolve(info, registered=registered)
        return results

    def _hook_problem(self, plugin: str, hook: str, reason: str) -> None:
        self._problem(plugin, "hook", "plugin.bad_result", reason, hook=hook)

    def sectors(self) -> list[tuple[str, list[Sector]]]:
        """Call ``umkm_sectors``: per plugin, the sectors it registered."""
        return self._collect("umkm_sectors", Sector)

    def steps(self) -> list[tuple[str, list[StepKind]]]:
        """Call ``umkm_certification_steps``: per plugin, the step kinds it registered."""
        return self._collect("umkm_certification_steps", StepKind)

    def pathways(self) -> list[tuple[str, list[Pathway]]]:
        """Call ``umkm_pathways``: per plugin, the pathways it registered."""
        return self._collect("umkm_pathways", Pathway)

    def rules(self) -> list[tuple[str, list[RuleFactory]]]:
        """Call ``umkm_rules``: per plugin, the rule factories it registered."""
        return self._collect("umkm_rules", RuleFactory, key="name")

    def districts(self) -> list[tuple[str, list[District]]]:
        """Call ``umkm_districts``: per plugin, the districts it registered."""
        return self._collect("umkm_districts", District)

    def kbli_codes(self) -> list[tuple[str, list[KbliCodeList]]]:
        """Call ``umkm_kbli_codes``: per plugin, the KBLI code lists it registered."""
        return self._collect("umkm_kbli_codes", KbliCodeList)

    def exporters(self) -> list[tuple[str, list[Exporter]]]:
        """Call ``umkm_exporters``: per plugin, the export formats it registered."""
        return self._collect("umkm_exporters", Exporter)

    def importers(self) -> list[tuple[str, list[Importer]]]:
        """Call ``umkm_importers``: per plugin, the roster formats it registered."""
        return self._collect("umkm_importers", Importer)

    def audit_attributes(self) -> list[tuple[str, list[AuditAttribute]]]:
        """Call ``umkm_audit_attributes``: per plugin, the audit attributes it registered."""
        return self._collect("umkm_audit_attributes", AuditAttribute)

    # ------------------------------------------------------------------ the registry

    def registry(self, *, strict: bool = True) -> Registry:
        """Call every registration hook once and freeze the results.

        Records that refer to codes nobody registered (a pathway's sector or steps, a
        sector's default pathways) are left out and reported.

        :param strict: refuse a code that two plugins registered; with ``False`` (a
            diagnostic listing such as ``umkm plugins``), such codes are left out and
            every clash is a problem of each plugin involved.
        :raises PluginError: ``plugin.duplicate_code`` when plugins register the same
            code, naming every clash of every kind at once.
        """
        clashes: Clashes = {}
        sector_owners, sectors = _by_code("sector", self.sectors(), clashes)
        _, steps = _by_code("step", self.steps(), clashes)
        pathway_owners, pathways = _by_code("pathway", self.pathways(), clashes)
        _, rules = _by_code("rule", self.rules(), clashes, key="name")
        _, exporters = _by_code("exporter", self.exporters(), clashes)
        _, importers = _by_code("importer", self.importers(), clashes)
        district_owners, districts = _by_code("district", self.districts(), clashes)
        _, audit_attributes = _by_code("audit attribute", self.audit_attributes(), clashes)
        _, kbli_codes = _by_code("KBLI code list", self.kbli_codes(), clashes)
        if clashes and strict:
            raise _clash_error(clashes)
        for kind, codes in sorted(clashes.items()):
            for code, names in sorted(codes.items()):
                for name in names:
                    others = ", ".join(n for n in names if n != name)
                    self._problem(
                        name,
                        "hook",
                        "plugin.duplicate_code",
                        f"{kind} '{code}' is registered by {others} too; left out",
                    )
        self._check_sector_kbli(sectors, sector_owners, kbli_codes)
        self._check_references(sectors, sector_owners, steps, pathways, pathway_owners)
        self._check_words(
            "umkm_sectors",
            [(sector_owners[c], c, w) for c, s in sectors.items() for w in _words(s)],
        )
        self._check_words(
            "umkm_districts",
            [
                (district_owners[c], c, normalise_header(name))
                for c, d in districts.items()
                for name in (d.name, *sorted(d.aliases))
            ],
        )
        return Registry(
            sectors=sectors,
            steps=steps,
            pathways=pathways,
            rules=rules,
            exporters=exporters,
            importers=importers,
            districts=districts,
            audit_attributes=audit_attributes,
            kbli_codes=kbli_codes,
            plugins=tuple(self._infos[name] for name in sorted(self._infos)),
            problems=tuple(self._problems),
        )

    def _check_sector_kbli(
        self,
        sectors: dict[str, Sector],
        sector_owners: dict[str, str],
        kbli_codes: Mapping[str, KbliCodeList],
    ) -> None:
        """Leave out sectors naming KBLI codes that do not exist (division or code list).

        A sector is how rosters' businesses are sorted; one that names a code BPS does
        not list is a typo in the plugin, reported rather than carried into every run.
        """
        for code, sector in sorted(sectors.items()):
            unknown = sorted(k.code for k in sector.kbli if not _kbli_exists(k, kbli_codes))
            if unknown:
                del sectors[code]
                self._problem(
                    sector_owners[code],
                    "hook",
                    "plugin.unknown_kbli",
                    f"sector '{code}' names KBLI codes that do not exist: {', '.join(unknown)}",
                    hook="umkm_sectors",
                )

    def _check_words(self, hook: str, words: list[tuple[str, str, str]]) -> None:
        """Report roster words (names, aliases) that two records claim.

        Rosters must then give the code: the word is left out rather than given to either.
        """
        claims: dict[str, set[tuple[str, str]]] = {}
        for plugin, code, word in words:
            if word:
                claims.setdefault(word, set()).add((plugin, code))
        for word, owners in sorted(claims.items()):
            codes = sorted({code for _, code in owners})
            if len(codes) > 1:
                for plugin in sorted({p for p, _ in owners}):
                    self._problem(
                        plugin,
                        "hook",
                        "plugin.ambiguous_name",
                        f"'{word}' names more than one record ({', '.join(codes)}); "
                        "rosters must give the code",
                        hook=hook,
                    )

    def _check_references(
        self,
        sectors: dict[str, Sector],
        sector_owners: dict[str, str],
        steps: dict[str, StepKind],
        pathways: dict[str, Pathway],
        pathway_owners: dict[str, str],
    ) -> None:
        # Leaving one record out can orphan another (a pathway of a dropped sector), so
        # repeat until nothing changes.
        changed = True
        while changed:
            changed = False
            for code, pathway in sorted(pathways.items()):
                reason = _pathway_problem(pathway, sectors, steps)
                if reason:
                    del pathways[code]
                    self._problem(
                        pathway_owners[code],
                        "hook",
                        "plugin.bad_reference",
                        reason,
                        hook="umkm_pathways",
                    )
                    changed = True
            for code, sector in sorted(sectors.items()):
                missing = [p for p in sector.default_pathways if p not in pathways]
                wrong = [
                    p
                    for p in sector.default_pathways
                    if p in pathways and pathways[p].sector != code
                ]
                if missing or wrong:
                    del sectors[code]
                    reason = (
                        f"sector '{code}' names default pathways nobody registered: "
                        f"{', '.join(missing)}"
                        if missing
                        else f"sector '{code}' names pathways of another sector: "
                        f"{', '.join(wrong)}"
                    )
                    self._problem(
                        sector_owners[code],
                        "hook",
                        "plugin.bad_reference",
                        reason,
                        hook="umkm_sectors",
                    )
                    changed = True


def _kbli_exists(kbli: KBLI, kbli_codes: Mapping[str, KbliCodeList]) -> bool:
    try:
        check_kbli(kbli, codes=kbli_codes.get(str(kbli.edition.value)))
    except ValidationError:
        return False
    return True


def _pathway_problem(
    pathway: Pathway, sectors: Mapping[str, Sector], steps: Mapping[str, StepKind]
) -> str | None:
    if pathway.sector not in sectors:
        return (
            f"pathway '{pathway.code}' serves sector '{pathway.sector}', which nobody registered"
        )
    unknown = [k.code for k in pathway.steps if k.code not in steps]
    if unknown:
        return f"pathway '{pathway.code}' uses steps nobody registered: {', '.join(unknown)}"
    different = [k.code for k in pathway.steps if steps[k.code] != k]
    if different:
        return (
            f"pathway '{pathway.code}' carries its own version of registered steps: "
            f"{', '.join(different)}"
        )
    return None


Clashes = dict[str, dict[str, list[str]]]


def _by_code(
    kind: str,
    contributions: list[tuple[str, list[T]]],
    clashes: Clashes,
    *,
    key: str = "code",
) -> tuple[dict[str, str], dict[str, T]]:
    """Index records by code; a code that more than one plugin registered is left out.

    :param clashes: filled with ``{kind: {code: [plugins]}}`` for every such code.
    :returns: the plugin that registered each code, and the records by code.
    """
    owners: dict[str, list[str]] = {}
    found: dict[str, T] = {}
    for plugin, records in contributions:
        for record in records:
            code: str = getattr(record, key)
            owners.setdefault(code, []).append(plugin)
            found[code] = record
    for code, names in owners.items():
        if len(names) > 1:
            clashes.setdefault(kind, {})[code] = sorted(names)
            del found[code]
    return {code: names[0] for code, names in owners.items()}, dict(sorted(found.items()))


def _clash_error(clashes: Clashes) -> PluginError:
    lines = "; ".join(
        f"{kind} '{code}' by {', '.join(names)}"
        for kind, codes in sorted(clashes.items())
        for code, names in sorted(codes.items())
    )
    return PluginError(
        "plugin.duplicate_code",
        field=", ".join(sorted(clashes)),
        id=f"Kode didaftarkan oleh lebih dari satu plugin: {lines}. Blokir salah satunya "
        "(blocklist atau UMKM_DISABLED_PLUGINS).",
        en=f"Codes registered by more than one plugin: {lines}. Block one of them "
        "(blocklist or UMKM_DISABLED_PLUGINS).",
    )


def make_plugin_host(
    *,
    plugins: Iterable[object] = (),
    blocklist: Iterable[str] = (),
    autoload: bool | None = None,
    builtins: bool = True,
) -> PluginHost:
    """Build a plugin host: specs, built-ins, entry points, explicit plugins, check.

    :param plugins: extra plugin objects to register (tests, embedding applications).
    :param blocklist: plugin names never to register (built-in or installed), e.g.
        ``["umkm_core.exporters"]`` or an entry-point name.
    :param autoload: load entry-point plugins; ``None`` loads them unless
        ``UMKM_DISABLE_PLUGIN_AUTOLOAD`` is set.
    :param builtins: register the built-in plugins.
    :returns: the host, ready for :meth:`PluginHost.registry`.
    """
    host = PluginHost()
    blocked = set(blocklist)
    blocked.update(
        n.strip() for n in os.environ.get(DISABLED_PLUGINS_ENV, "").split(",") if n.strip()
    )
    for name in sorted(blocked):
        host.block(name)
    if builtins:
        host.register_builtins()
    if autoload if autoload is not None else not _env_flag(DISABLE_AUTOLOAD_ENV):
        host.load_entry_points()
    for plugin in plugins:
        host.register(plugin)
    host.check_pending()
    return host


def load_registry(
    *,
    plugins: Iterable[object] = (),
    blocklist: Iterable[str] = (),
    autoload: bool | None = None,
    builtins: bool = True,
    strict: bool = True,
) -> Registry:
    """Load every plugin and return what they registered.

    >>> registry = load_registry(autoload=False)
    >>> registry.sector("kuliner").name.en, registry.exporter_for("laporan.xlsx").code
    ('Food', 'xlsx')

    :param plugins: extra plugin objects to register (tests, embedding applications).
    :param blocklist: plugin names never to register.
    :param autoload: load entry-point plugins; ``None`` loads them unless
        ``UMKM_DISABLE_PLUGIN_AUTOLOAD`` is set.
    :param builtins: register the built-in plugins.
    :param strict: refuse codes registered twice (``False`` lists them as problems).
    :returns: the registry; ``registry.problems`` lists plugins that were left out.
    :raises PluginError: plugins registered the same code (every clash named).
    """
    host = make_plugin_host(
        plugins=plugins, blocklist=blocklist, autoload=autoload, builtins=builtins
    )
    return host.registry(strict=strict)
