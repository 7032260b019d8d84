"""Erasure of a person's data (UU 27/2022, the right to erasure).

The owner's name, NIK and phone number and the business's NPWP (for a person, the NIK)
are replaced by a tombstone; everything the office's decisions rest on (region, sector,
figures, coaching, certificates) stays, so counts and reasons of past decisions remain.
"""

from __future__ import annotations

import attrs

from umkm_core.model.business import Business

__all__ = ["TOMBSTONE", "erase_owner"]

#: What stands in place of an erased name.
TOMBSTONE = "[dihapus / erased]"


def erase_owner(business: Business) -> Business:
    """``business`` with its owner's personal data replaced by the tombstone.

    >>> from umkm_core.synthetic import synthetic_register
    >>> b = erase_owner(next(iter(synthetic_register(1, seed=1))))
    >>> b.owner.name, b.owner.nik, b.owner.phone, b.npwp
    ('[dihapus / erased]', None, None, None)
    """
    owner = attrs.evolve(business.owner, name=TOMBSTONE, nik=None, phone=None)
    return attrs.evolve(business, owner=owner, npwp=None)
