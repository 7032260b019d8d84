"""The Tangerang 2017 report in a real browser: it loads offline, clean, with every chart drawn.

Debian's chromium (installed by ``make system-deps``) opens the file headless over the
DevTools protocol. The test asserts no console error, no exception, no network request
other than the file itself, counts the bars of every chart against the allocation, prints
the page on A4 and keeps a screenshot under ``out/`` for people to look at.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

from cdp_support import page
from report_support import followup_records, tangerang_2017
from umkm_core import Refused, Waitlisted
from umkm_core.audit import audit_allocation
from umkm_core.report import write_report

OUT = Path(__file__).resolve().parents[2] / "out"
SCREENSHOT = OUT / "report-tangerang-2017.png"

_CHARTS = """
[...document.querySelectorAll('figure[data-chart]')].map(f => {
  const svg = f.querySelector('svg');
  const box = svg.getBoundingClientRect();
  const marks = [...svg.querySelectorAll('g.mark > path')];
  return {
    id: f.dataset.chart,
    title: svg.querySelector(':scope > title').textContent,
    marks: marks.length,
    drawn: marks.filter(p => p.getBBox().width > 0).length,
    width: box.width,
    height: box.height,
    table: document.getElementById(f.dataset.chart + '-data') !== null,
  };
})
"""


def _expected_marks() -> tuple[list[int], list[int]]:
    """Bars per chart, and of them the non-zero ones, from the allocation itself."""
    run = tangerang_2017()
    allocation = run.allocation
    audit = audit_allocation(allocation, run.businesses)
    waves = allocation.program.waves
    seated = allocation.seated()
    districts = {run.businesses[b].region.value[:6] for b in seated}
    per_district_wave = Counter(
        (run.businesses[b].region.value[:6], w.number)
        for w in waves
        for b in allocation.seated(w.number)
    )
    refused: Counter[str] = Counter()
    waiting: Counter[str] = Counter()
    for outcome in allocation.outcomes:
        if isinstance(outcome, Refused):
            refused.update({r.code for r in outcome.reasons})
        elif isinstance(outcome, Waitlisted):
            waiting.update({r.code for r in outcome.reasons})
    codes = set(refused) | set(waiting)
    groups = {a.code: a.groups for a in audit.attributes}
    totals = [
        2 * len(waves),
        len(districts) * len(waves),
        *(2 * len(groups[c]) for c in ("district", "owner_sex", "size_class")),
        2 * len(codes),
        *(len(p.order) for p in run.plan.pathways),
        *(len(groups[a.code]) for a in audit.attributes),
    ]
    drawn = [
        2 * len(waves),
        len(per_district_wave),
        *(
            sum(g.applicants > 0 for g in groups[c]) + sum(g.seated > 0 for g in groups[c])
            for c in ("district", "owner_sex", "size_class")
        ),
        len(refused) + len(waiting),
    ]
    return totals, drawn


def test_the_report_loads_offline_without_errors_and_draws_every_chart(tmp_path: Path) -> None:
    run = tangerang_2017()
    report = write_report(
        tmp_path / "report.html",
        run.allocation,
        run.businesses,
        pathways=run.plan.pathways,
        records=followup_records(run),
        followup_as_of=dt.date(2019, 12, 31),
    )
    url = report.resolve().as_uri()
    with page(url) as browser:
        charts = browser.evaluate(_CHARTS)
        OUT.mkdir(exist_ok=True)
        browser.screenshot(str(SCREENSHOT))
        pdf = browser.pdf()
        events = list(browser.events)

    requests = [
        e["params"]["request"]["url"] for e in events if e["method"] == "Network.requestWillBeSent"
    ]
    assert requests == [url]
    assert not [e for e in events if e["method"] == "Network.loadingFailed"]
    assert not [e for e in events if e["method"] == "Runtime.exceptionThrown"]
    console = [
        e["params"]
        for e in events
        if e["method"] == "Runtime.consoleAPICalled"
        and e["params"]["type"] in ("error", "warning", "assert")
    ]
    assert console == []
    logged = [e["params"]["entry"] for e in events if e["method"] == "Log.entryAdded"]
    assert [entry for entry in logged if entry["level"] in ("error", "warning")] == []

    totals, drawn = _expected_marks()
    assert [c["marks"] for c in charts] == totals
    assert [c["drawn"] for c in charts][: len(drawn)] == drawn
    for chart in charts:
        assert chart["title"].strip()
        assert chart["table"], chart["id"]
        assert chart["width"] > 300
        assert chart["height"] > 100

    assert pdf.startswith(b"%PDF")
    # Printed on A4 by the print stylesheet: several pages, none of them empty.
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) >= 5
    assert SCREENSHOT.stat().st_size > 50_000
