"""Built-in rule factories: the eligibility and capacity rules of :mod:`umkm_core.rules`.

Registered through the hook like any plugin's, so a clash between a plugin's rule name
and a built-in one is refused by the host instead of silently shadowing it.
"""

from __future__ import annotations

from collections.abc import Iterator

from umkm_core import RuleFactory, builtin_rule_factories, hookimpl

__all__ = ["umkm_rules"]


@hookimpl
def umkm_rules() -> Iterator[RuleFactory]:
    """The built-in rule factories."""
    yield from builtin_rule_factories()
