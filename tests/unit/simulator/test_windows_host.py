# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulated host's Windows behaviour: services, the listener, Group Policy, the firewall stores, QoS,
accounts and scheduled faults."""

from __future__ import annotations

import json

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.fresh_install import (
    RDP_TCP, TS, TS_POLICY, add_domain_account, enable_remote_desktop, fresh_install, set_policy)
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import (
    QOS_POLICY_ROOT, WindowsError_, WindowsHost)

DWORD = "REG_DWORD"


def rdp_host(**kwargs):
    return WindowsHost(enable_remote_desktop(fresh_install("web01", domain="LAB", **kwargs)))


# --- services ----------------------------------------------------------------------------------------------

def test_a_disabled_service_cannot_start():
    host = rdp_host()
    host.stop_service("TermService", force=True)
    host.set_start_mode("TermService", "disabled")
    with pytest.raises(WindowsError_, match="because it is disabled"):
        host.start_service("TermService")
    assert host.service("TermService")["state"] == "stopped"


def test_stopping_a_service_with_running_dependents_needs_force():
    host = rdp_host()
    with pytest.raises(WindowsError_, match="It can only be stopped if the Force flag is set"):
        host.stop_service("TermService")
    assert host.service("TermService")["state"] == "running"
    host.stop_service("termservice", force=True)  # service names are case-insensitive
    assert host.service("TermService")["state"] == "stopped"
    assert host.service("UmRdpService")["state"] == "stopped"


def test_starting_a_service_starts_what_it_depends_on():
    host = rdp_host()
    host.stop_service("TermService", force=True)
    host.start_service("UmRdpService")
    assert host.service("TermService")["state"] == "running" and host.service("UmRdpService")["state"] == "running"


def test_restart_brings_running_dependents_back():
    host = rdp_host()
    host.restart_service("TermService", force=True)
    assert host.service("UmRdpService")["state"] == "running"
    with pytest.raises(WindowsError_, match="Force flag"):
        host.restart_service("TermService")


def test_a_service_that_hangs_on_start():
    host = rdp_host()
    host.stop_service("TermService", force=True)
    host.service("TermService")["fails_to_start"] = True
    with pytest.raises(WindowsError_, match="did not respond to the start or control request in a timely fashion"):
        host.start_service("TermService")


def test_a_start_mode_set_by_group_policy_cannot_be_changed():
    host = rdp_host()
    host.service("TermService")["policy_start_mode"] = "disabled"
    with pytest.raises(WindowsError_, match="Access is denied"):
        host.set_start_mode("TermService", "manual")


# --- the listener ------------------------------------------------------------------------------------------

def test_the_listener_binds_the_port_read_when_termservice_started():
    host = rdp_host()
    host.registry.set(RDP_TCP, "PortNumber", DWORD, 3390)
    assert host.configured_port() == 3390
    assert host.listener_port() == 3389  # [MS-GEN]: the port changes only after a restart
    assert host.port_owner(3389) == "TermService" and host.port_owner(3390) is None
    host.restart_service("TermService", force=True)
    assert host.listener_port() == 3390
    assert host.port_owner(3390) == "TermService" and host.port_owner(3389) is None


def test_nothing_listens_when_termservice_stops_or_rdp_is_denied_or_the_listener_is_off():
    host = rdp_host()
    host.stop_service("TermService", force=True)
    assert host.port_owner(3389) is None
    host = rdp_host()
    host.registry.set(TS, "fDenyTSConnections", DWORD, 1)
    assert host.port_owner(3389) is None
    host = rdp_host()
    host.registry.set(RDP_TCP, "fEnableWinStation", DWORD, 0)
    assert host.port_owner(3389) is None
    assert host.port_owner(3389, "UDP") is None


def test_another_process_can_hold_the_port():
    host = rdp_host()
    host.state["port_owners"] = {"TCP/3389": "javaw"}
    assert host.port_owner(3389) == "javaw"


# --- Group Policy ------------------------------------------------------------------------------------------

def test_a_policy_value_beats_the_local_value():
    host = rdp_host()
    assert not host.connections_denied()
    set_policy(host.state, TS_POLICY, "fDenyTSConnections", {"type": DWORD, "value": 1})
    assert host.connections_denied()  # [ADMX-TS]: the policy overrides the computer setting
    assert host.port_owner(3389) is None
    host.registry.set(TS_POLICY, "fDenyTSConnections", DWORD, 0)
    host.registry.set(TS, "fDenyTSConnections", DWORD, 1)
    assert not host.connections_denied()


def test_a_policy_refresh_re_applies_what_the_gpo_sets():
    host = rdp_host()
    set_policy(host.state, TS_POLICY, "fDenyTSConnections", {"type": DWORD, "value": 1})
    host.state["group_policy"]["user_rights"] = {"SeDenyRemoteInteractiveLogonRight": ["S-1-5-32-546"]}
    host.registry.delete(TS_POLICY, "fDenyTSConnections")  # a local "fix" of a policy value ...
    host.state["user_rights"]["SeDenyRemoteInteractiveLogonRight"] = []
    host.refresh_group_policy()  # ... is undone by gpupdate [ADMX-TS], [MS-URA-ALLOW]
    assert host.registry.get(TS_POLICY, "fDenyTSConnections")["value"] == 1
    assert host.state["user_rights"]["SeDenyRemoteInteractiveLogonRight"] == ["S-1-5-32-546"]
    assert host.policy_owns(r"hklm:\software\policies\microsoft\windows nt\terminal services", "FDENYTSCONNECTIONS")
    assert not host.policy_owns(TS, "fDenyTSConnections")


# --- firewall stores ---------------------------------------------------------------------------------------

def test_the_active_store_merges_local_and_group_policy_rules():
    host = rdp_host()
    gpo_rule = dict(host.state["firewall"]["rules"][0], name="GPO-RDP", enabled=True)
    host.state["firewall"]["policy_rules"] = [gpo_rule]
    names = [rule["name"] for rule in host.firewall_rules()]
    assert "GPO-RDP" in names and "RemoteDesktop-UserMode-In-TCP" in names
    assert [rule["name"] for rule in host.firewall_rules("GroupPolicy")] == ["GPO-RDP"]
    assert "GPO-RDP" not in [rule["name"] for rule in host.firewall_rules("PersistentStore")]
    host.state["firewall"]["allow_local_policy_merge"] = False  # a GPO that ignores local rules
    assert [rule["name"] for rule in host.firewall_rules()] == ["GPO-RDP"]
    assert host.find_rules("gpo-rdp") == [gpo_rule]


# --- QoS ---------------------------------------------------------------------------------------------------

def test_policy_based_qos_is_read_from_its_registry_form():
    host = rdp_host()
    values = {"Version": "1.0", "Application Name": "svchost.exe", "Protocol": "TCP", "Local Port": "3389",
              "DSCP Value": "46", "Throttle Rate": "-1"}
    for name, value in values.items():  # [OBS-QOS]: every value is REG_SZ
        host.registry.set(QOS_POLICY_ROOT + r"\RDP", name, "REG_SZ", value)
    host.registry.set(QOS_POLICY_ROOT + r"\Range", "Local Port", "REG_SZ", "50020:50039")
    host.state["qos_policies"] = [{"name": "local", "protocol": "UDP", "src_port_start": 3389, "src_port_end": 3389,
                                   "dscp": 46}]
    policies = {policy["name"]: policy for policy in host.qos_policies()}
    assert policies["local"]["source"] == "local"
    assert policies["RDP"] == {"name": "RDP", "source": "policy", "protocol": "TCP", "src_port_start": 3389,
                               "src_port_end": 3389, "dscp": 46, "app_path": "svchost.exe"}
    assert policies["Range"]["protocol"] == "BOTH" and policies["Range"]["dscp"] is None
    assert (policies["Range"]["src_port_start"], policies["Range"]["src_port_end"]) == (50020, 50039)


# --- accounts ----------------------------------------------------------------------------------------------

def test_accounts_resolve_by_any_name_form_and_orphaned_sids_do_not():
    host = rdp_host()
    add_domain_account(host.state, "LAB\\alice", "S-1-5-21-1-2-3-1105", "lab.example")
    assert host.resolve_account("LAB\\Alice") == "S-1-5-21-1-2-3-1105"
    assert host.resolve_account("alice@LAB.EXAMPLE") == "S-1-5-21-1-2-3-1105"
    assert host.resolve_account("alice") is None  # a domain account needs its domain
    assert host.resolve_account("Administrator") == host.resolve_account("WEB01\\Administrator")
    assert host.resolve_account(".\\Administrator") is not None
    assert host.resolve_account("Remote Desktop Users") == "S-1-5-32-555"
    assert host.resolve_account("s-1-5-21-9-9-9-9") == "S-1-5-21-9-9-9-9"
    assert host.resolve_account("LAB\\nobody") is None
    assert host.account_name("S-1-5-21-9-9-9-9") is None
    assert host.account_name("S-1-5-32-555") == "BUILTIN\\Remote Desktop Users"


# --- faults and persistence --------------------------------------------------------------------------------

def test_scheduled_faults_match_point_module_and_call():
    host = rdp_host()
    host.state["faults"] = [{"at": "after", "module": "ansible.windows.win_service", "times": 2},
                            {"at": "before", "call": 3, "message": "third call drops"}]
    assert host.take_fault("before", "rdp.windows.host_info", 1) is None
    assert host.take_fault("before", "rdp.windows.host_info", 3)["message"] == "third call drops"
    assert host.take_fault("after", "rdp.windows.host_info", 4) is None
    assert host.take_fault("after", "ansible.windows.win_service", 5)["times"] == 1
    assert host.take_fault("after", "ansible.windows.win_service", 6) is not None
    assert host.take_fault("after", "ansible.windows.win_service", 7) is None
    assert host.state["faults"] == []


def test_save_and_load_round_trip(tmp_path):
    path = tmp_path / "web01.json"
    host = rdp_host()
    host.path = str(path)
    host.registry.set(TS, "fDenyTSConnections", DWORD, 1)
    with WindowsHost.locked(str(path)):
        host.save()
    again = WindowsHost.load(str(path))
    assert again.registry.get(TS, "fDenyTSConnections")["value"] == 1
    assert json.loads(path.read_text(encoding="utf-8")) == host.state
    assert sorted(p.name for p in tmp_path.iterdir()) == ["web01.json", "web01.json.lock"]  # no temporary file left


# --- the listener certificate and the host's clock -----------------------------------------------------------

def test_the_self_signed_certificate_is_valid_six_months_from_the_install_clock():
    cert = fresh_install("web01", clock="2031-03-10T12:00:00Z")["listener"]["certificate"]
    assert (cert["not_before"], cert["not_after"]) == ("2031-03-10T12:00:00Z", "2031-09-08T12:00:00Z")
    assert cert["self_signed"] and cert["store"] == "Remote Desktop"


def test_without_a_chosen_clock_the_host_is_installed_now():
    state = fresh_install("web01")
    assert state["clock"] == state["listener"]["certificate"]["not_before"]


@pytest.mark.parametrize("certificate, renewed", [
    ({"subject": "CN=web01", "self_signed": True, "not_before": "2030-01-01T00:00:00Z",
      "not_after": "2030-07-01T00:00:00Z"}, True),
    ({"subject": "CN=web01", "self_signed": True, "not_before": "2030-01-01T00:00:00Z",
      "not_after": "2031-07-01T00:00:00Z"}, False),          # still valid on the host's clock
    ({"subject": "CN=web01.lab.example", "self_signed": False, "not_before": "2030-01-01T00:00:00Z",
      "not_after": "2030-07-01T00:00:00Z"}, False),          # CA-issued: Windows never replaces it
    ({"subject": "CN=web01", "self_signed": True, "not_before": "2030-01-01T00:00:00Z",
      "not_after": "2030-07-01T00:00:00Z", "renewal_fails": True}, False),   # event 1058
])
def test_termservice_replaces_an_expired_self_signed_certificate_when_it_starts(certificate, renewed):
    host = rdp_host(clock="2031-01-01T00:00:00Z")
    host.state["listener"]["certificate"] = dict(certificate)
    host.restart_service("TermService", force=True)
    now = host.state["listener"]["certificate"]
    assert (now != certificate) is renewed
    if renewed:
        assert (now["not_before"], now["not_after"]) == ("2031-01-01T00:00:00Z", "2031-07-02T00:00:00Z")
