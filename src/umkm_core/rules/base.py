"""The rule protocol: what a rule is, what it sees, and what it answers.

There are two families of rules, because offices treat them differently:

* **Eligibility rules** (:class:`EligibilityRule`) look at one business and one
  application and never at other applicants. An applicant who fails any of them is
  *refused*, with *every* failing rule named. ``per_wave`` rules (the sector must match
  the wave) are checked for each wave the applicant asked for.
* **Capacity rules** (:class:`CapacityRule`) limit how many seats a group of applicants
  may take (a district quota, the programme total). They depend on who was seated
  before, so failing one *waitlists* the applicant with that reason.

A rule is a frozen attrs value with a stable ``name`` (how a programme file names it:
``{rule = "coached_by", office_id = "dinkopukm-3671"}``), a stable reason ``code`` and
bilingual texts. Refusals are data (:class:`Verdict`), never exceptions.

Writing a new eligibility rule takes a class and a factory record::

    @attrs.frozen(kw_only=True)
    class MakesFlagshipProduct(EligibilityRule):
        name: ClassVar[str] = "makes_flagship_product"
        code: ClassVar[str] = "eligibility.makes_flagship_product"
        min_count: int = 1

        def describe(self) -> Text:
            return Text(f"membuat minimal {self.min_count} produk unggulan daerah",
                        f"makes at least {self.min_count} regional flagship product(s)")

        def check(self, ctx: RuleContext) -> Verdict:
            if sum(p.flagship for p in ctx.business.products) >= self.min_count:
                return PASS
            return self.fail(Text("Belum membuat produk unggulan daerah.",
                                  "Makes no regional flagship product yet."))

    FACTORY = RuleFactory(name="makes_flagship_product", factory=MakesFlagshipProduct,
        description=Text("Membuat produk unggulan daerah", "Makes a regional flagship product"),
        params=(RuleParam(name="min_count", type="int", description=Text("jumlah", "count")),))

Register the factory with :func:`umkm_core.rules.rule_from_data` (``factories=``) or
through the ``umkm_rules()`` plugin hook.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, ClassVar, NamedTuple

import attrs

from umkm_core.errors import ValidationError
from umkm_core.model.application import Application
from umkm_core.model.business import Business
from umkm_core.model.identifiers import RegionCode, RegionLevel
from umkm_core.model.program import PastEnrollment, Program, Wave
from umkm_core.model.rule import PASS, Reason, Rule, RuleFamily, Verdict
from umkm_core.model.size import SizeAssessment, classify_size
from umkm_core.text import Text

__all__ = [
    "PARAM_TYPES",
    "PASS",
    "CapacityRule",
    "Charge",
    "EligibilityRule",
    "FactCache",
    "Reason",
    "Rule",
    "RuleContext",
    "RuleFactory",
    "RuleFamily",
    "RuleParam",
    "Verdict",
]


class FactCache:
    """Facts derived from a business once and reused: its size class and its district.

    ``classify_size`` and region arithmetic are not free; one cache can serve many
    allocation runs over the same register (what-if analyses, the lifecycle).
    """

    __slots__ = ("_districts", "_memos", "_sizes")

    def __init__(self) -> None:
        # Keyed by the business object's identity (and holding it, so the identity stays
        # unique): a changed snapshot of a business is a different object, never stale.
        self._sizes: dict[tuple[int, dt.date], tuple[Business, SizeAssessment]] = {}
        self._districts: dict[str, RegionCode | None] = {}
        self._memos: dict[Hashable, dict[Any, Any]] = {}

    def size_of(self, business: Business, on: dt.date) -> SizeAssessment:
        """The size assessment of ``business`` under the law in force on ``on``.

        :param business: the business.
        :param on: the date of the assessment (its latest financial year counts).
        :returns: the (cached) assessment.
        """
        key = (id(business), on)
        found = self._sizes.get(key)
        if found is None or found[0] is not business:
            found = (business, classify_size(business.latest_financials(on), on=on))
            self._sizes[key] = found
        return found[1]

    def district_of(self, business: Business) -> RegionCode | None:
        """The district (kecamatan) of the business's address, if that precise."""
        # A pure function of the region code, so it is cached by the code's digits.
        region = business.address.region.value
        try:
            return self._districts[region]
        except KeyError:
            found = self._districts[region] = business.region.at_level(RegionLevel.DISTRICT)
            return found

    def memo(self, namespace: Hashable) -> dict[Any, Any]:
        """A dictionary kept in this cache under ``namespace`` (for the allocation engine).

        The engine stores per-business verdicts here, under a namespace naming the rules,
        the programme, the date and the history they were judged with.
        """
        found = self._memos.get(namespace)
        if found is None:
            found = self._memos[namespace] = {}
        return found

    def __len__(self) -> int:
        return len(self._sizes) + len(self._districts) + len(self._memos)


class RuleContext:
    """Everything a rule may look at, for one application (and, if set, one wave).

    Attributes are read-only by convention; the engine builds contexts in hot loops, so
    this is a plain slotted class rather than an attrs value.

    :param business: the applicant.
    :param program: the programme applied to.
    :param as_of: the date the rules are judged on (coaching, size class, history).
    :param application: the application, when there is one.
    :param wave: the wave being considered; ``None`` for rules that concern every wave.
    :param history: the business's earlier enrollments.
    :param facts: a shared :class:`FactCache`.
    """

    __slots__ = ("_facts", "application", "as_of", "business", "history", "program", "wave")

    def __init__(
        self,
        *,
        business: Business,
        program: Program,
        as_of: dt.date,
        application: Application | None = None,
        wave: Wave | None = None,
        history: tuple[PastEnrollment, ...] = (),
        facts: FactCache | None = None,
    ) -> None:
        self.business = business
        self.program = program
        self.as_of = as_of
        self.application = application
        self.wave = wave
        self.history = history
        self._facts = facts if facts is not None else FactCache()

    @property
    def size(self) -> SizeAssessment:
        """The business's size as of ``as_of`` (computed once, then cached)."""
        return self._facts.size_of(self.business, self.as_of)

    @property
    def district(self) -> RegionCode | None:
        """The business's district (kecamatan), if its address is that precise."""
        return self._facts.district_of(self.business)

    def at_wave(self, wave: Wave) -> RuleContext:
        """The same context, considering ``wave``."""
        other = RuleContext.__new__(RuleContext)
        other.business = self.business
        other.program = self.program
        other.as_of = self.as_of
        other.application = self.application
        other.wave = wave
        other.history = self.history
        other._facts = self._facts
        return other


@attrs.frozen(kw_only=True)
class EligibilityRule(Rule):
    """A rule about the applicant alone: failing it refuses the application.

    Set ``per_wave = True`` when the answer depends on the wave (``ctx.wave`` is then set).
    """

    family: ClassVar[RuleFamily] = "eligibility"
    #: Whether the rule is judged for each wave (``ctx.wave`` set) or once.
    per_wave: ClassVar[bool] = False

    @abc.abstractmethod
    def check(self, ctx: RuleContext) -> Verdict:
        """Judge the applicant in ``ctx``.

        :param ctx: the context; ``ctx.wave`` is set when :attr:`per_wave` is true.
        :returns: :data:`PASS` or a failing :class:`Verdict` with reasons.
        """

    @property
    def is_per_wave(self) -> bool:
        """Whether this rule (or, for combinators, any part of it) depends on the wave."""
        return self.per_wave


class Charge(NamedTuple):
    """One counter a seat would use: at most ``limit`` seats may share ``key``.

    :param key: the counter, e.g. ``("district", 1, "367105")``; include the rule's
        ``code`` so two rules never share a counter by accident, and everything the
        limit depends on: charges with equal keys must have equal limits.
    :param limit: how many seats may share the key.
    :param rule: the rule that set the limit (it explains a refusal).
    :param detail: data the rule uses in its explanation (a district, a wave).
    :param releasable: ``True`` when the limit lapses once every applicant has been
        considered (a reserved share that was not filled).
    """

    key: Hashable
    limit: int
    rule: CapacityRule
    detail: Any = None
    releasable: bool = False


@attrs.frozen(kw_only=True)
class CapacityRule(Rule):
    """A limit on seats shared by several applicants: failing it waitlists.

    The engine keeps one counter per :attr:`Charge.key`; a seat is given only when every
    charge of every capacity rule is below its limit, and then every counter goes up.
    """

    family: ClassVar[RuleFamily] = "capacity"
    #: ``True`` when the rule's charges can be ``releasable`` (the engine then runs a
    #: release pass over the waitlist once every applicant has been considered).
    releases: ClassVar[bool] = False

    @abc.abstractmethod
    def charges(self, ctx: RuleContext) -> Iterable[Charge]:
        """The counters a seat for ``ctx.business`` in ``ctx.wave`` would use."""

    @abc.abstractmethod
    def explain(self, charge: Charge) -> Text:
        """Why a seat was not given because ``charge`` was at its limit."""

    def reason(self, charge: Charge, wave: int | None) -> Reason:
        """The :class:`Reason` for a seat blocked by ``charge``."""
        return Reason(self.code, self.explain(charge), wave)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_list_of(check: Callable[[object], bool]) -> Callable[[object], bool]:
    return lambda value: isinstance(value, list | tuple) and all(check(v) for v in value)


#: The parameter types a :class:`RuleParam` may declare, each with the check the value
#: must pass before the factory is called (nested rules are built first).
PARAM_TYPES: Mapping[str, Callable[[object], bool]] = {
    "str": lambda v: isinstance(v, str),
    "int": _is_int,
    "number": lambda v: _is_int(v) or isinstance(v, float),
    "bool": lambda v: isinstance(v, bool),
    # ISO text too: the factory parses it (rules saved as JSON hold dates as text).
    "date": lambda v: (
        isinstance(v, str) or (isinstance(v, dt.date) and not isinstance(v, dt.datetime))
    ),
    "region": lambda v: isinstance(v, str | RegionCode) or _is_int(v),
    "list[str]": _is_list_of(lambda v: isinstance(v, str)),
    "list[int]": _is_list_of(_is_int),
    "rule": lambda v: isinstance(v, Rule),
    "list[rule]": _is_list_of(lambda v: isinstance(v, Rule)),
}

_TYPE_WORDS: Mapping[str, tuple[str, str]] = {
    "str": ("teks", "text"),
    "int": ("bilangan bulat", "a whole number"),
    "number": ("angka", "a number"),
    "bool": ("true atau false", "true or false"),
    "date": ("tanggal (mis. 2017-12-19)", "a date (e.g. 2017-12-19)"),
    "region": ('kode wilayah (mis. "36.71")', 'a region code (e.g. "36.71")'),
    "list[str]": ("daftar teks", "a list of texts"),
    "list[int]": ("daftar bilangan bulat", "a list of whole numbers"),
    "rule": ("tabel aturan", "a rule table"),
    "list[rule]": ("daftar aturan", "a list of rules"),
}

#: Longest plugin message carried into a ``rule.bad_param`` error.
_PLUGIN_MESSAGE_CHARS = 200


def _check_param_type(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in PARAM_TYPES:
        raise ValidationError(
            "ruleparam.unknown_type",
            field=attribute.name,
            value=value,
            id=f"Jenis parameter tidak dikenal. Yang dikenal: {', '.join(PARAM_TYPES)}.",
            en=f"Unknown parameter type. Known: {', '.join(PARAM_TYPES)}.",
        )


@attrs.frozen(kw_only=True)
class RuleParam:
    """One parameter of a rule factory: its name, declared type and meaning.

    The type is enforced: a value of another type is refused with ``rule.bad_param``
    naming the parameter, before the factory is called.

    :param name: the key in a programme file.
    :param type: one of :data:`PARAM_TYPES`: ``"str"``, ``"int"``, ``"number"``,
        ``"bool"``, ``"date"``, ``"region"``, ``"list[str]"``, ``"list[int]"``,
        ``"rule"`` (a nested rule table) or ``"list[rule]"``; nested rules are built
        before the factory runs.
    :param description: what it means, in both languages.
    :param required: whether it must be given.
    :raises ValidationError: ``ruleparam.unknown_type``.
    """

    name: str
    type: str = attrs.field(validator=_check_param_type)
    description: Text
    required: bool = True


@attrs.frozen(kw_only=True)
class RuleFactory:
    """How to build a rule from a programme file: a name, a callable and its parameters.

    :param name: the rule's name in files (``"coached_by"``).
    :param factory: called with the parameters as keyword arguments; returns a Rule.
    :param params: documentation of the parameters.
    :param description: what the rule does, in both languages.
    :param family: ``"eligibility"`` or ``"capacity"``.
    :param columnar: optional, for bulk screening (:mod:`umkm_core.bulk`): called as
        ``columnar(rule, ctx)`` with a built rule and a
        :class:`umkm_core.bulk.ColumnarContext`, returns a boolean Polars expression over
        the register's columns that is true where the rule passes. Without it, screening
        judges the rule row by row (same result, slower). Typed loosely so that the
        rules stay free of Polars.
    """

    name: str
    factory: Callable[..., Rule]
    params: tuple[RuleParam, ...] = ()
    description: Text
    family: RuleFamily = "eligibility"
    columnar: Callable[..., object] | None = None

    def build(self, data: Mapping[str, object], *, where: str = "rule") -> Rule:
        """Build the rule from ``data`` (without its ``rule`` key).

        :raises ValidationError: ``rule.unknown_param``, ``rule.missing_param`` or the
            factory's own error, with ``field`` pointing into the document.
        """
        known = {p.name for p in self.params}
        for key in data:
            if key not in known:
                raise ValidationError(
                    "rule.unknown_param",
                    field=f"{where}.{key}",
                    value=key,
                    id=f"Aturan '{self.name}' tidak mengenal parameter '{key}'.",
                    en=f"Rule '{self.name}' has no parameter '{key}'.",
                )
        for param in self.params:
            if param.required and param.name not in data:
                raise ValidationError(
                    "rule.missing_param",
                    field=f"{where}.{param.name}",
                    id=f"Aturan '{self.name}' memerlukan parameter '{param.name}'.",
                    en=f"Rule '{self.name}' needs the parameter '{param.name}'.",
                )
            if param.name in data and not PARAM_TYPES[param.type](data[param.name]):
                words = _TYPE_WORDS[param.type]
                raise ValidationError(
                    "rule.bad_param",
                    field=f"{where}.{param.name}",
                    value=data[param.name],
                    id=f"Parameter '{param.name}' aturan '{self.name}' harus {words[0]}.",
                    en=f"Parameter '{param.name}' of rule '{self.name}' must be {words[1]}.",
                )
        try:
            rule = self.factory(**data)
        except ValidationError as exc:
            raise exc.at(where) from None
        except Exception as exc:
            detail = f"{type(exc).__name__}: {exc}"[:_PLUGIN_MESSAGE_CHARS]
            raise ValidationError(
                "rule.bad_param",
                field=where,
                value=dict(data),
                id=f"Parameter aturan '{self.name}' tidak sah ({detail}).",
                en=f"Invalid parameters for rule '{self.name}' ({detail}).",
            ) from exc
        if not isinstance(rule, Rule):
            raise ValidationError(
                "rule.not_a_rule",
                field=where,
                id=f"Pembuat aturan '{self.name}' tidak menghasilkan aturan.",
                en=f"The factory of rule '{self.name}' did not return a rule.",
            )
        return rule
