# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compact fleet summary published with set_stats, which AWX shows as job artifacts.

AWX passes artifacts to the next nodes of a workflow as extra variables, so they stay small (host lists
are capped) and carry nothing but the audit's verdicts. Pure Python.
"""

from __future__ import annotations

from . import report_view

MAX_HOSTS_LISTED = 100


def _capped(names):
    return sorted(names)[:MAX_HOSTS_LISTED]


def summary(report, report_dir=None):
    counts = report.get("summary") or {}
    by_control = report_view.counts_by_control(report)
    totals = report_view.control_totals(report)
    hosts = dict(report_view.hosts(report))
    drifted = [name for name, entry in hosts.items() if entry.get("status") == "non_compliant"]
    unreached = [name for name, entry in hosts.items() if entry.get("status") not in report_view.REACHED]
    artifact = {
        "generated_at": report.get("generated_at"),
        "compliant": report_view.fleet_compliant(report),
        "hosts": counts.get("hosts", 0),
        "compliant_hosts": counts.get("compliant", 0),
        "non_compliant_hosts": counts.get("non_compliant", 0),
        "unreachable_hosts": counts.get("unreachable", 0),
        "error_hosts": counts.get("error", 0),
        "drifted": _capped(drifted),
        "not_audited": _capped(unreached),
        "hosts_listed_max": MAX_HOSTS_LISTED,
        "failing_controls": {cid: entry["fail"] + entry["error"] for cid, entry in sorted(by_control.items())
                             if entry["fail"] + entry["error"]},
        "waived_controls": totals["waived"],
        "expired_waivers": sum(1 for w in report.get("waivers") or () if w.get("state") == "expired"),
    }
    if report_dir:
        artifact["report_dir"] = report_dir
    return artifact
