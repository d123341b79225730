# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action for rdp.windows.audit: one host_info round trip, then the catalogue is evaluated on the controller."""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import access_log, catalogue, waivers
from ansible_collections.rdp.windows.plugins.plugin_utils._reports import fleet_report
from ansible_collections.rdp.windows.plugins.plugin_utils._action.action_args import (
    DESIRED_OPTIONS, desired_variables, missing_variables, refused, unsupported, with_host_variables)
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.desired_state import InvalidInput
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.evaluate import evaluate
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.host_query import build_query
from ansible_collections.rdp.windows.plugins.plugin_utils._reports.printable import inert, printable

EXTRA_OPTIONS = ("waivers", "facts") + access_log.OPTIONS
# Options that fall back to the host's rdp_* variable of the same name when the task does not give them.
FROM_HOST_VARIABLES = DESIRED_OPTIONS + ("waivers",) + access_log.OPTIONS


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = dict(self._task.args)
        failure = unsupported("rdp.windows.audit", args, EXTRA_OPTIONS)
        if failure:
            return dict(result, **failure)
        args = with_host_variables(args, self._host_variables(task_vars, missing_variables(args, FROM_HOST_VARIABLES)))
        problems = []
        try:
            desired = catalogue.desired_for_catalogue(desired_variables(args))
        except InvalidInput as error:
            problems += error.problems
        try:
            log_settings = access_log.settings_from_vars(access_log.variables_from_options(args))
        except InvalidInput as error:
            problems += error.problems
        try:
            waiver_rules = waivers.validate(args.get("waivers"), known_controls=catalogue.BY_ID)
        except waivers.InvalidWaiver as error:
            problems += error.problems
        if problems:
            return dict(result, **refused(problems))
        controls = catalogue.controls_for(desired.profile)
        facts = args.get("facts")
        if facts is not None and not isinstance(facts, dict):
            return dict(result, failed=True, msg="Invalid input, nothing was read or changed: facts must be the "
                                                 "dictionary rdp.windows.host_info returned, or omitted")
        if facts is None:
            facts = self._execute_module(module_name="rdp.windows.host_info",
                                         module_args=dict(build_query(controls, desired),
                                                          **access_log.query_options(log_settings)),
                                         task_vars=task_vars)
            if facts.get("failed"):
                msg = f"rdp.windows.host_info failed: {printable(facts.get('msg'))}"
                return dict(result, failed=True, msg=msg,
                            rdp_audit={"status": "error", "error": printable(facts.get("msg")), "controls": []},
                            summary_lines=fleet_report.summary_lines(task_vars.get("inventory_hostname", "host"),
                                                                     {"status": "error", "message": msg}))
        hostname = task_vars.get("inventory_hostname", "host")
        audit = waivers.apply(evaluate(desired, facts, controls), waiver_rules, hostname,
                              task_vars.get("group_names") or ())
        expired = [f"the waiver of {waiver['control']} (owner {waiver['owner']}) expired on {waiver['expires']}; "
                   f"the control is evaluated again" for waiver in waivers.expired(audit)]
        if expired:
            result["warnings"] = result.get("warnings", []) + expired
        audit["os"] = facts.get("os") if isinstance(facts.get("os"), dict) else {}
        summary, audit["findings"] = access_log.review(facts, log_settings)
        if summary is not None:
            audit["access_log"] = summary
        audit["controls"] = [fleet_report.control_entry(control) for control in audit["controls"]]
        failing = [c["id"] for c in audit["controls"] if c["status"] in ("fail", "error")]
        result.update(
            changed=False,
            rdp_audit=inert(audit),  # host data, as Ansible will print it (-v) and the reports will show it
            summary_lines=[printable(line) for line in
                           fleet_report.summary_lines(hostname, audit) + access_log.summary_lines(audit["findings"])],
            msg=f"{audit['status']}: {len(failing)} failing control(s)" + (f": {', '.join(failing)}" if failing else "")
            + (f"; {len(audit['findings'])} access-log finding(s)" if audit["findings"] else ""),
        )
        if desired.fail_on_drift and audit["status"] != "compliant":
            result["failed"] = True
        return result

    def _host_variables(self, task_vars, names):
        """The host's own values for the options the task left out. Reading them here, rather than templating
        one option per variable in the task, spares each host's worker compiling as many Jinja templates."""
        return {name: self._templar.template(task_vars[name]) for name in names if name in (task_vars or {})}
