# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rdp-compliance.xml: the fleet report as JUnit XML, for CI systems and test-result viewers.

One <testsuite> per host, one <testcase> per control (classname = host, name = control id):
``fail`` is a <failure>, ``error`` an <error>, ``waived`` and ``not_applicable`` are <skipped>.
A host that was not reached (or whose audit failed) is a suite with one test case, ``rdp.reachable``,
that is an <error>, so it cannot go unnoticed. Pure Python.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from . import report_view
from .report_text import one_line, printable

SUITES_NAME = "rdp-compliance"
UNREACHED_CASE = "rdp.reachable"


def _timestamp(report):
    """generated_at as JUnit's timestamp: ISO 8601 in UTC without a zone designator."""
    text = str(report.get("generated_at") or "")
    return text[:19] if len(text) >= 19 else ""


def _detail(control):
    lines = [f"{control.get('title') or ''}",
             f"status: {control.get('status')}",
             f"expected: {report_view.value_text(control.get('expected'))}",
             f"actual: {report_view.value_text(control.get('actual'))}",
             f"source: {control.get('source') or ''}"]
    if control.get("reason"):
        lines.append(f"reason: {control['reason']}")
    if control.get("remediation"):
        lines.append(f"remediation: {control['remediation']}")
    return printable("\n".join(lines))


def _outcome(case, control):
    status = control.get("status")
    if status == "fail":
        message = (control.get("reason") or f"expected {report_view.value_text(control.get('expected'))}, actual "
                   f"{report_view.value_text(control.get('actual'))} (from {control.get('source')})")
        element = ET.SubElement(case, "failure", message=one_line(message), type="fail")
        element.text = _detail(control)
    elif status == "error":
        element = ET.SubElement(case, "error", message=one_line(control.get("reason") or "cannot be read"),
                                type="error")
        element.text = _detail(control)
    elif status == "waived":
        waiver = control.get("waiver") or {}
        ET.SubElement(case, "skipped", message=one_line(
            f"waived: {waiver.get('reason')} (owner {waiver.get('owner')}, until {waiver.get('expires')}; "
            f"{waiver.get('original_status')} otherwise)"))
    elif status == "not_applicable":
        ET.SubElement(case, "skipped", message=one_line(f"not applicable: {control.get('reason') or ''}"))


def _suite(parent, name, entry, timestamp):
    controls = entry.get("controls") or ()
    reached = entry.get("status") in report_view.REACHED
    suite = ET.SubElement(parent, "testsuite", name=one_line(name), time="0")
    if timestamp:
        suite.set("timestamp", timestamp)
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="host_status", value=one_line(entry.get("status")))
    if entry.get("profile"):
        ET.SubElement(properties, "property", name="profile", value=one_line(entry["profile"]))
    if not reached:
        case = ET.SubElement(suite, "testcase", classname=one_line(name), name=UNREACHED_CASE, time="0")
        error = ET.SubElement(case, "error", message=one_line(f"{entry.get('status')}: {entry.get('message') or ''}"),
                              type=one_line(entry.get("status")))
        error.text = printable(entry.get("message") or "")
        counts = {"tests": 1, "failures": 0, "errors": 1, "skipped": 0}
    else:
        for control in controls:
            case = ET.SubElement(suite, "testcase", classname=one_line(name), name=one_line(control.get("id")),
                                 time="0")
            _outcome(case, control)
        statuses = [control.get("status") for control in controls]
        counts = {"tests": len(statuses), "failures": statuses.count("fail"), "errors": statuses.count("error"),
                  "skipped": statuses.count("waived") + statuses.count("not_applicable")}
    for key, value in counts.items():
        suite.set(key, str(value))
    return counts


def render(report) -> str:
    timestamp = _timestamp(report)
    root = ET.Element("testsuites", name=SUITES_NAME, time="0")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for name, entry in report_view.hosts(report):
        for key, value in _suite(root, name, entry, timestamp).items():
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
