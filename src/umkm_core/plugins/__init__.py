"""The built-in plugins: ordinary plugins, registered through the same path as others.

Each module implements hooks of :mod:`umkm_core.hookspecs` and is listed in
``umkm_core._plugins.BUILTIN_PLUGINS`` under a name (``"umkm_core.exporters"``) that a
blocklist can name to turn it off.
"""
