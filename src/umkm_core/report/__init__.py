"""The programme report for office staff and auditors: one self-contained HTML file.

:func:`render_report` returns the HTML of a programme's report (summary, seats by
district and wave, applicants against participants by district, sex and size class,
refusals and waits by reason, the waitlist, the follow-up funnels, certificates due for
renewal and the fairness audit); :func:`write_report` writes it atomically. Needs the
``report`` extra (Babel and matplotlib). The file makes no request of any kind: no
script, no web font, no external link; charts are inline SVG with a table of the same
numbers below each.
"""

from umkm_core.report._render import render_report, write_report

__all__ = ["render_report", "write_report"]
