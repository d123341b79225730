# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action for rdp.windows.report: collect each host's recorded result and write the fleet report files."""

from __future__ import annotations

import json
import os

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.rdp.windows.plugins.plugin_utils import fleet_report


class ActionModule(ActionBase):
    _supports_check_mode = True
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self._task.args
        hosts = args.get("hosts")
        if not isinstance(hosts, list):
            raise AnsibleActionFail("hosts must be a list of inventory host names")
        fact = args.get("result_var", "rdp_audit_host")
        report_dir = args.get("dest", "./rdp-reports")
        hostvars = task_vars.get("hostvars", {})
        results = {}
        for name in hosts:
            host = hostvars.get(name)
            results[name] = host.get(fact) if host is not None else None
        report = fleet_report.build(hosts, results)
        os.makedirs(report_dir, exist_ok=True)
        basename = args.get("basename", "rdp-compliance")
        if not basename or os.path.basename(basename) != basename:
            raise AnsibleActionFail(f"basename must be a file name without a directory, got {basename!r}")
        path = os.path.join(report_dir, basename + ".json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=2, sort_keys=True)
        drift_fail = sorted(name for name in hosts if (results.get(name) or {}).get("fail_on_drift")
                            and report["hosts"][name]["status"] != "compliant")
        result.update(changed=False, report=path, summary=report["summary"], fail_on_drift_hosts=drift_fail)
        return result
