# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rdp.windows.audit action: one host_info call, evaluation on the controller, nothing else."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest

from ansible.errors import AnsibleConnectionFailure

from ansible_collections.rdp.windows.plugins.action import audit
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.desired_state import from_vars
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.host_query import build_query
from tests.unit.host_facts import ALICE, TS, HostFacts
from tests.unit.action_plugin import action_plugin


def audit_init(task_args, check_mode=False):
    return action_plugin(audit, task_args, check_mode=check_mode)


def run_action(monkeypatch, task_args, host_info_result, check_mode=False, hostname="web01"):
    plugin = audit_init(task_args, check_mode=check_mode)
    execute_module = MagicMock(return_value=host_info_result)
    monkeypatch.setattr(plugin, "_execute_module", execute_module)
    return plugin.run(task_vars={"inventory_hostname": hostname}), execute_module


def test_one_host_info_call_with_the_query_of_the_profile(monkeypatch):
    actual, execute_module = run_action(monkeypatch, {"users": [ALICE], "profile": "hardened"}, HostFacts().result())
    assert execute_module.call_count == 1
    kwargs = execute_module.call_args[1]
    assert kwargs["module_name"] == "rdp.windows.host_info"
    desired = from_vars({"rdp_users": [ALICE], "rdp_profile": "hardened"})
    assert kwargs["module_args"] == dict(build_query(catalogue.controls_for("hardened"), desired),
                                         access_log_hours=24, access_log_max_events=5000)
    assert kwargs["task_vars"] == {"inventory_hostname": "web01"}
    assert actual["changed"] is False and "failed" not in actual
    assert actual["rdp_audit"]["status"] == "compliant"
    assert actual["rdp_audit"]["os"]["hostname"] == "HEALTHY"
    assert len(actual["rdp_audit"]["controls"]) == len(catalogue.CONTROLS)
    assert actual["msg"] == "compliant: 0 failing control(s)"
    assert actual["summary_lines"] == ["web01: COMPLIANT"]


def test_drift_is_reported_without_failing_by_default(monkeypatch):
    facts = HostFacts().set(TS, "fDenyTSConnections", 1).result()
    actual, _execute = run_action(monkeypatch, {"users": [ALICE]}, facts, check_mode=True)
    assert "failed" not in actual
    assert actual["msg"] == "non_compliant: 1 failing control(s): connections.allowed"
    assert actual["summary_lines"][0] == "web01: NON_COMPLIANT"


def test_fail_on_drift_fails_a_non_compliant_host_only(monkeypatch):
    facts = HostFacts().set(TS, "fDenyTSConnections", 1).result()
    actual, _execute = run_action(monkeypatch, {"users": [ALICE], "fail_on_drift": True}, facts)
    assert actual["failed"] is True and actual["rdp_audit"]["status"] == "non_compliant"
    actual, _execute = run_action(monkeypatch, {"users": [ALICE], "fail_on_drift": True}, HostFacts().result())
    assert "failed" not in actual


@pytest.mark.parametrize("args, message", [
    ({"port": 0}, "Invalid input, nothing was read or changed: rdp_port must be an integer from 1 to 65535, got 0"),
    ({"profile": "hardened", "nla_required": False}, "rdp_nla_required cannot be false with rdp_profile hardened"),
    ({"controls_skip": ["nope"]}, "rdp_controls_skip names unknown controls: nope"),
    ({"prot": 3389}, "Unsupported parameters for (rdp.windows.audit): prot"),
])
def test_bad_input_fails_before_the_host_is_read(monkeypatch, args, message):
    actual, execute_module = run_action(monkeypatch, args, HostFacts().result())
    assert actual["failed"] is True and message in actual["msg"]
    assert execute_module.call_count == 0


def test_a_host_info_failure_is_an_error_result(monkeypatch):
    actual, _execute = run_action(monkeypatch, {}, {"failed": True, "msg": "Access is denied"})
    assert actual["failed"] is True
    assert actual["msg"] == "rdp.windows.host_info failed: Access is denied"
    assert actual["rdp_audit"] == {"status": "error", "error": "Access is denied", "controls": []}


def test_facts_given_are_evaluated_without_reading_the_host(monkeypatch):
    actual, execute_module = run_action(monkeypatch, {"users": [ALICE], "facts": HostFacts().result()}, None)
    assert execute_module.call_count == 0
    assert actual["rdp_audit"]["status"] == "compliant"


def test_a_lost_connection_is_left_to_ansible_as_unreachable(monkeypatch):
    plugin = audit_init({})
    monkeypatch.setattr(plugin, "_execute_module", MagicMock(side_effect=AnsibleConnectionFailure("refused")))
    with pytest.raises(AnsibleConnectionFailure):
        plugin.run(task_vars={"inventory_hostname": "web01"})
