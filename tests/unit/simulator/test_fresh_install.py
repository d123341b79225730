# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fresh install is what windows-rdp.md says Windows ships (source tags in the test names' comments)."""

from __future__ import annotations

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.fresh_install import (
    RDP_TCP, TS, TS_POLICY, add_domain_account, enable_remote_desktop, fresh_install, set_policy)
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import WindowsHost


def dword(state, path, name):
    entry = state["registry"][path][name]
    assert entry["type"] == "REG_DWORD"
    return entry["value"]


def test_remote_desktop_is_off_on_a_fresh_install():
    state = fresh_install("web01")
    assert dword(state, TS, "fDenyTSConnections") == 1  # [MS-GEN], [ADMX-TS]: not allowed by default
    assert state["registry"][TS_POLICY] == {}  # no policy configured
    rules = {rule["name"]: rule for rule in state["firewall"]["rules"]}
    assert not any(rule["enabled"] for rule in rules.values())  # [WIN32-SATC]: disabled until RDP is enabled
    assert not WindowsHost(state).port_owner(3389)


def test_listener_defaults():
    state = fresh_install("web01")
    assert dword(state, RDP_TCP, "PortNumber") == 3389  # [MS-PORT]
    assert dword(state, RDP_TCP, "fEnableWinStation") == 1  # [AZ-GENERR]
    assert dword(state, RDP_TCP, "fLogonDisabled") == 0  # [AZ-GENERR]
    assert dword(state, RDP_TCP, "LanAdapter") == 0  # [AZ-VHD]
    assert dword(state, RDP_TCP, "UserAuthentication") == 1  # [ADMX-TS], [AZ-VHD]: NLA enforced by default
    assert dword(state, RDP_TCP, "MaxInstanceCount") == 0xFFFFFFFF  # [AZ-INTERMIT]
    assert dword(state, TS, "TSUserEnabled") == 0  # [AZ-GENERR]
    assert state["registry"][TS + r"\WinStations"]["SelfSignedCertStore"] == {"type": "REG_SZ",
                                                                              "value": "Remote Desktop"}
    assert "TSServerDrainMode" not in state["registry"][TS]
    assert "MaxOutstandingConnections" not in state["registry"][TS]  # [KB954398]: absent by default
    assert state["listener"]["bound_port"] == 3389 and state["listener"]["certificate"]["store"] == "Remote Desktop"


def test_services():
    services = fresh_install("web01")["services"]
    for name in ("TermService", "UmRdpService", "SessionEnv"):  # [MS-SVC]: Manual
        assert services[name]["start_mode"] == "manual"
    assert services["UmRdpService"]["depends_on"] == ["TermService"]  # [MS-SVC]
    assert services["TermService"]["display_name"] == "Remote Desktop Services"


def test_built_in_firewall_rules():
    rules = {rule["name"]: rule for rule in fresh_install("web01")["firewall"]["rules"]}
    assert set(rules) == {"RemoteDesktop-UserMode-In-TCP", "RemoteDesktop-UserMode-In-UDP",
                          "RemoteDesktop-Shadow-In-TCP"}  # [AZ-FW], [OBS-FW]
    for name, protocol in (("RemoteDesktop-UserMode-In-TCP", "TCP"), ("RemoteDesktop-UserMode-In-UDP", "UDP")):
        rule = rules[name]
        assert (rule["protocol"], rule["local_ports"], rule["direction"], rule["action"]) == (
            protocol, ["3389"], "Inbound", "Allow")
        assert rule["program"] == r"%SystemRoot%\system32\svchost.exe" and rule["service"] == "termservice"
        assert rule["group"] == "@FirewallAPI.dll,-28752"
    assert rules["RemoteDesktop-Shadow-In-TCP"]["program"] == r"%SystemRoot%\system32\RdpSa.exe"
    assert rules["RemoteDesktop-Shadow-In-TCP"]["local_ports"] == ["Any"]


@pytest.mark.parametrize("domain_controller, holders", [(False, ["S-1-5-32-544", "S-1-5-32-555"]),
                                                        (True, ["S-1-5-32-544"])])
def test_user_rights(domain_controller, holders):
    state = fresh_install("dc01", domain="LAB", domain_controller=domain_controller)
    assert state["user_rights"]["SeRemoteInteractiveLogonRight"] == holders  # [MS-URA-ALLOW]
    assert state["user_rights"]["SeDenyRemoteInteractiveLogonRight"] == []  # [MS-URA-DENY]
    assert state["groups"]["S-1-5-32-555"]["members"] == []
    assert state["os"]["is_domain_controller"] is domain_controller
    assert state["os"]["product_type"] == ("domain_controller" if domain_controller else "server")


def test_localized_names_but_the_same_sids_and_group_id():
    english, german = fresh_install("web01"), fresh_install("web01", locale="de-DE")
    assert german["groups"]["S-1-5-32-555"]["name"] == "Remotedesktopbenutzer"  # [AW-606]: names are localized
    assert german["groups"]["S-1-5-32-544"]["name"] == "Administratoren"
    assert set(german["groups"]) == set(english["groups"])
    for rule_en, rule_de in zip(english["firewall"]["rules"], german["firewall"]["rules"]):
        assert rule_en["name"] == rule_de["name"] and rule_en["group"] == rule_de["group"]  # [PS-GNFR]
        assert rule_en["display_name"] != rule_de["display_name"]


def test_os_versions_and_workstations():
    assert fresh_install("pc01", "win11")["os"]["product_type"] == "workstation"
    assert fresh_install("s", "2016")["os"]["version"] == "10.0.14393"
    assert fresh_install("s", "2025")["os"]["version"] == "10.0.26100"


def test_enable_remote_desktop_is_the_system_properties_switch():
    state = enable_remote_desktop(fresh_install("web01"))
    assert dword(state, TS, "fDenyTSConnections") == 0
    enabled = sorted(rule["name"] for rule in state["firewall"]["rules"] if rule["enabled"])
    assert enabled == ["RemoteDesktop-UserMode-In-TCP", "RemoteDesktop-UserMode-In-UDP"]
    assert WindowsHost(state).port_owner(3389) == "TermService"


def test_set_policy_and_domain_accounts():
    state = fresh_install("web01", domain="LAB")
    set_policy(state, TS_POLICY, "fDenyTSConnections", {"type": "REG_DWORD", "value": 1})
    assert state["group_policy"]["registry"][TS_POLICY]["fDenyTSConnections"]["value"] == 1
    assert state["registry"][TS_POLICY]["fDenyTSConnections"]["value"] == 1
    add_domain_account(state, "LAB\\alice", "S-1-5-21-1-2-3-1105")
    host = WindowsHost(state)
    assert host.resolve_account("alice@lab.example") == "S-1-5-21-1-2-3-1105"
