# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every report file written next to each other, all rendered from the same JSON report. Pure Python."""

from __future__ import annotations

import json

from . import report_csv, report_html, report_junit, report_markdown, report_prometheus

BASENAME = "rdp-compliance"


def _compact(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def render_json(report) -> str:
    """The report with one line per host: as fast as compact JSON (indenting a report of a thousand hosts took
    most of the writer's time), and still one line to grep or diff per host."""
    lines = []
    for key, value in sorted(report.items()):
        if key == "hosts" and isinstance(value, dict) and value:
            hosts = ",\n".join(f"  {_compact(name)}: {_compact(entry)}" for name, entry in sorted(value.items()))
            lines.append(f' {_compact(key)}: {{\n{hosts}\n }}')
        else:
            lines.append(f" {_compact(key)}: {_compact(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


# Format -> (file extension, renderer). JSON first: it is the source the others are rendered from.
FORMATS = {
    "json": ("json", render_json),
    "junit": ("xml", report_junit.render),
    "html": ("html", report_html.render),
    "markdown": ("md", report_markdown.render),
    "csv": ("csv", report_csv.render),
    "prometheus": ("prom", report_prometheus.render),
}


def render_all(report, basename=BASENAME, formats=None):
    """File name -> text for each format (all of them by default)."""
    unknown = sorted(set(formats or ()) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown report format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    return {f"{basename}.{extension}": render(report)
            for name, (extension, render) in FORMATS.items() if formats is None or name in formats}
