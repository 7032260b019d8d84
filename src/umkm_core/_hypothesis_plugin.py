"""Hypothesis entry point: registers strategies for umkm_core's types.

Hypothesis calls :func:`_hypothesis_setup_hook` when it is imported; the import of
:mod:`umkm_core.strategies` happens inside it so that importing umkm_core never pulls in
Hypothesis.
"""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    from umkm_core.strategies import _register  # noqa: PLC0415 - lazy by design

    _register()
