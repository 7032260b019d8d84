"""Serialization speed: umkm_core vs an equivalent pydantic v2 model and msgspec Struct.

100,000 businesses from the synthetic register go through four operations: dicts ->
objects, objects -> dicts, JSON -> objects, objects -> JSON (one document per business).
The three contenders validate the same things:

* umkm_core: the attrs classes and their validators; identifiers built by their
  strict constructors (``NIK(...)``), dates as ISO text, unknown keys refused; equal
  KBLI codes and region codes share one instance while reading (ADR 0011).
* pydantic v2: models with the same constraints (strict ints/strings/bools, patterns,
  ranges, cross-field ``model_validator``\\ s, ``extra="forbid"``); identifiers go
  through the same strict constructors in ``PlainValidator``\\ s and are held as the
  same identifier objects.
* msgspec: Structs with the same constraints in ``Meta`` and ``__post_init__``; the
  identifiers are checked by the same constructors in ``__post_init__`` but kept as
  plain strings (msgspec cannot hold an attrs-typed identifier and write it as a string),
  so its dump does less work than the other two.

Every operation runs ``--repeats`` times (default 5); the table shows the median CPU
time of the benchmark process, in seconds, and umkm_core's time divided by the others'
(below 1.0 means umkm_core is faster). The contenders take turns on every chunk of 500
businesses and the garbage collector is paused while timing (see ``_time_each``).
Targets (issue 2): faster than pydantic on all four; JSON load and dump within 2x of
msgspec.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal, TypeAlias

import msgspec
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
    model_validator,
)

from umkm_core import NIB, NIK, NPWP, Business, KBLIEdition, RegionCode, Sex
from umkm_core.adapters.serialization import from_dict, from_json, to_dict, to_json
from umkm_core.synthetic import synthetic_register

PHONE = r"^\+[1-9]\d{7,14}$"
NOT_BLANK = r"\S"

# --------------------------------------------------------------------------------------
# pydantic v2
# --------------------------------------------------------------------------------------


def _value(identifier: Any) -> str:
    return str(identifier.value)


_AS_TEXT = PlainSerializer(_value, return_type=str)
PNIK: TypeAlias = Annotated[NIK, PlainValidator(NIK), _AS_TEXT]
PNIB: TypeAlias = Annotated[NIB, PlainValidator(NIB), _AS_TEXT]
PNPWP: TypeAlias = Annotated[NPWP, PlainValidator(NPWP), _AS_TEXT]
PRegion: TypeAlias = Annotated[RegionCode, PlainValidator(RegionCode), _AS_TEXT]
PText = Annotated[StrictStr, StringConstraints(pattern=NOT_BLANK)]
PRupiah = Annotated[StrictInt, Field(ge=0)]
_CONFIG = ConfigDict(extra="forbid", frozen=True)


class POwner(BaseModel):
    model_config = _CONFIG
    name: PText
    nik: PNIK | None = None
    sex: Sex | None = None
    phone: Annotated[StrictStr, StringConstraints(pattern=PHONE)] | None = None

    @model_validator(mode="after")
    def _sex_agrees(self) -> POwner:
        if self.sex is not None and self.nik is not None and self.nik.sex is not self.sex:
            raise ValueError("owner.sex_mismatch")
        return self


class PAddress(BaseModel):
    model_config = _CONFIG
    region: PRegion
    street: StrictStr = ""
    postal_code: StrictStr | None = None


class PKBLI(BaseModel):
    model_config = _CONFIG
    code: Annotated[StrictStr, StringConstraints(pattern=r"^\d{5}$")]
    edition: KBLIEdition = KBLIEdition.KBLI_2020


class PProduct(BaseModel):
    model_config = _CONFIG
    name: PText
    kbli: PKBLI | None = None
    flagship: StrictBool = False


class PFinancialRecord(BaseModel):
    model_config = _CONFIG
    year: Annotated[StrictInt, Field(ge=1945, le=2100)]
    annual_sales: PRupiah | None = None
    net_assets: PRupiah | None = None
    business_capital: PRupiah | None = None


class PCoaching(BaseModel):
    model_config = _CONFIG
    office_id: PText
    since: dt.date
    until: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> PCoaching:
        if self.until is not None and self.until < self.since:
            raise ValueError("coaching.until_before_since")
        return self


class PHeldCertificate(BaseModel):
    model_config = _CONFIG
    kind: PText
    number: PText
    issued_on: dt.date
    expires_on: dt.date | None = None
    issuer: StrictStr | None = None

    @model_validator(mode="after")
    def _ordered(self) -> PHeldCertificate:
        if self.expires_on is not None and self.expires_on < self.issued_on:
            raise ValueError("heldcertificate.expires_on_before_issued_on")
        return self


class PBusiness(BaseModel):
    model_config = _CONFIG
    schema_: Literal[1] = Field(default=1, alias="schema")
    id: PText
    name: PText
    owner: POwner
    address: PAddress
    sector: PText
    nib: PNIB | None = None
    npwp: PNPWP | None = None
    kbli: tuple[PKBLI, ...] = ()
    products: tuple[PProduct, ...] = ()
    financials: tuple[PFinancialRecord, ...] = ()
    coached_by: tuple[PCoaching, ...] = ()
    certificates: tuple[PHeldCertificate, ...] = ()

    @model_validator(mode="after")
    def _unique_years(self) -> PBusiness:
        years = [r.year for r in self.financials]
        if len(set(years)) != len(years):
            raise ValueError("business.duplicate_financial_year")
        return self


# --------------------------------------------------------------------------------------
# msgspec Structs
# --------------------------------------------------------------------------------------

SText = Annotated[str, msgspec.Meta(pattern=NOT_BLANK)]
SRupiah = Annotated[int, msgspec.Meta(ge=0)]


class SOwner(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: SText
    nik: str | None = None
    sex: Sex | None = None
    phone: Annotated[str, msgspec.Meta(pattern=PHONE)] | None = None

    def __post_init__(self) -> None:
        if self.nik is not None:
            nik = NIK(self.nik)
            if self.sex is not None and nik.sex is not self.sex:
                raise ValueError("owner.sex_mismatch")


class SAddress(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    region: str
    street: str = ""
    postal_code: str | None = None

    def __post_init__(self) -> None:
        RegionCode(self.region)


class SKBLI(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    code: Annotated[str, msgspec.Meta(pattern=r"^\d{5}$")]
    edition: KBLIEdition = KBLIEdition.KBLI_2020


class SProduct(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: SText
    kbli: SKBLI | None = None
    flagship: bool = False


class SFinancialRecord(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    year: Annotated[int, msgspec.Meta(ge=1945, le=2100)]
    annual_sales: SRupiah | None = None
    net_assets: SRupiah | None = None
    business_capital: SRupiah | None = None


class SCoaching(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    office_id: SText
    since: dt.date
    until: dt.date | None = None

    def __post_init__(self) -> None:
        if self.until is not None and self.until < self.since:
            raise ValueError("coaching.until_before_since")


class SHeldCertificate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    kind: SText
    number: SText
    issued_on: dt.date
    expires_on: dt.date | None = None
    issuer: str | None = None

    def __post_init__(self) -> None:
        if self.expires_on is not None and self.expires_on < self.issued_on:
            raise ValueError("heldcertificate.expires_on_before_issued_on")


class SBusiness(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    schema: Literal[1] = 1
    id: SText
    name: SText
    owner: SOwner
    address: SAddress
    sector: SText
    nib: str | None = None
    npwp: str | None = None
    kbli: tuple[SKBLI, ...] = ()
    products: tuple[SProduct, ...] = ()
    financials: tuple[SFinancialRecord, ...] = ()
    coached_by: tuple[SCoaching, ...] = ()
    certificates: tuple[SHeldCertificate, ...] = ()

    def __post_init__(self) -> None:
        if self.nib is not None:
            NIB(self.nib)
        if self.npwp is not None:
            NPWP(self.npwp)
        years = [r.year for r in self.financials]
        if len(set(years)) != len(years):
            raise ValueError("business.duplicate_financial_year")


# --------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------


Work = Callable[[slice], object]


def _time_each(works: Sequence[Work], n: int, repeats: int, chunk: int) -> list[float]:
    """The median CPU time of each contender over all ``n`` items.

    The machine may be shared: the contenders take turns on every chunk of ``chunk``
    items (in rotating order) so that changes in load hit them alike, and the time is
    the process's CPU time (``time.process_time``), not the wall clock. Like timeit,
    the garbage collector is paused while timing: with a few million live objects its
    full collections would otherwise dominate.
    """
    runs: list[list[float]] = [[] for _ in works]
    for _ in range(repeats):
        totals = [0.0] * len(works)
        gc.collect()
        gc.disable()
        try:
            for turn, start in enumerate(range(0, n, chunk)):
                part = slice(start, min(start + chunk, n))
                for k in range(len(works)):
                    i = (turn + k) % len(works)
                    began = time.process_time()
                    works[i](part)
                    totals[i] += time.process_time() - began
        finally:
            gc.enable()
        for i, total in enumerate(totals):
            runs[i].append(total)
    return [statistics.median(r) for r in runs]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", type=int, default=100_000, help="businesses (default 100000)")
    parser.add_argument("--repeats", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument("--chunk", type=int, default=500, help="items per turn (default 500)")
    args = parser.parse_args(argv)
    n: int = args.n
    repeats: int = args.repeats

    businesses = list(synthetic_register(n, seed=2017))
    dicts = [to_dict(b) for b in businesses]
    docs = [to_json(b) for b in businesses]

    p_dicts = [{"schema": 1, **d} for d in dicts]
    p_models = [PBusiness.model_validate(d) for d in p_dicts]
    p_docs = [m.model_dump_json(by_alias=True).encode() for m in p_models]
    s_dicts = p_dicts
    s_structs = [msgspec.convert(d, SBusiness) for d in s_dicts]
    s_encoder = msgspec.json.Encoder()
    s_decoder = msgspec.json.Decoder(SBusiness)
    s_docs = [s_encoder.encode(s) for s in s_structs]

    # The three describe the same data: check before timing anything.
    assert [m.model_dump(mode="json", by_alias=True) for m in p_models[:100]] == p_dicts[:100]
    # (to_builtins keeps tuples as tuples, so compare through JSON.)
    assert msgspec.json.decode(msgspec.json.encode(s_structs[:100])) == s_dicts[:100]
    assert [to_dict(from_json(d, Business)) for d in docs[:100]] == dicts[:100]

    operations: list[tuple[str, Work, Work, Work]] = [
        (
            "dicts -> objects",
            lambda part: [from_dict(d, Business) for d in dicts[part]],
            lambda part: [PBusiness.model_validate(d) for d in p_dicts[part]],
            lambda part: [msgspec.convert(d, SBusiness) for d in s_dicts[part]],
        ),
        (
            "objects -> dicts",
            lambda part: [to_dict(b) for b in businesses[part]],
            lambda part: [m.model_dump(mode="json", by_alias=True) for m in p_models[part]],
            lambda part: [msgspec.to_builtins(s) for s in s_structs[part]],
        ),
        (
            "JSON -> objects",
            lambda part: [from_json(d, Business) for d in docs[part]],
            lambda part: [PBusiness.model_validate_json(d) for d in p_docs[part]],
            lambda part: [s_decoder.decode(d) for d in s_docs[part]],
        ),
        (
            "objects -> JSON",
            lambda part: [to_json(b) for b in businesses[part]],
            lambda part: [m.model_dump_json(by_alias=True) for m in p_models[part]],
            lambda part: [s_encoder.encode(s) for s in s_structs[part]],
        ),
    ]

    print(
        f"{n:,} businesses, CPU seconds, median of {repeats} runs, turns of {args.chunk}, "
        f"Python {sys.version.split()[0]}"
    )
    print(
        f"{'operation':<18} {'umkm_core':>10} {'pydantic':>10} {'msgspec':>10} "
        f"{'/pydantic':>10} {'/msgspec':>10}"
    )
    failures = []
    for name, ours, pyd, msp in operations:
        t_ours, t_pyd, t_msp = _time_each([ours, pyd, msp], n, repeats, args.chunk)
        r_pyd = t_ours / t_pyd
        r_msp = t_ours / t_msp
        print(
            f"{name:<18} {t_ours:>9.3f}s {t_pyd:>9.3f}s {t_msp:>9.3f}s "
            f"{r_pyd:>9.2f}x {r_msp:>9.2f}x",
            flush=True,
        )
        if r_pyd >= 1.0:
            failures.append(f"{name}: not faster than pydantic")
        if "JSON" in name and r_msp > 2.0:
            failures.append(f"{name}: more than 2x msgspec")
    print("targets: " + ("all met" if not failures else "MISSED: " + "; ".join(failures)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
