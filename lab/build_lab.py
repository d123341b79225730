#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write the simulated lab: one healthy host and one host per cause of RDP error 0x4.

Each host starts as a freshly installed, domain-joined Windows Server on which an administrator turned
Remote Desktop on, added LAB\\alice to Remote Desktop Users, and a GPO set keep-alive; a QoS policy marks
RDP traffic. Then one thing breaks it. ``lab/causes.yml`` says, for each host, what is broken and which
controls must fail.

Every host's clock is LAB_CLOCK, so the files are the same at every build, and its event logs hold a quiet
day of RDP use: alice logs on a few times, mistypes her password once, and an old burst of failures lies
outside the default 24 h review window. ``password-spray`` is configured right but carries a planted
password-spraying burst (docs/access-log.md).

Usage: python lab/build_lab.py [OUTPUT_DIR]   (default: lab/hosts next to this file)
"""

import copy
import datetime
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "plugins", "plugin_utils"))

from _simulator import event_log  # noqa: E402  pylint: disable=wrong-import-position
from _simulator.fresh_install import (  # noqa: E402  pylint: disable=wrong-import-position
    RDP_TCP, TS, TS_POLICY, add_domain_account, enable_remote_desktop, fresh_install, set_policy)

ALICE_SID = "S-1-5-21-3623811015-3361044348-30300820-1105"
SCHANNEL_TLS12_SERVER = r"HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server"
LAB_CLOCK = "2026-11-02T09:00:00Z"
# Documentation addresses (RFC 5737): the office LAN stands in as 10.0.0.0/24.
ALICE_PC = ("PC-ALICE", "10.0.0.21")
SPRAYER = "203.0.113.77"
SPRAYED_ACCOUNTS = ("administrator", "admin", "user", "test", "guest", "backup", "scanner", "sql", "support",
                    "helpdesk", "operator", "ftp", "web", "office", "reception", "training", "temp", "demo",
                    "sales", "hr", "accounting", "server", "remote", "rdp", "owner")
BOTNET = tuple(f"198.51.100.{n}" for n in range(11, 19))


def dword(value):
    return {"type": "REG_DWORD", "value": value}


def healthy(hostname, port=3389):
    state = enable_remote_desktop(fresh_install(hostname, "2022", domain="LAB", clock=LAB_CLOCK))
    add_domain_account(state, "LAB\\alice", ALICE_SID, "lab.example")
    state["groups"]["S-1-5-32-555"]["members"].append(ALICE_SID)
    set_policy(state, TS_POLICY, "KeepAliveEnable", dword(1))
    set_policy(state, TS_POLICY, "KeepAliveInterval", dword(1))
    state["qos_policies"].append({"name": "RDP", "protocol": "BOTH", "src_port_start": port, "src_port_end": port,
                                  "dscp": 46, "app_path": "svchost.exe", "network_profile": "All"})
    return state


def at(minutes_before):
    """A time ``minutes_before`` the lab clock."""
    clock = event_log.parse_time(LAB_CLOCK)
    return event_log.format_time(clock - datetime.timedelta(minutes=minutes_before))


def quiet_day():
    """Ordinary RDP use: three logons by alice, one mistyped password (NLA), and a burst three days ago."""
    workstation, address = ALICE_PC
    events = [event_log.rdp_authentication_succeeded(at(minutes), "alice", "LAB", address)
              for minutes in (30, 300, 1300)]
    events.append(event_log.nla_logon_failed(at(301), "alice", "LAB", workstation=workstation))
    events.append(event_log.rdp_connection_failed_bad_credentials(at(301), address))
    for n in range(25):
        events.append(event_log.remote_interactive_logon_failed(at(3 * 1440 + n), "administrator", "",
                                                                "192.0.2.200"))
    return events


def current_certificate(state):
    """The self-signed listener certificate, issued a month before the lab clock and valid six months (the
    simulated listener presents it shifted by the host clock's offset, so it is as valid on any day)."""
    state["listener"]["certificate"].update(not_before=at(30 * 1440), not_after=at(-152 * 1440))


def system_event(minutes_before, provider, event_id, **data):
    """An event of the System log (RemoteConnectionManager, Schannel, Service Control Manager)."""
    return {"log": "System", "provider": provider, "id": event_id, "time": at(minutes_before), "data": data}


def password_spray(state):
    """Configured right, but under attack this morning. With NLA required, each guess is a type 3 failure
    without an address (4625) plus an RdpCoreTS 140 with the address: 60 guesses at 25 accounts from one address,
    'administrator' guessed from 8 more addresses, and a local account locked out."""
    events = state["event_log"]
    for n in range(60):
        minutes = 120 - n // 2
        events.append(event_log.nla_logon_failed(at(minutes), SPRAYED_ACCOUNTS[n % len(SPRAYED_ACCOUNTS)], "",
                                                 sub_status="0xc0000064"))
        events.append(event_log.rdp_connection_failed_bad_credentials(at(minutes), SPRAYER))
    for n, address in enumerate(BOTNET):
        for attempt in range(2):
            events.append(event_log.nla_logon_failed(at(90 - n - attempt), "administrator", "",
                                                     workstation=f"DESKTOP-{n:02d}Q"))
            events.append(event_log.rdp_connection_failed_bad_credentials(at(90 - n - attempt), address))
    events.append(event_log.account_locked_out(at(60), "backup", "-", "S-1-5-21-2-3-4-1003"))


def rdp_disabled(state):
    state["registry"][TS]["fDenyTSConnections"] = dword(1)


def rdp_denied_by_policy(state):
    set_policy(state, TS_POLICY, "fDenyTSConnections", dword(1))


def termservice_disabled(state):
    state["services"]["TermService"].update(state="stopped", start_mode="disabled")
    state["services"]["UmRdpService"]["state"] = "stopped"
    # 7000: the service failed to start, error 1058 (it is disabled); param1 is its display name.
    state["event_log"].append(system_event(45, "Service Control Manager", 7000,
                                           param1="Remote Desktop Services", param2="%%1058"))


def firewall_rule_off(state):
    for rule in state["firewall"]["rules"]:
        if rule["name"].startswith("RemoteDesktop-UserMode-In"):
            rule["enabled"] = False


def port_changed(state):
    state["registry"][RDP_TCP]["PortNumber"] = dword(3390)
    state["listener"]["bound_port"] = 3390


def user_missing(state):
    state["groups"]["S-1-5-32-555"]["members"].remove(ALICE_SID)


def user_denied(state):
    state["user_rights"]["SeDenyRemoteInteractiveLogonRight"] = [ALICE_SID]
    # A hardening script that blocks her from the network as well: with NLA that refuses her first.
    state["user_rights"]["SeDenyNetworkLogonRight"].append(ALICE_SID)


def throttled(state):
    state["registry"][TS]["MaxOutstandingConnections"] = dword(10)
    # 1006: the listener saw many incomplete connections and stopped accepting for a while.
    state["event_log"].extend(system_event(minutes, event_log.RCM_PROVIDER, 1006) for minutes in (12, 7, 3))


def qos_missing(state):
    state["qos_policies"] = []


def tls12_disabled(state):
    state["registry"][SCHANNEL_TLS12_SERVER] = {"Enabled": dword(0), "DisabledByDefault": dword(1)}
    # 36871: a fatal error occurred while creating a TLS server credential (internal error state 10013).
    state["event_log"].extend(system_event(minutes, "Schannel", 36871) for minutes in (20, 5))


HOSTS = {
    "healthy": (None, {}),
    "rdp-disabled": (rdp_disabled, {}),
    "rdp-denied-by-policy": (rdp_denied_by_policy, {}),
    "termservice-disabled": (termservice_disabled, {}),
    "firewall-rule-off": (firewall_rule_off, {}),
    "port-changed": (port_changed, {"rdp_port": 3390}),
    "user-missing": (user_missing, {}),
    "user-denied": (user_denied, {}),
    "throttled": (throttled, {}),
    "qos-missing": (qos_missing, {}),
    "tls12-disabled": (tls12_disabled, {}),
    "password-spray": (password_spray, {}),
}


def host_state(computer_name, breakage, host_vars):
    """The state of one lab host (also used by bench/fleet.py to clone the lab under other names)."""
    state = healthy(computer_name, port=host_vars.get("rdp_port", 3389))
    state["event_log"].extend(quiet_day())
    current_certificate(state)
    if breakage:
        breakage(state)
    return state


def build(output_dir):
    os.makedirs(output_dir, exist_ok=True)
    for name, (breakage, host_vars) in HOSTS.items():
        state = host_state(name, breakage, host_vars)
        with open(os.path.join(output_dir, f"{name}.json"), "w", encoding="utf-8") as handle:
            json.dump(copy.deepcopy(state), handle, indent=1, sort_keys=True)
            handle.write("\n")
    return sorted(HOSTS)


def inventory_text():
    lines = [
        "---",
        "# The simulated lab: each host is a JSON state file under hosts/ (see lab/causes.yml).",
        "# Generated by lab/build_lab.py; edit that script, not this file.",
        "rdp_lab:",
        "  vars:",
        "    ansible_connection: rdp.windows.simulated",
        "    rdp_simulated_state: \"{{ inventory_dir }}/hosts/{{ inventory_hostname }}.json\"",
        "    rdp_probe_timeout: 1",
        "    rdp_users:",
        "      - LAB\\alice",
        "  hosts:",
    ]
    for name, (_breakage, host_vars) in HOSTS.items():
        if host_vars:
            lines.append(f"    {name}:")
            lines.extend(f"      {key}: {value}" for key, value in host_vars.items())
        else:
            lines.append(f"    {name}: {{}}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "hosts")
    build(target)
    with open(os.path.join(os.path.dirname(os.path.abspath(target)), "inventory.yml"), "w", encoding="utf-8") as f:
        f.write(inventory_text())
    print(f"wrote {len(HOSTS)} simulated hosts to {target}")
