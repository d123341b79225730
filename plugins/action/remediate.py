# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action for rdp.windows.remediate: validate, read once, plan on the controller, apply each step, read again.

Round trips: one host_info read, at most one write per failing control (plus the one TermService restart
when allowed), one verify read. The plan is ``plugin_utils/_remediation/plan.py``; the outcomes ``remediation_result.py``.
"""

from __future__ import annotations

from ansible.errors import AnsibleConnectionFailure
from ansible.plugins.action import ActionBase

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue, waivers
from ansible_collections.rdp.windows.plugins.plugin_utils._remediation import remediation_result as outcome
from ansible_collections.rdp.windows.plugins.plugin_utils._action.action_args import desired_variables, refused, unsupported
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.desired_state import InvalidInput
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.evaluate import evaluate, shape_problems
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.host_query import build_query
from ansible_collections.rdp.windows.plugins.plugin_utils._remediation.plan import build_plan
from ansible_collections.rdp.windows.plugins.plugin_utils._reports.printable import inert, printable

EXTRA_OPTIONS = ("waivers",)
READER = "rdp.windows.host_info"


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        args = dict(self._task.args)
        failure = unsupported("rdp.windows.remediate", args, EXTRA_OPTIONS, "nothing was read or changed")
        if failure:
            return dict(result, **failure)
        try:
            desired = catalogue.desired_for_catalogue(desired_variables(args))
            waiver_rules = waivers.validate(args.get("waivers"), known_controls=catalogue.BY_ID)
        except (InvalidInput, waivers.InvalidWaiver) as error:
            return dict(result, **refused(error.problems))
        # A waived control has status "waived", which the plan never acts on.
        host, groups = task_vars.get("inventory_hostname", "host"), task_vars.get("group_names") or ()
        self._round_trips = 0
        controls = catalogue.controls_for(desired.profile)
        query = build_query(controls, desired)
        try:
            facts = self._call(READER, query, task_vars)
        except AnsibleConnectionFailure as error:
            return dict(result, unreachable=True, changed=False,
                        msg=f"Could not read the host, nothing was changed: {error}")
        if facts.get("failed"):
            return dict(result, failed=True, msg=f"{READER} failed, nothing was changed: {printable(facts.get('msg'))}")
        malformed = shape_problems(facts)
        if malformed:
            # Nothing is planned on a reply that cannot be understood (host data is untrusted).
            return dict(result, failed=True, msg=f"{READER} returned data of an unexpected shape "
                                                 f"({', '.join(malformed)}), nothing was changed")
        before = waivers.apply(evaluate(desired, facts, controls), waiver_rules, host, groups)
        before["os"] = facts.get("os") or {}
        if before["unresolved_accounts"]:
            missing = ", ".join(before["unresolved_accounts"])
            return dict(result, failed=True, round_trips=self._round_trips,
                        msg=f"Invalid input, nothing was changed: rdp_users names accounts the host cannot "
                            f"resolve: {missing}", problems=[f"rdp_users: account not found on the host: {name}"
                                                             for name in before["unresolved_accounts"]])
        plan = build_plan(desired, facts, before)
        records, connection_error = self._apply(plan, task_vars)
        after = None
        if connection_error is None and not self._task.check_mode and records_changed_or_failed(records):
            try:
                after = waivers.apply(evaluate(desired, self._call(READER, query, task_vars), controls),
                                      waiver_rules, host, groups)
            except AnsibleConnectionFailure as error:
                connection_error = f"connection lost during the verify read: {error}"
        return self._result(result, task_vars, plan, before, after, records, connection_error)

    # --- the host ---------------------------------------------------------------------------------------
    def _call(self, module, module_args, task_vars):
        self._round_trips += 1
        answer = self._execute_module(module_name=module, module_args=dict(module_args), task_vars=task_vars)
        answer.pop("invocation", None)
        return answer

    def _apply(self, plan, task_vars):
        """Run the steps in order; stop at the first failure or lost connection (the rest is not attempted)."""
        records = {step.index: {"index": step.index, "status": "not_attempted"} for step in plan.steps}
        for step in plan.steps:
            try:
                answer = self._call(step.module, step.args, task_vars)
            except AnsibleConnectionFailure as error:
                records[step.index].update(status="unknown", msg=str(error))
                return records, f"connection lost while step {step.index} ({step.module}) ran: {error}"
            status = "failed" if answer.get("failed") else ("changed" if answer.get("changed") else "ok")
            records[step.index].update(status=status, msg=answer.get("msg"), diff=answer.get("diff"),
                                       details={k: v for k, v in answer.items()
                                                if k not in ("changed", "failed", "msg", "diff") and not k.startswith("_")})
            if status == "failed":
                break
        return records, None

    # --- the result ---------------------------------------------------------------------------------------
    def _result(self, result, task_vars, plan, before, after, records, connection_error):
        check_mode = bool(self._task.check_mode)
        after_by_id = {c["id"]: c for c in after["controls"]} if after else {}
        controls = []
        for control in before["controls"]:
            entry = outcome.control_outcome(control, after_by_id.get(control["id"]), plan, records, check_mode)
            controls.append(dict({"id": control["id"], "title": control["title"]}, **entry))
        steps = [dict(step.as_dict(), **{k: v for k, v in records[step.index].items() if k != "index"})
                 for step in plan.steps]
        changed = any(r["status"] == "changed" for r in records.values())
        unreachable = connection_error is not None
        status = outcome.host_status(controls, records, unreachable, check_mode)
        remediation = {
            "status": status, "changed": changed, "check_mode": check_mode, "controls": controls, "steps": steps,
            "applied": [s["index"] for s in steps if s["status"] in ("changed", "ok")],
            "failed_steps": [s["index"] for s in steps if s["status"] == "failed"],
            "in_flight": [s["index"] for s in steps if s["status"] == "unknown"],
            "not_attempted": [s["index"] for s in steps if s["status"] == "not_attempted"],
            "restart": {"needed": bool(plan.restart_controls), "allowed": plan.restart_allowed,
                        "performed": any(s["phase"] == "restart" and s["status"] == "changed" for s in steps),
                        "pending": plan.restart_pending},
            "counts": outcome.count(controls), "round_trips": self._round_trips,
            "before": {"status": before["status"], "counts": before["counts"]},
            "after": {"status": after["status"], "counts": after["counts"]} if after else None,
        }
        hostname = task_vars.get("inventory_hostname", "host")
        result.update(changed=changed, rdp_remediation=remediation, summary_lines=outcome.summary_lines(hostname, remediation),
                      msg=self._message(remediation, connection_error))
        if after is not None:
            result["rdp_audit"] = dict(after, os=before["os"])
        result["rdp_report_entry"] = outcome.report_entry(before, after, controls, remediation, result["msg"])
        if self._task.diff:
            result["diff"] = [self._diff(step, records[step.index]) for step in plan.steps
                              if records[step.index]["status"] == "changed"]
        # Host data (values, names, module messages) as Ansible prints it and the reports show it: inert.
        for key in ("rdp_remediation", "rdp_audit", "rdp_report_entry", "msg", "diff"):
            if key in result:
                result[key] = inert(result[key])
        result["summary_lines"] = [printable(line) for line in result["summary_lines"]]
        if unreachable:
            result["unreachable"] = True
        elif status == "failed":
            result["failed"] = True
        return result

    @staticmethod
    def _diff(step, record):
        header = f"step {step.index}: {step.module} ({', '.join(step.controls)})"
        diff = record.get("diff") if isinstance(record.get("diff"), dict) else None
        if not diff or ("before" not in diff and "after" not in diff):
            diff = {"before": step.before, "after": step.after}
        return dict(diff, before_header=header, after_header=header)

    @staticmethod
    def _message(remediation, connection_error):
        counts = ", ".join(f"{n} {name}" for name, n in remediation["counts"].items() if n)
        text = f"{remediation['status']}: {counts}"
        if connection_error:
            text += (f"; {connection_error}. Applied steps {remediation['applied']}, in flight (unknown) "
                     f"{remediation['in_flight']}, not attempted {remediation['not_attempted']}; run again to finish")
        elif remediation["failed_steps"]:
            text += (f"; step {remediation['failed_steps'][0]} failed. Applied steps {remediation['applied']}, not "
                     f"attempted {remediation['not_attempted']}; fix the cause and run again to finish")
        elif not remediation["changed"] and not remediation["check_mode"]:
            text += "; nothing was changed"
        return text


def records_changed_or_failed(records):
    """Verify only when something may have changed on the host."""
    return any(r["status"] in ("changed", "failed") for r in records.values())
