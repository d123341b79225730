# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The twins of rdp.windows.firewall and rdp.windows.qos_policy: options validated from the .yml docs, check
mode, idempotence, and Windows' behaviour (Group Policy rules cannot be changed locally)."""

import copy

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import twins
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.twin_firewall import canonical_address
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import WindowsError_, WindowsHost

from tests.unit.remediation_fixtures import lab_state

TCP_RULE = "RemoteDesktop-UserMode-In-TCP"
UDP_RULE = "RemoteDesktop-UserMode-In-UDP"


def call(host, module, check_mode=False, **args):
    return twins.run(host, module, dict(args, _ansible_check_mode=check_mode, _ansible_diff=True))


def rule(host, name, store="PersistentStore"):
    return host.find_rules(name, store)[0]


# --- rdp.windows.firewall ------------------------------------------------------------------------------

def test_enables_built_in_rules_by_name_in_check_mode_then_for_real_then_idempotent():
    host = WindowsHost(lab_state("firewall-rule-off"))
    before = copy.deepcopy(host.state)
    predicted = call(host, "rdp.windows.firewall", check_mode=True, enable_rules=[TCP_RULE, UDP_RULE])
    assert predicted["changed"] and host.state == before
    done = call(host, "rdp.windows.firewall", enable_rules=[TCP_RULE, UDP_RULE])
    assert done["changed"] and done["diff"] == predicted["diff"]
    assert rule(host, TCP_RULE)["enabled"] and rule(host, UDP_RULE)["enabled"]
    assert done["diff"]["before"][TCP_RULE]["enabled"] is False
    again = call(host, "rdp.windows.firewall", enable_rules=[TCP_RULE, UDP_RULE])
    assert not again["changed"] and again["diff"] == {"before": {}, "after": {}}


def test_a_display_name_is_not_a_rule_name():
    host = WindowsHost(lab_state("firewall-rule-off"))
    result = call(host, "rdp.windows.firewall", enable_rules=["Remote Desktop - User Mode (TCP-In)"])
    assert result["failed"] and "stable Name" in result["msg"]


def test_a_group_policy_rule_is_reported_not_changed():
    state = lab_state("firewall-rule-off")
    tcp = next(r for r in state["firewall"]["rules"] if r["name"] == TCP_RULE)
    state["firewall"]["rules"].remove(tcp)
    state["firewall"]["policy_rules"].append(tcp)
    host = WindowsHost(state)
    result = call(host, "rdp.windows.firewall", enable_rules=[TCP_RULE])
    assert not result["changed"] and result["managed_by_policy"] == [TCP_RULE]
    assert rule(host, TCP_RULE, "GroupPolicy")["enabled"] is False


def test_windows_cannot_modify_a_group_policy_rule_locally():
    state = lab_state("healthy")
    state["firewall"]["policy_rules"].append({"name": "GPO-RDP", "enabled": False})
    host = WindowsHost(state)
    with pytest.raises(WindowsError_, match="No MSFT_NetFirewallRule objects found"):
        host.set_firewall_rule("GPO-RDP", {"enabled": True})


def test_one_owned_rule_per_protocol_created_then_moved_with_the_port():
    host = WindowsHost(lab_state("port-changed"))
    created = call(host, "rdp.windows.firewall", port=3390, protocols=["TCP", "UDP"], remote_addresses=["Any"])
    assert created["changed"] and created["diff"]["before"] == {"rdp.windows-RDP-In-TCP": None,
                                                                "rdp.windows-RDP-In-UDP": None}
    owned = rule(host, "rdp.windows-RDP-In-TCP")
    assert owned["group"] == "rdp.windows" and owned["local_ports"] == ["3390"] and owned["service"] == "termservice"
    assert not call(host, "rdp.windows.firewall", port=3390, protocols=["TCP", "UDP"])["changed"]
    moved = call(host, "rdp.windows.firewall", port=3391, protocols=["TCP"], remote_addresses=["10.0.0.0/8"])
    assert moved["changed"]
    assert [r["name"] for r in host.state["firewall"]["rules"]].count("rdp.windows-RDP-In-TCP") == 1
    assert rule(host, "rdp.windows-RDP-In-TCP")["local_ports"] == ["3391"]


def test_a_port_a_group_policy_rule_opens_is_not_opened_twice():
    state = lab_state("port-changed")
    state["firewall"]["policy_rules"].append({"name": "GPO RDP 3390", "enabled": True, "direction": "Inbound",
                                              "action": "Allow", "protocol": "TCP", "local_ports": ["3390"]})
    host = WindowsHost(state)
    result = call(host, "rdp.windows.firewall", port=3390, protocols=["TCP", "UDP"])
    assert result["covered_by_policy"] == ["TCP/3390"]
    assert [r["name"] for r in result["rules"]] == ["rdp.windows-RDP-In-UDP"]


def test_remote_addresses_compare_in_canonical_form():
    host = WindowsHost(lab_state("healthy"))
    rule(host, TCP_RULE)["remote_addresses"] = ["10.0.0.0/255.0.0.0", "192.168.1.5"]
    result = call(host, "rdp.windows.firewall", scope_rules=[TCP_RULE],
                  remote_addresses=["10.0.0.0/8", "192.168.1.5/32"])
    assert not result["changed"]
    assert canonical_address("*") == "any" and canonical_address("10.1.2.3/255.255.255.255") == "10.1.2.3"


def test_scope_rules_refuses_rules_it_does_not_own():
    state = lab_state("healthy")
    state["firewall"]["rules"].append({"name": "Admin RDP", "group": "", "enabled": True, "action": "Allow",
                                       "direction": "Inbound", "protocol": "TCP", "local_ports": ["3389"]})
    result = call(WindowsHost(state), "rdp.windows.firewall", scope_rules=["Admin RDP"], remote_addresses=["Any"])
    assert result["failed"] and "not changed" in result["msg"]


@pytest.mark.parametrize("args, message", [
    ({"remote_addresses": []}, "must not be empty"),
    ({"port": 0}, "1 to 65535"),
    ({"port": 65536}, "1 to 65535"),
    ({"scope_rules": [TCP_RULE]}, "remote_addresses"),
    ({"protocols": ["ICMP"]}, "protocols"),
    ({"display_name": "x"}, "Supported parameters include"),
])
def test_firewall_refuses_bad_options(args, message):
    host = WindowsHost(lab_state("healthy"))
    before = copy.deepcopy(host.state)
    result = call(host, "rdp.windows.firewall", **args)
    assert result["failed"] and message in result["msg"]
    assert host.state == before


# --- rdp.windows.qos_policy ------------------------------------------------------------------------------

def test_qos_policy_created_updated_removed_idempotently():
    host = WindowsHost(lab_state("qos-missing"))
    predicted = call(host, "rdp.windows.qos_policy", check_mode=True, port=3389, dscp=46)
    assert predicted["changed"] and host.netqos_policies() == []
    created = call(host, "rdp.windows.qos_policy", port=3389, dscp=46)
    assert created["changed"] and created["diff"] == predicted["diff"]
    assert host.netqos_policies() == [{"name": "rdp.windows-RDP", "protocol": "BOTH", "src_port_start": 3389,
                                       "src_port_end": 3389, "dscp": 46, "network_profile": "All"}]
    assert not call(host, "rdp.windows.qos_policy", port=3389, dscp=46)["changed"]
    updated = call(host, "rdp.windows.qos_policy", port=3389, dscp=34, protocol="TCP")
    assert updated["changed"] and updated["diff"]["before"]["dscp"] == 46
    assert len(host.netqos_policies()) == 1 and host.netqos_policies()[0]["dscp"] == 34
    assert call(host, "rdp.windows.qos_policy", state="absent")["changed"]
    assert host.netqos_policies() == []
    assert not call(host, "rdp.windows.qos_policy", state="absent")["changed"]


def test_qos_policy_never_touches_policies_of_other_names():
    host = WindowsHost(lab_state("healthy"))
    call(host, "rdp.windows.qos_policy", port=3389, dscp=10)
    assert [p["name"] for p in host.netqos_policies()] == ["RDP", "rdp.windows-RDP"]
    assert host.netqos_policies()[0]["dscp"] == 46


@pytest.mark.parametrize("args, message", [
    ({"port": 3389, "dscp": 64}, "0 to 63"),
    ({"port": 3389, "dscp": -1}, "0 to 63"),
    ({"port": 0, "dscp": 46}, "1 to 65535"),
    ({"dscp": 46}, "port"),
    ({"port": 3389, "dscp": 46, "protocol": "ICMP"}, "protocol"),
])
def test_qos_policy_refuses_bad_options(args, message):
    host = WindowsHost(lab_state("qos-missing"))
    result = call(host, "rdp.windows.qos_policy", **args)
    assert result["failed"] and message in result["msg"]
    assert host.netqos_policies() == []
