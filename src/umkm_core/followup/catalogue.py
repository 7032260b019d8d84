"""The built-in step kinds and pathways, as plain frozen data.

This module holds data only (no plugin machinery): the built-in plugin returns these
records from ``umkm_certification_steps()`` and ``umkm_pathways()``. Facts marked
``verify=True`` rest on one secondary source or changed recently (see
``docs/decisions/0032-dated-step-rules.md``); replace them by registering a plugin
with corrected data, not by editing code that uses them.

>>> PIRT.validity_on(__import__("datetime").date(2018, 3, 1)).describe().en
'5 years from grant'
>>> [k.code for k in FOOD_PATHWAY.order]
['packaging', 'pkp', 'pirt', 'halal', 'trademark']
"""

from __future__ import annotations

import datetime as dt

import attrs

from umkm_core.followup.conditions import (
    AnnualSalesAtMost,
    Condition,
    Declared,
    HasNIB,
    SectorIn,
    SizeClassIn,
)
from umkm_core.followup.kinds import (
    CertificateFormat,
    CertificateRule,
    CriteriaSet,
    Evidence,
    ExpectedDuration,
    NiceClasses,
    RenewalRule,
    RenewalWindow,
    Route,
    StepKind,
    TermStart,
    Validity,
    ValidityRule,
)
from umkm_core.followup.pathway import Pathway
from umkm_core.model.size import SizeClass
from umkm_core.text import Text

__all__ = [
    "BPOM_MD",
    "BUILTIN_PATHWAYS",
    "BUILTIN_STEP_KINDS",
    "FASHION_PATHWAY",
    "FOOD_PATHWAY",
    "HALAL",
    "PACKAGING",
    "PIRT",
    "PKP",
    "TRADEMARK",
]

JUTA = 1_000_000
MILIAR = 1_000_000_000

#: Perppu 2/2022 (Cipta Kerja) changed article 42 of UU 33/2014 from the day it was
#: enacted, 30 Dec 2022: halal certificates stay valid while ingredients and process are
#: unchanged. UU 6/2023 (31 Mar 2023) ratified the Perppu; it did not move the date.
_PERPPU_2_2022 = dt.date(2022, 12, 30)

#: PP 5/2021 (risk-based licensing through OSS) was enacted on 2 Feb 2021; SPP-IRT became
#: a supporting licence (PB UMKU) issued through OSS.
_PP_5_2021 = dt.date(2021, 2, 2)

#: The SPP-IRT renewal must be filed at the latest six months before expiry: the window
#: is open while the certificate is valid and closes six months before it ends.
_PIRT_RENEWAL = RenewalWindow(
    opens_months_before=None,
    closes_months_after=-6,
    new_term_from=TermStart.RENEWAL,
    source="PerBPOM 22/2018",
)

#: BPJPH took over issuing halal certificates from LPPOM MUI (UU 33/2014 art. 67).
_BPJPH_STARTS = dt.date(2019, 10, 17)

_FOOD_SECTORS = frozenset({"kuliner", "makanan", "minuman", "pangan"})


def _halal_self_declare(*, sales_ceiling: int) -> tuple[Condition, ...]:
    """The halal self-declare conditions; the rule sets differ only in the sales ceiling."""
    return (
        HasNIB(),
        SizeClassIn(classes=(SizeClass.MIKRO, SizeClass.KECIL)),
        AnnualSalesAtMost(ceiling=sales_ceiling),
        Declared(
            key="halal.low_risk_ingredients",
            text=Text(
                id="Bahan berisiko rendah dan sudah pasti halal",
                en="Low-risk ingredients already certain to be halal",
            ),
        ),
        Declared(
            key="halal.simple_process",
            text=Text(id="Proses produksi sederhana", en="Simple process"),
        ),
        Declared(
            key="halal.no_earlier_facilitation",
            text=Text(
                id="Belum pernah menerima fasilitasi sertifikasi halal",
                en="No earlier halal certification facilitation",
            ),
        ),
    )


PACKAGING = StepKind(
    code="packaging",
    name=Text(id="Perbaikan kemasan dan label", en="Packaging and label improvement"),
    authority=Text(id="Dinas Koperasi dan UKM (pendampingan)", en="Cooperatives and SME office"),
    validity=(
        ValidityRule(validity=Validity.none(), source="coaching step, no legal certificate"),
    ),
    evidence=(
        Evidence(
            code="label_design",
            name=Text(
                id="Desain label dan kemasan sesuai ketentuan label",
                en="Label and packaging design meeting the labelling rules",
            ),
        ),
    ),
    expected_duration=ExpectedDuration(min_days=14, max_days=90),
    certificate=CertificateRule.none(),
)

PKP = StepKind(
    code="pkp",
    name=Text(
        id="Penyuluhan Keamanan Pangan (PKP)",
        en="Food-safety training (PKP)",
    ),
    authority=Text(id="Dinas Kesehatan kabupaten/kota", en="Regency or city health office"),
    validity=(ValidityRule(validity=Validity.none(), source="PerBPOM 22/2018"),),
    criteria=(
        CriteriaSet(
            code="pkp-food",
            conditions=(SectorIn(sectors=_FOOD_SECTORS),),
            source="PerBPOM 22/2018",
        ),
    ),
    evidence=(
        Evidence(
            code="pkp_certificate",
            name=Text(id="Sertifikat PKP", en="PKP certificate"),
        ),
    ),
    expected_duration=ExpectedDuration(min_days=1, max_days=60),
    certificate=CertificateRule.text(),
    sources=("PerBPOM 22/2018",),
)

PIRT = StepKind(
    code="pirt",
    name=Text(
        id="Sertifikat Produksi Pangan Industri Rumah Tangga (SPP-IRT)",
        en="Home-industry food production certificate (SPP-IRT / PIRT)",
    ),
    authority=Text(
        id="Bupati/Wali Kota melalui OSS (DPMPTSP)",
        en="Regent or mayor through OSS (one-stop licensing office)",
    ),
    validity=(
        ValidityRule(
            validity=Validity.fixed(years=5),
            source="PerBPOM 22/2018; PerBPOM 4/2024",
            verify=True,
        ),
    ),
    renewal=_PIRT_RENEWAL,
    # Dated by the expiry of the term to renew. PerBPOM 22/2018 (SPP-IRT guideline):
    # "paling lambat 6 bulan sebelum masa berlaku berakhir". Under PP 5/2021 the licence
    # moved into OSS and the BPOM guideline was renewed (PerBPOM 4/2024); that the
    # six-month deadline stayed the same there rests on secondary sources (verify).
    renewal_rules=(
        RenewalRule(window=_PIRT_RENEWAL, effective_until=_PP_5_2021, source="PerBPOM 22/2018"),
        RenewalRule(
            window=attrs.evolve(
                _PIRT_RENEWAL, source="PP 5/2021; PerBPOM 22/2018; PerBPOM 4/2024", verify=True
            ),
            effective_from=_PP_5_2021,
            source="PP 5/2021; PerBPOM 22/2018; PerBPOM 4/2024",
            verify=True,
        ),
    ),
    requires=("pkp",),
    criteria=(
        CriteriaSet(
            code="pirt-home-industry",
            conditions=(
                HasNIB(),
                SectorIn(sectors=_FOOD_SECTORS),
                Declared(
                    key="pirt.home_industry_equipment",
                    text=Text(
                        id="Industri rumah tangga dengan peralatan manual atau semi-otomatis",
                        en="Home industry with manual or semi-automatic equipment",
                    ),
                ),
                Declared(
                    key="pirt.shelf_life_over_7_days",
                    text=Text(
                        id="Produk tahan lebih dari 7 hari",
                        en="Product keeps for more than 7 days",
                    ),
                ),
                Declared(
                    key="pirt.not_bpom_product",
                    text=Text(
                        id="Produk tidak wajib izin edar BPOM (MD)",
                        en="Product does not need BPOM (MD) registration",
                    ),
                ),
            ),
            source="PerBPOM 22/2018",
        ),
    ),
    evidence=(
        Evidence(code="pkp_certificate", name=Text(id="Sertifikat PKP", en="PKP certificate")),
        Evidence(
            code="site_inspection",
            name=Text(id="Berita acara pemeriksaan sarana", en="Site inspection report"),
        ),
        Evidence(
            code="label_design",
            name=Text(id="Rancangan label yang sesuai", en="Compliant label design"),
        ),
    ),
    expected_duration=ExpectedDuration(min_days=14, max_days=90),
    certificate=CertificateRule(
        format=CertificateFormat.PIRT, example="P-IRT No. 2053671010001-23"
    ),
    sources=("PerBPOM 22/2018", "PP 5/2021", "PerBPOM 4/2024"),
)

HALAL = StepKind(
    code="halal",
    name=Text(id="Sertifikat halal", en="Halal certificate"),
    authority=Text(
        id="BPJPH (Badan Penyelenggara Jaminan Produk Halal) melalui SIHALAL",
        en="BPJPH (halal product assurance agency) through SIHALAL",
    ),
    validity=(
        # Until BPJPH began issuing certificates on 17 Oct 2019, LPPOM MUI issued them
        # for two years (the 2018 follow-up of the reference story falls here).
        ValidityRule(
            validity=Validity.fixed(years=2),
            effective_until=_BPJPH_STARTS,
            source="LPPOM MUI practice before BPJPH issued certificates",
            verify=True,
        ),
        ValidityRule(
            validity=Validity.fixed(years=4),
            effective_from=_BPJPH_STARTS,
            effective_until=_PERPPU_2_2022,
            source="UU 33/2014 art. 42; PP 39/2021",
        ),
        ValidityRule(
            validity=Validity.while_unchanged(),
            effective_from=_PERPPU_2_2022,
            source="Perppu 2/2022 (in force 30 Dec 2022, ratified by UU 6/2023) "
            "amending UU 33/2014 art. 42",
        ),
    ),
    # Under UU 33/2014 art. 42(2) the holder files the extension no later than three
    # months before expiry; the opening of the window is not fixed by the law.
    renewal=RenewalWindow(
        opens_months_before=None,
        closes_months_after=-3,
        new_term_from=TermStart.RENEWAL,
        source="UU 33/2014 art. 42(2)",
        verify=True,
    ),
    routes=(
        Route(
            code="regular",
            name=Text(
                id="Reguler (BPJPH, LPH, fatwa MUI/Komite Fatwa, BPJPH)",
                en="Regular (BPJPH, examining body LPH, fatwa, BPJPH)",
            ),
            evidence=(
                Evidence(
                    code="lph_audit",
                    name=Text(id="Laporan pemeriksaan LPH", en="Examining body (LPH) report"),
                ),
            ),
            expected_duration=ExpectedDuration(min_days=21, max_days=180),
        ),
        Route(
            code="self-declare",
            name=Text(
                id="Pernyataan pelaku usaha (self-declare), didampingi Pendamping PPH",
                en="Self-declare, verified by a halal process assistant (Pendamping PPH)",
            ),
            criteria=(
                CriteriaSet(
                    code="halal-self-declare-2022",
                    effective_from=dt.date(2022, 1, 1),
                    effective_until=dt.date(2025, 1, 1),
                    conditions=_halal_self_declare(sales_ceiling=500 * JUTA),
                    # Kepkaban 33/2022 (Mar 2022) set the criteria; Kepkaban 150/2022
                    # replaced it with the same Rp500 juta ceiling, amended by Kepkaban
                    # 22/2023 (in force 18 Mar 2023). The start date 1 Jan 2022 is ours.
                    source="PP 39/2021 art. 79; Keputusan Kepala BPJPH 33/2022, "
                    "replaced by 150/2022 (amended by 22/2023)",
                    verify=True,
                ),
                CriteriaSet(
                    code="halal-self-declare-2025",
                    effective_from=dt.date(2025, 1, 1),
                    conditions=_halal_self_declare(sales_ceiling=15 * MILIAR),
                    # No primary source found for the Rp15 miliar ceiling nor for its
                    # start date: both are to be verified before relying on them.
                    source="2025 rule set raising the sales ceiling; start date and "
                    "ceiling unconfirmed (verify)",
                    verify=True,
                ),
            ),
            evidence=(
                Evidence(
                    code="pph_verification",
                    name=Text(
                        id="Verifikasi dan validasi Pendamping PPH",
                        en="Halal process assistant's verification",
                    ),
                ),
            ),
            expected_duration=ExpectedDuration(min_days=12, max_days=60),
        ),
    ),
    evidence=(
        Evidence(
            code="ingredient_list",
            name=Text(id="Daftar bahan dan proses produksi", en="Ingredients and process list"),
        ),
    ),
    expected_duration=ExpectedDuration(min_days=12, max_days=180),
    certificate=CertificateRule.text(),
    sources=("UU 33/2014", "PP 39/2021", "Perppu 2/2022", "UU 6/2023", "PP 42/2024"),
)

TRADEMARK = StepKind(
    code="trademark",
    name=Text(id="Pendaftaran merek (HAKI)", en="Trademark registration"),
    authority=Text(
        id="Direktorat Jenderal Kekayaan Intelektual (DJKI)",
        en="Directorate General of Intellectual Property (DJKI)",
    ),
    validity=(
        ValidityRule(
            validity=Validity.fixed(years=10, counted_from=TermStart.FILING),
            source="UU 20/2016 art. 35",
        ),
    ),
    renewal=RenewalWindow(
        opens_months_before=6,
        closes_months_after=6,
        fine_after_expiry=True,
        new_term_from=TermStart.PREVIOUS_EXPIRY,
        source="UU 20/2016 art. 35",
    ),
    evidence=(
        Evidence(code="mark_label", name=Text(id="Etiket merek", en="Specimen of the mark")),
        Evidence(
            code="umk_letter",
            name=Text(
                id="Surat keterangan UMK dari Dinas Koperasi dan UKM (tarif UMK)",
                en="Micro/small business letter from the office (reduced fee)",
            ),
        ),
    ),
    expected_duration=ExpectedDuration(min_days=182, max_days=730),
    # DJKI registration numbers: "IDM" and nine digits (IDM000123456).
    certificate=CertificateRule(
        format=CertificateFormat.PATTERN, pattern=r"IDM\d{9}", example="IDM000123456"
    ),
    nice_classes=(
        NiceClasses(sector="kuliner", classes=(29, 30, 32, 43)),
        NiceClasses(sector="fesyen", classes=(25, 18, 14, 24)),
    ),
    sources=("UU 20/2016", "PP 28/2019"),
)

BPOM_MD = StepKind(
    code="bpom-md",
    name=Text(
        id="Izin edar BPOM MD (pangan olahan)",
        en="BPOM MD registration (processed food)",
    ),
    authority=Text(id="Badan POM", en="National Agency of Drug and Food Control (BPOM)"),
    validity=(
        ValidityRule(
            validity=Validity.fixed(years=5),
            source="PerBPOM on processed-food registration",
            verify=True,
        ),
    ),
    criteria=(
        CriteriaSet(
            code="bpom-md",
            conditions=(HasNIB(), SectorIn(sectors=_FOOD_SECTORS)),
            source="PerBPOM on processed-food registration",
            verify=True,
        ),
    ),
    evidence=(
        Evidence(
            code="production_site_audit",
            name=Text(id="Hasil pemeriksaan sarana produksi", en="Production site audit"),
        ),
        Evidence(code="label_design", name=Text(id="Rancangan label", en="Label design")),
    ),
    expected_duration=ExpectedDuration(min_days=30, max_days=180),
    certificate=CertificateRule.text(),
)

#: Every built-in step kind, in the order staff usually meet them.
BUILTIN_STEP_KINDS: tuple[StepKind, ...] = (PACKAGING, PKP, PIRT, HALAL, TRADEMARK, BPOM_MD)

FOOD_PATHWAY = Pathway.chain(
    code="food",
    name=Text(id="Pangan olahan rumahan", en="Home-made food"),
    sector="kuliner",
    steps=(PACKAGING, PKP, PIRT, HALAL, TRADEMARK),
)

FASHION_PATHWAY = Pathway.chain(
    code="fashion",
    name=Text(id="Fesyen", en="Fashion"),
    sector="fesyen",
    steps=(PACKAGING, TRADEMARK),
)

#: Every built-in pathway.
BUILTIN_PATHWAYS: tuple[Pathway, ...] = (FOOD_PATHWAY, FASHION_PATHWAY)
