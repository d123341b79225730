# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action for rdp.windows.diagnose: the client's view (rdp.windows.probe) and the host's (one host_info
round trip with events), combined on the controller into ranked findings."""

from __future__ import annotations

from ansible.errors import AnsibleConnectionFailure
from ansible.plugins.action import ActionBase

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue
from ansible_collections.rdp.windows.plugins.plugin_utils._diagnosis import diagnose, rdp_probe
from ansible_collections.rdp.windows.plugins.plugin_utils._action.action_args import desired_variables, refused, unsupported
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.desired_state import InvalidInput
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.evaluate import MALFORMED, evaluate, shape_problems
from ansible_collections.rdp.windows.plugins.plugin_utils._remediation.plan import build_plan
from ansible_collections.rdp.windows.plugins.plugin_utils._reports.printable import inert, printable
from ansible_collections.rdp.windows.plugins.plugin_utils._action.probe_runner import run_probe

EXTRA_OPTIONS = ("waivers", "probe", "facts", "probe_timeout")
SIMULATED = "rdp.windows.simulated"


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        args = dict(self._task.args)
        failure = unsupported("rdp.windows.diagnose", args, EXTRA_OPTIONS)
        if failure:
            return dict(result, **failure)
        try:
            desired = catalogue.desired_for_catalogue(desired_variables(args))
            probe = self._probe(args, desired, task_vars)
        except InvalidInput as error:
            return dict(result, **refused(error.problems))
        except rdp_probe.ProbeInputError as error:
            return dict(result, **refused(error.problems, "nothing was probed"))
        controls = catalogue.controls_for(desired.profile)
        facts, host_error = self._facts(args, controls, desired, task_vars)
        audit = evaluate(desired, facts, controls) if facts else None
        diagnosis = diagnose.diagnose(probe=probe, facts=facts, audit=audit, host_error=host_error,
                                      plan=self._plan(desired, facts, audit))
        diagnosis["audit"] = {"status": audit["status"], "counts": audit["counts"]} if audit else None
        diagnosis["probe"] = {key: (probe or {}).get(key) for key in (
            "host", "port", "reachable", "stage_failed", "error", "selected_protocol", "negotiation_failure",
            "tls_version", "tcp_connect_ms", "negotiation_ms", "tls_ms")} if probe else None
        name = task_vars.get("inventory_hostname", "host")
        # Host and server data (values, event messages, certificate names) as Ansible prints it: inert.
        result.update(changed=False, rdp_diagnosis=inert(diagnosis), msg=printable(diagnosis["summary"]),
                      summary_lines=[printable(line) for line in diagnose.summary_lines(name, diagnosis)])
        return result

    @staticmethod
    def _plan(desired, facts, audit):
        """What remediate.yml would do, so that a fix is promised only where it would act."""
        if not facts or not audit:
            return None
        try:
            return build_plan(desired, facts, audit)
        except MALFORMED:
            return None

    def _probe(self, args, desired, task_vars):
        """The registered result of rdp.windows.probe, or a probe of the host's RDP port with defaults."""
        given = args.get("probe")
        if isinstance(given, dict) and "stage_failed" in given:
            return given
        if given is not None:
            return None  # the probe task itself failed (invalid input) or was skipped
        host = self._templar.template(task_vars.get("ansible_host", task_vars.get("inventory_hostname")))
        simulated = None
        if getattr(self._connection, "transport", None) == SIMULATED:
            simulated = self._connection.get_option("state_file")
        timeout = float(args.get("probe_timeout") or rdp_probe.DEFAULT_TIMEOUT)
        return run_probe(host, desired.port, {"timeout": timeout}, simulated_state=simulated)

    def _facts(self, args, controls, desired, task_vars):
        if args.get("facts") is not None:
            return args["facts"], None
        try:
            query = diagnose.diagnostic_query(controls, desired)
            facts = self._execute_module(module_name="rdp.windows.host_info", module_args=query,
                                         task_vars=task_vars)
        except AnsibleConnectionFailure as error:
            return None, f"the host could not be reached to read it: {error}"
        if facts.get("failed"):
            return None, f"rdp.windows.host_info failed: {facts.get('msg')}"
        malformed = shape_problems(facts)
        if malformed:
            # Host data is untrusted: a reply of the wrong shape is not diagnosed as if it were the host.
            return None, f"rdp.windows.host_info returned data of an unexpected shape ({', '.join(malformed)})"
        return facts, None
