"""Fairness audit of allocations: selection rates per group, the four-fifths rule, tests.

Pure domain: no file I/O and no plugin machinery. :func:`audit_allocation` takes an
:class:`~umkm_core.Allocation` and the register it judged, and returns a
:class:`FairnessAudit` whose :meth:`~FairnessAudit.format` prints plain-text tables.
"""

from umkm_core.audit.fairness import (
    FOUR_FIFTHS,
    AttributeAudit,
    AuditAttribute,
    FairnessAudit,
    GroupAudit,
    ReasonCount,
    audit_allocation,
    builtin_attributes,
    district_attribute,
    sector_attribute,
    sex_attribute,
    size_class_attribute,
)
from umkm_core.audit.stats import ChiSquare, chi_square_independence, chi_square_sf, fisher_exact

__all__ = [
    "FOUR_FIFTHS",
    "AttributeAudit",
    "AuditAttribute",
    "ChiSquare",
    "FairnessAudit",
    "GroupAudit",
    "ReasonCount",
    "audit_allocation",
    "builtin_attributes",
    "chi_square_independence",
    "chi_square_sf",
    "district_attribute",
    "fisher_exact",
    "sector_attribute",
    "sex_attribute",
    "size_class_attribute",
]
