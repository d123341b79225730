# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rdp.windows.report action: collects each host's recorded result and writes rdp-compliance.json."""

from __future__ import annotations

import json

import pytest

from ansible.errors import AnsibleActionFail

from ansible_collections.rdp.windows.plugins.action import report
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue, evaluate
from tests.unit.action_plugin import action_plugin
from tests.unit.host_facts import ALICE, TS, HostFacts


def report_init(task_args):
    return action_plugin(report, task_args, check_mode=True)


def recorded(facts, fail_on_drift=False):
    audit = evaluate.evaluate(catalogue.desired_for_catalogue({"rdp_users": [ALICE]}), facts.result())
    audit["fail_on_drift"] = fail_on_drift
    return audit


HOSTVARS = {
    "good": {"rdp_audit_host": recorded(HostFacts()), "ansible_password": "secret"},
    "bad": {"rdp_audit_host": recorded(HostFacts().set(TS, "fDenyTSConnections", 1), fail_on_drift=True)},
    "lax": {"rdp_audit_host": recorded(HostFacts().set(TS, "fDenyTSConnections", 1))},
    "down": {"rdp_audit_host": {"status": "unreachable", "message": "refused", "controls": []}},
    "silent": {},
}


def test_writes_the_report_of_every_host_of_the_run(tmp_path):
    plugin = report_init({"hosts": list(HOSTVARS) + ["not_in_inventory"], "dest": str(tmp_path / "out")})
    actual = plugin.run(task_vars={"hostvars": HOSTVARS})
    path = tmp_path / "out" / "rdp-compliance.json"
    assert actual["report"] == str(path) and actual["changed"] is False
    written = json.loads(path.read_text(encoding="utf-8"))
    assert list(written["hosts"]) == sorted(list(HOSTVARS) + ["not_in_inventory"])  # written with sorted keys
    # "silent" and "not_in_inventory" recorded nothing: the role stopped before reading them (the role records
    # unreachable hosts itself), so they are errors, not blamed on the network.
    summary = {"hosts": 6, "compliant": 1, "non_compliant": 2, "unreachable": 1, "error": 2}
    assert written["summary"] == actual["summary"] == summary
    assert written["hosts"]["silent"]["status"] == "error"
    assert written["hosts"]["down"]["message"] == "refused"
    assert actual["fail_on_drift_hosts"] == ["bad"]
    assert "secret" not in path.read_text(encoding="utf-8")


def test_result_var_names_the_host_fact(tmp_path):
    hostvars = {"web01": {"my_result": recorded(HostFacts())}}
    actual = report_init({"hosts": ["web01"], "dest": str(tmp_path), "result_var": "my_result"}).run(
        task_vars={"hostvars": hostvars})
    assert actual["summary"]["compliant"] == 1


def test_hosts_must_be_a_list(tmp_path):
    with pytest.raises(AnsibleActionFail, match="hosts must be a list of inventory host names"):
        report_init({"hosts": "web01", "dest": str(tmp_path)}).run(task_vars={"hostvars": {}})


def test_names_the_hosts_whose_input_was_refused(tmp_path):
    refused = {"failed": True, "msg": "Invalid input, nothing was read or changed: rdp_port: must be 1-65535",
               "problems": ["rdp_port: must be 1-65535"]}
    unreachable = {"unreachable": True, "msg": "refused"}
    hostvars = {"web01": {"raw": refused}, "web02": {"raw": unreachable}, "web03": {"raw": {"failed": True, "msg": "x"}}}
    actual = report_init({"hosts": sorted(hostvars), "dest": str(tmp_path), "result_var": "raw"}).run(
        task_vars={"hostvars": hostvars})
    assert actual["input_invalid_hosts"] == ["web01"]
    assert actual["summary"] == {"hosts": 3, "compliant": 0, "non_compliant": 0, "unreachable": 1, "error": 2}
