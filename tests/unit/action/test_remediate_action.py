# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rdp.windows.remediate action with a mocked _execute_module, in the style of ansible.windows'
tests/unit/action/test_win_updates.py. The mock answers each call through the simulator's module twin
on an in-memory host, and can fail a call or drop the connection."""

import copy
from unittest.mock import MagicMock

import pytest

from ansible.errors import AnsibleConnectionFailure

from ansible_collections.rdp.windows.plugins.action import remediate
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import twins
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import WindowsHost

from tests.unit.remediation_fixtures import ALICE, lab_state
from tests.unit.action_plugin import action_plugin

READER = "rdp.windows.host_info"


class FakeHost:
    """Answers _execute_module like the simulated connection would; ``fail`` and ``drop`` name call numbers."""

    def __init__(self, state, fail=None, drop=None):
        self.host = WindowsHost(copy.deepcopy(state))
        self.fail, self.drop = fail or {}, drop or {}
        self.calls = []
        self.check_mode = False
        self.diff = False

    def __call__(self, module_name=None, module_args=None, task_vars=None, **kwargs):
        self.calls.append((module_name, dict(module_args)))
        number = len(self.calls)
        if number in self.fail:
            return {"failed": True, "msg": self.fail[number]}
        args = dict(module_args, _ansible_check_mode=self.check_mode, _ansible_diff=self.diff)
        if self.drop.get(number) == "before":
            raise AnsibleConnectionFailure("simulated: WinRM connection lost")
        result = twins.run(self.host, module_name, args)
        if self.drop.get(number) == "after":
            raise AnsibleConnectionFailure("simulated: WinRM connection lost")
        return dict(result, invocation={"module_args": module_args})

    @property
    def modules(self):
        return [name for name, _unused in self.calls]


def remediate_init(task_args, check_mode=False, diff=False):
    return action_plugin(remediate, task_args, check_mode=check_mode, diff=diff)


def run_action(monkeypatch, fake, task_args=None, check_mode=False, diff=False):
    plugin = remediate_init(dict({"users": [ALICE]}, **(task_args or {})), check_mode=check_mode, diff=diff)
    fake.check_mode, fake.diff = check_mode, diff
    execute_module = MagicMock(side_effect=fake)
    monkeypatch.setattr(plugin, "_execute_module", execute_module)
    return plugin.run(task_vars={"inventory_hostname": "lab-host"}), execute_module


def outcomes(result):
    return {c["id"]: c["outcome"] for c in result["rdp_remediation"]["controls"]
            if c["outcome"] not in ("already_compliant", "skipped")}


@pytest.mark.parametrize("args, variable", [
    ({"port": 0}, "rdp_port"),
    ({"port": 65536}, "rdp_port"),
    ({"port": "abc"}, "rdp_port"),
    ({"qos_dscp": 64}, "rdp_qos_dscp"),
    ({"allowed_sources": []}, "rdp_allowed_sources"),
    ({"allowed_sources": ["any", "10.0.0.0/8"]}, "rdp_allowed_sources"),
    ({"profile": "hardened", "nla_required": False}, "rdp_nla_required"),
    ({"users": ["bad\\name\\x"]}, "rdp_users"),
    ({"users_exclusive": True, "users": []}, "rdp_users_exclusive"),
    ({"restart_service": "sometimes"}, "rdp_restart_service"),
    ({"controls_skip": ["no.such.control"]}, "rdp_controls_skip"),
])
def test_bad_input_fails_before_any_module_call(monkeypatch, args, variable):
    fake = FakeHost(lab_state("rdp-disabled"))
    result, execute_module = run_action(monkeypatch, fake, args)
    assert result["failed"]
    assert variable in result["msg"] and "nothing was read or changed" in result["msg"]
    assert execute_module.call_count == 0


def test_an_unknown_option_fails_before_any_module_call(monkeypatch):
    result, execute_module = run_action(monkeypatch, FakeHost(lab_state("healthy")), {"restart": True})
    assert result["failed"] and "restart" in result["msg"]
    assert execute_module.call_count == 0


def test_an_unknown_account_fails_after_the_read_and_before_any_change(monkeypatch):
    fake = FakeHost(lab_state("user-missing"))
    result, execute_module = run_action(monkeypatch, fake, {"users": [ALICE, "LAB\\nobody"]})
    assert result["failed"] and "LAB\\nobody" in result["msg"] and "rdp_users" in result["msg"]
    assert fake.modules == [READER]
    assert execute_module.call_args[1]["module_name"] == READER


def test_fixes_then_verifies_in_one_read_one_write_per_control_and_one_verify(monkeypatch):
    fake = FakeHost(lab_state("termservice-disabled"))
    result, execute_module = run_action(monkeypatch, fake)
    assert fake.modules == [READER, "ansible.windows.win_service", "ansible.windows.win_service",
                            "ansible.windows.win_service", READER]
    assert fake.calls[1][1] == {"name": "TermService", "start_mode": "manual"}
    assert result["changed"] and not result.get("failed")
    remediation = result["rdp_remediation"]
    assert remediation["status"] == "compliant" and remediation["round_trips"] == 5
    assert outcomes(result) == {"service.termservice.start_mode": "fixed", "service.termservice.running": "fixed",
                                "service.umrdpservice.running": "fixed", "listener.listening": "fixed"}
    assert remediation["after"]["status"] == "compliant"
    assert result["rdp_report_entry"]["status"] == "compliant"
    assert execute_module.call_args_list[0][1]["task_vars"] == {"inventory_hostname": "lab-host"}


def test_a_second_run_changes_nothing_and_says_so(monkeypatch):
    fake = FakeHost(lab_state("rdp-disabled"))
    run_action(monkeypatch, fake)
    again = FakeHost(fake.host.state)
    result, _unused = run_action(monkeypatch, again)
    assert again.modules == [READER]
    assert not result["changed"] and result["rdp_remediation"]["status"] == "compliant"
    assert "nothing was changed" in result["msg"] and "  nothing to change" in result["summary_lines"]


def test_check_mode_runs_the_steps_in_check_mode_without_a_verify_read(monkeypatch):
    state = lab_state("termservice-disabled")
    fake = FakeHost(state)
    result, _unused = run_action(monkeypatch, fake, check_mode=True, diff=True)
    assert fake.modules == [READER] + ["ansible.windows.win_service"] * 3
    assert fake.host.state == state
    assert result["changed"] and result["rdp_remediation"]["status"] == "would_change"
    assert set(outcomes(result).values()) == {"would_fix"}
    assert [d["before_header"].split(":")[0] for d in result["diff"]] == ["step 1", "step 2", "step 3"]


def test_check_mode_predicts_the_changes_of_the_real_run(monkeypatch):
    state = lab_state("healthy")
    for name in ("rdp-disabled", "termservice-disabled", "qos-missing", "firewall-rule-off", "user-denied"):
        broken = lab_state(name)
        for section in ("registry", "services", "qos_policies", "firewall", "user_rights"):
            if broken[section] != lab_state("healthy")[section]:
                state[section] = broken[section]
    predicted, _unused = run_action(monkeypatch, FakeHost(state), check_mode=True, diff=True)
    real, _unused = run_action(monkeypatch, FakeHost(state), diff=True)

    def changes(result):
        return [(s["module"], s["args"], s["status"]) for s in result["rdp_remediation"]["steps"]]
    assert changes(predicted) == changes(real)
    assert predicted["diff"] == real["diff"]
    assert real["rdp_remediation"]["status"] == "compliant"


def test_diff_mode_aggregates_one_diff_per_changed_step(monkeypatch):
    result, _unused = run_action(monkeypatch, FakeHost(lab_state("rdp-disabled")), diff=True)
    assert len(result["diff"]) == 1
    diff = result["diff"][0]
    assert "fDenyTSConnections" in diff["before"] and "REG_DWORD:1" in diff["before"]
    assert "REG_DWORD:0" in diff["after"]
    assert diff["before_header"] == "step 1: ansible.windows.win_regedit (connections.allowed)"


def test_a_failed_step_stops_the_run_and_is_reported_exactly(monkeypatch):
    state = lab_state("termservice-disabled")
    state["services"]["TermService"]["fails_to_start"] = True
    fake = FakeHost(state)
    result, _unused = run_action(monkeypatch, fake)
    remediation = result["rdp_remediation"]
    assert result["failed"] and remediation["status"] == "failed"
    assert remediation["applied"] == [1] and remediation["failed_steps"] == [2] and remediation["not_attempted"] == [3]
    assert fake.modules == [READER, "ansible.windows.win_service", "ansible.windows.win_service", READER]
    assert outcomes(result)["service.termservice.start_mode"] == "fixed"
    assert outcomes(result)["service.termservice.running"] == "failed"
    skipped = {c["id"]: c["why"] for c in remediation["controls"] if c["outcome"] == "skipped"}
    assert skipped["service.umrdpservice.running"] == "not attempted: the run stopped at step 2"
    assert "did not respond" in next(c["why"] for c in remediation["controls"]
                                     if c["id"] == "service.termservice.running")
    assert "Applied steps [1]" in result["msg"] and "not attempted [3]" in result["msg"]

    fake.host.state["services"]["TermService"]["fails_to_start"] = False
    second = FakeHost(fake.host.state)
    result, _unused = run_action(monkeypatch, second)
    assert second.modules == [READER, "ansible.windows.win_service", "ansible.windows.win_service", READER]
    assert result["rdp_remediation"]["status"] == "compliant"


def test_a_module_failure_midway_keeps_the_applied_changes_listed(monkeypatch):
    fake = FakeHost(lab_state("termservice-disabled"), fail={3: "Access is denied"})
    result, _unused = run_action(monkeypatch, fake)
    remediation = result["rdp_remediation"]
    assert [s["status"] for s in remediation["steps"]] == ["changed", "failed", "not_attempted"]
    assert remediation["steps"][1]["msg"] == "Access is denied"


def test_a_connection_lost_during_a_write_is_unreachable_and_keeps_track(monkeypatch):
    fake = FakeHost(lab_state("termservice-disabled"), drop={3: "after"})
    result, execute_module = run_action(monkeypatch, fake)
    remediation = result["rdp_remediation"]
    assert result["unreachable"] and not result.get("failed")
    assert remediation["status"] == "unreachable" and result["rdp_report_entry"]["status"] == "unreachable"
    assert remediation["applied"] == [1] and remediation["in_flight"] == [2] and remediation["not_attempted"] == [3]
    assert [c["outcome"] for c in remediation["controls"] if c["id"] == "service.termservice.running"] == ["unknown"]
    assert execute_module.call_count == 3  # no verify read over a lost connection
    # the step in flight did run (the connection dropped after it): a second run finishes the job
    second = FakeHost(fake.host.state)
    result, _unused = run_action(monkeypatch, second)
    assert second.modules == [READER, "ansible.windows.win_service", READER]
    assert result["rdp_remediation"]["status"] == "compliant"


def test_a_connection_lost_during_the_first_read_changes_nothing(monkeypatch):
    fake = FakeHost(lab_state("rdp-disabled"), drop={1: "before"})
    result, _unused = run_action(monkeypatch, fake)
    assert result["unreachable"] and "nothing was changed" in result["msg"]
    assert fake.modules == [READER]


def test_group_policy_values_are_left_alone(monkeypatch):
    fake = FakeHost(lab_state("rdp-denied-by-policy"))
    result, _unused = run_action(monkeypatch, fake)
    assert fake.modules == [READER]
    assert not result["changed"] and not result.get("failed")
    assert result["rdp_remediation"]["status"] == "managed_by_policy"
    managed = next(c for c in result["rdp_remediation"]["controls"] if c["id"] == "connections.allowed")
    assert managed["outcome"] == "managed_by_policy" and "Allow users to connect remotely" in managed["policy"]["setting"]


def test_a_policy_key_written_on_a_workgroup_host_that_a_refresh_reverts_is_a_failure(monkeypatch):
    state = lab_state("rdp-denied-by-policy")
    state["os"].update(domain_joined=False, domain=None)
    state["group_policy"]["refresh_after_write"] = True  # a local GPO sets the value and re-applies it
    result, _unused = run_action(monkeypatch, FakeHost(state), {"write_policy_keys": True})
    assert result["failed"]
    failed = next(c for c in result["rdp_remediation"]["controls"] if c["id"] == "connections.allowed")
    assert failed["outcome"] == "failed" and failed["why"].startswith("still fails after its change")


def test_restart_is_pending_unless_allowed(monkeypatch):
    fake = FakeHost(lab_state("healthy"))
    result, _unused = run_action(monkeypatch, fake, {"port": 4000})
    remediation = result["rdp_remediation"]
    assert remediation["status"] == "restart_pending" and not result.get("failed")
    assert remediation["restart"] == {"needed": True, "allowed": False, "performed": False,
                                      "pending": ["listener.port", "listener.listening"]}
    assert "ansible.windows.win_service" not in fake.modules
    # PortNumber is already right after the run; it only takes effect at the restart
    assert outcomes(result)["listener.port"] == "restart_pending"
    assert outcomes(result)["firewall.custom_port_tcp"] == "fixed"

    allowed = FakeHost(lab_state("healthy"))
    result, _unused = run_action(monkeypatch, allowed, {"port": 4000, "restart_service": True})
    assert allowed.modules[-2:] == ["ansible.windows.win_service", READER]
    assert allowed.calls[-2][1] == {"name": "TermService", "state": "restarted", "force_dependent_services": True}
    assert result["rdp_remediation"]["status"] == "compliant"
    assert result["rdp_remediation"]["restart"]["performed"]
    assert allowed.host.state["services"]["WinRM"]["state"] == "running"
