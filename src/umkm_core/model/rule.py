"""What a rule is as data: a named, parameterised value that answers with a verdict.

A programme holds its rules (:attr:`~umkm_core.model.program.Program.rules`), so the
base of every rule belongs to the model; what a rule looks at when it judges (the
context, the two families, the factories a programme file names) lives in
:mod:`umkm_core.rules`, which re-exports everything defined here. Refusals are data
(:class:`Verdict` with :class:`Reason` s), never exceptions.
"""

from __future__ import annotations

import abc
import datetime as dt
import enum
from typing import ClassVar, Literal

import attrs

from umkm_core.model.identifiers import RegionCode
from umkm_core.text import Lang, Text

__all__ = ["PASS", "Reason", "Rule", "RuleFamily", "Verdict"]

#: ``"eligibility"`` (refuses) or ``"capacity"`` (waitlists).
RuleFamily = Literal["eligibility", "capacity"]


@attrs.frozen
class Reason:
    """Why a rule refused or waitlisted an applicant.

    :param code: the stable code of the rule (``"eligibility.coached_by"``).
    :param text: the explanation in Indonesian and English.
    :param wave: the wave it concerns, or ``None`` when it concerns every wave.
    """

    code: str
    text: Text
    wave: int | None = None

    def get(self, lang: Lang | str = "id") -> str:
        """The explanation in ``lang``."""
        return self.text.get(lang)

    def at_wave(self, wave: int | None) -> Reason:
        """The same reason, tied to ``wave``."""
        return self if wave == self.wave else Reason(self.code, self.text, wave)


@attrs.frozen
class Verdict:
    """A rule's answer: passed, or failed with the reasons why.

    Use :data:`PASS` for a pass and :meth:`Rule.fail` to build a failure.
    """

    passed: bool
    reasons: tuple[Reason, ...] = ()

    def __bool__(self) -> bool:
        return self.passed


#: The verdict of every rule that passes.
PASS = Verdict(True)


def _plain(value: object) -> object:
    """A value as TOML/JSON can hold it (for :meth:`Rule.to_data`)."""
    if isinstance(value, Rule):
        return value.to_data()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, RegionCode):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(_plain(v) for v in value)  # type: ignore[type-var]
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


@attrs.frozen(kw_only=True)
class Rule(abc.ABC):
    """Base of every rule: a frozen value with a registry ``name`` and a reason ``code``.

    Subclasses are ``@attrs.frozen(kw_only=True)`` classes whose attribute names are the
    parameter names of their factory, so :meth:`to_data` and
    :func:`umkm_core.rules.rule_from_data` round-trip.
    """

    #: The name a programme file uses (``"coached_by"``); stable.
    name: ClassVar[str]
    #: The stable reason code (``"eligibility.coached_by"``).
    code: ClassVar[str]
    #: ``"eligibility"`` or ``"capacity"``.
    family: ClassVar[RuleFamily]
    #: Set to ``True`` when the answer depends on ``ctx.application`` (its time, tier,
    #: preferences), not only on the business, programme, date and history. Other rules
    #: are judged once per business and the answer is reused (see :class:`FactCache`).
    reads_application: ClassVar[bool] = False

    @property
    def depends_on_application(self) -> bool:
        """Whether this rule (or any rule inside it) reads the application."""
        return self.reads_application

    @abc.abstractmethod
    def describe(self) -> Text:
        """What the rule requires, as a short phrase ("coached by office X")."""

    def params(self) -> dict[str, object]:
        """The rule's parameters as plain data (strings, numbers, lists, nested rules).

        Parameters that are ``None`` (use the default) are left out: TOML has no null.
        """
        return {
            f.name: _plain(value)
            for f in attrs.fields(type(self))
            if (value := getattr(self, f.name)) is not None
        }

    def to_data(self) -> dict[str, object]:
        """The rule as a programme file holds it: ``{"rule": name, **params}``."""
        return {"rule": self.name, **self.params()}

    def fail(self, text: Text, *, wave: int | None = None) -> Verdict:
        """A failing verdict of this rule with one reason."""
        return Verdict(False, (Reason(self.code, text, wave),))
