"""Built-in sectors: kuliner, fesyen, perdagangan and jasa.

Food and fashion are the reference story's two waves; trade and services are coached by
city offices too.

KBLI codes are from the 2020 edition; the Nice classes are those DJKI applicants in the
sector file their marks under most often. Each sector's ``aliases`` are the words
rosters use for it. Crafts are deliberately not built in: the example third-party
plugin adds them, through the same hook.
"""

from __future__ import annotations

from collections.abc import Iterator

from umkm_core import KBLI, Sector, Text, hookimpl

__all__ = ["FASHION", "FOOD", "SERVICES", "TRADE", "umkm_sectors"]


def _kbli(*codes: str) -> frozenset[KBLI]:
    return frozenset(KBLI(code) for code in codes)


#: Makanan dan minuman: processed food, drinks, restaurants, stalls and catering.
FOOD = Sector(
    code="kuliner",
    name=Text(id="Kuliner", en="Food"),
    kbli=_kbli(
        "10710",  # bread and cakes
        "10750",  # prepared meals
        "10792",  # wet cakes (kue basah)
        "10794",  # crackers and chips (kerupuk, keripik)
        "10796",  # dodol
        "10799",  # other food
        "11040",  # soft drinks
        "56101",  # restaurants
        "56102",  # food stalls (warung)
        "56210",  # event catering
    ),
    nice_classes=frozenset({29, 30, 32, 43}),
    default_pathways=("food",),
    description=Text(
        id="Makanan olahan, minuman, rumah makan, warung dan katering.",
        en="Processed food, drinks, restaurants, food stalls and catering.",
    ),
    aliases=frozenset({"makanan", "makanan minuman", "mamin", "culinary"}),
)

#: Fesyen: clothing, tailoring, embroidery, leather goods and footwear.
FASHION = Sector(
    code="fesyen",
    name=Text(id="Fesyen", en="Fashion"),
    kbli=_kbli(
        "14111",  # ready-made clothing
        "14120",  # tailoring
        "14302",  # embroidery (bordir)
        "15121",  # personal leather goods
        "15201",  # footwear
    ),
    nice_classes=frozenset({14, 18, 24, 25}),
    default_pathways=("fashion",),
    description=Text(
        id="Pakaian jadi, jahit, bordir, barang kulit dan alas kaki.",
        en="Ready-made clothing, tailoring, embroidery, leather goods and footwear.",
    ),
    aliases=frozenset({"busana", "pakaian", "konveksi"}),
)

#: Perdagangan: retail shops and stalls (toko kelontong, minimarket, toserba).
TRADE = Sector(
    code="perdagangan",
    name=Text(id="Perdagangan", en="Trade"),
    kbli=_kbli(
        "47111",  # retail, mainly food, drink or tobacco, in non-specialised stores
        "47191",  # retail, mainly non-food, in non-specialised stores
    ),
    description=Text(
        id="Perdagangan eceran: toko kelontong, minimarket dan toserba.",
        en="Retail trade: corner shops, minimarkets and department stores.",
    ),
    aliases=frozenset({"dagang", "toko"}),
)

#: Jasa: personal and household services.
SERVICES = Sector(
    code="jasa",
    name=Text(id="Jasa", en="Services"),
    kbli=_kbli(
        "95230",  # repair of footwear and leather goods
        "96011",  # laundry
    ),
    description=Text(
        id="Jasa perorangan dan rumah tangga: binatu, reparasi.",
        en="Personal and household services: laundry, repairs.",
    ),
    aliases=frozenset({"layanan"}),
)


@hookimpl
def umkm_sectors() -> Iterator[Sector]:
    """The built-in sectors."""
    yield FOOD
    yield FASHION
    yield TRADE
    yield SERVICES
