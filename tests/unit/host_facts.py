# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A hand-written rdp.windows.host_info result of a healthy host, and small edits that break it.

The values come from windows-rdp.md (what a working, hardened RDP host looks like), not from the catalogue,
so a control that reads the wrong place or expects the wrong value fails these tests.
"""

from __future__ import annotations

import copy

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.windows_objects import owned_rule_name

TS = r"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server"
RDP_TCP = TS + r"\WinStations\RDP-Tcp"
POL = r"HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services"
CREDSSP = r"HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\CredSSP\Parameters"
TLS12_SERVER = r"HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server"

ADMINISTRATORS = "S-1-5-32-544"
USERS = "S-1-5-32-545"
GUESTS = "S-1-5-32-546"
REMOTE_DESKTOP_USERS = "S-1-5-32-555"
EVERYONE = "S-1-1-0"
LOCAL_ACCOUNT = "S-1-5-113"
ALICE = "LAB\\alice"
ALICE_SID = "S-1-5-21-3623811015-3361044348-30300820-1105"
ORPHANED_SID = "S-1-5-21-3623811015-3361044348-30300820-4242"

# Every registry value the catalogue may ask for; what a healthy, hardened host holds (absent = not set).
HEALTHY_REGISTRY = {
    (POL, "fDenyTSConnections"): None,
    (TS, "fDenyTSConnections"): 0,
    (TS, "TSServerDrainMode"): None,
    (RDP_TCP, "fEnableWinStation"): 1,
    (RDP_TCP, "fLogonDisabled"): 0,
    (RDP_TCP, "PortNumber"): 3389,
    (RDP_TCP, "LanAdapter"): 0,
    (POL, "UserAuthentication"): None,
    (RDP_TCP, "UserAuthentication"): 1,
    (POL, "SecurityLayer"): None,
    (RDP_TCP, "SecurityLayer"): 2,
    (POL, "MinEncryptionLevel"): None,
    (RDP_TCP, "MinEncryptionLevel"): 3,
    (TS, "MaxOutstandingConnections"): None,
    (POL, "KeepAliveEnable"): 1,
    (POL, "KeepAliveInterval"): 1,
    (POL, "MaxIdleTime"): 900000,
    (POL, "MaxDisconnectionTime"): 60000,
    (TLS12_SERVER, "Enabled"): None,
    (TLS12_SERVER, "DisabledByDefault"): None,
    (CREDSSP, "AllowEncryptionOracle"): None,
}


def builtin_rule(name, protocol, enabled=True, port="3389", source="Local", action="Allow"):
    return {
        "name": name, "display_name": name, "group": "@FirewallAPI.dll,-28752", "display_group": "Remote Desktop",
        "enabled": enabled, "action": action, "direction": "Inbound", "protocol": protocol,
        "local_ports": [port], "remote_addresses": ["Any"], "profiles": ["Any"],
        "program": r"%SystemRoot%\system32\svchost.exe", "service": "termservice", "policy_source": source,
    }


def port_rule(name, protocol, ports, enabled=True, action="Allow", direction="Inbound", source="Local",
              remote=("Any",)):
    return {
        "name": name, "display_name": name, "group": "rdp.windows", "display_group": "rdp.windows",
        "enabled": enabled, "action": action, "direction": direction, "protocol": protocol,
        "local_ports": list(ports), "remote_addresses": list(remote), "profiles": ["Any"], "program": "Any",
        "service": "Any", "policy_source": source,
    }


def qos_policy(name="RDP", protocol="BOTH", start=3389, end=3389, dscp=46, source="local"):
    return {"name": name, "source": source, "protocol": protocol, "src_port_start": start, "src_port_end": end,
            "dscp": dscp, "app_path": "svchost.exe", "network_profile": "All"}


def quiet_access_log():
    """The access-log summary of a host nobody attacks: one successful logon, nothing else."""
    def part(count, **lists):
        return dict({"read": count, "cap_reached": False, "oldest_read": None, "error": None, "count": count}, **lists)
    return {
        "hours": 24, "since": "2026-11-01T09:00:00Z", "until": "2026-11-02T09:00:00Z", "max_events": 5000, "top": 10,
        "successes": part(1, distinct_accounts=1, distinct_sources=1, top_accounts=[{"name": "lab\\alice", "count": 1}],
                          top_sources=[{"address": "10.0.0.21", "count": 1}]),
        "failures": part(0, by_kind={"remote_interactive": 0, "nla": 0}, distinct_sources=0, distinct_accounts=0,
                         top_sources=[], top_accounts=[], top_accounts_by_sources=[], top_sub_statuses=[]),
        "nla_failures": part(0, distinct_addresses=0, top_addresses=[]),
        "lockouts": part(0, distinct_accounts=0, top_accounts=[]),
    }


class HostFacts:
    """Build a host_info result: start healthy, break one thing, call ``result()``."""

    def __init__(self, port=3389):
        self.registry = {key: (None if value is None else ("REG_DWORD", value))
                         for key, value in HEALTHY_REGISTRY.items()}
        self.registry_errors = {}
        self.registry_missing = set()
        rules = [builtin_rule("RemoteDesktop-UserMode-In-TCP", "TCP"),
                 builtin_rule("RemoteDesktop-UserMode-In-UDP", "UDP")]
        if port != 3389:
            self.registry[(RDP_TCP, "PortNumber")] = ("REG_DWORD", port)
            rules += [port_rule(owned_rule_name("TCP"), "TCP", [str(port)]),
                      port_rule(owned_rule_name("UDP"), "UDP", [str(port)])]
        self.data = {
            "changed": False,
            "schema_version": 1,
            "os": {"hostname": "HEALTHY", "caption": "Microsoft Windows Server 2022 Datacenter", "version": "10.0.20348",
                   "product_type": "server", "domain": "LAB", "domain_joined": True, "is_domain_controller": False,
                   "locale": "en-US"},
            "services": {
                "TermService": {"exists": True, "display_name": "Remote Desktop Services", "state": "running",
                                "start_mode": "manual", "depends_on": ["RPCSS"]},
                "UmRdpService": {"exists": True, "display_name": "Remote Desktop Services UserMode Port Redirector",
                                 "state": "running", "start_mode": "manual", "depends_on": ["TermService"]},
                "SessionEnv": {"exists": True, "display_name": "Remote Desktop Configuration", "state": "running",
                               "start_mode": "manual", "depends_on": ["RPCSS"]},
            },
            "firewall": {"profiles": [{"name": name, "enabled": True, "default_inbound_action": "Block"}
                                      for name in ("Domain", "Private", "Public")],
                         "rules": rules},
            "groups": {REMOTE_DESKTOP_USERS: {"exists": True, "name": "Remote Desktop Users",
                                              "members": [{"sid": ALICE_SID, "name": ALICE}], "error": None}},
            "user_rights": {
                "SeRemoteInteractiveLogonRight": {"sids": [ADMINISTRATORS, REMOTE_DESKTOP_USERS], "from_policy": False},
                "SeDenyRemoteInteractiveLogonRight": {"sids": [], "from_policy": False},
                "SeNetworkLogonRight": {"sids": [EVERYONE, ADMINISTRATORS, USERS], "from_policy": False},
                "SeDenyNetworkLogonRight": {"sids": [], "from_policy": False},
            },
            "accounts": {ALICE: {"sid": ALICE_SID}},
            "qos_policies": [qos_policy(start=port, end=port)],
            "listeners": [{"port": port, "protocol": "TCP", "listening": True, "owner": "TermService"}],
            "listener": {"configured_port": port, "bound_port": port, "certificate": None},
            "errors": [],
            "access_log": quiet_access_log(),
        }

    # --- registry edits -------------------------------------------------------------------------------
    def set(self, path, name, value, reg_type="REG_DWORD"):
        self.registry[(path, name)] = (reg_type, value)
        return self

    def unset(self, path, name):
        self.registry[(path, name)] = None
        return self

    def read_error(self, path, name, message="Requested registry access is not allowed."):
        self.registry_errors[(path, name)] = message
        return self

    def not_returned(self, path, name):
        self.registry_missing.add((path, name))
        return self

    # --- other sections -------------------------------------------------------------------------------
    def edit(self, function):
        """Apply ``function(data)`` to the result sections (everything but the registry)."""
        function(self.data)
        return self

    def result(self):
        result = copy.deepcopy(self.data)
        registry = []
        for (path, name), entry in self.registry.items():
            if (path, name) in self.registry_missing:
                continue
            item = {"path": path, "name": name, "key_exists": True, "exists": entry is not None,
                    "type": entry[0] if entry else None, "value": entry[1] if entry else None}
            if (path, name) in self.registry_errors:
                item.update(exists=False, type=None, value=None, error=self.registry_errors[(path, name)])
            registry.append(item)
        result["registry"] = registry
        return result


def rule(data, name):
    return next(item for item in data["firewall"]["rules"] if item["name"] == name)
