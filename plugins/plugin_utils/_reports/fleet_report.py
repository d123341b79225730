# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet report (rdp-compliance.json, documented in docs/report.schema.json) built from per-host results.

Only the audit's own fields are copied: nothing from the inventory (credentials, connection variables)
can reach a report.
"""

from __future__ import annotations

import datetime

from .._compliance.access_log import summary_lines as finding_lines
from .printable import printable
from .._compliance.waivers import fleet_waivers

SCHEMA_VERSION = 1
HOST_STATUSES = ("compliant", "non_compliant", "unreachable", "error")
CONTROL_FIELDS = ("id", "title", "area", "cause", "status", "expected", "actual", "source", "remediation", "reason")
# Copied only when present: what rdp.windows.remediate did to the control and to the host, and the waiver.
REMEDIATION_CONTROL_FIELDS = ("outcome", "why")
WAIVER_FIELD = "waiver"


def control_entry(control):
    """The fields of an evaluated control that a host's record and the report keep. What only the catalogue
    knows (rationale, restart_required) and the evaluation's working detail stay out of each host's record:
    a thousand hosts would carry a thousand copies through Ansible's result handling."""
    entry = {key: control.get(key) for key in CONTROL_FIELDS}
    entry.update({key: control[key] for key in REMEDIATION_CONTROL_FIELDS if key in control})
    if control.get(WAIVER_FIELD):
        entry[WAIVER_FIELD] = control[WAIVER_FIELD]
    return entry


def recorded_result(registered, fail_on_drift=False):
    """What an rdp.windows.audit task registered for a host, in the shape the audit role records.

    Lets a playbook run the audit as its only per-host task: the report classifies the registered results
    on the controller instead of a set_fact task per host."""
    if not registered:
        return None
    if registered.get("unreachable"):
        return {"status": "unreachable", "message": registered.get("msg") or "host unreachable", "controls": []}
    if registered.get("failed") or not registered.get("rdp_audit"):
        return {"status": "error", "message": registered.get("msg") or "audit failed", "controls": []}
    return dict(registered["rdp_audit"], fail_on_drift=bool(fail_on_drift))


def host_entry(result):
    """Normalize what the audit role recorded for one host (None: the role stopped before recording one)."""
    if not result:
        # The role records unreachable hosts itself; no record means it stopped earlier, e.g. on a variable
        # of the wrong type refused by its argument spec. Calling that "unreachable" would blame the network.
        message = ("no result: the audit stopped before reading this host (see the run's output, e.g. a variable "
                   "refused by the role's argument spec)")
        return {"status": "error", "message": message, "controls": []}
    status = result.get("status")
    entry = {"status": status, "controls": [control_entry(control) for control in result.get("controls") or ()]}
    if status not in HOST_STATUSES:
        entry.update(status="error", message=f"the audit recorded an unknown status {status!r}", controls=[])
    for key in ("message", "profile", "counts", "findings", "access_log", "remediation"):
        if result.get(key) is not None:
            entry[key] = result[key]
    if isinstance(result.get("os"), dict) and result["os"]:
        os_keys = ("caption", "version", "domain_joined", "is_domain_controller")
        entry["os"] = {key: result["os"].get(key) for key in os_keys}
    return entry


def build(run_hosts, results, generated_at=None):
    return assemble({name: host_entry(results.get(name)) for name in run_hosts}, generated_at)


def assemble(hosts, generated_at=None):
    """The report of normalized host entries (also used to merge the reports of sliced runs)."""
    summary = {"hosts": len(hosts)}
    for status in HOST_STATUSES:
        summary[status] = sum(1 for entry in hosts.values() if entry["status"] == status)
    if generated_at is None:
        generated_at = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
    return {"schema_version": SCHEMA_VERSION, "generated_at": generated_at, "summary": summary, "hosts": hosts,
            "waivers": fleet_waivers(hosts)}


def summary_lines(hostname, audit):
    """A readable per-host summary for the playbook output; host data in it is made inert (``printable``)."""
    lines = [f"{printable(hostname)}: {printable(audit.get('status', 'error')).upper()}"]
    for control in audit.get("controls") or ():
        if control["status"] in ("fail", "error"):
            detail = printable(control["reason"]) if control.get("reason") else (
                f"expected {printable(control['expected'])}, actual {printable(control['actual'])} "
                f"(from {printable(control['source'])})")
            lines.append(f"  {control['status'].upper():5} {control['id']}: {detail}")
            if control.get("remediation"):
                lines.append(f"        fix: {printable(control['remediation'])}")
        elif control["status"] == "waived" and control.get("waiver"):
            waiver = control["waiver"]
            lines.append(f"  WAIVED {control['id']}: {waiver['reason']} (owner {waiver['owner']}, "
                         f"until {waiver['expires']})")
    if audit.get("message"):
        lines.append(f"  {printable(audit['message'])}")
    return lines


def fleet_lines(report):
    """Every host's summary for the playbook output: its failing controls, then its access-log findings."""
    return [line for name, entry in report["hosts"].items()
            for line in summary_lines(name, entry) + finding_lines(entry.get("findings") or [])]
