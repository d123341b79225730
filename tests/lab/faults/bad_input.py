# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Invalid input, each case with what its error must say: the variable it names and the values it allows.

``tests/lab/faults/test_bad_input.py`` runs every case through the validation the playbooks use, and a
representative subset (``e2e=True``) through ansible-playbook against the simulated lab, where nothing may
be written to the host. ``docs/reliability.md`` counts them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BadInput:
    id: str
    variables: dict
    names: str  # the variable the message must name
    allows: tuple  # fragments of the allowed values the message must contain
    e2e: bool = False  # also run through ansible-playbook
    playbooks: tuple = ("audit.yml", "remediate.yml")  # the playbooks that use the variable


GOOD_WAIVER = {"control": "connections.allowed", "hosts": "all", "reason": "migration window", "owner": "ops",
               "expires": "2099-12-31"}

CASES = (
    BadInput("port-zero", {"rdp_port": 0}, "rdp_port", ("1 to 65535",), e2e=True),
    BadInput("port-65536", {"rdp_port": 65536}, "rdp_port", ("1 to 65535",)),
    BadInput("port-not-a-number", {"rdp_port": "abc"}, "rdp_port", ("int",), e2e=True),
    BadInput("port-negative", {"rdp_port": -3389}, "rdp_port", ("1 to 65535",)),
    BadInput("port-boolean", {"rdp_port": True}, "rdp_port", ("1 to 65535",)),
    BadInput("port-fraction", {"rdp_port": 3389.5}, "rdp_port", ("1 to 65535",)),
    BadInput("port-superscript-digit", {"rdp_port": "\u00b3"}, "rdp_port", ("1 to 65535",)),
    BadInput("port-of-winrm", {"rdp_port": 5985}, "rdp_port", ("WinRM", "1 to 65535"), e2e=True),
    BadInput("dscp-64", {"rdp_qos_dscp": 64}, "rdp_qos_dscp", ("0 to 63", "null"), e2e=True),
    BadInput("dscp-negative", {"rdp_qos_dscp": -1}, "rdp_qos_dscp", ("0 to 63",)),
    BadInput("profile-unknown", {"rdp_profile": "paranoid"}, "rdp_profile", ("baseline", "hardened"), e2e=True),
    BadInput("profile-wrong-case", {"rdp_profile": "Hardened"}, "rdp_profile", ("baseline", "hardened")),
    BadInput("sources-empty", {"rdp_allowed_sources": []}, "rdp_allowed_sources", ("['any']",), e2e=True),
    BadInput("sources-a-string", {"rdp_allowed_sources": "10.0.0.0/8"}, "rdp_allowed_sources", ("list",)),
    BadInput("sources-malformed-cidr", {"rdp_allowed_sources": ["10.0.0.0/33"]}, "rdp_allowed_sources",
             ("CIDR", "range", "keyword"), e2e=True),
    BadInput("sources-bad-address", {"rdp_allowed_sources": ["10.0.0.256"]}, "rdp_allowed_sources",
             ("IP address",)),
    BadInput("sources-reversed-range", {"rdp_allowed_sources": ["10.0.0.9-10.0.0.1"]}, "rdp_allowed_sources",
             ("start is after its end",)),
    BadInput("sources-mixed-families", {"rdp_allowed_sources": ["10.0.0.1-::5"]}, "rdp_allowed_sources",
             ("mixes IPv4 and IPv6",)),
    BadInput("sources-any-plus-address", {"rdp_allowed_sources": ["any", "10.0.0.0/8"]}, "rdp_allowed_sources",
             ("'any' cannot be combined",)),
    BadInput("sources-null-entry", {"rdp_allowed_sources": [None]}, "rdp_allowed_sources", ("not an address",)),
    BadInput("user-illegal-characters", {"rdp_users": ["LAB\\al|ce"]}, "rdp_users", ("characters",), e2e=True),
    BadInput("user-two-backslashes", {"rdp_users": ["LAB\\ou\\alice"]}, "rdp_users", ("single backslash",)),
    BadInput("user-malformed-sid", {"rdp_users": ["S-1-5-XYZ"]}, "rdp_users", ("SID",)),
    BadInput("user-empty-name", {"rdp_users": [""]}, "rdp_users", ("not an account name",)),
    BadInput("user-upn-without-domain", {"rdp_users": ["alice@"]}, "rdp_users", ("user@domain",)),
    BadInput("user-control-characters", {"rdp_users": ["LAB\\alice\r\x07bob"]}, "rdp_users",
             ("control characters",)),
    BadInput("users-a-string", {"rdp_users": "LAB\\alice"}, "rdp_users", ("list",)),
    BadInput("users-exclusive-but-empty", {"rdp_users_exclusive": True, "rdp_users": []}, "rdp_users_exclusive",
             ("list the accounts",), e2e=True),
    BadInput("hardened-without-nla", {"rdp_profile": "hardened", "rdp_nla_required": False}, "rdp_nla_required",
             ("hardened",), e2e=True),
    BadInput("nla-not-a-boolean", {"rdp_nla_required": "maybe"}, "rdp_nla_required", ("true or false",)),
    BadInput("udp-not-a-boolean", {"rdp_udp_enabled": 2}, "rdp_udp_enabled", ("true or false",)),
    BadInput("restart-not-a-boolean", {"rdp_restart_service": "sometimes"}, "rdp_restart_service",
             ("true or false",)),
    BadInput("skip-unknown-control", {"rdp_controls_skip": ["listener.nope"]}, "rdp_controls_skip",
             ("unknown controls", "listener.nope"), e2e=True),
    BadInput("skip-unknown-control-far-from-any", {"rdp_controls_skip": ["zzzz"]}, "rdp_controls_skip",
             ("control ids are:", "listener.nla")),
    BadInput("waiver-unknown-control", {"rdp_waivers": [dict(GOOD_WAIVER, control="connections.alowed")]},
             "rdp_waivers[0]", ("not a control id", "did you mean 'connections.allowed'"), e2e=True),
    BadInput("waiver-date-not-iso", {"rdp_waivers": [dict(GOOD_WAIVER, expires="31/12/2026")]}, "rdp_waivers[0]",
             ("YYYY-MM-DD",), e2e=True),
    BadInput("waiver-impossible-date", {"rdp_waivers": [dict(GOOD_WAIVER, expires="2026-02-30")]}, "rdp_waivers[0]",
             ("YYYY-MM-DD",)),
    BadInput("waiver-without-owner", {"rdp_waivers": [dict(GOOD_WAIVER, owner="")]}, "rdp_waivers[0]",
             ("owner is missing",)),
    BadInput("waiver-misspelt-key", {"rdp_waivers": [dict(GOOD_WAIVER, contorl="x")]}, "rdp_waivers[0]",
             ("unknown key", "control, hosts, reason, expires, owner")),
    BadInput("waivers-not-a-list", {"rdp_waivers": "connections.allowed"}, "rdp_waivers", ("list of waivers",)),
    BadInput("keep-alive-zero", {"rdp_keep_alive_interval": 0}, "rdp_keep_alive_interval", ("1 to 999999", "null")),
    BadInput("idle-limit-zero", {"rdp_idle_session_limit_ms": 0}, "rdp_idle_session_limit_ms",
             ("60000 to 900000",)),
    BadInput("disconnected-limit-text", {"rdp_disconnected_session_limit_ms": "soon"},
             "rdp_disconnected_session_limit_ms", ("60000 to 432000000",)),
    BadInput("access-log-hours-zero", {"rdp_access_log_hours": 0}, "rdp_access_log_hours", ("1 to 8760", "null")),
    BadInput("access-log-hours-superscript-digit", {"rdp_access_log_hours": "\u00b2"}, "rdp_access_log_hours",
             ("1 to 8760",)),
    BadInput("spray-one-source", {"rdp_spray_sources_per_account": 1}, "rdp_spray_sources_per_account",
             ("2 to 100000",), e2e=True, playbooks=("audit.yml",)),
    BadInput("max-outstanding-zero", {"rdp_max_outstanding_connections": 0}, "rdp_max_outstanding_connections",
             ("1 to 4294967295", "null")),
)

BY_ID = {case.id: case for case in CASES}


@dataclass(frozen=True)
class BadModuleOptions:
    """Invalid options of one of the collection's Windows modules, called directly (as a user's task would)."""

    id: str
    module: str
    args: dict
    names: str  # the option the message must name
    allows: tuple  # fragments of the allowed values


TCP_RULE, UDP_RULE = "RemoteDesktop-UserMode-In-TCP", "RemoteDesktop-UserMode-In-UDP"
FIREWALL, QOS = "rdp.windows.firewall", "rdp.windows.qos_policy"

MODULE_CASES = (
    BadModuleOptions("firewall-port-zero", FIREWALL, {"port": 0}, "port", ("1 to 65535",)),
    BadModuleOptions("firewall-port-65536", FIREWALL, {"port": 65536}, "port", ("1 to 65535",)),
    BadModuleOptions("firewall-port-not-a-number", FIREWALL, {"port": "abc"}, "port", ("int",)),
    BadModuleOptions("firewall-empty-addresses", FIREWALL, {"enable_rules": [TCP_RULE], "remote_addresses": []},
                     "remote_addresses", ("[Any]",)),
    BadModuleOptions("firewall-malformed-cidr", FIREWALL,
                     {"enable_rules": [TCP_RULE, UDP_RULE], "remote_addresses": ["10.0.0.0/8", "10.0.0.0/33"]},
                     "remote_addresses", ("10.0.0.0/33", "CIDR network", "range", "keyword")),
    BadModuleOptions("firewall-unknown-rule-after-a-known-one", FIREWALL, {"enable_rules": [TCP_RULE, "Bogus-Rule"]},
                     "Bogus-Rule", ("stable Name", "nothing was changed")),
    BadModuleOptions("firewall-rule-it-does-not-own", FIREWALL,
                     {"enable_rules": [TCP_RULE], "scope_rules": ["Admin RDP"], "remote_addresses": ["10.0.0.0/8"]},
                     "Admin RDP", ("not changed",)),
    BadModuleOptions("firewall-protocol-icmp", FIREWALL, {"port": 3390, "protocols": ["ICMP"]}, "protocols",
                     ("TCP, UDP",)),
    BadModuleOptions("firewall-profile-work", FIREWALL, {"port": 3390, "profiles": ["Work"]}, "profiles",
                     ("Any, Domain, Private, Public",)),
    BadModuleOptions("firewall-scope-without-addresses", FIREWALL, {"scope_rules": [TCP_RULE]}, "scope_rules",
                     ("remote_addresses",)),
    BadModuleOptions("firewall-unknown-option", FIREWALL, {"prot": 3390}, "prot", ("Unsupported parameters",)),
    BadModuleOptions("qos-dscp-64", QOS, {"port": 3389, "dscp": 64}, "dscp", ("0 to 63",)),
    BadModuleOptions("qos-port-zero", QOS, {"port": 0, "dscp": 46}, "port", ("1 to 65535",)),
    BadModuleOptions("qos-protocol-sctp", QOS, {"port": 3389, "dscp": 46, "protocol": "SCTP"}, "protocol",
                     ("TCP, UDP, Both",)),
    BadModuleOptions("qos-profile-home", QOS, {"port": 3389, "dscp": 46, "network_profile": "Home"},
                     "network_profile", ("Domain, Private, Public, All",)),
    BadModuleOptions("qos-present-without-port", QOS, {"dscp": 46}, "port", ("missing",)),
    BadModuleOptions("qos-wildcard-name-absent", QOS, {"name": "*", "state": "absent"}, "name", ("wildcard",)),
    BadModuleOptions("qos-wildcard-name-present", QOS, {"name": "RDP*", "port": 3389, "dscp": 10}, "name",
                     ("wildcard",)),
    BadModuleOptions("qos-empty-name", QOS, {"name": " ", "port": 3389, "dscp": 46}, "name", ("not empty",)),
)


@dataclass(frozen=True)
class BadProbeOptions:
    """Invalid options of rdp.windows.probe (also rdp_probe_* of diagnose.yml): refused before any connection."""

    id: str
    options: dict
    names: str
    allows: tuple
    e2e: dict = None  # the same mistake as diagnose.yml variables, run through ansible-playbook


PROBE_CASES = (
    BadProbeOptions("probe-port-zero", {"port": 0}, "port", ("1 to 65535",)),
    BadProbeOptions("probe-timeout-zero", {"timeout": 0}, "timeout", ("above 0",), e2e={"rdp_probe_timeout": 0}),
    BadProbeOptions("probe-timeout-huge", {"timeout": 10 ** 6}, "timeout", ("at most",)),
    BadProbeOptions("probe-protocol-unknown", {"protocols": ["tls13"]}, "protocols", ("allowed: rdp",),
                    e2e={"rdp_probe_protocols": ["tls13"]}),
    BadProbeOptions("probe-protocols-empty", {"protocols": []}, "protocols", ("non-empty list",)),
    BadProbeOptions("probe-rdp-with-tls", {"protocols": ["rdp", "ssl"]}, "protocols", ("cannot be combined",)),
    BadProbeOptions("probe-tls-min-sslv3", {"tls_min_version": "SSLv3"}, "tls_min_version", ("must be one of",)),
    BadProbeOptions("probe-host-with-space", {"host": "rdp host"}, "host", ("host name or an IP address",)),
)
