"""Shared test set-up: Hypothesis profiles (HYPOTHESIS_PROFILE: dev or ci) and stores.

No profile has a deadline: on a busy machine (two cores shared by many jobs) Hypothesis's
default 200 ms deadline fails examples at random. Speed is measured in ``benchmarks/``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev",
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# Stores for every suite that needs one: ``any_store`` (a fresh, empty Store of every
# implementation: memory, sqlite, postgresql), the session's PostgreSQL cluster and
# fresh SQL database URLs.
from store_support import any_store, pg_cluster, sql_url, sql_url_factory  # noqa: E402

__all__ = ["any_store", "pg_cluster", "sql_url", "sql_url_factory"]
