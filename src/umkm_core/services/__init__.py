"""The office's use cases: the public way to use umkm_core as an application.

Each function is one use case over a :class:`~umkm_core.store.Store` (the unit of work):
import a roster, register a programme, record applications, allocate and record the run,
explain from the recorded run, change seats (confirm, withdraw with automatic promotion,
attend, complete, no-show), record follow-up progress, plan the follow-up, and read a
business's history. Services never print: progress and messages reach the caller
through a :class:`Listener`.

>>> from umkm_core.services import InMemoryStore, business_history
>>> business_history(InMemoryStore(), "TNG-00001")
()
"""

from umkm_core.services._common import Listener
from umkm_core.services.followup import FollowupOverview, SectorPlan, plan_followup
from umkm_core.services.history import HistoryEntry, business_history
from umkm_core.services.register import (
    RecordedApplications,
    erase_personal_data,
    import_roster,
    record_applications,
    record_progress,
    register_programme,
)
from umkm_core.services.reports import audit_run, programme_report, write_programme_report
from umkm_core.services.seats import (
    AllocationOutcome,
    Explanation,
    allocate_programme,
    attend,
    complete,
    confirm,
    explain,
    no_show,
    withdraw,
)
from umkm_core.store import InMemoryStore, Store

__all__ = [
    "AllocationOutcome",
    "Explanation",
    "FollowupOverview",
    "HistoryEntry",
    "InMemoryStore",
    "Listener",
    "RecordedApplications",
    "SectorPlan",
    "Store",
    "allocate_programme",
    "attend",
    "audit_run",
    "business_history",
    "complete",
    "confirm",
    "erase_personal_data",
    "explain",
    "import_roster",
    "no_show",
    "plan_followup",
    "programme_report",
    "record_applications",
    "record_progress",
    "register_programme",
    "withdraw",
    "write_programme_report",
]
