"""Screening at national scale: the register in Parquet columns, rules as Polars expressions.

Needs the ``bulk`` extra (``pip install 'umkm-core[bulk]'``; Dask with ``[dask]``). The
register is written once as partitioned Parquet (:func:`write_register_parquet`), the
programme's eligibility rules are compiled (:func:`compile_rules`) and :func:`screen`
judges the register partition by partition in constant memory, with the same verdicts
and reason codes as :func:`umkm_core.allocate`. :func:`screen_on_dask` runs the same
plan on a ``dask.distributed`` cluster, one task per partition. :func:`allocate_columns`
allocates seats from the same columns, with the decisions of :func:`umkm_core.allocate`.
"""

from umkm_core.bulk.allocate import (
    APPLICATIONS_SCHEMA,
    ColumnarAllocation,
    allocate_columns,
    applications_frame,
)
from umkm_core.bulk.compile import ColumnarContext, ScreeningPlan, Slot, compile_rules
from umkm_core.bulk.distributed import screen_on_dask
from umkm_core.bulk.register import (
    REGISTER_SCHEMA,
    RegisterPartition,
    RegisterWritten,
    business_from_row,
    iter_register,
    list_column,
    partition_key,
    register_frame,
    register_partitions,
    scan_register,
    write_register_frames,
    write_register_parquet,
)
from umkm_core.bulk.screen import (
    PartitionResult,
    ScreeningReport,
    plan_for,
    screen,
    screen_partition,
)
from umkm_core.bulk.synthetic import synthetic_register_frames
from umkm_core.bulk.verdicts import ColumnarVerdicts, columnar_verdicts

__all__ = [
    "APPLICATIONS_SCHEMA",
    "REGISTER_SCHEMA",
    "ColumnarAllocation",
    "ColumnarContext",
    "ColumnarVerdicts",
    "PartitionResult",
    "RegisterPartition",
    "RegisterWritten",
    "ScreeningPlan",
    "ScreeningReport",
    "Slot",
    "allocate_columns",
    "applications_frame",
    "business_from_row",
    "columnar_verdicts",
    "compile_rules",
    "iter_register",
    "list_column",
    "partition_key",
    "plan_for",
    "register_frame",
    "register_partitions",
    "scan_register",
    "screen",
    "screen_on_dask",
    "screen_partition",
    "synthetic_register_frames",
    "write_register_frames",
    "write_register_parquet",
]
