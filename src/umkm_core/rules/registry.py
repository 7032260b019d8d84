"""The registry of rule factories: how a programme file names a rule.

A rule in a file is a table with a ``rule`` key and the rule's parameters::

    rules = [
      {rule = "coached_by", office_id = "dinkopukm-3671"},
      {rule = "any_of", rules = [
        {rule = "has_nib"}, {rule = "size_class_in", classes = ["mikro"]},
      ]},
      {rule = "district_quota", limit = 10, per = "wave"},
    ]

>>> rule = rule_from_data({"rule": "coached_by", "office_id": "dinkopukm-3671"})
>>> rule_from_data(rule.to_data()) == rule
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from umkm_core.errors import ValidationError
from umkm_core.limits import MAX_RULE_DEPTH
from umkm_core.rules import capacity as cap
from umkm_core.rules import eligibility as elig
from umkm_core.rules.base import EligibilityRule, Rule, RuleFactory, RuleParam
from umkm_core.rules.certification import CERTIFICATION_RULE_FACTORIES
from umkm_core.text import Text

__all__ = ["builtin_rule_factories", "rule_from_data", "rules_from_data"]


def _all_of(rules: Sequence[EligibilityRule]) -> elig.AllOf:
    return elig.AllOf(rules=tuple(rules))


def _any_of(rules: Sequence[EligibilityRule]) -> elig.AnyOf:
    return elig.AnyOf(rules=tuple(rules))


def _not(negated: EligibilityRule) -> elig.Not:
    return elig.Not(negated=negated)


def _reserved_share(percent: int, group: EligibilityRule) -> cap.ReservedShare:
    return cap.ReservedShare(percent=percent, group=group)


_RULES = RuleParam(
    name="rules",
    type="list[rule]",
    description=Text("aturan-aturan yang digabung", "the rules combined"),
)

_BASE: tuple[RuleFactory, ...] = (
    RuleFactory(
        name="all_of",
        factory=_all_of,
        params=(_RULES,),
        description=Text("Semua aturan harus terpenuhi", "Every rule must pass"),
    ),
    RuleFactory(
        name="any_of",
        factory=_any_of,
        params=(_RULES,),
        description=Text("Minimal satu aturan terpenuhi", "At least one rule must pass"),
    ),
    RuleFactory(
        name="coached_by",
        factory=elig.coached_by,
        params=(
            RuleParam(name="office_id", type="str", description=Text("kantor", "the office")),
            RuleParam(
                name="on",
                type="date",
                required=False,
                description=Text(
                    "tanggal (bawaan: tanggal penilaian)", "the date (default: the as-of date)"
                ),
            ),
        ),
        description=Text("Binaan kantor tertentu", "Coached by an office (binaan)"),
    ),
    RuleFactory(
        name="district_quota",
        factory=cap.district_quota,
        family="capacity",
        params=(
            RuleParam(name="limit", type="int", description=Text("jumlah kursi", "seats")),
            RuleParam(
                name="per",
                type="str",
                required=False,
                description=Text("'wave' atau 'program'", "'wave' or 'program'"),
            ),
        ),
        description=Text("Kuota kursi per kecamatan", "A seat quota per district"),
    ),
    RuleFactory(
        name="has_nib",
        factory=elig.has_nib,
        description=Text("Memiliki NIB", "Has an NIB"),
    ),
    RuleFactory(
        name="located_in",
        factory=elig.located_in,
        params=(
            RuleParam(
                name="region", type="region", description=Text("kode wilayah", "region code")
            ),
        ),
        description=Text("Berlokasi di wilayah tertentu", "Located within a region"),
    ),
    RuleFactory(
        name="not",
        factory=_not,
        params=(
            RuleParam(name="negated", type="rule", description=Text("aturan", "the rule negated")),
        ),
        description=Text("Aturan tidak boleh terpenuhi", "The rule must fail"),
    ),
    RuleFactory(
        name="not_attended_within",
        factory=elig.not_attended_within,
        params=(
            RuleParam(name="years", type="int", description=Text("jumlah tahun", "years")),
            RuleParam(
                name="kind",
                type="str",
                required=False,
                description=Text(
                    "jenis program (bawaan: sejenis)", "programme kind (default: same kind)"
                ),
            ),
        ),
        description=Text(
            "Belum mengikuti program sejenis dalam N tahun",
            "Has not attended a programme of the kind within N years",
        ),
    ),
    RuleFactory(
        name="one_seat_per_business",
        factory=cap.one_seat_per_business,
        family="capacity",
        description=Text("Satu kursi per usaha per program", "One seat per business"),
    ),
    RuleFactory(
        name="reserved_share",
        factory=_reserved_share,
        family="capacity",
        params=(
            RuleParam(name="percent", type="int", description=Text("persen", "percentage")),
            RuleParam(
                name="group", type="rule", description=Text("kelompok", "the group (a rule)")
            ),
        ),
        description=Text(
            "Porsi kursi dicadangkan untuk kelompok", "A share of seats reserved for a group"
        ),
    ),
    RuleFactory(
        name="sector_matches_wave",
        factory=elig.sector_matches_wave,
        description=Text("Sektor sesuai gelombang", "Sector matches the wave"),
    ),
    RuleFactory(
        name="size_class_in",
        factory=elig.size_class_in,
        params=(
            RuleParam(
                name="classes",
                type="list[str]",
                description=Text("skala usaha", "size classes (mikro, kecil, menengah)"),
            ),
        ),
        description=Text("Skala usaha tertentu", "Size class in a set"),
    ),
    RuleFactory(
        name="total_seats",
        factory=cap.total_seats,
        family="capacity",
        params=(RuleParam(name="seats", type="int", description=Text("kursi", "seats")),),
        description=Text("Jumlah peserta program", "Programme total seats"),
    ),
    RuleFactory(
        name="women_owned",
        factory=elig.women_owned,
        description=Text("Usaha milik perempuan", "Women-owned business"),
    ),
)

# Sorted by name, as builtin_rule_factories() promises.
_BUILTINS: tuple[RuleFactory, ...] = tuple(
    sorted((*_BASE, *CERTIFICATION_RULE_FACTORIES), key=lambda f: f.name)
)


def builtin_rule_factories() -> tuple[RuleFactory, ...]:
    """The built-in rule factories, sorted by name."""
    return _BUILTINS


def _index(factories: Iterable[RuleFactory] | None) -> dict[str, RuleFactory]:
    # Given factories are the whole vocabulary: built-ins are not added behind the
    # caller's back (a registry that blocked the built-in rules must not accept them).
    return {f.name: f for f in (_BUILTINS if factories is None else factories)}


def _build(data: object, index: Mapping[str, RuleFactory], where: str, depth: int = 1) -> Rule:
    if depth > MAX_RULE_DEPTH:
        raise ValidationError(
            "rule.too_deep",
            field=where,
            id=f"Aturan bersarang lebih dari {MAX_RULE_DEPTH} tingkat.",
            en=f"Rules are nested more than {MAX_RULE_DEPTH} levels deep.",
        )
    if not isinstance(data, Mapping):
        raise ValidationError(
            "rule.not_a_table",
            field=where,
            value=data,
            id="Aturan harus berupa tabel dengan kunci 'rule'.",
            en="A rule must be a table with a 'rule' key.",
        )
    name = data.get("rule")
    if not isinstance(name, str) or name not in index:
        raise ValidationError(
            "rule.unknown",
            field=f"{where}.rule",
            value=name,
            id=f"Aturan '{name}' tidak dikenal. Dikenal: {', '.join(sorted(index))}.",
            en=f"Unknown rule '{name}'. Known: {', '.join(sorted(index))}.",
        )
    factory = index[name]
    params = {k: v for k, v in data.items() if k != "rule"}
    for param in factory.params:
        if param.name not in params:
            continue
        value = params[param.name]
        if param.type == "rule":
            params[param.name] = _build(value, index, f"{where}.{param.name}", depth + 1)
        elif param.type == "list[rule]":
            if not isinstance(value, list | tuple):
                raise ValidationError(
                    "rule.not_a_list",
                    field=f"{where}.{param.name}",
                    value=value,
                    id=f"'{param.name}' harus berupa daftar aturan.",
                    en=f"'{param.name}' must be a list of rules.",
                )
            params[param.name] = [
                _build(item, index, f"{where}.{param.name}[{i}]", depth + 1)
                for i, item in enumerate(value)
            ]
    return factory.build(params, where=where)


def rule_from_data(
    data: Mapping[str, object], *, factories: Iterable[RuleFactory] | None = None
) -> Rule:
    """Build a rule from a table such as ``{"rule": "coached_by", "office_id": "x"}``.

    :param data: the table; nested rules are tables too.
    :param factories: the factories a table may name (``registry.rules.values()``);
        ``None``: the built-in factories. Given factories are the whole vocabulary:
        built-ins are not added to them.
    :returns: the rule.
    :raises ValidationError: ``rule.unknown``, ``rule.unknown_param``,
        ``rule.missing_param``, ``rule.too_deep`` (nested deeper than
        :data:`~umkm_core.limits.MAX_RULE_DEPTH`) or the rule's own error, with ``field``
        locating it.
    """
    return _build(data, _index(factories), "rule")


def rules_from_data(
    data: Iterable[Mapping[str, object]], *, factories: Iterable[RuleFactory] | None = None
) -> tuple[Rule, ...]:
    """Build every rule of a list (as in a programme file's ``rules = [...]``).

    :raises ValidationError: as :func:`rule_from_data`, with ``field`` ``rules[i]...``.
    """
    index = _index(factories)
    return tuple(_build(item, index, f"rules[{i}]") for i, item in enumerate(data))
