"""The strategies, one module per concern; :mod:`umkm_core.strategies` is their public face."""
