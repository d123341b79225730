# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every control of the catalogue, evaluated against hand-written host_info results.

``CASES`` holds, for each control, the situations that decide it (pass, fail, not applicable, error).
Registry, service and firewall controls also get the generic cases of their kind (policy beats local,
absent -> Windows default, wrong registry type, read errors, missing sections). A new control without
a pass and a fail case here fails ``test_every_control_has_pass_and_fail_cases``.
"""

from __future__ import annotations

import collections

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue, evaluate
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.windows_objects import OWNED_QOS_POLICY, owned_rule_name
from tests.unit.host_facts import (
    ADMINISTRATORS, ALICE, ALICE_SID, CREDSSP, EVERYONE, GUESTS, LOCAL_ACCOUNT, ORPHANED_SID, POL, RDP_TCP,
    REMOTE_DESKTOP_USERS, TLS12_SERVER, TS, USERS, HostFacts, builtin_rule, port_rule, qos_policy, rule,
)

Case = collections.namedtuple("Case", "control name facts variables status expect")


def case(control, name, facts, status, variables=None, **expect):
    return Case(control, name, facts, variables or {}, status, expect)


def evaluate_one(control_id, facts, **variables):
    values = {"rdp_profile": "hardened", "rdp_users": [ALICE]}
    values.update({f"rdp_{key}": value for key, value in variables.items()})
    desired = catalogue.desired_for_catalogue(values)
    if isinstance(facts, HostFacts):
        facts = facts.result()
    return evaluate.evaluate(desired, facts, [catalogue.BY_ID[control_id]])["controls"][0]


def check(result, status, expect):
    assert result["status"] == status, result
    for key, value in expect.items():
        if key.endswith("_contains"):
            field = result[key[:-len("_contains")]] or ""
            assert value in field, (key, result)
        else:
            assert result[key] == value, (key, result)


# --- edits ---------------------------------------------------------------------------------------------

def service(name, **values):
    return lambda: HostFacts().edit(lambda data: data["services"][name].update(values))


def without_service(name):
    return lambda: HostFacts().edit(lambda data: data["services"].pop(name))


def rule_edit(name, port=3389, **values):
    return lambda: HostFacts(port).edit(lambda data: rule(data, name).update(values))


def add_rules(*rules, port=3389):
    return lambda: HostFacts(port).edit(lambda data: data["firewall"]["rules"].extend(rules))


def only_rules(*rules, port=3389):
    return lambda: HostFacts(port).edit(lambda data: data["firewall"].update(rules=list(rules)))


def scoped_tcp_rule(*addresses):
    def edit(data):
        rule(data, "RemoteDesktop-UserMode-In-TCP")["remote_addresses"] = list(addresses)
        rule(data, "RemoteDesktop-UserMode-In-UDP")["remote_addresses"] = list(addresses)
    return lambda: HostFacts().edit(edit)


def qos(*policies, port=3389):
    return lambda: HostFacts(port).edit(lambda data: data.update(qos_policies=list(policies)))


def members(*sids):
    return lambda: HostFacts().edit(lambda data: data["groups"][REMOTE_DESKTOP_USERS].update(
        members=[{"sid": sid, "name": None if sid == ORPHANED_SID else sid} for sid in sids]))


def right(name, sids, from_policy=False):
    return lambda: HostFacts().edit(lambda data: data["user_rights"].update(
        {name: {"sids": list(sids), "from_policy": from_policy}}))


def section(name, value):
    return lambda: HostFacts().edit(lambda data: data.update({name: value}))


def listening(port=3389, owner="TermService", is_listening=True):
    return lambda: HostFacts().edit(lambda data: data.update(listeners=[
        {"port": port, "protocol": "TCP", "listening": is_listening, "owner": owner if is_listening else None}]))


def reg(path, name, value, reg_type="REG_DWORD", port=3389):
    return lambda: HostFacts(port).set(path, name, value, reg_type)


def unset(path, name):
    return lambda: HostFacts().unset(path, name)


def healthy(port=3389):
    return lambda: HostFacts(port)


DENY = "SeDenyRemoteInteractiveLogonRight"
NETWORK = "SeNetworkLogonRight"
DENY_NETWORK = "SeDenyNetworkLogonRight"
AUTHENTICATED_USERS = "S-1-5-11"
GUEST_ACCOUNT = "S-1-5-21-1000001-1000002-1000003-501"
LOCAL_ADMINISTRATOR = "S-1-5-114"  # NT AUTHORITY\Local account and member of Administrators group
ALLOW = "SeRemoteInteractiveLogonRight"
TCP_RULE = "RemoteDesktop-UserMode-In-TCP"
UDP_RULE = "RemoteDesktop-UserMode-In-UDP"

CASES = [
    # connections ----------------------------------------------------------------------------------------
    case("connections.allowed", "local 0 allows", healthy(), "pass", source="local", actual=0),
    case("connections.allowed", "local 1 denies", reg(TS, "fDenyTSConnections", 1), "fail", source="local",
         remediation_contains="fDenyTSConnections to 0"),
    case("connections.allowed", "absent is the Windows default: denied", unset(TS, "fDenyTSConnections"), "fail",
         source="default", actual=1),
    case("connections.allowed", "a GPO denying beats local 0", reg(POL, "fDenyTSConnections", 1), "fail",
         source="policy", actual=1, remediation_contains="Group Policy"),
    case("connections.not_draining", "not set", healthy(), "pass", source="default", actual=0),
    case("connections.not_draining", "drain mode", reg(TS, "TSServerDrainMode", 1), "fail", source="local"),
    # listener ---------------------------------------------------------------------------------------------
    case("listener.enabled", "enabled", healthy(), "pass"),
    case("listener.enabled", "listener disabled", reg(RDP_TCP, "fEnableWinStation", 0), "fail", actual=0),
    case("listener.logon_enabled", "logons accepted", healthy(), "pass"),
    case("listener.logon_enabled", "logons refused", reg(RDP_TCP, "fLogonDisabled", 1), "fail"),
    case("listener.port", "3389", healthy(), "pass", actual=3389),
    case("listener.port", "moved without rdp_port", reg(RDP_TCP, "PortNumber", 3390), "fail", actual=3390,
         expected=3389),
    case("listener.port", "custom port as configured", healthy(3390), "pass", {"port": 3390}, actual=3390),
    case("listener.port", "custom port wanted, listener still 3389", healthy(), "fail", {"port": 3390},
         expected=3390, actual=3389),
    case("listener.all_adapters", "all adapters", healthy(), "pass"),
    case("listener.all_adapters", "one adapter", reg(RDP_TCP, "LanAdapter", 2), "fail", actual=2),
    case("listener.nla", "NLA on", healthy(), "pass", actual=1),
    case("listener.nla", "NLA off locally", reg(RDP_TCP, "UserAuthentication", 0), "fail", actual=0),
    case("listener.nla", "NLA off by policy", reg(POL, "UserAuthentication", 0), "fail", source="policy"),
    case("listener.nla", "NLA not required and off", reg(RDP_TCP, "UserAuthentication", 0), "pass",
         {"profile": "baseline", "nla_required": False}),
    case("listener.nla", "NLA not required but on", healthy(), "fail", {"profile": "baseline", "nla_required": False},
         expected=0),
    case("listener.security_layer", "SSL", healthy(), "pass", actual=2),
    case("listener.security_layer", "native RDP security", reg(RDP_TCP, "SecurityLayer", 0), "fail",
         {"profile": "baseline"}),
    case("listener.security_layer", "Negotiate is enough for baseline", reg(RDP_TCP, "SecurityLayer", 1), "pass",
         {"profile": "baseline"}),
    case("listener.security_layer", "Negotiate is not enough for hardened", reg(RDP_TCP, "SecurityLayer", 1), "fail",
         expected=2),
    case("listener.encryption_level", "High", healthy(), "pass"),
    case("listener.encryption_level", "FIPS", reg(RDP_TCP, "MinEncryptionLevel", 4), "pass"),
    case("listener.encryption_level", "Client Compatible", reg(RDP_TCP, "MinEncryptionLevel", 2), "fail"),
    case("listener.encryption_level", "Low by policy", reg(POL, "MinEncryptionLevel", 1), "fail", source="policy"),
    case("listener.listening", "TermService listens", healthy(), "pass",
         actual={"listening": True, "owner": "TermService"}),
    case("listener.listening", "nothing listens", listening(is_listening=False), "fail",
         actual={"listening": False, "owner": None}),
    case("listener.listening", "another process holds the port", listening(owner="javaw"), "fail",
         actual={"listening": True, "owner": "javaw"}),
    case("listener.listening", "listening on the old port only", healthy(), "fail", {"port": 3390},
         actual={"listening": False, "owner": None}),
    case("listener.listening", "listeners not read", section("listeners", None), "error"),
    case("listener.listening", "the listener read failed", section("listeners", [None]), "error"),
    # services -------------------------------------------------------------------------------------------------
    case("service.termservice.start_mode", "manual (Windows default)", healthy(), "pass", actual="manual"),
    case("service.termservice.start_mode", "automatic", service("TermService", start_mode="auto"), "pass"),
    case("service.termservice.start_mode", "delayed automatic", service("TermService", start_mode="delayed"), "pass"),
    case("service.termservice.start_mode", "disabled", service("TermService", start_mode="disabled"), "fail",
         remediation_contains="TermService start mode to manual"),
    case("service.termservice.running", "running", healthy(), "pass"),
    case("service.termservice.running", "stopped", service("TermService", state="stopped"), "fail",
         remediation_contains="Start the TermService service"),
    case("service.termservice.running", "stuck starting", service("TermService", state="start_pending"), "fail"),
    case("service.umrdpservice.start_mode", "manual", healthy(), "pass"),
    case("service.umrdpservice.start_mode", "disabled (CIS L2)", service("UmRdpService", start_mode="disabled"),
         "fail"),
    case("service.umrdpservice.running", "running", healthy(), "pass"),
    case("service.umrdpservice.running", "stopped", service("UmRdpService", state="stopped"), "fail"),
    case("service.sessionenv.start_mode", "manual", healthy(), "pass"),
    case("service.sessionenv.start_mode", "disabled (CIS L2)", service("SessionEnv", start_mode="disabled"), "fail"),
    # firewall -------------------------------------------------------------------------------------------------
    case("firewall.builtin_tcp", "enabled", healthy(), "pass", source="local"),
    case("firewall.builtin_tcp", "disabled", rule_edit(TCP_RULE, enabled=False), "fail",
         remediation_contains="@FirewallAPI.dll,-28752"),
    case("firewall.builtin_tcp", "turned into a block rule", rule_edit(TCP_RULE, action="Block"), "fail"),
    case("firewall.builtin_tcp", "deleted", only_rules(builtin_rule(UDP_RULE, "UDP")), "fail",
         actual={"exists": False}),
    case("firewall.builtin_tcp", "enabled by Group Policy", rule_edit(TCP_RULE, policy_source="GroupPolicy"), "pass",
         source="policy"),
    case("firewall.builtin_tcp", "not used on a custom port", healthy(3390), "not_applicable", {"port": 3390},
         reason="rdp_port is 3390"),
    case("firewall.builtin_udp", "enabled", healthy(), "pass"),
    case("firewall.builtin_udp", "disabled", rule_edit(UDP_RULE, enabled=False), "fail"),
    case("firewall.builtin_udp", "UDP not wanted", rule_edit(UDP_RULE, enabled=False), "not_applicable",
         {"udp_enabled": False}, reason="rdp_udp_enabled is false"),
    case("firewall.builtin_udp", "not used on a custom port", healthy(3390), "not_applicable", {"port": 3390}),
    case("firewall.custom_port_tcp", "a rule opens the port", healthy(3390), "pass", {"port": 3390},
         actual={"open": True, "rules": [owned_rule_name("TCP")]}),
    case("firewall.custom_port_tcp", "only the built-in 3389 rules", healthy(), "fail", {"port": 3390},
         actual={"open": False, "rules": []}, remediation_contains=owned_rule_name("TCP")),
    case("firewall.custom_port_tcp", "a port range covers it",
         only_rules(port_rule("range", "TCP", ["3000-4000"]), port=3390), "pass", {"port": 3390}),
    case("firewall.custom_port_tcp", "a rule for any port", only_rules(port_rule("any", "TCP", ["Any"]), port=3390),
         "pass", {"port": 3390}),
    case("firewall.custom_port_tcp", "a rule for any protocol",
         only_rules(port_rule("anyproto", "Any", ["3390"]), port=3390), "pass", {"port": 3390}),
    case("firewall.custom_port_tcp", "the rule is disabled",
         only_rules(port_rule("off", "TCP", ["3390"], enabled=False), port=3390), "fail", {"port": 3390}),
    case("firewall.custom_port_tcp", "the rule is outbound",
         only_rules(port_rule("out", "TCP", ["3390"], direction="Outbound"), port=3390), "fail", {"port": 3390}),
    case("firewall.custom_port_tcp", "only a UDP rule", only_rules(port_rule("udp", "UDP", ["3390"]), port=3390),
         "fail", {"port": 3390}),
    case("firewall.custom_port_tcp", "a block rule wins",
         add_rules(port_rule("block", "TCP", ["3390"], action="Block"), port=3390), "fail", {"port": 3390},
         actual={"open": False, "rules": [owned_rule_name("TCP")], "blocked_by": ["block"]}),
    case("firewall.custom_port_tcp", "opened by Group Policy",
         only_rules(port_rule("gpo", "TCP", ["3390"], source="GroupPolicy"), port=3390), "pass", {"port": 3390},
         source="policy"),
    case("firewall.custom_port_tcp", "not needed on 3389", healthy(), "not_applicable", reason="rdp_port is 3389"),
    case("firewall.custom_port_udp", "a rule opens the port", healthy(3390), "pass", {"port": 3390}),
    case("firewall.custom_port_udp", "no UDP rule", only_rules(port_rule("tcp", "TCP", ["3390"]), port=3390), "fail",
         {"port": 3390}),
    case("firewall.custom_port_udp", "UDP not wanted", healthy(), "not_applicable",
         {"port": 3390, "udp_enabled": False}),
    case("firewall.custom_port_udp", "not needed on 3389", healthy(), "not_applicable"),
    case("firewall.allowed_sources", "any address, as wanted", healthy(), "pass", actual=["Any"]),
    case("firewall.allowed_sources", "scoped to LocalSubnet, any wanted", scoped_tcp_rule("LocalSubnet"), "fail",
         actual=["LocalSubnet"]),
    case("firewall.allowed_sources", "subnet in Windows' mask form", scoped_tcp_rule("10.0.0.0/255.0.0.0"), "pass",
         {"allowed_sources": ["10.0.0.0/8"]}, actual=["10.0.0.0/8"]),
    case("firewall.allowed_sources", "open to any, a subnet wanted", healthy(), "fail",
         {"allowed_sources": ["10.0.0.0/8"]}),
    case("firewall.allowed_sources", "exactly the wanted addresses", scoped_tcp_rule("192.168.1.5", "10.0.0.0/8"),
         "pass", {"allowed_sources": ["10.0.0.0/8", "192.168.1.5"]}),
    case("firewall.allowed_sources", "one wanted address missing", scoped_tcp_rule("10.0.0.0/8"), "fail",
         {"allowed_sources": ["10.0.0.0/8", "192.168.1.5"]}),
    case("firewall.allowed_sources", "an extra address", scoped_tcp_rule("10.0.0.0/8", "172.16.0.0/12"), "fail",
         {"allowed_sources": ["10.0.0.0/8"]}),
    case("firewall.allowed_sources", "a range", scoped_tcp_rule("10.0.0.1-10.0.0.9"), "pass",
         {"allowed_sources": ["10.0.0.1-10.0.0.9"]}),
    case("firewall.allowed_sources", "a second rule open to any", add_rules(port_rule("extra", "TCP", ["3389"])),
         "fail", {"allowed_sources": ["10.0.0.0/8"]}, actual=["Any"]),
    case("firewall.allowed_sources", "no rule opens the port", rule_edit(TCP_RULE, enabled=False), "not_applicable"),
    case("firewall.allowed_sources", "firewall not readable", section("firewall", {"profiles": [], "rules": [],
                                                                                   "error": "RPC unavailable"}),
         "error", reason_contains="RPC unavailable"),
    # tuning ---------------------------------------------------------------------------------------------------
    case("tuning.max_outstanding_connections", "not set", healthy(), "pass", source="default", actual=None),
    case("tuning.max_outstanding_connections", "throttled at 10", reg(TS, "MaxOutstandingConnections", 10), "fail"),
    case("tuning.max_outstanding_connections", "50 is enough", reg(TS, "MaxOutstandingConnections", 50), "pass"),
    case("tuning.max_outstanding_connections", "raised to 3000", reg(TS, "MaxOutstandingConnections", 3000), "pass"),
    case("tuning.max_outstanding_connections", "a minimum wanted, not set", healthy(), "fail",
         {"max_outstanding_connections": 100}, remediation_contains="to 100"),
    case("tuning.max_outstanding_connections", "below the wanted minimum", reg(TS, "MaxOutstandingConnections", 80),
         "fail", {"max_outstanding_connections": 100}),
    case("tuning.max_outstanding_connections", "the wanted minimum", reg(TS, "MaxOutstandingConnections", 100), "pass",
         {"max_outstanding_connections": 100}),
    case("tuning.keep_alive", "enabled by policy", healthy(), "pass", source="policy"),
    case("tuning.keep_alive", "not configured", unset(POL, "KeepAliveEnable"), "fail", source="default", actual=0),
    case("tuning.keep_alive", "a local value does not count: it is a policy setting",
         lambda: HostFacts().unset(POL, "KeepAliveEnable").set(TS, "KeepAliveEnable", 1), "fail", source="default"),
    case("tuning.keep_alive", "not managed", unset(POL, "KeepAliveEnable"), "not_applicable",
         {"keep_alive_interval": None}),
    case("tuning.keep_alive_interval", "1 minute", healthy(), "pass", actual=1),
    case("tuning.keep_alive_interval", "another interval", reg(POL, "KeepAliveInterval", 5), "fail"),
    case("tuning.keep_alive_interval", "the wanted interval", reg(POL, "KeepAliveInterval", 5), "pass",
         {"keep_alive_interval": 5}),
    case("tuning.keep_alive_interval", "not set", unset(POL, "KeepAliveInterval"), "fail", source="default"),
    case("tuning.keep_alive_interval", "not managed", unset(POL, "KeepAliveInterval"), "not_applicable",
         {"keep_alive_interval": None}),
    case("tuning.idle_session_limit", "15 minutes", healthy(), "pass"),
    case("tuning.idle_session_limit", "10 minutes", reg(POL, "MaxIdleTime", 600000), "pass"),
    case("tuning.idle_session_limit", "never (0)", reg(POL, "MaxIdleTime", 0), "fail"),
    case("tuning.idle_session_limit", "30 minutes", reg(POL, "MaxIdleTime", 1800000), "fail"),
    case("tuning.idle_session_limit", "longer than rdp_idle_session_limit_ms", healthy(), "fail",
         {"idle_session_limit_ms": 600000}),
    case("tuning.idle_session_limit", "not configured", unset(POL, "MaxIdleTime"), "fail", source="default"),
    case("tuning.disconnected_session_limit", "1 minute", healthy(), "pass"),
    case("tuning.disconnected_session_limit", "never", reg(POL, "MaxDisconnectionTime", 0), "fail"),
    case("tuning.disconnected_session_limit", "1 hour", reg(POL, "MaxDisconnectionTime", 3600000), "fail"),
    case("tuning.disconnected_session_limit", "1 hour allowed", reg(POL, "MaxDisconnectionTime", 3600000), "pass",
         {"disconnected_session_limit_ms": 3600000}),
    # qos --------------------------------------------------------------------------------------------------------
    case("qos.dscp_tcp", "DSCP 46 for both protocols", healthy(), "pass", actual={"dscp": 46, "policy": "RDP"}),
    case("qos.dscp_tcp", "no policy", qos(), "fail", actual={"dscp": None}, remediation_contains=OWNED_QOS_POLICY),
    case("qos.dscp_tcp", "wrong DSCP", qos(qos_policy(dscp=0)), "fail"),
    case("qos.dscp_tcp", "another DSCP wanted", healthy(), "fail", {"qos_dscp": 34}),
    case("qos.dscp_tcp", "a TCP policy", qos(qos_policy(protocol="TCP")), "pass"),
    case("qos.dscp_tcp", "a UDP policy only", qos(qos_policy(protocol="UDP")), "fail"),
    case("qos.dscp_tcp", "a port range", qos(qos_policy(start=3380, end=3399)), "pass"),
    case("qos.dscp_tcp", "another port", qos(qos_policy(start=443, end=443)), "fail"),
    case("qos.dscp_tcp", "the right one among several", qos(qos_policy("a", dscp=0), qos_policy("b")), "pass",
         actual={"dscp": 46, "policy": "b"}),
    case("qos.dscp_tcp", "from Group Policy", qos(qos_policy(source="policy")), "pass", source="policy"),
    case("qos.dscp_tcp", "the policy still on 3389 after a port change", healthy(), "fail", {"port": 3390}),
    case("qos.dscp_tcp", "QoS not managed", qos(), "not_applicable", {"qos_dscp": None}),
    case("qos.dscp_tcp", "QoS not readable", section("qos_policies", None), "error"),
    case("qos.dscp_udp", "DSCP 46 for both protocols", healthy(), "pass"),
    case("qos.dscp_udp", "a TCP policy only", qos(qos_policy(protocol="TCP")), "fail"),
    case("qos.dscp_udp", "UDP not wanted", qos(qos_policy(protocol="TCP")), "not_applicable", {"udp_enabled": False}),
    case("qos.dscp_udp", "QoS not managed", qos(), "not_applicable", {"qos_dscp": None}),
    # users ------------------------------------------------------------------------------------------------------
    case("users.remote_desktop_users", "alice is a member", healthy(), "pass", actual=[ALICE_SID]),
    case("users.remote_desktop_users", "alice is missing", members(), "fail", remediation_contains="Add the missing"),
    case("users.remote_desktop_users", "an orphaned SID does not matter", members(ORPHANED_SID, ALICE_SID), "pass"),
    case("users.remote_desktop_users", "extra member, not exclusive", members(ALICE_SID, USERS), "pass"),
    case("users.remote_desktop_users", "extra member, exclusive", members(ALICE_SID, USERS), "fail",
         {"users_exclusive": True}),
    case("users.remote_desktop_users", "exactly alice, exclusive", healthy(), "pass", {"users_exclusive": True}),
    case("users.remote_desktop_users", "users given by SID", members(USERS), "pass", {"users": [USERS]}),
    case("users.remote_desktop_users", "no users wanted", members(), "not_applicable", {"users": []},
         reason="rdp_users is empty"),
    case("users.remote_desktop_users", "an account the host cannot resolve",
         section("accounts", {ALICE: {"sid": None, "error": "account 'LAB\\alice' could not be found"}}), "error",
         reason_contains="LAB\\alice"),
    case("users.remote_desktop_users", "domain controller: managed in AD",
         lambda: HostFacts().edit(lambda data: data["os"].update(is_domain_controller=True)), "not_applicable",
         reason_contains="domain controller"),
    case("users.remote_desktop_users", "group not readable",
         section("groups", {REMOTE_DESKTOP_USERS: {"exists": False, "name": None, "members": [],
                                                   "error": "Exception calling Invoke"}}),
         "error", reason_contains="Exception calling Invoke"),
    case("users.remote_desktop_users", "group not returned", section("groups", {}), "error"),
    case("users.logon_right", "Administrators and Remote Desktop Users", healthy(), "pass", source="local"),
    case("users.logon_right", "Remote Desktop Users removed (DC default)", right(ALLOW, [ADMINISTRATORS]), "fail",
         remediation_contains="Grant SeRemoteInteractiveLogonRight"),
    case("users.logon_right", "set by Group Policy", right(ALLOW, [ADMINISTRATORS, REMOTE_DESKTOP_USERS], True),
         "pass", source="policy"),
    case("users.logon_right", "a plain list of SIDs",
         lambda: HostFacts().edit(lambda data: data["user_rights"].update(
             {ALLOW: [ADMINISTRATORS, REMOTE_DESKTOP_USERS]})), "pass"),
    case("users.logon_right", "not returned", lambda: HostFacts().edit(lambda data: data["user_rights"].pop(ALLOW)),
         "error"),
    case("users.logon_right", "secedit failed", section("user_rights", None), "error"),
    case("users.logon_right", "read error", lambda: HostFacts().edit(lambda data: data["user_rights"].update(
        {ALLOW: {"error": "secedit failed"}})), "error", reason_contains="secedit failed"),
    case("users.deny_logon_right", "nobody denied", healthy(), "pass"),
    case("users.deny_logon_right", "alice denied", right(DENY, [ALICE_SID]), "fail",
         remediation_contains="Remove the blocked accounts"),
    case("users.deny_logon_right", "Everyone denied", right(DENY, [EVERYONE]), "fail"),
    case("users.deny_logon_right", "Remote Desktop Users denied", right(DENY, [REMOTE_DESKTOP_USERS]), "fail"),
    case("users.deny_logon_right", "Users denied", right(DENY, [USERS]), "fail"),
    case("users.deny_logon_right", "CIS member server: Guests and Local account", right(DENY, [GUESTS, LOCAL_ACCOUNT]),
         "pass"),
    case("users.deny_logon_right", "denied by Group Policy", right(DENY, [ALICE_SID], True), "fail", source="policy"),
    case("users.network_logon_right", "Everyone, Administrators, Users (the default)", healthy(), "pass"),
    case("users.network_logon_right", "hardened to Administrators and Authenticated Users",
         right(NETWORK, [ADMINISTRATORS, AUTHENTICATED_USERS]), "pass"),
    case("users.network_logon_right", "Remote Desktop Users alone", right(NETWORK, [REMOTE_DESKTOP_USERS]), "pass"),
    case("users.network_logon_right", "alice herself", right(NETWORK, [ALICE_SID]), "pass"),
    case("users.network_logon_right", "Administrators only", right(NETWORK, [ADMINISTRATORS]), "fail",
         remediation_contains=f"Grant SeNetworkLogonRight to {REMOTE_DESKTOP_USERS}"),
    case("users.network_logon_right", "Administrators only, by Group Policy", right(NETWORK, [ADMINISTRATORS], True),
         "fail", source="policy"),
    case("users.network_logon_right", "NLA not required", right(NETWORK, [ADMINISTRATORS]), "not_applicable",
         {"profile": "baseline", "nla_required": False}),
    case("users.network_logon_right", "secedit failed", section("user_rights", None), "error"),
    case("users.deny_network_logon_right", "the Guest account (the default)", right(DENY_NETWORK, [GUEST_ACCOUNT]),
         "pass"),
    case("users.deny_network_logon_right", "CIS member server: Guests, Local account, local administrators",
         right(DENY_NETWORK, [GUESTS, LOCAL_ACCOUNT, LOCAL_ADMINISTRATOR]), "pass"),
    case("users.deny_network_logon_right", "alice denied", right(DENY_NETWORK, [ALICE_SID]), "fail",
         remediation_contains="Remove the blocked accounts from SeDenyNetworkLogonRight"),
    case("users.deny_network_logon_right", "Users denied by Group Policy", right(DENY_NETWORK, [USERS], True), "fail",
         source="policy"),
    case("users.deny_network_logon_right", "NLA not required", right(DENY_NETWORK, [ALICE_SID]), "not_applicable",
         {"profile": "baseline", "nla_required": False}),
    # compatibility ------------------------------------------------------------------------------------------------
    case("compatibility.tls12_server", "not configured (enabled)", healthy(), "pass", source="default"),
    case("compatibility.tls12_server", "disabled", reg(TLS12_SERVER, "Enabled", 0), "fail",
         remediation_contains="TLS 1.2\\Server\\Enabled to 1"),
    case("compatibility.tls12_server", "enabled as 0xFFFFFFFF", reg(TLS12_SERVER, "Enabled", 0xFFFFFFFF), "pass"),
    case("compatibility.tls12_server_default", "not configured (TLS 1.2 offered)", healthy(), "pass",
         source="default"),
    case("compatibility.tls12_server_default", "disabled by default", reg(TLS12_SERVER, "DisabledByDefault", 1), "fail",
         remediation_contains="TLS 1.2\\Server\\DisabledByDefault to 0"),
    case("compatibility.credssp_oracle", "not configured (Mitigated)", healthy(), "pass", source="default", actual=1),
    case("compatibility.credssp_oracle", "Force Updated Clients", reg(CREDSSP, "AllowEncryptionOracle", 0), "pass",
         source="policy"),
    case("compatibility.credssp_oracle", "Vulnerable", reg(CREDSSP, "AllowEncryptionOracle", 2), "fail"),
]


@pytest.mark.parametrize("item", CASES, ids=[f"{c.control}: {c.name}" for c in CASES])
def test_control_case(item):
    result = evaluate_one(item.control, item.facts(), **item.variables)
    check(result, item.status, item.expect)
    assert result["id"] == item.control
    if item.status in ("fail", "waived"):
        assert result["remediation"], result
    else:
        assert result["remediation"] == ""


def test_every_control_has_pass_and_fail_cases():
    statuses = collections.defaultdict(set)
    for item in CASES:
        statuses[item.control].add(item.status)
    missing = {control.id: sorted({"pass", "fail"} - statuses[control.id]) for control in catalogue.CONTROLS
               if not {"pass", "fail"} <= statuses[control.id]}
    assert not missing
    assert set(statuses) <= set(catalogue.BY_ID), "cases for controls that do not exist"


@pytest.mark.parametrize("control", catalogue.CONTROLS, ids=lambda c: c.id)
def test_a_healthy_hardened_host_passes_every_applicable_control(control):
    result = evaluate_one(control.id, HostFacts())
    expected = "not_applicable" if control.id.startswith("firewall.custom_port") else "pass"
    assert result["status"] == expected, result


@pytest.mark.parametrize("control", catalogue.CONTROLS, ids=lambda c: c.id)
def test_a_healthy_host_on_a_custom_port_passes_every_applicable_control(control):
    result = evaluate_one(control.id, HostFacts(3390), port=3390)
    expected = "not_applicable" if control.id.startswith("firewall.builtin") else "pass"
    assert result["status"] == expected, result


@pytest.mark.parametrize("control", catalogue.CONTROLS, ids=lambda c: c.id)
def test_rdp_controls_skip_reports_not_applicable(control):
    result = evaluate_one(control.id, HostFacts().edit(lambda data: data.update(services=None)),
                          controls_skip=[control.id])
    assert result["status"] == "not_applicable" and result["reason"] == "skipped by rdp_controls_skip"


# --- generic cases for each kind of Windows object ------------------------------------------------------------

REGISTRY_CONTROLS = [c for c in catalogue.CONTROLS if c.reads.kind == "registry"]
# A value each registry control accepts and one it refuses (hardened profile, default variables).
GOOD_BAD = {
    "connections.allowed": (0, 1), "connections.not_draining": (0, 1), "listener.enabled": (1, 0),
    "listener.logon_enabled": (0, 1), "listener.port": (3389, 3390), "listener.all_adapters": (0, 2),
    "listener.nla": (1, 0), "listener.security_layer": (2, 0), "listener.encryption_level": (3, 2),
    "tuning.max_outstanding_connections": (100, 10), "tuning.keep_alive": (1, 0), "tuning.keep_alive_interval": (1, 5),
    "tuning.idle_session_limit": (900000, 0), "tuning.disconnected_session_limit": (60000, 0),
    "compatibility.tls12_server": (1, 0), "compatibility.tls12_server_default": (0, 1),
    "compatibility.credssp_oracle": (1, 2),
}
# What a value absent from both locations means (the Windows default), for the hardened profile.
ABSENT = {
    "connections.allowed": "fail", "connections.not_draining": "pass", "listener.enabled": "pass",
    "listener.logon_enabled": "pass", "listener.port": "pass", "listener.all_adapters": "pass", "listener.nla": "pass",
    "listener.security_layer": "fail", "listener.encryption_level": "pass",
    "tuning.max_outstanding_connections": "pass", "tuning.keep_alive": "fail", "tuning.keep_alive_interval": "fail",
    "tuning.idle_session_limit": "fail", "tuning.disconnected_session_limit": "fail",
    "compatibility.tls12_server": "pass", "compatibility.tls12_server_default": "pass",
    "compatibility.credssp_oracle": "pass",
}


def _locations(control):
    reads = control.reads
    return [(loc.path, loc.name) for loc in (reads.policy, reads.local) if loc is not None]


def _effective(control):
    """Where the value is normally set: the local location, or the policy one for policy-only settings."""
    reads = control.reads
    location = reads.local or reads.policy
    return location.path, location.name


def test_the_generic_tables_cover_every_registry_control():
    ids = {c.id for c in REGISTRY_CONTROLS}
    assert set(GOOD_BAD) == ids and set(ABSENT) == ids


@pytest.mark.parametrize("control", REGISTRY_CONTROLS, ids=lambda c: c.id)
def test_registry_good_and_bad_values(control):
    good, bad = GOOD_BAD[control.id]
    facts = HostFacts()
    for path, name in _locations(control):
        facts.unset(path, name)
    path, name = _effective(control)
    source = "local" if control.reads.local else "policy"
    check(evaluate_one(control.id, facts.set(path, name, good)), "pass", {"actual": good, "source": source})
    failed = evaluate_one(control.id, facts.set(path, name, bad))
    check(failed, "fail", {"actual": bad, "source": source})
    assert name in failed["remediation"]


@pytest.mark.parametrize("control", REGISTRY_CONTROLS, ids=lambda c: c.id)
def test_registry_absent_value_is_the_windows_default(control):
    facts = HostFacts()
    for path, name in _locations(control):
        facts.unset(path, name)
    result = evaluate_one(control.id, facts)
    check(result, ABSENT[control.id], {"source": "default", "actual": control.reads.default})


@pytest.mark.parametrize("control", [c for c in REGISTRY_CONTROLS if c.reads.policy and c.reads.local],
                         ids=lambda c: c.id)
def test_registry_policy_value_beats_local_value(control):
    good, bad = GOOD_BAD[control.id]
    facts = HostFacts().set(control.reads.local.path, control.reads.local.name, good)
    failed = evaluate_one(control.id, facts.set(control.reads.policy.path, control.reads.policy.name, bad))
    check(failed, "fail", {"source": "policy", "actual": bad})
    assert "Group Policy" in failed["remediation"] and control.reads.policy.name in failed["remediation"]
    facts = HostFacts().set(control.reads.local.path, control.reads.local.name, bad)
    check(evaluate_one(control.id, facts.set(control.reads.policy.path, control.reads.policy.name, good)), "pass",
          {"source": "policy", "actual": good})


@pytest.mark.parametrize("control", REGISTRY_CONTROLS, ids=lambda c: c.id)
def test_registry_value_of_the_wrong_type_fails(control):
    good, _bad = GOOD_BAD[control.id]
    path, name = _effective(control)
    result = evaluate_one(control.id, HostFacts().set(path, name, str(good), "REG_SZ"))
    check(result, "fail", {"reason_contains": "REG_SZ"})
    assert "REG_DWORD" in result["reason"] and result["actual"] == {"wrong_type": "REG_SZ", "value": str(good)}


@pytest.mark.parametrize("control", REGISTRY_CONTROLS, ids=lambda c: c.id)
def test_registry_read_error_is_an_error_not_a_default(control):
    path, name = _effective(control)
    result = evaluate_one(control.id, HostFacts().read_error(path, name, "Requested registry access is not allowed."))
    check(result, "error", {"reason_contains": "Requested registry access is not allowed.", "source": None})


@pytest.mark.parametrize("control", REGISTRY_CONTROLS, ids=lambda c: c.id)
def test_registry_value_not_returned_by_host_info_is_an_error(control):
    path, name = _effective(control)
    check(evaluate_one(control.id, HostFacts().not_returned(path, name)), "error",
          {"reason_contains": "returned nothing"})
    facts = HostFacts().result()
    facts["registry"] = []
    check(evaluate_one(control.id, facts), "error", {})
    del facts["registry"]
    check(evaluate_one(control.id, facts), "error", {})


SERVICE_CONTROLS = [c for c in catalogue.CONTROLS if c.reads.kind == "service"]


@pytest.mark.parametrize("control", SERVICE_CONTROLS, ids=lambda c: c.id)
def test_service_not_installed_fails(control):
    result = evaluate_one(control.id, without_service(control.reads.service)())
    check(result, "fail", {"actual": "not_installed"})
    result = evaluate_one(control.id, service(control.reads.service, exists=False)())
    check(result, "fail", {"actual": "not_installed"})


@pytest.mark.parametrize("control", SERVICE_CONTROLS, ids=lambda c: c.id)
def test_service_facts_missing_or_unreadable_is_an_error(control):
    check(evaluate_one(control.id, section("services", None)()), "error", {})
    unreadable = HostFacts().edit(lambda data: data["services"].update({control.reads.service: None}))
    check(evaluate_one(control.id, unreadable), "error", {})


FIREWALL_CONTROLS = [c for c in catalogue.CONTROLS if c.reads.kind.startswith("firewall")]


@pytest.mark.parametrize("control", FIREWALL_CONTROLS, ids=lambda c: c.id)
def test_firewall_facts_missing_or_unreadable_is_an_error(control):
    port = 3389 if control.id.startswith("firewall.builtin") or control.id == "firewall.allowed_sources" else 3390
    for firewall in (None, {"profiles": [], "rules": [], "error": "the firewall could not be read"}):
        facts = HostFacts(port).edit(lambda data, firewall=firewall: data.update(firewall=firewall))
        check(evaluate_one(control.id, facts, port=port), "error", {})


# --- profiles ---------------------------------------------------------------------------------------------------

HARDENED_ONLY = {"listener.encryption_level", "tuning.idle_session_limit", "tuning.disconnected_session_limit",
                 "compatibility.credssp_oracle"}


def test_profiles_baseline_is_hardened_minus_the_lockdown_controls():
    baseline = {c.id for c in catalogue.controls_for("baseline")}
    hardened = {c.id for c in catalogue.controls_for("hardened")}
    assert hardened == set(catalogue.BY_ID)
    assert hardened - baseline == HARDENED_ONLY


def test_a_baseline_audit_does_not_report_hardened_controls():
    desired = catalogue.desired_for_catalogue({"rdp_users": [ALICE]})
    facts = HostFacts().unset(POL, "MaxIdleTime").set(CREDSSP, "AllowEncryptionOracle", 2).result()
    result = evaluate.evaluate(desired, facts)
    ids = [c["id"] for c in result["controls"]]
    assert not HARDENED_ONLY & set(ids)
    assert result["status"] == "compliant"
    hardened = evaluate.evaluate(catalogue.desired_for_catalogue({"rdp_users": [ALICE], "rdp_profile": "hardened"}),
                                 facts)
    assert hardened["status"] == "non_compliant"
    assert sorted(c["id"] for c in hardened["controls"] if c["status"] == "fail") == [
        "compatibility.credssp_oracle", "tuning.idle_session_limit"]


def test_the_catalogue_is_consistent():
    assert not catalogue.validate_catalogue()
    assert len(catalogue.CONTROLS) == len(catalogue.BY_ID)
