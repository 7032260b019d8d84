"""Pytest fixtures for plugin authors (registered through the ``pytest11`` entry point).

Every fixture builds its own registry with entry-point loading turned off, so a test
sees the built-ins plus exactly the plugins it names, whatever else is installed.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from umkm_core._plugins import PluginHost, Registry, load_registry, make_plugin_host

# The contract suites use plain asserts; have pytest explain them when they fail.
pytest.register_assert_rewrite("umkm_core.testing.contracts")

__all__ = ["umkm_plugin_host", "umkm_register_plugin", "umkm_registry"]


@pytest.fixture
def umkm_plugin_host() -> PluginHost:
    """A plugin host holding only umkm_core's built-in plugins."""
    return make_plugin_host(autoload=False)


@pytest.fixture
def umkm_registry() -> Registry:
    """The registry of umkm_core's built-in plugins only."""
    return load_registry(autoload=False)


@pytest.fixture
def umkm_register_plugin() -> Callable[..., Registry]:
    """Register plugins for one test: ``umkm_register_plugin(plugin, ...)`` -> Registry.

    The registry holds the built-ins plus the given plugin objects (modules or
    instances); nothing leaks into other tests because every call loads afresh.
    """

    def register(*plugins: object, blocklist: tuple[str, ...] = ()) -> Registry:
        return load_registry(plugins=plugins, blocklist=blocklist, autoload=False)

    return register
