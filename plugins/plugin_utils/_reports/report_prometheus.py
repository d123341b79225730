# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rdp-compliance.prom: the fleet summary in the Prometheus text exposition format (version 0.0.4).

For a node-exporter textfile collector or a Pushgateway, so that drift can be graphed and alerted on.
"Failing" means a control with status ``fail`` or ``error`` (what makes a host non-compliant).
Every control and area any host evaluated has a series, zero included, so a fixed control drops to 0
instead of vanishing. Pure Python.
"""

from __future__ import annotations

from . import report_view
from .fleet_report import HOST_STATUSES
from .report_text import printable

PREFIX = "rdp_compliance"
FINDING_SEVERITIES = ("info", "medium", "high")  # docs/access-log.md; others are added when they appear


def label_value(value) -> str:
    return printable(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(int(value))


def _family(lines, name, help_text, samples):
    """One gauge family: samples are (labels dict, value) pairs."""
    lines.append(f"# HELP {PREFIX}_{name} {help_text}")
    lines.append(f"# TYPE {PREFIX}_{name} gauge")
    for labels, value in samples:
        text = ",".join(f'{key}="{label_value(item)}"' for key, item in labels.items())
        lines.append(f"{PREFIX}_{name}{{{text}}} {_number(value)}" if text else f"{PREFIX}_{name} {_number(value)}")


def render(report) -> str:
    summary = report.get("summary") or {}
    by_area = report_view.counts_by_area(report)
    by_control = report_view.counts_by_control(report)
    by_host = report_view.counts_by_host(report)
    entries = dict(report_view.hosts(report))
    lines: list = []
    timestamp = report_view.generated_timestamp(report)
    if timestamp is not None:
        _family(lines, "last_run_timestamp_seconds", "When the last compliance report was generated (Unix time).",
                [({}, float(timestamp))])
    _family(lines, "hosts", "Hosts of the last compliance run, by status (compliant, non_compliant, unreachable, "
                            "error).",
            [({"status": status}, summary.get(status, 0)) for status in HOST_STATUSES])
    _family(lines, "failing_controls", "Failing (fail or error) host controls, by area.",
            [({"area": area}, counts["fail"] + counts["error"]) for area, counts in by_area.items()])
    _family(lines, "waived_controls", "Waived host controls, by area.",
            [({"area": area}, counts["waived"]) for area, counts in by_area.items()])
    _family(lines, "control_failing_hosts", "Hosts on which the control fails (fail or error).",
            [({"control": cid, "area": entry["area"]}, entry["fail"] + entry["error"])
             for cid, entry in by_control.items()])
    _family(lines, "expired_waivers", "Waivers past their expiry date that met a host (they no longer apply).",
            [({}, sum(1 for waiver in report.get("waivers") or () if waiver.get("state") == "expired"))])
    severities = [finding[1] for finding in report_view.findings(report)]
    _family(lines, "access_findings", "Access-log findings (signs of password spraying), by severity.",
            [({"severity": severity}, severities.count(severity))
             for severity in FINDING_SEVERITIES + tuple(sorted(set(severities) - set(FINDING_SEVERITIES)))])
    _family(lines, "host_audited", "1 if the host was reached and audited, 0 if it was unreachable or the audit "
                                   "failed.",
            [({"host": name}, 1 if entries[name].get("status") in report_view.REACHED else 0) for name in by_host])
    _family(lines, "host_compliant", "1 if the host was audited and is compliant, 0 otherwise.",
            [({"host": name}, 1 if entries[name].get("status") == "compliant" else 0) for name in by_host])
    _family(lines, "host_failing_controls", "Failing (fail or error) controls of each audited host.",
            [({"host": name}, counts["fail"] + counts["error"]) for name, counts in by_host.items()
             if entries[name].get("status") in report_view.REACHED])
    return "\n".join(lines) + "\n"
