"""The same screening on a ``dask.distributed`` cluster: one task per register partition.

Each task runs :func:`~umkm_core.bulk.screen_partition` with the compiled plan on one
partition (the workers must see the register's files at the same path: a shared or
network file system); the results come back in partition order and are added into the
same :class:`~umkm_core.bulk.ScreeningReport` as :func:`~umkm_core.bulk.screen` gives.
Dask schedules; umkm_core only splits the work by partition.

Point it at an existing cluster with a client::

    from dask.distributed import Client
    with Client("tcp://scheduler.dinkop.local:8786") as client:
        report = screen_on_dask(program, "/data/register", as_of=day, client=client)
"""

from __future__ import annotations

import datetime as dt
import pathlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from umkm_core.bulk.register import register_partitions
from umkm_core.bulk.screen import (
    PartitionResult,
    Screenable,
    ScreeningReport,
    gather,
    plan_for,
    screen_partition,
)
from umkm_core.model.program import PastEnrollment
from umkm_core.rules.base import RuleFactory

__all__ = ["screen_on_dask"]


def screen_on_dask(
    rules: Screenable,
    register: pathlib.Path | str,
    *,
    client: Any,
    as_of: dt.date | None = None,
    history: Iterable[PastEnrollment] = (),
    factories: Iterable[RuleFactory] = (),
    eligible_to: pathlib.Path | str | None = None,
    on_eligible: Callable[[Sequence[str]], None] | None = None,
) -> ScreeningReport:
    """Screen a Parquet register on a Dask cluster; the result equals :func:`screen`'s.

    :param rules: as for :func:`~umkm_core.bulk.screen`.
    :param register: the register folder, as the workers see it.
    :param client: a ``dask.distributed.Client`` connected to the cluster.
    :param as_of: the date the rules are judged on.
    :param history: earlier enrollments.
    :param factories: rule factories from plugins (their columnar forms travel to the
        workers with the plan, pickled by Dask).
    :param eligible_to: a file for the eligible ids, one per line, in partition order.
    :param on_eligible: called with each partition's eligible ids, in partition order.
    :returns: the report.
    :raises UmkmError: as :func:`~umkm_core.bulk.screen`; a task's error is raised again.
    """
    plan = plan_for(rules, as_of=as_of, history=history, factories=factories)
    partitions = register_partitions(register)
    # The plan is sent once and shared by every task.
    [shared] = client.scatter([plan], broadcast=True)
    futures = client.map(screen_partition, [shared] * len(partitions), partitions, pure=False)

    def in_order() -> Iterator[PartitionResult]:
        # Results are added in partition order; each is released once added.
        for future in futures:
            result: PartitionResult = future.result()
            future.release()
            yield result

    return gather(
        plan,
        in_order(),
        partitions=len(partitions),
        eligible_to=eligible_to,
        on_eligible=on_eligible,
    )
