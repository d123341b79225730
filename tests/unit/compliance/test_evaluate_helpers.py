# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The helpers of the evaluation: address normalization, port ranges, rule and QoS matching, account SIDs,
host status and counts."""

from __future__ import annotations

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue, evaluate
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.desired_state import from_vars
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.firewall_addresses import normalize_address
from tests.unit.host_facts import ALICE, ALICE_SID, HostFacts, port_rule, qos_policy

ADDRESSES = [
    ("Any", "Any"), ("any", "Any"), ("*", "Any"), (" ANY ", "Any"), ("localsubnet", "LocalSubnet"),
    ("LocalSubnet", "LocalSubnet"), ("dns", "DNS"), ("DefaultGateway", "DefaultGateway"),
    ("10.0.0.0/8", "10.0.0.0/8"), ("10.0.0.0/255.0.0.0", "10.0.0.0/8"), ("10.1.2.3/8", "10.0.0.0/8"),
    ("192.168.1.5", "192.168.1.5"), ("192.168.1.5/32", "192.168.1.5"), ("192.168.1.5/255.255.255.255", "192.168.1.5"),
    ("10.0.0.1-10.0.0.9", "10.0.0.1-10.0.0.9"), ("10.0.0.1 - 10.0.0.9", "10.0.0.1-10.0.0.9"),
    ("10.0.0.1-10.0.0.1", "10.0.0.1"), ("FE80::1", "fe80::1"), ("fe80::/64", "fe80::/64"),
    ("2001:db8::1-2001:db8::9", "2001:db8::1-2001:db8::9"), ("not-an-address", "not-an-address"),
]


@pytest.mark.parametrize("address, canonical", ADDRESSES)
def test_normalize_address(address, canonical):
    assert normalize_address(address) == canonical


PORTS = [
    (3389, ["3389"], True), (3389, ["3390"], False), (3389, ["Any"], True), (3389, ["any"], True),
    (3389, ["3000-4000"], True), (3389, ["3390-4000"], False), (3389, ["1-3389"], True), (3389, [" 3389 "], True),
    (3389, ["443", "3389"], True), (3389, [], False), (3389, None, False), (3389, ["RPC"], False),
    (3389, ["a-b"], False), (3389, [3389], True),
]


@pytest.mark.parametrize("port, local_ports, covered", PORTS)
def test_port_in(port, local_ports, covered):
    assert evaluate.port_in(port, local_ports) is covered


def test_rules_opening_only_counts_enabled_inbound_rules_of_the_protocol():
    rules = [port_rule("tcp", "TCP", ["3390"]), port_rule("any", "ANY", ["3390"]), port_rule("udp", "UDP", ["3390"]),
             port_rule("off", "TCP", ["3390"], enabled=False), port_rule("out", "TCP", ["3390"], direction="Outbound"),
             port_rule("block", "TCP", ["3390"], action="Block"), port_rule("other", "TCP", ["443"])]
    facts = {"firewall": {"profiles": [], "rules": rules}}
    assert [r["name"] for r in evaluate.rules_opening(facts, 3390, "TCP")] == ["tcp", "any"]
    assert [r["name"] for r in evaluate.rules_opening(facts, 3390, "UDP")] == ["any", "udp"]
    assert [r["name"] for r in evaluate.rules_opening(facts, 3390, "TCP", action="Block")] == ["block"]


QOS = [
    (qos_policy(protocol="BOTH"), 3389, "TCP", True), (qos_policy(protocol="both"), 3389, "UDP", True),
    (qos_policy(protocol="TCP"), 3389, "UDP", False), (qos_policy(start=3380, end=3390), 3389, "TCP", True),
    (qos_policy(start=3390, end=3399), 3389, "TCP", False), (qos_policy(start=3389, end=None), 3389, "TCP", True),
    (qos_policy(start=None, end=None), 3389, "TCP", False),
]


@pytest.mark.parametrize("policy, port, protocol, covered", QOS)
def test_qos_covers(policy, port, protocol, covered):
    assert evaluate.qos_covers(policy, port, protocol) is covered


def test_resolve_user_sids_uses_the_host_answers_and_passes_sids_through():
    desired = from_vars({"rdp_users": [ALICE, "s-1-5-32-545", "LAB\\ghost"]})
    facts = {"accounts": {ALICE: {"sid": ALICE_SID}, "LAB\\ghost": {"sid": None, "error": "not found"}}}
    assert evaluate.resolve_user_sids(desired, facts) == ([ALICE_SID, "S-1-5-32-545"], ["LAB\\ghost"])
    assert evaluate.resolve_user_sids(desired, {}) == (["S-1-5-32-545"], [ALICE, "LAB\\ghost"])


def test_registry_lookup_ignores_case_like_windows():
    facts = HostFacts().result()
    entry = evaluate.registry_lookup(facts, r"hklm:\system\currentcontrolset\control\terminal server",
                                     "FDENYTSCONNECTIONS")
    assert entry["value"] == 0


def test_host_status_and_counts():
    results = [{"status": status} for status in ("pass", "pass", "not_applicable", "waived")]
    assert evaluate.host_status(results) == "compliant"
    assert evaluate.host_status(results + [{"status": "fail"}]) == "non_compliant"
    assert evaluate.host_status(results + [{"status": "error"}]) == "non_compliant"
    assert evaluate.summarize(results) == {"pass": 2, "fail": 0, "waived": 1, "error": 0, "not_applicable": 1}


def test_evaluate_returns_every_control_of_the_profile_with_the_report_fields():
    desired = catalogue.desired_for_catalogue({"rdp_users": [ALICE], "rdp_profile": "hardened"})
    result = evaluate.evaluate(desired, HostFacts().result())
    assert result["status"] == "compliant" and result["profile"] == "hardened"
    assert [c["id"] for c in result["controls"]] == [c.id for c in catalogue.CONTROLS]
    assert result["counts"]["pass"] + result["counts"]["not_applicable"] == len(catalogue.CONTROLS)
    assert result["user_sids"] == [ALICE_SID] and result["unresolved_accounts"] == []
    for control in result["controls"]:
        assert set(control) >= {"id", "title", "area", "cause", "status", "expected", "actual", "source",
                                "remediation", "reason", "rationale", "restart_required"}
        assert control["source"] in ("policy", "local", "default", None)


def test_an_empty_result_makes_every_applicable_control_an_error_not_a_pass():
    desired = catalogue.desired_for_catalogue({"rdp_users": [ALICE]})
    result = evaluate.evaluate(desired, {})
    statuses = {c["id"]: c["status"] for c in result["controls"]}
    assert set(statuses.values()) == {"error", "not_applicable"}
    assert result["status"] == "non_compliant"
