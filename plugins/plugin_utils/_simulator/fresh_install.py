# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The state of a freshly installed Windows host, as Windows ships it (docs/simulator.md cites each fact).

Remote Desktop is off on a fresh install: fDenyTSConnections=1 and the built-in Remote Desktop firewall rules
exist but are disabled. ``enable_remote_desktop`` does what the System Properties "Allow remote connections"
switch does.
"""

from __future__ import annotations

import copy
import datetime

from . import event_log

TS = r"HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server"
RDP_TCP = TS + r"\WinStations\RDP-Tcp"
TS_POLICY = r"HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services"

LOCALES = {
    "en-US": {
        "S-1-5-32-544": "Administrators", "S-1-5-32-545": "Users", "S-1-5-32-546": "Guests",
        "S-1-5-32-555": "Remote Desktop Users", "group": "Remote Desktop",
        "tcp": "Remote Desktop - User Mode (TCP-In)", "udp": "Remote Desktop - User Mode (UDP-In)",
        "shadow": "Remote Desktop - Shadow (TCP-In)", "builtin": "BUILTIN", "nt": "NT AUTHORITY",
        "everyone": "Everyone", "auth": "Authenticated Users", "local": "Local account",
    },
    "de-DE": {
        "S-1-5-32-544": "Administratoren", "S-1-5-32-545": "Benutzer", "S-1-5-32-546": "Gäste",
        "S-1-5-32-555": "Remotedesktopbenutzer", "group": "Remotedesktop",
        "tcp": "Remotedesktop - Benutzermodus (TCP eingehend)",
        "udp": "Remotedesktop - Benutzermodus (UDP eingehend)",
        "shadow": "Remotedesktop - Schatten (TCP eingehend)", "builtin": "VORDEFINIERT", "nt": "NT-AUTORITÄT",
        "everyone": "Jeder", "auth": "Authentifizierte Benutzer", "local": "Lokales Konto",
    },
}

OS_VERSIONS = {
    "2016": ("Microsoft Windows Server 2016 Datacenter", "10.0.14393"),
    "2019": ("Microsoft Windows Server 2019 Datacenter", "10.0.17763"),
    "2022": ("Microsoft Windows Server 2022 Datacenter", "10.0.20348"),
    "2025": ("Microsoft Windows Server 2025 Datacenter", "10.0.26100"),
    "win10": ("Microsoft Windows 10 Enterprise", "10.0.19045"),
    "win11": ("Microsoft Windows 11 Enterprise", "10.0.22631"),
}


def _dword(value):
    return {"type": "REG_DWORD", "value": value}


def _rule(name, label, protocol, program, port, service="termservice", group_label="Remote Desktop"):
    return {
        "name": name, "display_name": label, "group": "@FirewallAPI.dll,-28752", "display_group": group_label,
        "enabled": False, "action": "Allow", "direction": "Inbound", "protocol": protocol,
        "local_ports": [str(port)] if port else ["Any"], "remote_addresses": ["Any"],
        "profiles": ["Any"], "program": program, "service": service,
    }


# Assumption (no Microsoft page states it): the self-signed RDP certificate TermService creates is valid for six
# months from its creation; TermService replaces it when it has expired (KB2531138: it checks twice a day).
SELF_SIGNED_VALIDITY = datetime.timedelta(days=182)


def self_signed_certificate(hostname, issued):
    """The certificate TermService creates in the Remote Desktop store, issued at ``issued`` (ISO 8601 UTC)."""
    start = event_log.parse_time(issued)
    return {"subject": f"CN={hostname.lower()}", "issuer": f"CN={hostname.lower()}", "self_signed": True,
            "store": "Remote Desktop", "not_before": event_log.format_time(start),
            "not_after": event_log.format_time(start + SELF_SIGNED_VALIDITY), "private_key_readable": True}


def fresh_install(hostname, os_version="2022", domain=None, locale="en-US", domain_controller=False, clock=None):
    """A host installed at ``clock`` (ISO 8601 UTC; default: the controller's current time). The host's clock
    stays there (``state["clock"]``), and every date on it (certificate, events) is relative to it."""
    clock = clock or event_log.format_time(datetime.datetime.now(datetime.timezone.utc))
    names = LOCALES[locale]
    caption, version = OS_VERSIONS[os_version]
    workstation = os_version.startswith("win")
    machine_sid = "S-1-5-21-" + "-".join(str(1000000 + (sum(map(ord, hostname)) * n) % 900000) for n in (7, 11, 13))
    admin_sid = f"{machine_sid}-500"
    svchost = r"%SystemRoot%\system32\svchost.exe"
    state = {
        "schema_version": 1,
        "clock": clock,
        "os": {
            "hostname": hostname.upper(), "caption": caption, "version": version,
            "product_type": "workstation" if workstation else ("domain_controller" if domain_controller else "server"),
            "domain": domain, "domain_joined": bool(domain), "is_domain_controller": domain_controller,
            "locale": locale,
        },
        "registry": {
            TS: {"fDenyTSConnections": _dword(1), "TSUserEnabled": _dword(0), "fSingleSessionPerUser": _dword(1)},
            TS + r"\WinStations": {"SelfSignedCertStore": {"type": "REG_SZ", "value": "Remote Desktop"}},
            RDP_TCP: {"PortNumber": _dword(3389), "fEnableWinStation": _dword(1), "LanAdapter": _dword(0),
                      "UserAuthentication": _dword(1), "SecurityLayer": _dword(2), "MinEncryptionLevel": _dword(2),
                      "MaxInstanceCount": _dword(0xFFFFFFFF), "fLogonDisabled": _dword(0)},
            TS_POLICY: {},
            r"HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 2.0\Client":
                {"DisabledByDefault": _dword(1)},
        },
        "services": {
            "TermService": {"display_name": "Remote Desktop Services", "state": "running", "start_mode": "manual",
                            "depends_on": ["RPCSS"]},
            "UmRdpService": {"display_name": "Remote Desktop Services UserMode Port Redirector", "state": "running",
                             "start_mode": "manual", "depends_on": ["TermService"]},
            "SessionEnv": {"display_name": "Remote Desktop Configuration", "state": "running",
                           "start_mode": "manual", "depends_on": ["RPCSS"]},
            "RPCSS": {"display_name": "Remote Procedure Call (RPC)", "state": "running", "start_mode": "auto",
                      "depends_on": []},
            "WinRM": {"display_name": "Windows Remote Management (WS-Management)", "state": "running",
                      "start_mode": "auto", "depends_on": ["RPCSS"]},
        },
        "firewall": {
            "profiles": [{"name": profile, "enabled": True, "default_inbound_action": "Block"}
                         for profile in ("Domain", "Private", "Public")],
            "allow_local_policy_merge": True,
            "rules": [
                _rule("RemoteDesktop-UserMode-In-TCP", names["tcp"], "TCP", svchost, 3389,
                      group_label=names["group"]),
                _rule("RemoteDesktop-UserMode-In-UDP", names["udp"], "UDP", svchost, 3389,
                      group_label=names["group"]),
                _rule("RemoteDesktop-Shadow-In-TCP", names["shadow"], "TCP", r"%SystemRoot%\system32\RdpSa.exe",
                      None, service=None, group_label=names["group"]),
            ],
            "policy_rules": [],
        },
        "groups": {
            "S-1-5-32-544": {"name": names["S-1-5-32-544"], "members": [admin_sid]},
            "S-1-5-32-545": {"name": names["S-1-5-32-545"], "members": ["S-1-5-4", "S-1-5-11"]},
            "S-1-5-32-546": {"name": names["S-1-5-32-546"], "members": []},
            "S-1-5-32-555": {"name": names["S-1-5-32-555"], "members": []},
        },
        "accounts": {
            admin_sid: {"name": f"{hostname.upper()}\\Administrator"},
            "S-1-5-32-544": {"name": f"{names['builtin']}\\{names['S-1-5-32-544']}"},
            "S-1-5-32-545": {"name": f"{names['builtin']}\\{names['S-1-5-32-545']}"},
            "S-1-5-32-546": {"name": f"{names['builtin']}\\{names['S-1-5-32-546']}"},
            "S-1-5-32-555": {"name": f"{names['builtin']}\\{names['S-1-5-32-555']}"},
            "S-1-1-0": {"name": names["everyone"]},
            "S-1-5-4": {"name": f"{names['nt']}\\INTERACTIVE"},
            "S-1-5-11": {"name": f"{names['nt']}\\{names['auth']}"},
            "S-1-5-113": {"name": f"{names['nt']}\\{names['local']}"},
        },
        "user_rights": {
            "SeRemoteInteractiveLogonRight": ["S-1-5-32-544"] if domain_controller
            else ["S-1-5-32-544", "S-1-5-32-555"],
            "SeDenyRemoteInteractiveLogonRight": [],
            "SeNetworkLogonRight": ["S-1-1-0", "S-1-5-32-544", "S-1-5-32-545"],
            # The local Guest account (RID 501), disabled anyway: Windows' local default for the deny right.
            "SeDenyNetworkLogonRight": [] if domain_controller else [f"{machine_sid}-501"],
        },
        "qos_policies": [],
        "listener": {"bound_port": 3389, "certificate": self_signed_certificate(hostname, clock)},
        "group_policy": {"registry": {}, "user_rights": {}},
        "event_log": [],
        "faults": [],
        "counters": {"round_trips": 0},
    }
    return state


def add_domain_account(state, name, sid, dns_domain=None):
    state["accounts"][sid] = {"name": name, "dns_domain": dns_domain or name.split("\\")[0].lower() + ".example"}


def set_policy(state, path, name, entry):
    """A GPO sets a registry value: it appears in the registry and comes back at every policy refresh."""
    state["group_policy"]["registry"].setdefault(path, {})[name] = entry
    state["registry"].setdefault(path, {})[name] = copy.deepcopy(entry)


def enable_remote_desktop(state):
    """What 'Allow remote connections to this computer' does: fDenyTSConnections=0 and the built-in rules on."""
    state["registry"][TS]["fDenyTSConnections"] = _dword(0)
    for rule in state["firewall"]["rules"]:
        if rule["name"] in ("RemoteDesktop-UserMode-In-TCP", "RemoteDesktop-UserMode-In-UDP"):
            rule["enabled"] = True
    return state
