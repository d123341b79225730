# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rdp-compliance.csv: one row per host and control, for spreadsheets.

A host that was not reached has one row with its status and message and no control. Every cell is
neutralized against formula injection: a cell starting with = + - @ tab or carriage return (also after
spaces) gets a leading apostrophe, so spreadsheets show it as text instead of evaluating it (OWASP's
advice). Pure Python.
"""

from __future__ import annotations

import csv
import functools
import io

from . import report_view
from .report_text import printable

COLUMNS = ("host", "host_status", "control", "title", "area", "cause", "status", "expected", "actual", "source",
           "reason", "remediation", "waiver_state", "waiver_reason", "waiver_owner", "waiver_expires", "outcome", "why",
           "message")
FORMULA_START = frozenset(("=", "+", "-", "@", "\t", "\r"))


def cell(value) -> str:
    return _neutral(report_view.value_text(value))


@functools.lru_cache(maxsize=1 << 16)
def _neutral(text: str) -> str:
    # A fleet repeats the same titles, statuses and values on every host: each is neutralized once.
    text = printable(text)
    # Leading spaces are skipped too: some spreadsheets trim them on import.
    return "'" + text if text.lstrip(" ")[:1] in FORMULA_START else text


def rows(report):
    """The table as lists of cells, header first."""
    table = [list(COLUMNS)]
    by_host = {}
    for row in report_view.control_rows(report):
        by_host.setdefault(row["host"], []).append(row)
    for name, entry in report_view.hosts(report):
        message = entry.get("message") or ""
        if name not in by_host:
            table.append([cell(v) for v in (name, entry.get("status"))] + [""] * (len(COLUMNS) - 3) + [cell(message)])
            continue
        for row in by_host[name]:
            values = dict(row, control=row["id"], message=message)
            table.append([cell(values.get(column)) for column in COLUMNS])
    return table


def render(report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows(report))
    return buffer.getvalue()
