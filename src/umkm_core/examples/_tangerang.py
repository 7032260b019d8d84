"""The generator of the Kota Tangerang 2017 example's roster and applications.

Every name, NIK and phone number is invented; the seed fixes every byte, so the files in
``examples/tangerang-2017/`` and those written by :func:`write_files` are identical.
The roster holds the 10,555 businesses of the Bidang UMKM's register (12 of them coached
only since 2018, 10 located outside the city), plus rows an office's roster has: numbers
Excel damaged, a business entered twice, a blank row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

from umkm_core.files import atomic_write

__all__ = ["write_files"]

SEED = 20171219
REGISTER = 10_555  # businesses on the register (Bidang UMKM, 2017)
COACHED = REGISTER - 22  # ... of which 12 joined in 2018 and 10 are outside the city

DISTRICTS = [f"3671{n:02d}" for n in range(1, 14)]
DISTRICT_NAMES = [
    "Tangerang", "Jatiuwung", "Batuceper", "Benda", "Cipondoh", "Ciledug", "Karawaci",
    "Periuk", "Cibodas", "Neglasari", "Pinang", "Karang Tengah", "Larangan",
]  # fmt: skip
OUTSIDE = ["360301", "360302", "367401", "367402"]  # Kab. Tangerang, Tangerang Selatan
FIRST_F = [
    "Siti",
    "Dewi",
    "Sri",
    "Nur",
    "Rina",
    "Ani",
    "Yanti",
    "Lestari",
    "Putri",
    "Ratna",
    "Wulan",
    "Indah",
    "Fitri",
    "Maya",
    "Rahma",
    "Eka",
    "Tuti",
    "Endang",
    "Yuli",
    "Ika",
]
FIRST_M = [
    "Budi",
    "Agus",
    "Ahmad",
    "Andi",
    "Dedi",
    "Eko",
    "Hendra",
    "Joko",
    "Rudi",
    "Wahyu",
    "Rizky",
    "Fajar",
    "Hadi",
    "Iwan",
    "Slamet",
    "Bambang",
    "Yusuf",
    "Arif",
    "Dani",
    "Asep",
]
LAST = [
    "Rahayu",
    "Wati",
    "Susanti",
    "Hidayat",
    "Saputra",
    "Santoso",
    "Setiawan",
    "Pratama",
    "Kurniawan",
    "Nugroho",
    "Lubis",
    "Siregar",
    "Wijaya",
    "Halim",
    "Gunawan",
    "Permana",
    "Hakim",
    "Maulana",
    "Fauzi",
    "Sari",
]
SECTORS = [  # (word in the roster, share, KBLI codes, product words)
    ("Makanan", 0.45, ["10710", "10750", "10792", "10794", "10796", "10799", "56102"],
     ["Dodol", "Keripik", "Kue", "Sambal", "Roti", "Abon", "Kerupuk", "Rendang"]),
    ("Fesyen", 0.25, ["14111", "14120", "14302", "15121", "15201"],
     ["Busana", "Kaos", "Bordir", "Tas", "Sepatu", "Hijab", "Konveksi"]),
    ("Kriya", 0.15, ["13134", "16291", "16293", "32903"],
     ["Batik", "Anyaman", "Ukiran", "Kerajinan"]),
    ("Perdagangan", 0.10, ["47111", "47191"], ["Toko", "Warung"]),
    ("Jasa", 0.05, ["96011", "95230"], ["Laundry", "Servis"]),
]  # fmt: skip
HEADERS = [
    "No Registrasi", "Nama Usaha", "Nama Pemilik", "NIK", "NIB", "No HP", "Jenis Kelamin",
    "Kecamatan", "Kode Wilayah", "Alamat", "Sektor", "KBLI", "Omzet", "Aset", "Tahun",
    "Binaan Sejak",
]  # fmt: skip


def _rupiah(amount: int) -> str:
    return "Rp" + f"{amount:,}".replace(",", ".")


class _Maker:
    """Invents businesses, deterministically from the seed."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.niks: set[str] = set()
        self.nibs: set[str] = set()

    def nik(self, district: str, female: bool) -> str:
        while True:
            born = dt.date(1955, 1, 1) + dt.timedelta(days=self.rng.randrange(0, 365 * 45))
            day = born.day + (40 if female else 0)
            serial = self.rng.randrange(1, 10_000)
            value = f"{district}{day:02d}{born:%m%y}{serial:04d}"
            if value not in self.niks:
                self.niks.add(value)
                return value

    def nib(self) -> str:
        while True:
            value = f"{self.rng.randrange(10**12, 10**13):013d}"
            if value not in self.nibs:
                self.nibs.add(value)
                return value

    def sales(self, size: str) -> tuple[int, int]:
        """Annual sales and net assets for a size class under UU 20/2008."""
        r = self.rng
        if size == "mikro":
            return r.randrange(24, 290) * 1_000_000, r.randrange(5, 48) * 1_000_000
        if size == "kecil":
            return r.randrange(320, 2_400) * 1_000_000, r.randrange(60, 480) * 1_000_000
        return r.randrange(3_000, 20_000) * 1_000_000, r.randrange(600, 5_000) * 1_000_000

    def business(
        self,
        number: int,
        *,
        sector: int | None = None,
        size: str | None = None,
        district: str | None = None,
        since: dt.date | None = None,
    ) -> dict[str, str]:
        r = self.rng
        if sector is None:
            sector = r.choices(range(len(SECTORS)), [s[1] for s in SECTORS])[0]
        word, _share, kblis, products = SECTORS[sector]
        female = r.random() < 0.62
        first = r.choice(FIRST_F if female else FIRST_M)
        owner = f"{first} {r.choice(LAST)}"
        district = district or r.choice(DISTRICTS)
        size = size or r.choices(["mikro", "kecil", "menengah"], [0.86, 0.12, 0.02])[0]
        sales, assets = self.sales(size)
        since = since or dt.date(2010, 1, 1) + dt.timedelta(days=r.randrange(0, 365 * 7 + 300))
        name_district = DISTRICT_NAMES[DISTRICTS.index(district)] if district in DISTRICTS else ""
        return {
            "No Registrasi": f"TNG-{number:05d}",
            "Nama Usaha": f"{r.choice(products)} {first}",
            "Nama Pemilik": owner,
            "NIK": self.nik(district, female),
            "NIB": self.nib() if r.random() < 0.55 else "",
            "No HP": f"08{r.randrange(11, 99)}-{r.randrange(1000, 9999)}-{r.randrange(100, 9999)}",
            "Jenis Kelamin": "P" if female else "L",
            "Kecamatan": name_district,
            "Kode Wilayah": ""
            if name_district
            else f"{district[:2]}.{district[2:4]}.{district[4:]}",
            "Alamat": f"Jl. {r.choice(LAST)} No. {r.randrange(1, 250)}",
            "Sektor": word,
            "KBLI": r.choice(kblis),
            "Omzet": _rupiah(sales),
            "Aset": _rupiah(assets),
            "Tahun": "2016",
            "Binaan Sejak": since.strftime("%d/%m/%Y"),
        }


def write_files(folder: Path) -> None:
    """Write ``roster.csv`` and ``applications.csv`` of the example into ``folder``."""
    m = _Maker()
    r = m.rng
    rows: list[dict[str, str]] = [m.business(n) for n in range(1, COACHED + 1)]
    # Applicants the programme must refuse, hidden among the coached: coached only since
    # 2018, outside the city, too large (menengah).
    late = [m.business(n, since=dt.date(2018, 2, 1) + dt.timedelta(days=n % 200))
            for n in range(COACHED + 1, COACHED + 13)]  # fmt: skip
    outside = [
        m.business(n, district=r.choice(OUTSIDE)) for n in range(COACHED + 13, COACHED + 23)
    ]
    rows += late + outside
    # What Excel and people do to a roster: each of these rows is refused on import.
    damaged = [m.business(n) for n in range(COACHED + 23, COACHED + 31)]
    damaged[0]["NIK"] = f"{int(damaged[0]['NIK']) / 1e15:.5f}E+15"  # scientific notation
    damaged[1]["NIB"] = damaged[1]["NIB"][1:] or "912345678901"  # lost its leading zero
    damaged[2]["NIK"] = damaged[2]["NIK"] + ".0"  # stray decimal
    damaged[3]["Omzet"] = "sekitar 5 juta"
    damaged[4]["Nama Pemilik"] = ""
    damaged[5]["Kecamatan"] = "Serpong Utara"
    damaged[6]["No HP"] = "12345"
    damaged[7]["Binaan Sejak"] = "31/02/2016"
    twice = dict(rows[r.randrange(0, COACHED // 3)])  # the same business entered twice
    twice["No Registrasi"] = f"TNG-{COACHED + 31:05d}"
    for row in damaged:
        rows.insert(r.randrange(0, len(rows)), row)
    rows.insert(r.randrange(len(rows) // 2, len(rows)), twice)
    rows.insert(r.randrange(0, len(rows)), dict.fromkeys(HEADERS, ""))

    # Applications: food and fashion businesses of the register, with the refusals above.
    by_sector: dict[str, list[dict[str, str]]] = {"Makanan": [], "Fesyen": []}
    for row in rows[: len(rows)]:
        if (
            row["Sektor"] in by_sector
            and row["No Registrasi"].startswith("TNG-")
            and int(row["No Registrasi"][4:]) <= COACHED
        ):
            by_sector[row["Sektor"]].append(row)
    applicants = r.sample(by_sector["Makanan"], 150) + r.sample(by_sector["Fesyen"], 120)
    applicants += [b for b in late + outside if b["Sektor"] in by_sector]
    for b in r.sample(applicants[:270], 6):  # too large for the programme: menengah
        sales, assets = m.sales("menengah")
        b["Omzet"], b["Aset"] = _rupiah(sales), _rupiah(assets)
    roster = io.StringIO()
    writer = csv.DictWriter(roster, HEADERS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    _write_whole(folder / "roster.csv", roster.getvalue().encode("utf-8-sig"))

    opened = dt.datetime(2017, 11, 20, 8, 0)
    applications = []
    for b in applicants:
        at = opened + dt.timedelta(minutes=r.randrange(0, 60 * 24 * 18))
        wave = "1" if b["Sektor"] == "Makanan" else "2"
        applications.append((at, b["No Registrasi"], wave))
    for b in r.sample(applicants, 6):  # applied twice
        at = opened + dt.timedelta(minutes=r.randrange(0, 60 * 24 * 18))
        applications.append((at, b["No Registrasi"], "1" if b["Sektor"] == "Makanan" else "2"))
    applications.sort()
    table = io.StringIO()
    writer2 = csv.writer(table, lineterminator="\n")
    writer2.writerow(["no_registrasi", "waktu_daftar", "gelombang"])
    for at, business_id, wave in applications:
        writer2.writerow([business_id, at.strftime("%Y-%m-%dT%H:%M:00+07:00"), wave])
    _write_whole(folder / "applications.csv", table.getvalue().encode("utf-8"))


def _write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (synthetic data: readable by all)."""
    with atomic_write(path, private=False) as stream:
        stream.write(data)
