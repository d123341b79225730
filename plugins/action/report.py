# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action for rdp.windows.report: collect each host's recorded result (or merge earlier reports) and write the
fleet report files."""

from __future__ import annotations

import datetime
import glob
import json
import os
import tempfile
from collections.abc import Mapping

from ansible.errors import AnsibleActionFail
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase

from ansible_collections.rdp.windows.plugins.plugin_utils._reports import awx_artifacts, fleet_report, report_files, report_merge


def write_atomically(path, text):
    """Readers (a textfile collector, a browser) never see a half-written file."""
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".rdp-report-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def load_reports(sources):
    paths = sorted({path for pattern in sources for path in glob.glob(os.path.expanduser(str(pattern)))})
    if not paths:
        raise AnsibleActionFail(f"sources: no report file matches {', '.join(map(str, sources))}")
    reports = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                reports.append((path, json.load(handle)))
        except (OSError, ValueError) as error:
            raise AnsibleActionFail(f"sources: cannot read {path}: {error}") from error
    return reports


class ActionModule(ActionBase):
    _supports_check_mode = True
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self._task.args
        hosts = args.get("hosts")
        sources = args.get("sources")
        fact = args.get("result_var", "rdp_audit_host")
        report_dir = args.get("dest", "./rdp-reports")
        results, input_refused = {}, []
        if sources:
            if not isinstance(sources, list):
                raise AnsibleActionFail("sources must be a list of report files or glob patterns")
            max_age = args.get("max_age_hours")
            try:
                report, duplicates, too_old = report_merge.merge(
                    load_reports(sources), max_age=datetime.timedelta(hours=float(max_age)) if max_age else None)
            except (report_merge.MergeError, ValueError) as error:
                raise AnsibleActionFail(f"Cannot merge the reports: {error}") from error
            hosts = sorted(report["hosts"])
            result["warnings"] = [f"{name} is in several reports ({', '.join(origins)}); the newest entry is kept"
                                  for name, origins in duplicates.items()]
            result["warnings"] += [f"{origin} is more than {max_age} hours older than the newest report: left out"
                                   for origin in too_old]
        else:
            if not isinstance(hosts, list):
                raise AnsibleActionFail("hosts must be a list of inventory host names")
            hostvars = task_vars.get("hostvars", {})
            for name in hosts:
                variables = self._variables(hostvars, name)
                results[name] = self._recorded(hostvars, name, variables, fact)
                if self._input_refused(variables.get(fact)):
                    input_refused.append(name)
            report = fleet_report.build(hosts, results)
        os.makedirs(report_dir, exist_ok=True)
        basename = args.get("basename", report_files.BASENAME)
        if not basename or os.path.basename(basename) != basename:
            raise AnsibleActionFail(f"basename must be a file name without a directory, got {basename!r}")
        written = []
        for name, text in report_files.render_all(report, basename=basename).items():
            written.append(os.path.join(report_dir, name))
            write_atomically(written[-1], text)
        drift_fail = sorted(name for name in hosts if (results.get(name) or {}).get("fail_on_drift")
                            and report["hosts"][name]["status"] != "compliant")
        result.update(changed=False, report=os.path.join(report_dir, f"{basename}.json"), files=written,
                      summary=report["summary"], artifact=awx_artifacts.summary(report, report_dir),
                      fail_on_drift_hosts=drift_fail, input_invalid_hosts=input_refused,
                      lines=fleet_report.fleet_lines(report))
        return result

    @staticmethod
    def _variables(hostvars, name):
        variables = hostvars.raw_get(name) if hasattr(hostvars, "raw_get") else hostvars.get(name)
        return variables if isinstance(variables, Mapping) else {}

    @staticmethod
    def _input_refused(value):
        """The host's rdp.windows.audit task refused its input (it names the problems) and read nothing."""
        return isinstance(value, Mapping) and bool(value.get("failed")) and "problems" in value

    @staticmethod
    def _recorded(hostvars, name, variables, fact):
        """What a host recorded: the role's fact, or the registered result of an rdp.windows.audit task.

        Results are data, not templates, so they are read raw: templating each host's result through
        hostvars took seconds on a fleet of a thousand hosts."""
        value = variables.get(fact)
        if value and "status" not in value:
            drift = variables.get("rdp_fail_on_drift", False)
            if not isinstance(drift, bool):
                drift = hostvars[name]["rdp_fail_on_drift"]  # may be a template
            value = fleet_report.recorded_result(value, boolean(drift, strict=False))
        return value
