"""Hypothesis entry point: registers strategies for umkm_core's types.

Hypothesis calls :func:`_hypothesis_setup_hook` when it is imported; the import of
:mod:`umkm_core.strategies` happens inside it so that importing umkm_core never pulls in
Hypothesis.
"""

from __future__ import annotations

import sys


def _hypothesis_setup_hook() -> None:
    partial = sys.modules.get("umkm_core.strategies")
    if partial is not None and not hasattr(partial, "__all__"):
        # `import umkm_core.strategies` came first and is importing Hypothesis right now:
        # the module is half built, and registers itself when it finishes.
        return
    from umkm_core.strategies._internal.registration import _register  # noqa: PLC0415

    _register()
