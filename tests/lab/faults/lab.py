# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fault lab on disk, and the playbook runs and state comparisons the fault tests share."""

from __future__ import annotations

import json
import os
from types import SimpleNamespace

from tests.lab.faults.matrix import FAULTS, build_fault_lab, clear_faults
from tests.helpers import calls, load_state, run_playbook

# The parts of a simulated host that Windows would show changed (not the simulator's own bookkeeping).
HOST_SECTIONS = ("registry", "services", "firewall", "groups", "user_rights", "qos_policies", "listener",
                 "accounts")
READ_MODULES = {"rdp.windows.host_info"}


class FaultLab:
    def __init__(self, directory, faults=FAULTS, timeout=1.0):
        self.dir = str(directory)
        self.inventory = build_fault_lab(self.dir, faults, timeout=timeout)
        self.hosts = [fault.id for fault in faults] + ["healthy"]

    def state(self, host):
        return load_state(self.dir, host)

    def host_view(self, host):
        state = self.state(host)
        return {section: state.get(section) for section in HOST_SECTIONS}

    def snapshot(self):
        return {host: self.host_view(host) for host in self.hosts}

    def snapshot_full(self):
        return {host: self.state(host) for host in self.hosts}

    def calls(self, host):
        return calls(self.dir, host)

    def write_calls(self, host):
        return [c for c in self.calls(host) if c["module"] not in READ_MODULES and not c["check_mode"]]

    def clear_faults(self, host, clear=None):
        clear_faults(self.dir, host, clear)

    def edit(self, host, change):
        path = os.path.join(self.dir, "hosts", f"{host}.json")
        state = self.state(host)
        change(state)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(state, handle, indent=1, sort_keys=True)

    def remediate(self, name, *extra, limit=None, check=False):
        """playbooks/remediate.yml on the whole lab at once (one batch, no stop on failures: every fault runs)."""
        reports = os.path.join(self.dir, f"reports-{name}")
        run = run_playbook("remediate.yml", self.inventory, "-e", f"rdp_report_dir={reports}",
                           "-e", '{"rdp_remediate_serial": 1000, "rdp_max_fail_percentage": 100}', *extra,
                           check=check, limit=limit)
        return _outcome(run, reports, "rdp-remediation.json")

    def diagnose(self, name, *extra, limit=None, probe_timeout=2):
        """playbooks/diagnose.yml on the lab: rdp-diagnosis.json maps each host to its diagnosis."""
        reports = os.path.join(self.dir, f"reports-{name}")
        run = run_playbook("diagnose.yml", self.inventory, "-e", f"rdp_report_dir={reports}",
                           "-e", f"rdp_probe_timeout={probe_timeout}", *extra, limit=limit)
        return _outcome(run, reports, "rdp-diagnosis.json")

    def audit(self, name, *extra, limit=None):
        reports = os.path.join(self.dir, f"reports-{name}")
        run = run_playbook("audit.yml", self.inventory, "-e", f"rdp_report_dir={reports}", *extra, check=True,
                           limit=limit)
        return _outcome(run, reports, "rdp-compliance.json")


def _outcome(run, reports, report_file):
    """The playbook run and the report it wrote (None when it wrote none)."""
    path = os.path.join(reports, report_file)
    report = None
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            report = json.load(handle)
    return SimpleNamespace(run=run, report=report, reports=reports)


def failing(entry):
    return sorted(c["id"] for c in entry["controls"] if c["status"] == "fail")


def erroring(entry):
    return sorted(c["id"] for c in entry["controls"] if c["status"] == "error")


def control(entry, control_id):
    return next(c for c in entry["controls"] if c["id"] == control_id)


def diff_sections(before, after):
    """Which sections of a host changed, for messages and ledgers."""
    return sorted(section for section in HOST_SECTIONS if before.get(section) != after.get(section))
