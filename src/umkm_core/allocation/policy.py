"""Allocation policies: the order in which applicants are considered for seats.

A policy turns each application into a sort key; the engine seats applicants in that
order. Every key ends with the application's own identity, so the order (and therefore
the result) never depends on the order in which applications arrive.

>>> FirstComeFirstServed().describe().en
'first come, first served (by application time)'
>>> Lottery(seed=2017).to_data()
{'policy': 'lottery', 'seed': 2017}
"""

from __future__ import annotations

import abc
import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import attrs

from umkm_core.errors import ValidationError
from umkm_core.limits import MAX_SEED_BITS
from umkm_core.model._validators import instance_of
from umkm_core.model.application import Application
from umkm_core.text import Text

__all__ = [
    "FirstComeFirstServed",
    "Lottery",
    "Policy",
    "PriorityTiers",
    "policy_from_data",
]

SortKey = Callable[[Application], Any]

# Tier of applications without one: after every real tier.
_NO_TIER = 1 << 62


@attrs.frozen(kw_only=True)
class Policy(abc.ABC):
    """Decides who is considered first. Recorded in every :class:`~umkm_core.Allocation`."""

    #: The policy's name in files (``"fcfs"``).
    name: ClassVar[str]

    @abc.abstractmethod
    def sort_key(self) -> SortKey:
        """A key function giving a total order on applications (lower goes first)."""

    @abc.abstractmethod
    def describe(self) -> Text:
        """The policy in words, for explanations."""

    def to_data(self) -> dict[str, object]:
        """The policy as plain data: ``{"policy": name, **params}``."""
        data: dict[str, object] = {"policy": self.name}
        for field in attrs.fields(type(self)):
            value = getattr(self, field.name)
            data[field.name] = value.to_data() if isinstance(value, Policy) else value
        return data


def _fcfs_key(a: Application) -> Any:
    # applied_at first; the rest of the identity only breaks exact ties.
    return (a.applied_at, a.business_id, a.waves, -1 if a.tier is None else a.tier)


@attrs.frozen(kw_only=True)
class FirstComeFirstServed(Policy):
    """Earlier applications first (siapa cepat dia dapat)."""

    __umkm_kind__: ClassVar[str] = "fcfs"

    name: ClassVar[str] = "fcfs"

    def sort_key(self) -> SortKey:
        """Application time, then the application's identity."""
        return _fcfs_key

    def describe(self) -> Text:
        """The policy in words."""
        return Text(
            "siapa cepat dia dapat (menurut waktu pendaftaran)",
            "first come, first served (by application time)",
        )


def _seed(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    # The seed salts a 16-byte hash: it must fit in MAX_SEED_BITS bits.
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < 0
        or value.bit_length() > MAX_SEED_BITS
    ):
        raise ValidationError(
            "policy.bad_seed",
            field=attribute.name,
            value=value,
            id=f"Benih undian harus bilangan bulat dari 0 sampai 2^{MAX_SEED_BITS} - 1.",
            en=f"A lottery seed is a whole number from 0 to 2^{MAX_SEED_BITS} - 1.",
        )


@attrs.frozen(kw_only=True)
class Lottery(Policy):
    """A seeded lottery: the same seed and applications always give the same draw.

    Each application's place is a hash of the seed and the application itself, so the
    draw is independent of arrival order and can be re-run by anybody to check it.
    """

    __umkm_kind__: ClassVar[str] = "lottery"

    name: ClassVar[str] = "lottery"
    seed: int = attrs.field(validator=_seed)

    def sort_key(self) -> SortKey:
        """A BLAKE2 hash of seed and application, then the application's identity."""
        salt = self.seed.to_bytes(16, "big")

        def key(a: Application) -> Any:
            ticket = f"{a.business_id}|{a.applied_at.astimezone(dt.UTC).isoformat()}|{a.waves}"
            digest = hashlib.blake2b(ticket.encode(), digest_size=16, salt=salt).digest()
            return (digest, a.applied_at, a.business_id, a.waves, -1 if a.tier is None else a.tier)

        return key

    def describe(self) -> Text:
        """The policy in words."""
        return Text(f"undian dengan benih {self.seed}", f"a lottery with seed {self.seed}")


def _within(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    instance_of(FirstComeFirstServed, Lottery)(instance, attribute, value)


@attrs.frozen(kw_only=True)
class PriorityTiers(Policy):
    """Lower tiers first (tier 0 is the highest); ``within`` orders each tier.

    Applications without a tier come after every tier.
    """

    __umkm_kind__: ClassVar[str] = "priority_tiers"

    name: ClassVar[str] = "priority_tiers"
    within: FirstComeFirstServed | Lottery = attrs.field(
        factory=FirstComeFirstServed, validator=_within
    )

    def sort_key(self) -> SortKey:
        """The tier, then the inner policy's key."""
        inner = self.within.sort_key()

        def key(a: Application) -> Any:
            return (_NO_TIER if a.tier is None else a.tier, inner(a))

        return key

    def describe(self) -> Text:
        """The policy in words."""
        inner = self.within.describe()
        return Text(
            f"tingkat prioritas (0 tertinggi), lalu {inner.id}",
            f"priority tiers (0 highest), then {inner.en}",
        )


def policy_from_data(data: Mapping[str, object]) -> Policy:
    """Build a policy from plain data (as :meth:`Policy.to_data` gives it).

    Accepted: ``{"policy": "fcfs"}``, ``{"policy": "lottery", "seed": 7}``,
    ``{"policy": "priority_tiers", "within": {...}}``.

    :raises ValidationError: ``policy.unknown``, ``policy.bad_seed``.
    """
    name = data.get("policy") if isinstance(data, Mapping) else None
    if name == "fcfs" and set(data) == {"policy"}:
        return FirstComeFirstServed()
    if name == "lottery" and set(data) == {"policy", "seed"}:
        return Lottery(seed=data["seed"])  # type: ignore[arg-type]
    if name == "priority_tiers" and set(data) <= {"policy", "within"}:
        within = data.get("within")
        if within is None:
            return PriorityTiers()
        inner = policy_from_data(within) if isinstance(within, Mapping) else None
        if isinstance(inner, FirstComeFirstServed | Lottery):
            return PriorityTiers(within=inner)
    raise ValidationError(
        "policy.unknown",
        field="policy",
        value=data,
        id="Kebijakan tidak dikenal: fcfs, lottery (dengan seed) atau priority_tiers.",
        en="Unknown policy: fcfs, lottery (with a seed) or priority_tiers.",
    )
