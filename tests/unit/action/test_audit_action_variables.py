# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rdp.windows.audit action takes each option the task leaves out from the host's rdp_* variable, so
playbooks/audit.yml runs it without templating an option per variable on every host."""

from unittest.mock import MagicMock


from ansible_collections.rdp.windows.plugins.action import audit
from ansible_collections.rdp.windows.plugins.plugin_utils._action.action_args import missing_variables, with_host_variables
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import twins
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import WindowsHost

from tests.unit.remediation_fixtures import ALICE, lab_state
from tests.unit.action_plugin import action_plugin


def _run(task_args, task_vars, host="port-changed"):
    templar = MagicMock()
    templar.template.side_effect = lambda value: value
    plugin = action_plugin(audit, task_args, check_mode=True, templar=templar)
    simulated = WindowsHost(lab_state(host))
    queries = []

    def execute_module(module_name=None, module_args=None, task_vars=None, **kwargs):
        queries.append(module_args)
        return twins.run(simulated, module_name, dict(module_args, _ansible_check_mode=True))

    plugin._execute_module = MagicMock(side_effect=execute_module)
    return plugin.run(task_vars=dict({"inventory_hostname": host}, **task_vars)), queries


def _failing(result):
    return sorted(c["id"] for c in result["rdp_audit"]["controls"] if c["status"] == "fail")


def test_options_left_out_come_from_the_host_variables():
    result, queries = _run({"fail_on_drift": False}, {"rdp_port": 3390, "rdp_users": [ALICE]})
    assert queries[0]["port"] == 3390 and queries[0]["accounts"] == [ALICE]
    assert _failing(result) == ["firewall.custom_port_tcp", "firewall.custom_port_udp"]


def test_an_option_given_wins_over_the_host_variable():
    result, queries = _run({"port": 3389}, {"rdp_port": 3390, "rdp_users": [ALICE]})
    assert queries[0]["port"] == 3389
    assert "listener.port" in _failing(result)


def test_fail_on_drift_from_the_host_fails_the_host_unless_the_task_says_otherwise():
    result, _queries = _run({}, {"rdp_fail_on_drift": True, "rdp_users": [ALICE]})
    assert result.get("failed") and result["rdp_audit"]["status"] == "non_compliant"
    result, _queries = _run({"fail_on_drift": False}, {"rdp_fail_on_drift": True, "rdp_users": [ALICE]})
    assert not result.get("failed")


def test_a_bad_host_variable_is_named_before_anything_is_read():
    result, queries = _run({}, {"rdp_port": 70000})
    assert result["failed"] and "rdp_port" in result["msg"] and queries == []


def test_the_merge_itself():
    assert missing_variables({"port": 1}, ("port", "users")) == ["rdp_users"]
    assert with_host_variables({"port": 1}, {"rdp_users": ["a"]}) == {"port": 1, "users": ["a"]}
