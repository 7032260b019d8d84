"""The domain model: pure attrs classes and functions, with no plugin or I/O code."""

from umkm_core.model.business import (
    Address,
    Business,
    Coaching,
    FinancialRecord,
    HeldCertificate,
    Owner,
    Product,
    normalise_phone,
)
from umkm_core.model.identifiers import (
    KBLI,
    NIB,
    NIK,
    NPWP,
    KBLIEdition,
    PIRTNumber,
    RegionCode,
    RegionLevel,
    Sex,
)
from umkm_core.model.size import (
    SIZE_REGIMES,
    Criterion,
    SizeAssessment,
    SizeClass,
    SizeRegime,
    classify_size,
    regime_on,
)
from umkm_core.text import Lang, Text

__all__ = [
    "KBLI",
    "NIB",
    "NIK",
    "NPWP",
    "SIZE_REGIMES",
    "Address",
    "Business",
    "Coaching",
    "Criterion",
    "FinancialRecord",
    "HeldCertificate",
    "KBLIEdition",
    "Lang",
    "Owner",
    "PIRTNumber",
    "Product",
    "RegionCode",
    "RegionLevel",
    "Sex",
    "SizeAssessment",
    "SizeClass",
    "SizeRegime",
    "Text",
    "classify_size",
    "normalise_phone",
    "regime_on",
]
