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


@attrs.frozen(kw_only=True)
class RuleParam:
    """Documentation of one parameter of a rule factory.

    :param name: the key in a programme file.
    :param type: ``"str"``, ``"int"``, ``"region"``, ``"list[str]"``, ``"rule"`` (a nested
        rule table) or ``"list[rule]"``; nested rules are built before the factory runs.
    :param description: what it means, in both languages.
    :param required: whether it must be given.
    """

    name: str
    type: str
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
    """

    name: str
    factory: Callable[..., Rule]
    params: tuple[RuleParam, ...] = ()
    description: Text
    family: RuleFamily = "eligibility"

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
        try:
            return self.factory(**data)
        except ValidationError as exc:
            raise exc.at(where) from None
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                "rule.bad_param",
                field=where,
                value=dict(data),
                id=f"Parameter aturan '{self.name}' tidak sah.",
                en=f"Invalid parameters for rule '{self.name}'.",
            ) from exc
