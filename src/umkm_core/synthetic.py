"""A deterministic, realistic synthetic register of coached businesses (UMKM binaan).

Real registers hold personal data (names, NIKs, phone numbers) and cannot be shared, so
demos, tests and benchmarks use this generator instead. Every name, NIK and number in it
is made up, but valid: NIKs decode to the owner's sex and a district, NPWPs of persons
are their NIKs, P-IRT numbers name the issuing city. The mix follows what DOMAIN.md
reports for a city office: mostly food (kuliner), then fashion (fesyen) and crafts
(kriya); 99% micro businesses; about 10,000 businesses coached over the years.

>>> from umkm_core.synthetic import synthetic_register
>>> first = next(synthetic_register(1, seed=7))
>>> first.id, first.sector in {"kuliner", "fesyen", "kriya", "jasa"}
('3671-0000001', True)

The same ``seed`` always gives the same register (``random.Random(seed)``, no global
state), whatever the Python version's hash seed.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator

import attrs

from umkm_core.errors import ValidationError
from umkm_core.model.business import (
    Address,
    Business,
    Coaching,
    FinancialRecord,
    HeldCertificate,
    Owner,
    Product,
)
from umkm_core.model.identifiers import KBLI, NIB, NIK, NPWP, PIRTNumber, RegionCode, Sex
from umkm_core.model.regions import KOTA_TANGERANG, TANGERANG_DISTRICTS

__all__ = [
    "DEFAULT_OFFICE_ID",
    "SECTOR_PROFILES",
    "SectorProfile",
    "synthetic_register",
]

#: The office id used for Kota Tangerang's Dinas Koperasi dan UKM in examples.
DEFAULT_OFFICE_ID = "dinkopukm-3671"


@attrs.frozen(kw_only=True)
class SectorProfile:
    """How one sector looks in the register: its share, KBLI 2020 codes and products.

    :param share: the fraction of businesses in the sector.
    :param products: (product word, KBLI 2020 code) pairs.
    :param flagship: product words that count as regional flagship products.
    """

    code: str
    share: float
    products: tuple[tuple[str, str], ...]
    flagship: frozenset[str] = frozenset()


#: Sectors with KBLI 2020 codes from DOMAIN.md; shares reflect a city office's register.
SECTOR_PROFILES: tuple[SectorProfile, ...] = (
    SectorProfile(
        code="kuliner",
        share=0.62,
        products=(
            ("Roti", "10710"),
            ("Kue Kering", "10710"),
            ("Nasi Box", "10750"),
            ("Kue Basah", "10792"),
            ("Keripik", "10794"),
            ("Kerupuk", "10794"),
            ("Dodol", "10796"),
            ("Sambal", "10799"),
            ("Abon", "10799"),
            ("Minuman Jahe", "11040"),
            ("Rumah Makan", "56101"),
            ("Warung Nasi", "56102"),
        ),
        flagship=frozenset({"Dodol", "Kue Basah"}),
    ),
    SectorProfile(
        code="fesyen",
        share=0.20,
        products=(
            ("Busana Muslim", "14111"),
            ("Kaos", "14111"),
            ("Jahit", "14120"),
            ("Bordir", "14302"),
            ("Batik", "13134"),
            ("Tas Kulit", "15121"),
            ("Sepatu", "15201"),
        ),
        flagship=frozenset({"Batik", "Bordir"}),
    ),
    SectorProfile(
        code="kriya",
        share=0.12,
        products=(
            ("Anyaman Bambu", "16291"),
            ("Ukiran Kayu", "16293"),
            ("Kerajinan Tangan", "32903"),
        ),
        flagship=frozenset({"Anyaman Bambu"}),
    ),
    SectorProfile(code="jasa", share=0.06, products=(("Katering", "56210"),)),
)

_WOMEN = (
    "Siti", "Dewi", "Sri", "Nur", "Rina", "Ani", "Yanti", "Lestari", "Putri", "Wulan",
    "Fitri", "Rahma", "Ratna", "Endang", "Yuli", "Ika", "Maya", "Nia", "Tuti", "Aisyah",
)  # fmt: skip
_MEN = (
    "Budi", "Agus", "Ahmad", "Andi", "Dedi", "Eko", "Hendra", "Joko", "Rudi", "Wahyu",
    "Rizky", "Bambang", "Slamet", "Hasan", "Yusuf", "Iwan", "Asep", "Ujang", "Dimas", "Fajar",
)  # fmt: skip
_FAMILY = (
    "Rahayu", "Susanti", "Hidayat", "Saputra", "Santoso", "Setiawan", "Pratama", "Kurniawan",
    "Nugroho", "Lubis", "Siregar", "Wijaya", "Halim", "Hasanah", "Maulana", "Firmansyah",
)  # fmt: skip
_STREETS = (
    "Merdeka", "Daan Mogot", "Imam Bonjol", "KH. Hasyim Ashari", "Raden Saleh", "Sudirman",
    "Perintis Kemerdekaan", "Gatot Subroto", "Moh. Toha", "Otista", "Cisadane", "Pembangunan",
)  # fmt: skip
#: Districts' relative weights (more businesses in the dense districts).
_TANGERANG_WEIGHTS = (9, 6, 5, 6, 11, 8, 10, 7, 8, 5, 7, 8, 10)
#: Other Banten regencies, where some owners' NIKs were issued.
_NEIGHBOUR_REGENCIES = ("3603", "3674", "3604")

_JUTA = 1_000_000


def _districts(region: RegionCode) -> tuple[tuple[RegionCode, ...], tuple[int, ...]]:
    if region == KOTA_TANGERANG:
        return tuple(TANGERANG_DISTRICTS), _TANGERANG_WEIGHTS
    if len(region.value) == 6:
        return (region,), (1,)
    if len(region.value) == 4:
        codes = tuple(RegionCode(f"{region.value}{n:02d}") for n in range(1, 11))
        return codes, (1,) * len(codes)
    raise ValidationError(
        "synthetic.bad_region",
        field="region",
        value=str(region),
        id="Wilayah harus kabupaten/kota atau kecamatan.",
        en="The region must be a regency/city or a district.",
    )


def _make_nik(rng: random.Random, district: str, sex: Sex, serial: int) -> NIK:
    born = dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange(365 * 45))
    day = born.day + (40 if sex is Sex.FEMALE else 0)
    return NIK(f"{district}{day:02d}{born:%m%y}{serial % 9999 + 1:04d}")


def _sales(rng: random.Random) -> int:
    # Log-normal turnover around Rp60 juta a year: about 99% of businesses stay micro.
    return int(round(math.exp(rng.gauss(math.log(60 * _JUTA), 0.65)), -5))


def _financials(
    rng: random.Random, first_year: int, last_year: int
) -> tuple[FinancialRecord, ...]:
    base = _sales(rng)
    years = range(max(first_year, last_year - rng.randint(0, 2)), last_year + 1)
    records = []
    for year in years:
        growth = 1 + rng.uniform(-0.1, 0.25)
        base = int(round(base * growth, -5))
        known = rng.random() > 0.01  # a few businesses never reported a figure
        records.append(
            FinancialRecord(
                year=year,
                annual_sales=base if known else None,
                net_assets=int(round(base * rng.uniform(0.1, 0.5), -5)) if known else None,
                business_capital=int(round(base * rng.uniform(0.05, 0.4), -5))
                if rng.random() < 0.3
                else None,
            )
        )
    return tuple(records)


def _years_later(day: dt.date, years: int) -> dt.date:
    # 29 February has no twin in most years; the certificate then runs to 28 February.
    return day.replace(year=day.year + years, day=min(day.day, 28) if day.month == 2 else day.day)


def _pirt(rng: random.Random, regency: str, expiry_year: int) -> PIRTNumber:
    return PIRTNumber(
        f"{rng.randint(1, 9)}{rng.randint(1, 16):02d}{regency}"
        f"{rng.randint(1, 20):02d}{rng.randint(1, 9999):04d}{expiry_year % 100:02d}"
    )


def _certificates(
    rng: random.Random, sector: str, regency: str, coached_since: dt.date, on: dt.date
) -> tuple[HeldCertificate, ...]:
    held = []
    if sector in {"kuliner", "jasa"} and rng.random() < 0.12:
        issued = coached_since + dt.timedelta(
            days=rng.randrange(max(1, (on - coached_since).days))
        )
        expires = _years_later(issued, 5) - dt.timedelta(days=1)
        held.append(
            HeldCertificate(
                kind="pirt",
                number=_pirt(rng, regency, expires.year).value,
                issued_on=issued,
                expires_on=expires,
                issuer="Dinas Kesehatan",
            )
        )
    if sector in {"kuliner", "jasa"} and rng.random() < 0.03:
        issued = on - dt.timedelta(days=rng.randrange(30, 1000))
        held.append(
            HeldCertificate(
                kind="halal",
                number=f"LPPOM-{rng.randrange(10**11):011d}",
                issued_on=issued,
                expires_on=_years_later(issued, 2) - dt.timedelta(days=1),
                issuer="MUI",
            )
        )
    if rng.random() < 0.02:
        issued = on - dt.timedelta(days=rng.randrange(30, 2000))
        held.append(
            HeldCertificate(
                kind="trademark",
                number=f"IDM{rng.randrange(10**9):09d}",
                issued_on=issued,
                expires_on=_years_later(issued, 10) - dt.timedelta(days=1),
                issuer="DJKI",
            )
        )
    return tuple(held)


def synthetic_register(
    n: int,
    *,
    region: RegionCode = KOTA_TANGERANG,
    office_id: str = DEFAULT_OFFICE_ID,
    seed: int = 2017,
    as_of: dt.date = dt.date(2017, 12, 19),
) -> Iterator[Business]:
    """Generate ``n`` coached businesses of ``region``, lazily and deterministically.

    :param n: how many businesses (``>= 0``).
    :param region: a regency/city (its districts are used; Kota Tangerang's 13 are
        known by name) or a single district.
    :param office_id: the office whose coaching register lists every business.
    :param seed: the seed; the same seed gives the same register.
    :param as_of: the register's date: every business is coached by then and its
        latest financial record is of that year.
    :returns: an iterator of valid :class:`~umkm_core.Business` records with ids
        ``"<regency>-0000001"`` onwards.
    :raises ValidationError: ``synthetic.bad_region`` for a province or village, and
        ``synthetic.bad_count`` for a negative ``n``.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValidationError(
            "synthetic.bad_count",
            field="n",
            value=n,
            id="Jumlah usaha harus bilangan bulat 0 atau lebih.",
            en="The number of businesses must be a whole number of 0 or more.",
        )
    districts, weights = _districts(region)
    regency = region.value[:4]
    rng = random.Random(seed)
    sectors = SECTOR_PROFILES
    shares = [s.share for s in sectors]
    first_coaching = dt.date(as_of.year - 8, 1, 2)
    coaching_days = (as_of - first_coaching).days
    for i in range(n):
        district = rng.choices(districts, weights)[0]
        profile = rng.choices(sectors, shares)[0]
        sex = Sex.FEMALE if rng.random() < 0.64 else Sex.MALE  # most UMKM owners are women
        first = rng.choice(_WOMEN if sex is Sex.FEMALE else _MEN)
        owner_name = f"{first} {rng.choice(_FAMILY)}"
        home = (
            district.value
            if rng.random() < 0.9
            else f"{rng.choice(_NEIGHBOUR_REGENCIES)}{rng.randint(1, 9):02d}"
        )
        nik = _make_nik(rng, home, sex, i)
        phone = f"+628{rng.randint(11, 99)}{rng.randrange(10**7, 10**8)}"
        owner = Owner(
            name=owner_name,
            nik=nik,
            sex=sex if rng.random() < 0.8 else None,
            phone=phone if rng.random() < 0.85 else None,
        )
        picks = rng.sample(profile.products, k=min(len(profile.products), rng.randint(1, 3)))
        products = tuple(
            Product(
                name=f"{word} {first}",
                kbli=KBLI(code),
                flagship=word in profile.flagship and rng.random() < 0.5,
            )
            for word, code in picks
        )
        kbli = tuple(sorted({p.kbli for p in products if p.kbli is not None}))
        since = first_coaching + dt.timedelta(days=rng.randrange(coaching_days))
        founded = since.year - rng.randint(0, 6)
        business = Business(
            id=f"{regency}-{i + 1:07d}",
            name=f"{picks[0][0]} {first}",
            owner=owner,
            address=Address(
                region=district,
                street=f"Jl. {rng.choice(_STREETS)} No. {rng.randint(1, 250)}",
                postal_code=f"151{rng.randint(10, 99)}" if regency == "3671" else None,
            ),
            sector=profile.code,
            nib=NIB(f"{rng.randrange(10**12, 10**13)}") if rng.random() < 0.4 else None,
            npwp=NPWP(nik.value) if rng.random() < 0.1 else None,
            kbli=kbli,
            products=products,
            financials=_financials(rng, founded, as_of.year),
            coached_by=(Coaching(office_id=office_id, since=since),),
            certificates=_certificates(rng, profile.code, regency, since, as_of),
        )
        yield business
