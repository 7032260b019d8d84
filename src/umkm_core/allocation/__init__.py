"""Allocation: applications, policies, the engine, the enrollment lifecycle and diffs."""

from umkm_core.allocation.application import Application
from umkm_core.allocation.engine import (
    Accepted,
    Allocation,
    Decision,
    Outcome,
    Refused,
    Waitlisted,
    allocate,
)
from umkm_core.allocation.policy import (
    FirstComeFirstServed,
    Lottery,
    Policy,
    PriorityTiers,
    policy_from_data,
)

__all__ = [
    "Accepted",
    "Allocation",
    "Application",
    "Decision",
    "FirstComeFirstServed",
    "Lottery",
    "Outcome",
    "Policy",
    "PriorityTiers",
    "Refused",
    "Waitlisted",
    "allocate",
    "policy_from_data",
]
