"""Built-in districts: Kota Tangerang's 13 kecamatan, the reference office's.

A roster may name a district (``Kecamatan: Karawaci``) instead of giving its region
code. Another office blocks this plugin (``umkm_core.regions``) or simply adds its own
districts with the ``umkm_districts()`` hook.
"""

from __future__ import annotations

from collections.abc import Iterator

from umkm_core import TANGERANG_DISTRICTS, District, hookimpl

__all__ = ["umkm_districts"]


@hookimpl
def umkm_districts() -> Iterator[District]:
    """Kota Tangerang's districts, by region code."""
    for region, name in TANGERANG_DISTRICTS.items():
        yield District(region=region, name=name)
