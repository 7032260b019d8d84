"""Follow-up certification steps: step kinds, pathways, step records and queries.

After training, an office walks each business through certifications (packaging, PKP,
PIRT, halal, trademark). :mod:`umkm_core.followup.kinds` describes the steps as data,
:mod:`umkm_core.followup.catalogue` holds the built-ins, :mod:`umkm_core.followup.pathway`
orders them per sector.
"""

from umkm_core.followup.catalogue import (
    BPOM_MD,
    BUILTIN_PATHWAYS,
    BUILTIN_STEP_KINDS,
    FASHION_PATHWAY,
    FOOD_PATHWAY,
    HALAL,
    PACKAGING,
    PIRT,
    PKP,
    TRADEMARK,
)
from umkm_core.followup.conditions import (
    AnnualSalesAtMost,
    Condition,
    ConditionResult,
    Declared,
    HasNIB,
    SectorIn,
    SizeClassIn,
)
from umkm_core.followup.dates import add_months, add_years
from umkm_core.followup.kinds import (
    CertificateFormat,
    CertificateRule,
    CriteriaSet,
    Evidence,
    ExpectedDuration,
    NiceClasses,
    RenewalWindow,
    Route,
    StepKind,
    TermStart,
    Validity,
    ValidityBasis,
    ValidityRule,
)
from umkm_core.followup.pathway import Pathway, PathwayError

__all__ = [
    "BPOM_MD",
    "BUILTIN_PATHWAYS",
    "BUILTIN_STEP_KINDS",
    "FASHION_PATHWAY",
    "FOOD_PATHWAY",
    "HALAL",
    "PACKAGING",
    "PIRT",
    "PKP",
    "TRADEMARK",
    "AnnualSalesAtMost",
    "CertificateFormat",
    "CertificateRule",
    "Condition",
    "ConditionResult",
    "CriteriaSet",
    "Declared",
    "Evidence",
    "ExpectedDuration",
    "HasNIB",
    "NiceClasses",
    "Pathway",
    "PathwayError",
    "RenewalWindow",
    "Route",
    "SectorIn",
    "SizeClassIn",
    "StepKind",
    "TermStart",
    "Validity",
    "ValidityBasis",
    "ValidityRule",
    "add_months",
    "add_years",
]
