# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""plugin_utils/_remediation/plan.py: which failing control becomes which module call, in which order, and which ones
are left to Group Policy, skipped or resolved by a restart."""

import dataclasses

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.evaluate import evaluate
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.expectations import Equals
from ansible_collections.rdp.windows.plugins.plugin_utils._remediation.plan import PHASES, build_plan
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.fresh_install import (
    RDP_TCP, TS, TS_POLICY, fresh_install, set_policy)
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.windows_objects import (
    RegistrySetting, RegistryValue, ServiceProperty)

from tests.unit.remediation_fixtures import ALICE_SID, desired, failing, lab_state, plan_for, read

DWORD = "REG_DWORD"


def steps(plan):
    return [(step.module, step.args) for step in plan.steps]


def test_a_compliant_host_gets_an_empty_plan():
    plan, evaluation, _unused = plan_for(lab_state("healthy"))
    assert failing(evaluation) == []
    assert plan.steps == [] and plan.dispositions == {} and plan.restart_controls == []


@pytest.mark.parametrize("status", ["waived", "error", "not_applicable", "pass"])
def test_only_failing_controls_are_planned(status):
    wanted = desired()
    facts = read(lab_state("rdp-disabled"), wanted)
    evaluation = evaluate(wanted, facts)
    for control in evaluation["controls"]:
        if control["status"] == "fail":
            control["status"] = status
    plan = build_plan(wanted, facts, evaluation)
    assert plan.steps == [] and plan.dispositions == {}


def test_a_local_registry_value_is_written_where_it_lives_with_its_type():
    plan, _unused, _unused = plan_for(lab_state("rdp-disabled"))
    assert steps(plan) == [("ansible.windows.win_regedit", {
        "path": r"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server", "name": "fDenyTSConnections",
        "data": 0, "type": "dword", "state": "present"})]
    assert plan.steps[0].controls == ["connections.allowed"]
    assert plan.dispositions["listener.listening"].outcome == "resolved_by_steps"
    assert plan.restart_controls == []


def test_a_none_target_removes_the_value_so_the_windows_default_applies():
    plan, _unused, _unused = plan_for(lab_state("throttled"))
    assert steps(plan) == [("ansible.windows.win_regedit", {
        "path": r"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server", "name": "MaxOutstandingConnections",
        "state": "absent"})]


def test_a_value_of_the_wrong_registry_type_is_rewritten_with_the_right_type():
    state = lab_state("healthy")
    state["registry"][TS]["fDenyTSConnections"] = {"type": "REG_SZ", "value": "0"}
    plan, evaluation, _unused = plan_for(state)
    # Windows ignores a REG_SZ fDenyTSConnections, so the listener is down too.
    assert failing(evaluation) == ["connections.allowed", "listener.listening"]
    assert plan.dispositions["listener.listening"].outcome == "resolved_by_steps"
    step = plan.steps[0]
    assert step.args == {"path": r"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server",
                         "name": "fDenyTSConnections", "data": 0, "type": "dword", "state": "present"}
    assert "replacing a REG_SZ value" in step.why


def test_a_policy_value_with_a_local_twin_is_managed_by_policy_never_written_locally():
    plan, _unused, _unused = plan_for(lab_state("rdp-denied-by-policy"))
    assert plan.steps == []
    managed = plan.dispositions["connections.allowed"]
    assert managed.outcome == "managed_by_policy"
    assert managed.policy["path"] == TS_POLICY.replace("HKLM", "HKLM:") and managed.policy["value"] == 1
    assert "Allow users to connect remotely" in managed.policy["setting"]
    listener = plan.dispositions["listener.listening"]
    assert listener.outcome == "skipped" and "connections.allowed" in listener.why


def _workgroup(state):
    state["os"].update(domain_joined=False, domain=None)
    return state


def test_write_policy_keys_writes_the_policy_key_on_a_workgroup_host_only():
    plan, _unused, _unused = plan_for(_workgroup(lab_state("rdp-denied-by-policy")), rdp_write_policy_keys=True)
    assert steps(plan) == [("ansible.windows.win_regedit", {
        "path": r"HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services", "name": "fDenyTSConnections",
        "data": 0, "type": "dword", "state": "present"})]
    assert "tattoo" in plan.steps[0].why

    without_opt_in, _unused, _unused = plan_for(_workgroup(lab_state("rdp-denied-by-policy")))
    assert without_opt_in.steps == []
    assert "rdp_write_policy_keys" in without_opt_in.dispositions["connections.allowed"].why

    domain_joined, _unused, _unused = plan_for(lab_state("rdp-denied-by-policy"), rdp_write_policy_keys=True)
    assert domain_joined.steps == []
    assert domain_joined.dispositions["connections.allowed"].outcome == "managed_by_policy"


def test_policy_only_settings_are_written_to_the_policy_location_when_absent():
    plan, evaluation, _unused = plan_for(lab_state("healthy"), rdp_profile="hardened")
    assert failing(evaluation) == ["listener.encryption_level", "tuning.disconnected_session_limit",
                                   "tuning.idle_session_limit"]
    written = {step.args["name"]: step.args for step in plan.steps}
    assert written["MaxIdleTime"]["path"] == r"HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services"
    assert written["MaxIdleTime"]["data"] == 900000
    assert written["MaxDisconnectionTime"]["data"] == 60000
    assert written["MinEncryptionLevel"]["path"].endswith(r"WinStations\RDP-Tcp")


def test_policy_only_settings_present_on_a_domain_joined_host_are_managed_by_policy():
    state = lab_state("healthy")
    set_policy(state, TS_POLICY, "MaxIdleTime", {"type": DWORD, "value": 0})
    plan, _unused, _unused = plan_for(state, rdp_profile="hardened")
    assert plan.dispositions["tuning.idle_session_limit"].outcome == "managed_by_policy"
    assert "MaxIdleTime" not in [step.args.get("name") for step in plan.steps]

    workgroup, _unused, _unused = plan_for(_workgroup(state), rdp_profile="hardened")
    assert "MaxIdleTime" in [step.args.get("name") for step in workgroup.steps]


def test_service_start_mode_comes_before_state_and_dependencies_start_first():
    plan, _unused, _unused = plan_for(lab_state("termservice-disabled"))
    assert steps(plan) == [
        ("ansible.windows.win_service", {"name": "TermService", "start_mode": "manual"}),
        ("ansible.windows.win_service", {"name": "TermService", "state": "started"}),
        ("ansible.windows.win_service", {"name": "UmRdpService", "state": "started"}),
    ]
    # TermService starts after every other change, so nothing needs a restart.
    assert plan.dispositions["listener.listening"].outcome == "resolved_by_steps"
    assert plan.restart_controls == [] and plan.restart_step is None


def test_the_built_in_rules_are_enabled_by_stable_name_in_one_call():
    plan, _unused, _unused = plan_for(lab_state("firewall-rule-off"))
    assert steps(plan) == [("rdp.windows.firewall", {
        "enable_rules": ["RemoteDesktop-UserMode-In-TCP", "RemoteDesktop-UserMode-In-UDP"],
        "remote_addresses": ["Any"]})]
    assert plan.steps[0].controls == ["firewall.builtin_tcp", "firewall.builtin_udp"]


def test_a_custom_port_gets_collection_owned_rules_per_protocol():
    plan, _unused, _unused = plan_for(lab_state("port-changed"), rdp_port=3390)
    assert steps(plan) == [("rdp.windows.firewall", {"port": 3390, "protocols": ["TCP", "UDP"],
                                                     "remote_addresses": ["Any"]})]


def test_a_port_change_opens_the_firewall_first_and_restarts_once_at_the_end():
    plan, evaluation, _unused = plan_for(lab_state("healthy"), rdp_port=4000, rdp_restart_service=True)
    assert failing(evaluation) == ["firewall.custom_port_tcp", "firewall.custom_port_udp", "listener.listening",
                                   "listener.port", "qos.dscp_tcp", "qos.dscp_udp"]
    modules = [step.module for step in plan.steps]
    assert modules == ["rdp.windows.firewall", "ansible.windows.win_regedit", "rdp.windows.qos_policy",
                       "ansible.windows.win_service"]
    assert plan.steps[1].args["name"] == "PortNumber" and plan.steps[1].restart
    restart = plan.steps[-1]
    assert restart.args == {"name": "TermService", "state": "restarted", "force_dependent_services": True}
    assert restart.controls == ["listener.port", "listener.listening"]
    assert [step.phase for step in plan.steps].count("restart") == 1
    assert plan.restart_pending == []


def test_without_rdp_restart_service_the_restart_is_pending_not_done():
    plan, _unused, _unused = plan_for(lab_state("healthy"), rdp_port=4000)
    assert plan.restart_step is None
    assert plan.restart_pending == ["listener.port", "listener.listening"]
    assert "ansible.windows.win_service" not in [step.module for step in plan.steps]


def test_a_port_change_on_a_stopped_termservice_needs_no_restart():
    plan, _unused, _unused = plan_for(lab_state("termservice-disabled"), rdp_port=3390, rdp_restart_service=True)
    phases = [step.phase for step in plan.steps]
    assert phases == ["firewall", "registry", "service_start_mode", "service_state", "service_state", "qos"]
    assert plan.restart_controls == []


def test_steps_follow_the_phase_order():
    state = lab_state("termservice-disabled")
    state["registry"][TS]["fDenyTSConnections"] = {"type": DWORD, "value": 1}
    state["groups"]["S-1-5-32-555"]["members"].remove(ALICE_SID)
    state["qos_policies"] = []
    for rule in state["firewall"]["rules"]:
        rule["enabled"] = False
    plan, _unused, _unused = plan_for(state)
    phases = [step.phase for step in plan.steps]
    assert phases == sorted(phases, key=PHASES.index)
    assert phases[0] == "firewall" and phases[-1] == "qos"


def test_tls_needs_a_restart():
    plan, _unused, _unused = plan_for(lab_state("tls12-disabled"))
    tls = ["compatibility.tls12_server", "compatibility.tls12_server_default"]
    assert all(step.restart for step in plan.steps) and plan.restart_pending == tls
    allowed, _unused, _unused = plan_for(lab_state("tls12-disabled"), rdp_restart_service=True)
    assert allowed.restart_step.controls == tls


def test_a_listener_on_another_port_is_moved_by_the_restart():
    state = lab_state("healthy")
    state["registry"][RDP_TCP]["PortNumber"] = {"type": DWORD, "value": 3390}
    state["listener"]["bound_port"] = 3390
    plan, evaluation, _unused = plan_for(state, rdp_restart_service=True)
    assert failing(evaluation) == ["listener.listening", "listener.port"]
    assert plan.restart_step.controls == ["listener.port", "listener.listening"]
    assert plan.dispositions["listener.listening"].outcome == "restart"


def test_a_port_held_by_another_process_is_not_restarted_for():
    state = lab_state("healthy")
    state["port_owners"] = {"TCP/3389": "nginx"}
    plan, _unused, _unused = plan_for(state, rdp_restart_service=True)
    assert plan.steps == []
    assert "held by nginx" in plan.dispositions["listener.listening"].why


def test_the_group_is_found_by_its_localized_name_and_members_by_sid():
    state = fresh_install("dehost", "2022", domain="LAB", locale="de-DE")
    state["registry"][TS]["fDenyTSConnections"] = {"type": DWORD, "value": 0}
    for rule in state["firewall"]["rules"]:
        rule["enabled"] = True
    state["accounts"][ALICE_SID] = {"name": "LAB\\alice"}
    plan, _unused, _unused = plan_for(state, rdp_qos_dscp=None, rdp_keep_alive_interval=None)
    assert steps(plan) == [("ansible.windows.win_group_membership", {
        "name": "Remotedesktopbenutzer", "members": [ALICE_SID], "state": "present"})]


def test_exclusive_membership_uses_pure():
    state = lab_state("healthy")
    state["groups"]["S-1-5-32-555"]["members"].append("S-1-5-11")
    plan, _unused, _unused = plan_for(state, rdp_users_exclusive=True)
    assert steps(plan) == [("ansible.windows.win_group_membership", {
        "name": "Remote Desktop Users", "members": [ALICE_SID], "state": "pure"})]


def test_no_group_step_on_a_domain_controller():
    state = lab_state("user-missing")
    state["os"]["is_domain_controller"] = True
    plan, _unused, _unused = plan_for(state)
    assert "ansible.windows.win_group_membership" not in [step.module for step in plan.steps]


def test_user_rights_are_revoked_or_granted_by_sid():
    plan, _unused, _unused = plan_for(lab_state("user-denied"))
    assert steps(plan) == [
        ("ansible.windows.win_user_right", {"name": "SeDenyRemoteInteractiveLogonRight", "users": [ALICE_SID],
                                            "action": "remove"}),
        ("ansible.windows.win_user_right", {"name": "SeDenyNetworkLogonRight", "users": [ALICE_SID],
                                            "action": "remove"})]
    state = lab_state("healthy")
    state["user_rights"]["SeNetworkLogonRight"] = ["S-1-5-32-544"]
    plan, _unused, _unused = plan_for(state)
    assert steps(plan) == [("ansible.windows.win_user_right", {
        "name": "SeNetworkLogonRight", "users": ["S-1-5-32-555"], "action": "add"})]
    state = lab_state("healthy")
    state["user_rights"]["SeRemoteInteractiveLogonRight"] = ["S-1-5-32-544"]
    plan, _unused, _unused = plan_for(state)
    assert steps(plan) == [("ansible.windows.win_user_right", {
        "name": "SeRemoteInteractiveLogonRight", "users": ["S-1-5-32-555"], "action": "add"})]


def test_a_right_set_by_group_policy_is_managed_by_policy():
    state = lab_state("user-denied")
    state["group_policy"]["user_rights"]["SeDenyRemoteInteractiveLogonRight"] = [ALICE_SID]
    state["group_policy"]["user_rights"]["SeDenyNetworkLogonRight"] = [ALICE_SID]
    plan, _unused, _unused = plan_for(state)
    assert plan.steps == []
    assert plan.dispositions["users.deny_logon_right"].outcome == "managed_by_policy"
    assert plan.dispositions["users.deny_network_logon_right"].outcome == "managed_by_policy"


def test_one_qos_policy_marks_every_wanted_protocol():
    plan, _unused, _unused = plan_for(lab_state("qos-missing"))
    assert steps(plan) == [("rdp.windows.qos_policy", {"name": "rdp.windows-RDP", "state": "present",
                                                       "port": 3389, "protocol": "Both", "dscp": 46})]
    tcp_only, _unused, _unused = plan_for(lab_state("qos-missing"), rdp_udp_enabled=False)
    assert tcp_only.steps[0].args["protocol"] == "TCP" and tcp_only.steps[0].controls == ["qos.dscp_tcp"]


def test_a_group_policy_qos_policy_is_managed_by_policy():
    state = lab_state("qos-missing")
    key = r"HKLM\SOFTWARE\Policies\Microsoft\Windows\QoS\Corp RDP"
    state["registry"][key] = {name: {"type": "REG_SZ", "value": value} for name, value in (
        ("Version", "1.0"), ("Protocol", "*"), ("Local Port", "3389"), ("DSCP Value", "8"))}
    plan, _unused, _unused = plan_for(state)
    assert plan.steps == []
    assert plan.dispositions["qos.dscp_tcp"].policy == {"qos_policy": "Corp RDP"}


def test_a_group_policy_firewall_rule_is_managed_by_policy():
    state = lab_state("firewall-rule-off")
    tcp = next(r for r in state["firewall"]["rules"] if r["name"] == "RemoteDesktop-UserMode-In-TCP")
    state["firewall"]["rules"].remove(tcp)
    state["firewall"]["policy_rules"].append(tcp)
    plan, _unused, _unused = plan_for(state)
    assert plan.dispositions["firewall.builtin_tcp"].outcome == "managed_by_policy"
    assert plan.steps[0].args["enable_rules"] == ["RemoteDesktop-UserMode-In-UDP"]


def test_allowed_sources_scope_the_rdp_rules_and_leave_foreign_rules_alone():
    plan, _unused, _unused = plan_for(lab_state("healthy"), rdp_allowed_sources=["10.0.0.0/8"])
    assert steps(plan) == [("rdp.windows.firewall", {
        "scope_rules": ["RemoteDesktop-UserMode-In-TCP", "RemoteDesktop-UserMode-In-UDP"],
        "remote_addresses": ["10.0.0.0/8"]})]
    state = lab_state("healthy")
    state["firewall"]["rules"].append({"name": "Admin RDP", "group": "", "enabled": True, "action": "Allow",
                                       "direction": "Inbound", "protocol": "TCP", "local_ports": ["3389"],
                                       "remote_addresses": ["Any"], "profiles": ["Any"]})
    plan, _unused, _unused = plan_for(state, rdp_allowed_sources=["10.0.0.0/8"])
    assert plan.steps == [] and "Admin RDP" in plan.dispositions["firewall.allowed_sources"].why


def test_winrm_is_never_touched(monkeypatch):
    winrm = catalogue.Control(id="service.winrm.start_mode", title="WinRM", area="service", cause="service",
                              profiles=catalogue.BASELINE, reads=ServiceProperty("WinRM", "start_mode"),
                              expect=lambda d, sids: Equals("manual"), rationale="test")
    monkeypatch.setattr(catalogue, "CONTROLS", catalogue.CONTROLS + (winrm,))
    monkeypatch.setitem(catalogue.BY_ID, winrm.id, winrm)
    plan, evaluation, _unused = plan_for(lab_state("healthy"))
    assert "service.winrm.start_mode" in failing(evaluation)
    assert plan.steps == [] and "never touches" in plan.dispositions["service.winrm.start_mode"].why


def test_a_new_control_of_an_existing_kind_needs_no_planner_change(monkeypatch):
    ts_enabled = catalogue.Control(
        id="connections.ts_enabled", title="Terminal Server is enabled", area="connections", cause="configuration",
        profiles=catalogue.BASELINE, reads=RegistrySetting(local=RegistryValue(
            r"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server", "TSEnabled"), policy=None, default=1),
        expect=lambda d, sids: Equals(1), rationale="test")
    session_env = dataclasses.replace(catalogue.BY_ID["service.termservice.running"], id="service.sessionenv.running",
                                      reads=ServiceProperty("SessionEnv", "state"))
    monkeypatch.setattr(catalogue, "CONTROLS", catalogue.CONTROLS + (ts_enabled, session_env))
    monkeypatch.setitem(catalogue.BY_ID, ts_enabled.id, ts_enabled)
    monkeypatch.setitem(catalogue.BY_ID, session_env.id, session_env)
    state = lab_state("healthy")
    state["registry"][TS]["TSEnabled"] = {"type": DWORD, "value": 0}
    state["services"]["SessionEnv"]["state"] = "stopped"
    plan, _unused, _unused = plan_for(state)
    assert steps(plan) == [
        ("ansible.windows.win_regedit", {"path": r"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server",
                                         "name": "TSEnabled", "data": 1, "type": "dword", "state": "present"}),
        ("ansible.windows.win_service", {"name": "SessionEnv", "state": "started"}),
    ]
