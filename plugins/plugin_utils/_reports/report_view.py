# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every report format shows, computed once from the fleet report (rdp-compliance.json).

The writers (report_junit, report_html, report_markdown, report_csv, report_prometheus) read the JSON
report through these functions only, so all formats count the same things. Values are returned as data;
each writer escapes them for its own format. Pure Python.
"""

from __future__ import annotations

import datetime
import json

CONTROL_STATUSES = ("pass", "fail", "waived", "error", "not_applicable")
FAILING = ("fail", "error")
REACHED = ("compliant", "non_compliant")


def value_text(value) -> str:
    """A value as one line of text: strings as they are, lists joined, dicts as key=value pairs in key order
    (the order of the JSON file, so a report read back from disk renders the same)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}={value_text(item)}" for key, item in sorted(value.items(), key=lambda i: str(i[0])))
    return json.dumps(value)


def hosts(report):
    """(name, entry) pairs in name order."""
    return sorted((report.get("hosts") or {}).items())


def control_rows(report, statuses=None):
    """One flat row per host and control (``statuses`` filters), in host then catalogue order."""
    rows = []
    for name, entry in hosts(report):
        for control in entry.get("controls") or ():
            if statuses is None or control.get("status") in statuses:
                waiver = control.get("waiver") or {}
                rows.append({
                    "host": name, "host_status": entry.get("status"), "id": control.get("id"),
                    "title": control.get("title"), "area": control.get("area"), "cause": control.get("cause"),
                    "status": control.get("status"), "expected": control.get("expected"),
                    "actual": control.get("actual"), "source": control.get("source"),
                    "remediation": control.get("remediation"), "reason": control.get("reason"),
                    "waiver_state": waiver.get("state"), "waiver_reason": waiver.get("reason"),
                    "waiver_owner": waiver.get("owner"), "waiver_expires": waiver.get("expires"),
                    "outcome": control.get("outcome"), "why": control.get("why"),  # remediation reports
                })
    return rows


def failing_rows(report):
    return control_rows(report, FAILING)


def unreached_hosts(report):
    """Hosts without an evaluation (unreachable, or the audit failed), with the message they left."""
    return [(name, entry.get("status"), entry.get("message") or "") for name, entry in hosts(report)
            if entry.get("status") not in REACHED]


def _empty_counts():
    return {status: 0 for status in CONTROL_STATUSES}


def areas(report):
    """Areas in the order their controls first appear (the catalogue's order)."""
    seen = []
    for _unused, entry in hosts(report):
        for control in entry.get("controls") or ():
            if control.get("area") not in seen:
                seen.append(control.get("area"))
    return seen


def counts_by_area(report):
    """area -> control status -> number of (host, control) results."""
    counts = {area: _empty_counts() for area in areas(report)}
    for row in control_rows(report):
        counts[row["area"]][row["status"]] = counts[row["area"]].get(row["status"], 0) + 1
    return counts


def counts_by_host(report):
    """host -> control status -> number of controls (hosts that were not reached have all zeros)."""
    counts = {}
    for name, entry in hosts(report):
        counts[name] = _empty_counts()
        for control in entry.get("controls") or ():
            counts[name][control.get("status")] = counts[name].get(control.get("status"), 0) + 1
    return counts


def counts_by_control(report):
    """control id -> {"area", "title", status -> number of hosts}, for every control any host evaluated."""
    counts = {}
    for row in control_rows(report):
        entry = counts.setdefault(row["id"], dict(_empty_counts(), area=row["area"], title=row["title"]))
        entry[row["status"]] = entry.get(row["status"], 0) + 1
    return counts


def control_totals(report):
    """Control status -> number of (host, control) results over the fleet."""
    totals = _empty_counts()
    for row in control_rows(report):
        totals[row["status"]] = totals.get(row["status"], 0) + 1
    return totals


def generated_date(report):
    text = str(report.get("generated_at") or "")
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def generated_timestamp(report):
    """Seconds since the epoch of generated_at (None if it cannot be read)."""
    text = str(report.get("generated_at") or "")
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


def days_left(expires, report):
    """Days from the report's date to a waiver's expiry (negative once expired; None if unknown)."""
    today = generated_date(report)
    try:
        end = datetime.date.fromisoformat(str(expires))
    except ValueError:
        return None
    return None if today is None else (end - today).days


def waivers(report):
    """The report's waivers, each with ``days_left`` from the report's date."""
    return [dict(waiver, days_left=days_left(waiver.get("expires"), report)) for waiver in report.get("waivers") or ()]


def findings(report):
    """Access-log findings (docs/access-log.md) as (host, severity, id, message) rows; account names in them were
    chosen by whoever tried to log on, so they are as untrusted as anything else."""
    return [(name, finding.get("severity"), finding.get("id"), finding.get("message"))
            for name, entry in hosts(report) for finding in entry.get("findings") or ()]


def fleet_compliant(report):
    summary = report.get("summary") or {}
    return summary.get("hosts", 0) == summary.get("compliant", 0)
