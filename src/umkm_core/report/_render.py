"""The programme report: one self-contained HTML file, offline and printable on A4.

Numbers, Rupiah and dates are formatted by Babel for ``id_ID`` (``en_ID`` in English);
charts are matplotlib SVG inline; the page carries a Content-Security-Policy that
forbids every request, so even a mistake could not make it load anything.
This module is long because the report is one document; its sections are the
``_section_*`` functions, in page order.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import pathlib
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from umkm_core.adapters.tables import mask_personal
from umkm_core.allocation.engine import Accepted, Allocation, Outcome, Refused, Waitlisted
from umkm_core.audit import AuditAttribute, FairnessAudit, audit_allocation, builtin_attributes
from umkm_core.errors import UmkmError
from umkm_core.files import atomic_write
from umkm_core.followup.pathway import Pathway
from umkm_core.followup.queries import expiring, funnel
from umkm_core.followup.records import StepRecord, checked_records
from umkm_core.model.business import Business
from umkm_core.model.identifiers import RegionLevel
from umkm_core.model.regions import region_name
from umkm_core.report._charts import Series, bar_chart
from umkm_core.text import Lang, Text

__all__ = ["render_report", "write_report"]

_RANK = {"accepted": 0, "waitlisted": 1, "refused": 2}

_CSS = """
:root { --ink: #1b1b1b; --muted: #5a5a5a; --rule: #d0d0d0; --flag: #b00020; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink);
  margin: 0 auto; max-width: 190mm; padding: 12mm 8mm; background: #fff; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 14pt; margin: 9mm 0 3mm; border-bottom: 1px solid var(--rule); }
h3 { font-size: 11.5pt; margin: 6mm 0 2mm; }
p.meta, .note { color: var(--muted); font-size: 9.5pt; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 6mm; }
dl.summary dt { font-weight: bold; }
dl.summary dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 2mm 0 4mm; }
caption { text-align: left; font-weight: bold; padding: 1mm 0; }
th, td { border-bottom: 1px solid var(--rule); padding: 1mm 2mm; text-align: left;
  vertical-align: top; }
th { background: #f2f2f2; }
td { overflow-wrap: break-word; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap;
  overflow-wrap: normal; }
table.audit { font-size: 8pt; }
table.audit th, table.audit td { padding: 1mm 1.2mm; }
td.flag { color: var(--flag); font-weight: bold; }
figure { margin: 3mm 0; }
figcaption { font-size: 9pt; color: var(--muted); }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart * { stroke-linejoin: round; stroke-linecap: butt; }
code { font-size: 8.5pt; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  figure, tr, dl.summary { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""

# No request of any kind: no script, no font, no image from anywhere.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


class _Formats:
    """Babel formatting in the report's language."""

    def __init__(self, lang: Lang) -> None:
        try:
            from babel import dates, numbers  # noqa: PLC0415 - optional ("report" extra)
        except ImportError:
            raise _unavailable() from None
        self.lang = lang
        self.locale = "en_ID" if lang == "en" else "id_ID"
        self._dates = dates
        self._numbers = numbers

    def t(self, id: str, en: str) -> str:
        return en if self.lang == "en" else id

    def text(self, text: Text) -> str:
        return text.get(self.lang)

    def whole(self, value: float) -> str:
        return str(self._numbers.format_decimal(round(value), locale=self.locale))

    def number(self, value: float, digits: int = 2) -> str:
        pattern = "#,##0." + "0" * digits
        return str(self._numbers.format_decimal(value, format=pattern, locale=self.locale))

    def percent(self, value: float) -> str:
        return str(self._numbers.format_percent(value, format="#,##0.0%", locale=self.locale))

    def rupiah(self, value: float) -> str:
        return str(
            self._numbers.format_currency(
                round(value), "IDR", format="¤#,##0", currency_digits=False, locale=self.locale
            )
        )

    def date(self, value: dt.date) -> str:
        return str(self._dates.format_date(value, format="long", locale=self.locale))

    def p(self, value: float) -> str:
        return "< " + self.number(0.001, 3) if value < 0.001 else self.number(value, 3)


def _unavailable() -> UmkmError:
    return UmkmError(
        "report.unavailable",
        id="Laporan HTML butuh paket tambahan: pip install 'umkm-core[report]'.",
        en="The HTML report needs an extra: pip install 'umkm-core[report]'.",
    )


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _code(code: str) -> str:
    # A reason code may break after its dots on a narrow printed page.
    return "<code>" + _e(code).replace(".", ".<wbr>") + "</code>"


_CAPTION_ID = "Angka grafik ada di tabel berikut."
_CAPTION_EN = "The numbers are in the table below."


class _Page:
    """The HTML under construction, and the charts' running numbers."""

    def __init__(self, f: _Formats) -> None:
        self.f = f
        self.parts: list[str] = []
        self.charts = 0

    def add(self, *parts: str) -> None:
        self.parts.extend(parts)

    def table(
        self,
        caption: str,
        head: Sequence[tuple[str, bool]],
        rows: Iterable[Sequence[str]],
        *,
        cell_classes: Sequence[Sequence[str]] | None = None,
        table_id: str | None = None,
        css_class: str | None = None,
    ) -> None:
        """A table; ``head`` gives each column's title and whether it is numeric."""
        ident = f' id="{table_id}"' if table_id else ""
        if css_class:
            ident += f' class="{css_class}"'
        out = [f"<table{ident}><caption>{_e(caption)}</caption><thead><tr>"]
        out.extend(f'<th scope="col"{" class=n" if num else ""}>{_e(t)}</th>' for t, num in head)
        out.append("</tr></thead><tbody>")
        for r, row in enumerate(rows):
            out.append("<tr>")
            for c, (cell, (_, num)) in enumerate(zip(row, head, strict=True)):
                classes = ["n"] if num else []
                if cell_classes is not None and cell_classes[r][c]:
                    classes.append(cell_classes[r][c])
                attr = f' class="{" ".join(classes)}"' if classes else ""
                out.append(f"<td{attr}>{cell}</td>")
            out.append("</tr>")
        out.append("</tbody></table>")
        self.add("".join(out))

    def chart(
        self,
        title: str,
        categories: Sequence[str],
        series: Sequence[Series],
        *,
        value_label: str,
        percent: bool = False,
        stacked: bool = False,
        reference: float | None = None,
        reference_label: str | None = None,
    ) -> str:
        """A bar chart with, below it, the table of the same numbers (its text alternative)."""
        self.charts += 1
        chart_id = f"chart-{self.charts}"
        f = self.f
        fmt = f.percent if percent else f.whole
        svg = bar_chart(
            chart_id,
            title,
            categories,
            series,
            value_label=value_label,
            format_value=fmt,
            stacked=stacked,
            reference=reference,
            reference_label=reference_label,
            percent_axis=percent,
        )
        marks = len(categories) * len(series)
        self.add(
            f'<figure data-chart="{chart_id}" data-marks="{marks}" '
            f'aria-describedby="{chart_id}-data">{svg}'
            f"<figcaption>{_e(f.t(_CAPTION_ID, _CAPTION_EN))}</figcaption></figure>"
        )
        head = [("", False), *((s.label, True) for s in series)]
        rows = [
            [_e(cat), *(_e(fmt(s.values[i])) for s in series)] for i, cat in enumerate(categories)
        ]
        self.table(title, head, rows, table_id=f"{chart_id}-data")
        return chart_id

    def html(self, title: str, lang: Lang) -> str:
        body = "\n".join(self.parts)
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            f"{body}\n</body>\n</html>\n"
        )


def _best_outcomes(allocation: Allocation) -> dict[str, Outcome]:
    best: dict[str, Outcome] = {}
    for app, outcome in zip(allocation.applications, allocation.outcomes, strict=True):
        held = best.get(app.business_id)
        if held is None or _RANK[outcome.status] < _RANK[held.status]:
            best[app.business_id] = outcome
    return best


def _district(business: Business | None) -> str:
    if business is None:
        return "-"
    district = business.region.at_level(RegionLevel.DISTRICT)
    return region_name(district) if district is not None else str(business.region)


def _section_summary(page: _Page, allocation: Allocation, best: Mapping[str, Outcome]) -> None:
    f = page.f
    program = allocation.program
    statuses = Counter(o.status for o in best.values())
    start = min(w.start for w in program.waves)
    end = max(w.end for w in program.waves)
    venues = list(dict.fromkeys(w.venue.name for w in program.waves if w.venue is not None))
    rows = [
        (f.t("Program", "Programme"), f"{_e(program.title)} (<code>{_e(program.id)}</code>)"),
        (f.t("Penyelenggara", "Office"), _e(program.office_id)),
        (f.t("Tanggal", "Dates"), _e(f"{f.date(start)} – {f.date(end)}")),
        (f.t("Tempat", "Venue"), _e("; ".join(venues) or "-")),
        (f.t("Kursi", "Seats"), _e(f.whole(sum(w.seats for w in program.waves)))),
        (f.t("Pendaftar (usaha)", "Applicants (businesses)"), _e(f.whole(len(best)))),
        (f.t("Pendaftaran", "Applications"), _e(f.whole(len(allocation)))),
        (f.t("Mendapat kursi", "Seated"), _e(f.whole(statuses["accepted"]))),
        (f.t("Daftar tunggu", "Waitlisted"), _e(f.whole(statuses["waitlisted"]))),
        (f.t("Ditolak", "Refused"), _e(f.whole(statuses["refused"]))),
        (
            f.t("Kebijakan", "Policy"),
            _e(
                f"{f.text(allocation.policy.describe())}; "
                + f.t("syarat dinilai per ", "rules judged on ")
                + f.date(allocation.as_of)
            ),
        ),
    ]
    page.add(
        '<section id="summary"><h2>'
        + _e(f.t("Ringkasan", "Summary"))
        + '</h2><dl class="summary">',
        *(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in rows),
        "</dl></section>",
    )


def _section_seats(
    page: _Page, allocation: Allocation, businesses: Mapping[str, Business]
) -> None:
    f = page.f
    program = allocation.program
    taken = allocation.seats_taken()
    page.add('<section id="seats"><h2>' + _e(f.t("Kursi", "Seats")) + "</h2>")
    waves = [
        f"{f.t('Gelombang', 'Wave')} {w.number} ({w.sector}, {f.date(w.start)})"
        for w in program.waves
    ]
    page.chart(
        f.t("Kursi per gelombang", "Seats by wave"),
        waves,
        (
            Series(
                label=f.t("Kapasitas", "Capacity"),
                values=tuple(float(w.seats) for w in program.waves),
            ),
            Series(
                label=f.t("Terisi", "Taken"),
                values=tuple(float(taken[w.number]) for w in program.waves),
            ),
        ),
        value_label=f.t("Kursi", "Seats"),
    )
    by_district: dict[str, Counter[int]] = {}
    for wave in program.waves:
        for business_id in allocation.seated(wave.number):
            by_district.setdefault(_district(businesses.get(business_id)), Counter())[
                wave.number
            ] += 1
    districts = sorted(by_district, key=lambda d: (-sum(by_district[d].values()), d))
    page.chart(
        f.t("Kursi per kecamatan dan gelombang", "Seats by district and wave"),
        districts,
        tuple(
            Series(
                label=f"{f.t('Gelombang', 'Wave')} {w.number}",
                values=tuple(float(by_district[d][w.number]) for d in districts),
            )
            for w in program.waves
        ),
        value_label=f.t("Peserta", "Participants"),
        stacked=True,
    )
    page.add("</section>")


def _section_groups(
    page: _Page,
    audit: FairnessAudit,
    businesses: Mapping[str, Business],
    best: Mapping[str, Outcome],
    allocation: Allocation,
) -> None:
    f = page.f
    page.add(
        '<section id="applicants"><h2>'
        + _e(f.t("Pendaftar dan peserta", "Applicants and participants"))
        + "</h2>"
    )
    for code in ("district", "owner_sex", "size_class"):
        try:
            attribute = audit.attribute(code)
        except KeyError:
            continue
        title = f.text(attribute.title)
        page.chart(
            f.t(
                f"Pendaftar dan peserta per {title.lower()}",
                f"Applicants and seated by {title.lower()}",
            ),
            [f.text(g.label) for g in attribute.groups],
            (
                Series(
                    label=f.t("Pendaftar", "Applicants"),
                    values=tuple(float(g.applicants) for g in attribute.groups),
                ),
                Series(
                    label=f.t("Mendapat kursi", "Seated"),
                    values=tuple(float(g.seated) for g in attribute.groups),
                ),
            ),
            value_label=f.t("Usaha", "Businesses"),
        )
    _sales_by_size(page, audit, businesses, best, allocation)
    page.add("</section>")


def _sales_by_size(
    page: _Page,
    audit: FairnessAudit,
    businesses: Mapping[str, Business],
    best: Mapping[str, Outcome],
    allocation: Allocation,
) -> None:
    """Median annual sales (omzet) of applicants and seated per size class, in Rupiah."""
    f = page.f
    try:
        attribute = audit.attribute("size_class")
    except KeyError:
        return
    from umkm_core.audit import size_class_attribute  # noqa: PLC0415 - same judging

    judge = size_class_attribute(allocation.as_of).value_of
    sales: dict[str | None, tuple[list[int], list[int]]] = {}
    for business_id, outcome in best.items():
        business = businesses.get(business_id)
        if business is None:
            continue
        record = business.latest_financials(allocation.as_of)
        if record is None or record.annual_sales is None:
            continue
        pair = sales.setdefault(judge(business), ([], []))
        pair[0].append(record.annual_sales)
        if isinstance(outcome, Accepted):
            pair[1].append(record.annual_sales)

    def median(values: list[int]) -> str:
        return _e(f.rupiah(statistics.median(values))) if values else "-"

    page.table(
        f.t("Omzet tahunan median per skala usaha", "Median annual sales by size class"),
        [
            (f.t("Skala usaha", "Size class"), False),
            (f.t("Omzet median pendaftar", "Applicants' median sales"), True),
            (f.t("Omzet median peserta", "Participants' median sales"), True),
        ],
        [
            [
                _e(f.text(g.label)),
                median(sales.get(g.value, ([], []))[0]),
                median(sales.get(g.value, ([], []))[1]),
            ]
            for g in attribute.groups
        ],
    )


def _section_reasons(page: _Page, audit: FairnessAudit, best: Mapping[str, Outcome]) -> None:
    f = page.f
    refused: Counter[str] = Counter()
    waiting: Counter[str] = Counter()
    for outcome in best.values():
        if isinstance(outcome, Refused):
            refused.update(dict.fromkeys(r.code for r in outcome.reasons).keys())
        elif isinstance(outcome, Waitlisted):
            waiting.update(dict.fromkeys(r.code for r in outcome.reasons).keys())
    codes = sorted(set(refused) | set(waiting), key=lambda c: (-(refused[c] + waiting[c]), c))
    page.add(
        '<section id="reasons"><h2>'
        + _e(f.t("Alasan ditolak dan menunggu", "Why applicants were refused or wait"))
        + "</h2>"
    )
    if not codes:
        page.add(
            "<p>"
            + _e(f.t("Tidak ada yang ditolak atau menunggu.", "Nobody was refused or waits."))
            + "</p></section>"
        )
        return
    page.chart(
        f.t("Pendaftar per alasan", "Applicants by reason"),
        codes,
        (
            Series(
                label=f.t("Ditolak", "Refused"), values=tuple(float(refused[c]) for c in codes)
            ),
            Series(
                label=f.t("Menunggu", "Waiting"), values=tuple(float(waiting[c]) for c in codes)
            ),
        ),
        value_label=f.t("Pendaftar", "Applicants"),
    )
    page.table(
        f.t("Arti setiap kode alasan", "What each reason code means"),
        [
            (f.t("Kode", "Code"), False),
            (f.t("Alasan", "Reason"), False),
            (f.t("Ditolak", "Refused"), True),
            (f.t("Menunggu", "Waiting"), True),
        ],
        [
            [
                f"<code>{_e(c)}</code>",
                _e(f.text(audit.reasons.get(c, Text(c, c)))),
                _e(f.whole(refused[c])),
                _e(f.whole(waiting[c])),
            ]
            for c in codes
        ],
    )
    page.add("</section>")


def _section_waitlist(
    page: _Page,
    allocation: Allocation,
    businesses: Mapping[str, Business],
    *,
    reveal_personal_data: bool,
) -> None:
    f = page.f
    rows = []
    for decision in allocation.waitlist:
        outcome = decision.outcome
        assert isinstance(outcome, Waitlisted)
        business = businesses.get(decision.application.business_id)
        owner = business.owner.name if business is not None else None
        shown_owner = owner if reveal_personal_data else mask_personal(owner)
        rows.append(
            [
                _e(f.whole(outcome.position)),
                f"<code>{_e(decision.application.business_id)}</code>",
                _e(business.name if business is not None else "-"),
                _e(shown_owner or "-"),
                _e(_district(business)),
                _e(", ".join(str(w) for w in outcome.waves) or "-"),
                "; ".join(_code(c) for c in dict.fromkeys(r.code for r in outcome.reasons)),
            ]
        )
    page.add('<section id="waitlist"><h2>' + _e(f.t("Daftar tunggu", "Waitlist")) + "</h2>")
    if not reveal_personal_data:
        page.add(
            '<p class="note">'
            + _e(
                f.t(
                    "Nama pemilik disamarkan (data pribadi, UU 27/2022).",
                    "Owner names are masked (personal data, UU 27/2022).",
                )
            )
            + "</p>"
        )
    page.table(
        f.t("Daftar tunggu, menurut urutan", "Waitlist, in order"),
        [
            ("#", True),
            (f.t("No registrasi", "Business id"), False),
            (f.t("Nama usaha", "Business name"), False),
            (f.t("Pemilik", "Owner"), False),
            (f.t("Kecamatan", "District"), False),
            (f.t("Gelombang terbuka", "Open waves"), False),
            (f.t("Kode alasan", "Reason codes"), False),
        ],
        rows,
        table_id="waitlist-table",
    )
    page.add("</section>")


def _section_followup(
    page: _Page,
    allocation: Allocation,
    *,
    businesses: Mapping[str, Business],
    pathways: Sequence[Pathway],
    records: Sequence[StepRecord],
    as_of: dt.date,
    renewal_within: dt.timedelta,
) -> None:
    f = page.f
    seated = list(dict.fromkeys(allocation.seated()))
    program_end = max(w.end for w in allocation.program.waves)
    page.add(
        '<section id="followup"><h2>'
        + _e(f.t("Tindak lanjut", "Follow-up"))
        + "</h2>"
        + '<p class="meta">'
        + _e(f.t("Per ", "As of ") + f.date(as_of))
        + "</p>"
    )
    for pathway in pathways:
        members = [
            b
            for b in seated
            if pathway.sector is None
            or (b in businesses and businesses[b].sector == pathway.sector)
        ]
        result = funnel(members, pathway, records, as_of, start=program_end)
        name = f.text(pathway.name)
        page.add(f"<h3>{_e(name)}</h3>")
        page.chart(
            f.t(
                f"Corong: {name} ({result.participants} peserta)",
                f"Funnel: {name} ({result.participants} participants)",
            ),
            [f.text(r.kind.name) for r in result.rows],
            (
                Series(
                    label=f.t("Tercapai", "Reached"),
                    values=tuple(float(r.reached) for r in result.rows),
                ),
            ),
            value_label=f.t("Peserta", "Participants"),
        )
        page.table(
            f.t(f"Corong {name}: rincian", f"Funnel {name}: details"),
            [
                (f.t("Langkah", "Step"), False),
                (f.t("Tercapai", "Reached"), True),
                (f.t("Porsi", "Share"), True),
                (f.t("Dibebaskan", "Waived"), True),
                (f.t("Median hari", "Median days"), True),
            ],
            [
                [
                    _e(f.text(r.kind.name)),
                    _e(f.whole(r.reached)),
                    _e(f.percent(r.share)),
                    _e(f.whole(r.waived)),
                    "-" if r.median_days is None else _e(f.number(r.median_days, 1)),
                ]
                for r in result.rows
            ],
        )
    participants = set(seated)
    due = expiring([r for r in records if r.business_id in participants], renewal_within, as_of)
    page.add(
        "<h3>"
        + _e(f.t("Sertifikat yang perlu diperpanjang", "Certificates due for renewal"))
        + "</h3>"
    )
    if not due:
        page.add(
            "<p>"
            + _e(
                f.t(
                    f"Tidak ada sertifikat peserta yang habis dalam {renewal_within.days} hari.",
                    f"No participant's certificate expires within {renewal_within.days} days.",
                )
            )
            + "</p></section>"
        )
        return
    page.table(
        f.t(
            f"Berakhir dalam {renewal_within.days} hari atau sudah berakhir",
            f"Expiring within {renewal_within.days} days, or expired",
        ),
        [
            (f.t("No registrasi", "Business id"), False),
            (f.t("Nama usaha", "Business name"), False),
            (f.t("Sertifikat", "Certificate"), False),
            (f.t("Berlaku sampai", "Expires on"), False),
            (f.t("Sisa hari", "Days left"), True),
            (f.t("Perpanjangan", "Renewal"), False),
        ],
        [
            [
                f"<code>{_e(e.record.business_id)}</code>",
                _e(
                    businesses[e.record.business_id].name
                    if e.record.business_id in businesses
                    else "-"
                ),
                _e(f.text(e.record.kind.name)),
                _e(f.date(e.expires_on)),
                _e(f.whole(e.days_left)),
                _e(
                    f.t("bisa sekarang", "open now")
                    if e.can_renew_now
                    else (
                        f.t("mulai ", "opens ") + f.date(e.renewal_opens)
                        if e.renewal_opens
                        else "-"
                    )
                ),
            ]
            for e in due
        ],
        table_id="expiring-table",
    )
    page.add("</section>")


def _section_audit(page: _Page, audit: FairnessAudit) -> None:
    f = page.f
    page.add(
        '<section id="audit"><h2>'
        + _e(f.t("Audit keadilan", "Fairness audit"))
        + "</h2>"
        + '<p class="note">'
        + _e(
            f.t(
                "Tingkat seleksi = peserta / pendaftar. Rasio = tingkat kelompok / tingkat "
                "kelompok terbaik; di bawah 0,8 ditandai (aturan empat per lima). Uji "
                "khi-kuadrat Pearson untuk semua kelompok, uji eksak Fisher untuk tiap "
                "kelompok terhadap sisanya.",
                "Selection rate = seated / applicants. Ratio = the group's rate / the best-served "
                "group's; under 0.8 is flagged (four-fifths rule). Pearson's chi-square test over "
                "all groups, Fisher's exact test of each group against the rest.",
            )
        )
        + "</p>"
    )
    for attribute in audit.attributes:
        title = f.text(attribute.title)
        page.add(f"<h3>{_e(title)}</h3>")
        test = attribute.chi_square
        if test is None:
            line = f.t("Uji khi-kuadrat tidak dapat dihitung.", "No chi-square test possible.")
        else:
            line = (
                f.t("Khi-kuadrat", "Chi-square")
                + f" = {f.number(test.statistic)}, "
                + f.t("db", "df")
                + f" = {test.df}, p = {f.p(test.p_value)}"
                + (
                    ""
                    if test.reliable
                    else f.t(
                        " (frekuensi harapan kecil: baca uji eksak per kelompok)",
                        " (small expected counts: read the per-group exact tests)",
                    )
                )
            )
        page.add(f'<p class="meta">{_e(line)}</p>')
        groups = attribute.groups
        best = max((g.selection_rate for g in groups), default=0.0)
        page.chart(
            f.t(f"Tingkat seleksi per {title.lower()}", f"Selection rate by {title.lower()}"),
            [f.text(g.label) for g in groups],
            (
                Series(
                    label=f.t("Tingkat seleksi", "Selection rate"),
                    values=tuple(g.selection_rate for g in groups),
                ),
            ),
            value_label=f.t("Peserta / pendaftar", "Seated / applicants"),
            percent=True,
            reference=0.8 * best if best > 0 else None,
            reference_label=f.t("4/5 dari tingkat terbaik", "4/5 of the best rate"),
        )
        rows, classes = [], []
        for g in groups:
            rows.append(
                [
                    _e(f.text(g.label)),
                    _e(f.whole(g.applicants)),
                    _e(f.percent(g.applicant_share)),
                    _e(f.whole(g.seated)),
                    _e(f.percent(g.seated_share)),
                    _e(f.percent(g.selection_rate)),
                    "-" if g.impact_ratio is None else _e(f.number(g.impact_ratio)),
                    _e(f.t("ya", "yes") if g.four_fifths_flag else ""),
                    _e(f.p(g.p_value)),
                    ", ".join(f"{_code(r.code)}&nbsp;({r.count})" for r in g.refusals) or "-",
                ]
            )
            classes.append(
                [
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "flag" if g.four_fifths_flag else "",
                    "flag" if g.p_value < audit.alpha else "",
                    "",
                ]
            )
        page.table(
            f.t(f"Audit per {title.lower()}", f"Audit by {title.lower()}"),
            [
                (f.t("Kelompok", "Group"), False),
                (f.t("Pendaftar", "Applicants"), True),
                (f.t("% pendaftar", "% applicants"), True),
                (f.t("Peserta", "Seated"), True),
                (f.t("% peserta", "% seated"), True),
                (f.t("Tingkat", "Rate"), True),
                (f.t("Rasio", "Ratio"), True),
                ("< 4/5", False),
                ("p (Fisher)", True),
                (f.t("Ditolak karena", "Refused by"), False),
            ],
            rows,
            cell_classes=classes,
            css_class="audit",
        )
    page.add("</section>")


def render_report(
    allocation: Allocation,
    businesses: Mapping[str, Business] | Iterable[Business],
    *,
    lang: Lang | str = "id",
    pathways: Sequence[Pathway] = (),
    records: Iterable[StepRecord] = (),
    followup_as_of: dt.date | None = None,
    renewal_within: dt.timedelta = dt.timedelta(days=180),
    audit: FairnessAudit | None = None,
    audit_attributes: Sequence[AuditAttribute] | None = None,
    sector_names: Mapping[str, Text] | None = None,
    reveal_personal_data: bool = False,
) -> str:
    """The programme report as one self-contained HTML document.

    :param allocation: the allocation of the programme.
    :param businesses: the register it judged (by id, or an iterable).
    :param lang: ``"id"`` (default) or ``"en"``.
    :param pathways: the follow-up pathways (a plan's ``pathways``); each gets a funnel of
        the seated businesses of its sector.
    :param records: the follow-up step records, for the funnels and the renewals due.
    :param followup_as_of: the day the follow-up is reported on; the programme's last
        day by default.
    :param renewal_within: how far ahead certificates due for renewal are listed.
    :param audit: the fairness audit to show; computed with ``audit_attributes`` when
        ``None``.
    :param audit_attributes: the attributes of the audit (built-ins by default; add a
        registry's plugin attributes).
    :param sector_names: display names of sector codes (a registry's sectors), for the
        built-in sector attribute.
    :param reveal_personal_data: show owner names in the waitlist unmasked.
    :returns: the HTML text.
    :raises UmkmError: ``report.unavailable`` without the ``report`` extra.
    :raises ValidationError: ``query.bad_record`` for a record that is not a
        :class:`~umkm_core.StepRecord`.
    """
    language: Lang = "en" if lang == "en" else "id"
    f = _Formats(language)
    index = businesses if isinstance(businesses, Mapping) else {b.id: b for b in businesses}
    if audit is None:
        attributes = audit_attributes
        if attributes is None:
            attributes = builtin_attributes(allocation.as_of, sector_names=sector_names)
        audit = audit_allocation(allocation, index, attributes=attributes)
    kept = list(checked_records(records))
    program = allocation.program
    as_of = followup_as_of or max(w.end for w in program.waves)
    best = _best_outcomes(allocation)
    page = _Page(f)
    title = f.t("Laporan program", "Programme report") + f": {program.title}"
    page.add(
        f"<header><h1>{_e(title)}</h1>"
        '<p class="meta">'
        + _e(
            f.t(
                "Disusun dari hasil seleksi dan catatan tindak lanjut.",
                "Built from the allocation and the follow-up records.",
            )
        )
        + "</p></header>"
    )
    _section_summary(page, allocation, best)
    _section_seats(page, allocation, index)
    _section_groups(page, audit, index, best, allocation)
    _section_reasons(page, audit, best)
    _section_waitlist(page, allocation, index, reveal_personal_data=reveal_personal_data)
    _section_followup(
        page,
        allocation,
        businesses=index,
        pathways=pathways,
        records=kept,
        as_of=as_of,
        renewal_within=renewal_within,
    )
    _section_audit(page, audit)
    return page.html(title, language)


def write_report(
    path: str | os.PathLike[str],
    allocation: Allocation,
    businesses: Mapping[str, Business] | Iterable[Business],
    *,
    lang: Lang | str = "id",
    pathways: Sequence[Pathway] = (),
    records: Iterable[StepRecord] = (),
    followup_as_of: dt.date | None = None,
    renewal_within: dt.timedelta = dt.timedelta(days=180),
    audit: FairnessAudit | None = None,
    audit_attributes: Sequence[AuditAttribute] | None = None,
    sector_names: Mapping[str, Text] | None = None,
    reveal_personal_data: bool = False,
) -> pathlib.Path:
    """Write :func:`render_report` to ``path``, atomically (temporary file, then rename).

    The file is created readable by its owner only (0600) when it reveals personal
    data, and with the usual permissions (0644 less the umask) when everything is masked.
    If anything fails, an existing file at ``path`` is left as it was.

    :param path: the HTML file to write.
    :param allocation: as for :func:`render_report`, like every other parameter.
    :param businesses: the register the allocation judged.
    :param lang: ``"id"`` (default) or ``"en"``.
    :param pathways: the follow-up pathways.
    :param records: the follow-up step records.
    :param followup_as_of: the day the follow-up is reported on.
    :param renewal_within: how far ahead renewals are listed.
    :param audit: the fairness audit, or ``None`` to compute it.
    :param audit_attributes: the audit's attributes.
    :param sector_names: display names of sectors.
    :param reveal_personal_data: show owner names unmasked (the file is then 0600).
    :returns: the path written.
    :raises UmkmError: ``report.unavailable`` without the ``report`` extra.
    """
    text = render_report(
        allocation,
        businesses,
        lang=lang,
        pathways=pathways,
        records=records,
        followup_as_of=followup_as_of,
        renewal_within=renewal_within,
        audit=audit,
        audit_attributes=audit_attributes,
        sector_names=sector_names,
        reveal_personal_data=reveal_personal_data,
    )
    target = pathlib.Path(path)
    with atomic_write(target, private=reveal_personal_data) as stream:
        stream.write(text.encode("utf-8"))
    return target
