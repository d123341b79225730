# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action for rdp.windows.audit: one host_info round trip, then the catalogue is evaluated on the controller."""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.rdp.windows.plugins.plugin_utils import catalogue, fleet_report
from ansible_collections.rdp.windows.plugins.plugin_utils.action_args import desired_variables, unknown_options
from ansible_collections.rdp.windows.plugins.plugin_utils.desired_state import InvalidInput
from ansible_collections.rdp.windows.plugins.plugin_utils.evaluate import evaluate
from ansible_collections.rdp.windows.plugins.plugin_utils.host_query import build_query

EXTRA_OPTIONS = ("waivers", "facts")


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = dict(self._task.args)
        unknown = unknown_options(args, EXTRA_OPTIONS)
        if unknown:
            return dict(result, failed=True, msg=f"Unsupported parameters for (rdp.windows.audit): "
                                                 f"{', '.join(unknown)}")
        try:
            desired = catalogue.desired_for_catalogue(desired_variables(args))
        except InvalidInput as error:
            return dict(result, failed=True, msg=f"Invalid input, nothing was read or changed: {error}",
                        problems=error.problems)
        controls = catalogue.controls_for(desired.profile)
        facts = args.get("facts")
        if facts is None:
            facts = self._execute_module(module_name="rdp.windows.host_info",
                                         module_args=build_query(controls, desired), task_vars=task_vars)
            if facts.get("failed"):
                return dict(result, failed=True, msg=f"rdp.windows.host_info failed: {facts.get('msg')}",
                            rdp_audit={"status": "error", "error": facts.get("msg"), "controls": []})
        audit = evaluate(desired, facts, controls)
        audit["os"] = facts.get("os", {})
        failing = [c["id"] for c in audit["controls"] if c["status"] in ("fail", "error")]
        result.update(
            changed=False,
            rdp_audit=audit,
            summary_lines=fleet_report.summary_lines(task_vars.get("inventory_hostname", "host"), audit),
            msg=f"{audit['status']}: {len(failing)} failing control(s)" + (f": {', '.join(failing)}" if failing else ""),
        )
        if desired.fail_on_drift and audit["status"] != "compliant":
            result["failed"] = True
        return result
