"""umkm_core: the typed domain model and rules engine for offices that grow UMKM.

Import what you need from here; submodules are implementation detail unless documented
(``umkm_core.serialization``, ``umkm_core.strategies``, ``umkm_core.testing``).
"""

from importlib.metadata import PackageNotFoundError, version

from umkm_core.errors import (
    InvalidDocument,
    PluginError,
    StateError,
    UmkmError,
    ValidationError,
)
from umkm_core.model import (
    KBLI,
    NIB,
    NIK,
    NPWP,
    SIZE_REGIMES,
    Address,
    Business,
    Coaching,
    Criterion,
    FinancialRecord,
    HeldCertificate,
    KBLIEdition,
    Lang,
    Owner,
    PIRTNumber,
    Product,
    RegionCode,
    RegionLevel,
    Sex,
    SizeAssessment,
    SizeClass,
    SizeRegime,
    Text,
    classify_size,
    normalise_phone,
    regime_on,
)

try:
    __version__ = version("umkm-core")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

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
    "InvalidDocument",
    "KBLIEdition",
    "Lang",
    "Owner",
    "PIRTNumber",
    "PluginError",
    "Product",
    "RegionCode",
    "RegionLevel",
    "Sex",
    "SizeAssessment",
    "SizeClass",
    "SizeRegime",
    "StateError",
    "Text",
    "UmkmError",
    "ValidationError",
    "__version__",
    "classify_size",
    "normalise_phone",
    "regime_on",
]
