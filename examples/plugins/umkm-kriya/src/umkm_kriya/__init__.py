"""umkm_kriya: the craft sector (kriya) for umkm_core, as an installable plugin."""

__all__ = ["__version__"]

__version__ = "0.1.0"
