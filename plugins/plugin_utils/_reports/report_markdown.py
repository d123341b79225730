# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rdp-compliance.md: the fleet report as Markdown (GitHub-flavoured tables), for tickets and chat.

Every value is escaped: Markdown punctuation gets a backslash (so '|' cannot split a table cell and
'<' cannot open HTML), line breaks become spaces. Long tables stop at ``max_rows`` rows and point to the
CSV, which has them all. Pure Python.
"""

from __future__ import annotations

import re

from . import report_view
from .report_text import one_line

MAX_ROWS = 200
# CommonMark lets a backslash escape any ASCII punctuation. These have a meaning in table cells (@ and # also
# mention people and link issues in ticket systems, $ starts math in some renderers).
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&$@])")
# GitHub-flavoured Markdown turns bare URLs and www. names into links; an escaped ':' or '.' prevents it.
_AUTOLINK = re.compile(r"(?i)(://|(?<![\w.-])www\.)")


def md(value) -> str:
    """A value as Markdown text that renders exactly as the text."""
    text = _SPECIAL.sub(r"\\\1", one_line(report_view.value_text(value)))
    return _AUTOLINK.sub(lambda match: "\\://" if match.group(1) == "://" else match.group(1)[:3] + "\\.", text)


def _table(header, rows, align=None):
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join(align or ["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _summary(report):
    summary = report.get("summary") or {}
    hosts = summary.get("hosts", 0)
    drifted = hosts - summary.get("compliant", 0)
    verdict = ("**All hosts are compliant.**" if drifted == 0
               else f"**{drifted} of {hosts} hosts are not compliant.**")
    lines = [f"Generated {md(report.get('generated_at'))}. {verdict}", ""]
    lines += _table(["Hosts", "Compliant", "Not compliant", "Unreachable", "Error"],
                    [[str(summary.get(key, 0)) for key in ("hosts", "compliant", "non_compliant", "unreachable",
                                                           "error")]],
                    ["---:"] * 5)
    return lines


def _failing(report, max_rows):
    rows = report_view.failing_rows(report)
    lines = ["", f"## Failing controls ({len(rows)})", ""]
    if not rows:
        return lines + ["None."]
    lines += _table(["Host", "Control", "Status", "Expected", "Actual", "Source", "Fix"], [
        [md(row["host"]), md(row["id"]), md(row["status"]), md(row["expected"]), md(row["actual"]),
         md(row["source"]), md(row["reason"] if row["status"] == "error" else row["remediation"])]
        for row in rows[:max_rows]])
    if len(rows) > max_rows:
        lines += ["", f"Only the first {max_rows} of {len(rows)} rows are shown; rdp-compliance.csv has them all."]
    return lines


def _by_control(report):
    counts = report_view.counts_by_control(report)
    failing = [(cid, entry) for cid, entry in counts.items() if entry["fail"] or entry["error"]]
    if not failing:
        return []
    failing.sort(key=lambda item: (-(item[1]["fail"] + item[1]["error"]), item[0]))
    lines = ["", "## Hosts failing each control", ""]
    return lines + _table(["Control", "Area", "Failing hosts", "Title"], [
        [md(cid), md(entry["area"]), str(entry["fail"] + entry["error"]), md(entry["title"])]
        for cid, entry in failing], ["---", "---", "---:", "---"])


def _unreached(report):
    rows = report_view.unreached_hosts(report)
    if not rows:
        return []
    lines = ["", f"## Hosts not audited ({len(rows)})", ""]
    cells = [[md(name), md(status), md(message)] for name, status, message in rows]
    return lines + _table(["Host", "Status", "Message"], cells)


def _findings(report):
    rows = report_view.findings(report)
    if not rows:
        return []
    lines = ["", f"## Access-log findings ({len(rows)})", ""]
    return lines + _table(["Host", "Severity", "Finding", "Message"], [[md(cell) for cell in row] for row in rows])


def _waivers(report):
    waivers = report_view.waivers(report)
    if not waivers:
        return []
    lines = ["", f"## Waivers ({len(waivers)})", ""]
    return lines + _table(["Control", "Hosts", "Owner", "Expires", "Days left", "State", "Waived on", "Reason"], [
        [md(w.get("control")), md(w.get("hosts")), md(w.get("owner")), md(w.get("expires")),
         md(w.get("days_left")), md(w.get("state")), md(w.get("applied_to")), md(w.get("reason"))]
        for w in waivers])


def render(report, max_rows=MAX_ROWS) -> str:
    lines = ["# RDP compliance report", ""] + _summary(report) + _failing(report, max_rows) + _by_control(report)
    lines += _unreached(report) + _findings(report) + _waivers(report)
    return "\n".join(lines) + "\n"
