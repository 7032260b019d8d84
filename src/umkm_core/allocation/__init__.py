"""Allocation: applications, policies, the engine, the enrollment lifecycle and diffs."""

from umkm_core.allocation.diff import AllocationDiff, Move, diff
from umkm_core.allocation.engine import (
    Accepted,
    Allocation,
    Decision,
    Outcome,
    Refused,
    Waitlisted,
    allocate,
)
from umkm_core.allocation.enrollment import (
    Change,
    Enrollment,
    EnrollmentEvent,
    Enrollments,
    EnrollmentStatus,
)
from umkm_core.allocation.policy import (
    FirstComeFirstServed,
    Lottery,
    Policy,
    PriorityTiers,
    policy_from_data,
)
from umkm_core.allocation.verdicts import EligibilityVerdicts
from umkm_core.model.application import Application

__all__ = [
    "Accepted",
    "Allocation",
    "AllocationDiff",
    "Application",
    "Change",
    "Decision",
    "EligibilityVerdicts",
    "Enrollment",
    "EnrollmentEvent",
    "EnrollmentStatus",
    "Enrollments",
    "FirstComeFirstServed",
    "Lottery",
    "Move",
    "Outcome",
    "Policy",
    "PriorityTiers",
    "Refused",
    "Waitlisted",
    "allocate",
    "diff",
    "policy_from_data",
]
