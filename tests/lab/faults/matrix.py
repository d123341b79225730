# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fault matrix: every fault the collection must survive, how the simulated lab injects it, and what
each workflow must do under it.

Each fault is one host of a "fault lab" (``build_fault_lab``): a lab host (healthy or broken in a known way)
with the fault injected into its state. The tests in ``tests/lab/faults/test_*_faults.py`` run the real
playbooks against that lab and assert the outcome; their names are ``test_<workflow>__<fault id with
underscores>``. ``docs/reliability.md`` is generated from this list (``tests/lab/faults/reliability.py``).
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
from dataclasses import dataclass, field
from typing import Callable

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
WORKFLOWS = ("audit", "remediate", "diagnose")
# Workflows whose expectations have tests; the others are listed in docs/reliability.md as pending.
TESTED_WORKFLOWS = ("audit", "remediate", "diagnose")


def _lab_builder():
    spec = importlib.util.spec_from_file_location("build_lab", os.path.join(REPO, "lab", "build_lab.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LAB = _lab_builder()
TS = LAB.TS
RDP_TCP = LAB.RDP_TCP
TS_POLICY = LAB.TS_POLICY
ALICE_SID = LAB.ALICE_SID
ORPHAN_SID = "S-1-5-21-3623811015-3361044348-30300820-1999"


@dataclass(frozen=True)
class Fault:
    id: str
    title: str
    inject: str
    build: Callable  # hostname -> state
    expect: dict  # workflow -> the expected outcome, in words (the tests assert it)
    host_vars: dict = field(default_factory=dict)
    connection_fault: bool = False  # the fault is in the connection (it clears when the faults list runs out)
    clear: Callable = None  # what an administrator does about it (state -> None); None: the network comes back
    cleared_by: str = "the network (or the host) comes back"


def clear_connection(state):
    state["faults"] = []


def dword(value):
    return {"type": "REG_DWORD", "value": value}


# --- how each faulty host is built --------------------------------------------------------------------------

def broken_in_three_places(hostname):
    """RDP disabled, listener throttled, firewall rules off: three independent writes to make."""
    state = LAB.healthy(hostname)
    LAB.rdp_disabled(state)
    LAB.throttled(state)
    LAB.firewall_rule_off(state)
    return state


def with_faults(*faults, base=broken_in_three_places):
    def build(hostname):
        state = base(hostname)
        state["faults"] = [dict(fault) for fault in faults]
        return state
    return build


def registry_denied(hostname):
    state = broken_in_three_places(hostname)
    state["registry_denied"] = [RDP_TCP]
    return state


def registry_read_only(hostname):
    state = broken_in_three_places(hostname)
    state["registry_read_only"] = [TS]
    return state


def wrong_registry_type(hostname):
    state = LAB.healthy(hostname)
    state["registry"][TS]["fDenyTSConnections"] = {"type": "REG_SZ", "value": "0"}
    return state


def listener_key_missing(hostname):
    state = LAB.healthy(hostname)
    del state["registry"][RDP_TCP]
    return state


def policy_key_missing(hostname):
    """No GPO ever touched Terminal Services: the policy key itself does not exist (not just empty)."""
    state = LAB.healthy(hostname)
    LAB.throttled(state)
    for path in list(state["registry"]):
        if path.lower() == TS_POLICY.lower():
            del state["registry"][path]
    state["group_policy"]["registry"] = {}
    return state


def service_fails_to_start(hostname):
    state = LAB.healthy(hostname)
    LAB.termservice_disabled(state)
    state["services"]["TermService"]["fails_to_start"] = True
    return state


def service_mode_by_policy(hostname):
    state = LAB.healthy(hostname)
    LAB.termservice_disabled(state)
    state["services"]["TermService"]["policy_start_mode"] = True
    return state


def gpo_reverts_after_write(hostname):
    """A Group Policy Preferences registry item keeps the local fDenyTSConnections at 1."""
    state = LAB.healthy(hostname)
    LAB.rdp_disabled(state)
    state["group_policy"]["registry"].setdefault(TS, {})["fDenyTSConnections"] = dword(1)
    state["group_policy"]["refresh_after_write"] = True
    return state


def orphaned_sid(hostname):
    state = LAB.healthy(hostname)
    state["groups"]["S-1-5-32-555"]["members"].append(ORPHAN_SID)
    return state


def domain_controller(hostname):
    """A DC: no local groups, and the logon right comes from the Default Domain Controllers Policy."""
    state = LAB.enable_remote_desktop(LAB.fresh_install(hostname, "2022", domain="LAB", domain_controller=True,
                                                        clock=LAB.LAB_CLOCK))
    state["group_policy"]["user_rights"]["SeRemoteInteractiveLogonRight"] = ["S-1-5-32-544"]
    LAB.add_domain_account(state, "LAB\\alice", ALICE_SID, "lab.example")
    LAB.set_policy(state, TS_POLICY, "KeepAliveEnable", dword(1))
    LAB.set_policy(state, TS_POLICY, "KeepAliveInterval", dword(1))
    state["qos_policies"].append({"name": "RDP", "protocol": "BOTH", "src_port_start": 3389, "src_port_end": 3389,
                                  "dscp": 46, "app_path": "svchost.exe", "network_profile": "All"})
    return state


def german_host(hostname):
    """de-DE: localized group, account and firewall display names; alice missing, rules off."""
    state = LAB.fresh_install(hostname, "2022", domain="LAB", locale="de-DE", clock=LAB.LAB_CLOCK)
    LAB.add_domain_account(state, "LAB\\alice", ALICE_SID, "lab.example")
    LAB.set_policy(state, TS_POLICY, "KeepAliveEnable", dword(1))
    LAB.set_policy(state, TS_POLICY, "KeepAliveInterval", dword(1))
    state["qos_policies"].append({"name": "RDP", "protocol": "BOTH", "src_port_start": 3389, "src_port_end": 3389,
                                  "dscp": 46, "app_path": "svchost.exe", "network_profile": "All"})
    state["registry"][TS]["fDenyTSConnections"] = dword(0)  # RDP allowed, built-in rules still off
    return state


def port_in_use(hostname):
    state = LAB.healthy(hostname)
    state["port_owners"] = {"TCP/3389": "javaw.exe"}
    return state


def termservice_hung(hostname):
    """TermService owns the port and shows Running, but its listener never answers."""
    state = LAB.healthy(hostname)
    state["services"]["TermService"]["not_responding"] = True
    return state


def port_answers_garbage(hostname):
    """nginx holds the RDP port (with a firewall rule of its own) and answers RDP with HTTP."""
    state = LAB.healthy(hostname)
    state["port_owners"] = {"TCP/3389": "nginx.exe"}
    state["port_owner_replies"] = {"TCP/3389": "HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n\r\n"}
    state["firewall"]["rules"].append({
        "name": "nginx-In-TCP", "display_name": "nginx", "group": "", "enabled": True, "action": "Allow",
        "direction": "Inbound", "protocol": "TCP", "local_ports": ["3389"], "remote_addresses": ["Any"],
        "profiles": ["Any"], "program": "C:\\nginx\\nginx.exe", "service": None})
    return state


def firewall_rule_from_gpo(hostname):
    """A GPO opens RDP to 10.0.0.0/8 only; the local built-in rules are off (enabling them would open RDP to Any)."""
    state = LAB.healthy(hostname)
    LAB.firewall_rule_off(state)
    state["firewall"]["policy_rules"] = [
        dict(copy.deepcopy(rule), name=f"GPO-{rule['name']}", display_name=f"RDP {rule['protocol']} (GPO)",
             enabled=True, remote_addresses=["10.0.0.0/255.0.0.0"])
        for rule in state["firewall"]["rules"] if rule["name"].startswith("RemoteDesktop-UserMode-In")]
    return state


# --- what an administrator does to clear each Windows fault ------------------------------------------------

def fix_acl(state):
    state.pop("registry_denied", None)
    state.pop("registry_read_only", None)


def restore_listener_key(state):
    fresh = LAB.fresh_install("restore-source", clock=LAB.LAB_CLOCK)
    state["registry"][RDP_TCP] = fresh["registry"][RDP_TCP]


def repair_service(state):
    for service in state["services"].values():
        service.pop("fails_to_start", None)
        service.pop("policy_start_mode", None)


def remove_gpp_item(state):
    state["group_policy"]["registry"].get(TS, {}).pop("fDenyTSConnections", None)


def grant_rdu_in_dc_policy(state):
    right = ["S-1-5-32-544", "S-1-5-32-555"]
    state["group_policy"]["user_rights"]["SeRemoteInteractiveLogonRight"] = right
    state["user_rights"]["SeRemoteInteractiveLogonRight"] = list(right)  # the next policy refresh


def free_port(state):
    state.pop("port_owners", None)
    state.pop("port_owner_replies", None)


def restart_hung_service(state):
    state["services"]["TermService"].pop("not_responding", None)


def widen_gpo_rules(state):
    for rule in state["firewall"]["policy_rules"]:
        rule["remote_addresses"] = ["Any"]


def nothing(state):
    """Nothing to clear: the first run must converge on its own."""


# --- the matrix ---------------------------------------------------------------------------------------------

BEFORE_WRITE = {"at": "before", "module": "ansible.windows.win_regedit"}
MALFORMED = {"changed": False, "schema_version": 1, "registry": "x", "services": [], "firewall": {"rules": "x"},
             "groups": [], "user_rights": 5, "accounts": ["LAB\\alice"], "qos_policies": "x",
             "listeners": {"a": 1}, "os": "<script>alert(1)</script>"}

FAULTS = (
    Fault(
        id="connection-refused-before",
        title="WinRM refuses the connection before anything runs",
        inject='faults: [{at: before, times: 5}]',
        build=with_faults({"at": "before", "times": 5}),
        connection_fault=True,
        expect={
            "audit": "host reported `unreachable` with WinRM's message; the other hosts are still audited; "
                     "nothing changed",
            "remediate": "host unreachable, nothing changed, no control reported fixed",
            "diagnose": "the probe still runs from the controller; the host is reported unreadable and no finding "
                        "claims the host's own firewall looks right; nothing changed; once WinRM answers, the "
                        "host's failing controls are the findings",
        },
    ),
    Fault(
        id="connection-timeout-before",
        title="The host stops answering before anything runs (connect timeout)",
        inject='faults: [{at: before, kind: timeout, times: 5}]',
        build=with_faults({"at": "before", "kind": "timeout", "times": 5}),
        connection_fault=True,
        expect={
            "audit": "host reported `unreachable` with the timeout message, after the timeout and no longer; "
                     "nothing changed",
            "remediate": "host unreachable, nothing changed, no control reported fixed",
            "diagnose": 'as for a refused connection, after the timeout',
        },
    ),
    Fault(
        id="connection-lost-after-read",
        title="The connection drops after host_info ran (the reply is lost)",
        inject='faults: [{at: after, module: rdp.windows.host_info}]',
        build=with_faults({"at": "after", "module": "rdp.windows.host_info"}),
        connection_fault=True,
        expect={
            "audit": "host reported `unreachable`; no control result is invented; nothing changed",
            "remediate": "host unreachable before any plan: nothing changed, no control reported fixed",
        },
    ),
    Fault(
        id="connection-lost-between-writes",
        title="The connection drops between two writes of a remediation",
        inject='faults: [{at: before, module: ansible.windows.win_regedit, skip: 1, times: 3}]',
        build=with_faults(dict(BEFORE_WRITE, skip=1, times=3)),
        connection_fault=True,
        expect={
            "remediate": "the first write is reported as made, the write that never ran and the ones after it as "
                         "not made; the host is not reported fixed; a re-run completes the job",
        },
    ),
    Fault(
        id="connection-timeout-between-writes",
        title="The host stops answering between two writes (read timeout)",
        inject='faults: [{at: before, kind: timeout, module: ansible.windows.win_regedit, skip: 1, times: 3}]',
        build=with_faults(dict(BEFORE_WRITE, kind="timeout", skip=1, times=3)),
        connection_fault=True,
        expect={
            "remediate": "as for a dropped connection, after the timeout: the changes made are listed, the rest "
                         "are not made; a re-run completes the job",
        },
    ),
    Fault(
        id="connection-lost-after-write",
        title="A write runs on the host but its reply is lost",
        inject='faults: [{at: after, module: ansible.windows.win_regedit}]',
        build=with_faults(dict(BEFORE_WRITE, at="after")),
        connection_fault=True,
        expect={
            "remediate": "the write whose reply was lost is reported as unknown (it may have been applied), "
                         "never as fixed; a re-run reads the host and converges",
        },
    ),
    Fault(
        id="connection-lost-before-verify",
        title="The connection drops after the last write, before the verifying read",
        inject='faults: [{at: before, module: rdp.windows.host_info, skip: 1, times: 3}]',
        build=with_faults({"at": "before", "module": "rdp.windows.host_info", "skip": 1, "times": 3}),
        connection_fault=True,
        expect={
            "remediate": "the writes are listed as made but unverified; no control is reported fixed; a re-run "
                         "verifies and reports compliant",
        },
    ),
    Fault(
        id="corrupt-reply",
        title="host_info answers with something that is not its JSON result",
        inject='faults: [{at: corrupt, module: rdp.windows.host_info, stdout: "<garbled CLIXML>"}]',
        build=with_faults({"at": "corrupt", "module": "rdp.windows.host_info",
                           "stdout": "#< CLIXML\r\n<Objs Version=\"1.1.0.1\"><S S=\"Error\">garbled"}),
        connection_fault=True,
        expect={
            "audit": "host reported `error` (not compliant, not a crash); nothing changed",
            "remediate": "nothing is written when the first read cannot be understood",
            "diagnose": "the diagnosis is written: host unreadable (the reply was not host_info's), probe findings "
                        "kept; nothing changed",
        },
    ),
    Fault(
        id="malformed-reply",
        title="host_info answers valid JSON of the wrong shape (strings where lists belong, hostile text)",
        inject='faults: [{at: corrupt, module: rdp.windows.host_info, stdout: <JSON of the wrong shape>}]',
        build=with_faults({"at": "corrupt", "module": "rdp.windows.host_info", "stdout": json.dumps(MALFORMED)}),
        connection_fault=True,
        expect={
            "audit": "every control whose data is malformed is `error` (unexpected shape), none passes; host "
                     "non_compliant; the fleet report is still written",
            "remediate": "nothing is written when the first read cannot be understood",
            "diagnose": 'the diagnosis is written: host unreadable, naming the sections of the wrong shape; no '
                        'crash; nothing changed',
        },
    ),
    Fault(
        id="module-error",
        title="host_info fails on the host (PowerShell error)",
        inject='faults: [{at: module_error, module: rdp.windows.host_info, message: ...}]',
        build=with_faults({"at": "module_error", "module": "rdp.windows.host_info",
                           "message": "Exception calling \"GetValue\": Not enough quota is available"}),
        connection_fault=True,
        expect={
            "audit": "host reported `error` with the module's message; nothing changed",
            "remediate": "nothing is written; the failure names the read that failed",
            "diagnose": "the diagnosis is written: host unreadable with the module's message; nothing changed",
        },
    ),
    Fault(
        id="registry-access-denied",
        title="Access denied on a registry key (RDP-Tcp)",
        inject="registry_denied: [HKLM\\...\\WinStations\\RDP-Tcp]",
        build=registry_denied,
        clear=fix_acl,
        cleared_by="the key's ACL is repaired",
        expect={
            "audit": "every control reading RDP-Tcp is `error` with Windows' message (never pass), the others are "
                     "evaluated; host non_compliant",
            "remediate": "the controls that can be fixed are fixed and listed; the unreadable ones are reported "
                         "failed, never fixed",
        },
    ),
    Fault(
        id="registry-read-only",
        title="A registry key can be read but not written (ACL)",
        inject="registry_read_only: [HKLM\\...\\Terminal Server]",
        build=registry_read_only,
        clear=fix_acl,
        cleared_by="the key's ACL is repaired",
        expect={
            "audit": "audited normally (reads work)",
            "remediate": "the writes to that key fail with Windows' message and are reported failed; the other "
                         "fixes are made and listed; once the ACL is fixed a re-run converges",
        },
    ),
    Fault(
        id="registry-wrong-type",
        title="A registry value has the wrong type (fDenyTSConnections as REG_SZ \"0\")",
        inject='registry: fDenyTSConnections = {type: REG_SZ, value: "0"}',
        build=wrong_registry_type,
        clear=nothing,
        cleared_by="nothing: the first run fixes it",
        expect={
            "audit": "connections.allowed fails, naming the type found and the type Windows expects; the string "
                     "\"0\" is never read as 0",
            "remediate": "the value is rewritten as REG_DWORD 0 and reported fixed after verification",
        },
    ),
    Fault(
        id="registry-key-missing",
        title="A registry key does not exist (the RDP-Tcp WinStation was deleted)",
        inject="registry: RDP-Tcp key removed",
        build=listener_key_missing,
        clear=restore_listener_key,
        cleared_by="the RDP-Tcp key is restored from a healthy host",
        expect={
            "audit": "the listener values are reported as Windows defaults (source `default`) and "
                     "listener.listening fails: nothing listens; host non_compliant",
            "remediate": "not reported fixed: recreating a WinStation is manual; listener.listening stays failed",
            "diagnose": "the probe's dropped connection is explained by listener.listening, with a manual fix "
                        "(remediation leaves it), never 'remediate fixes it'",
        },
    ),
    Fault(
        id="policy-key-missing",
        title="The Terminal Services policy key does not exist at all",
        inject="registry: HKLM\\SOFTWARE\\Policies\\...\\Terminal Services removed",
        build=policy_key_missing,
        host_vars={"rdp_keep_alive_interval": None},
        clear=nothing,
        cleared_by="nothing: the first run fixes it",
        expect={
            "audit": "policy values read as absent (local or default applies), not as errors",
            "remediate": "the local fix is made; no policy key is created unless asked",
        },
    ),
    Fault(
        id="service-fails-to-start",
        title="TermService is disabled and, once enabled, fails to start (error 1053)",
        inject="services.TermService: {start_mode: disabled, state: stopped, fails_to_start: true}",
        build=service_fails_to_start,
        clear=repair_service,
        cleared_by="the cause of the start failure is repaired",
        expect={
            "audit": "start mode and running state fail",
            "remediate": "the start mode change is made and listed; the start fails with Windows' message and "
                         "service.termservice.running is reported failed, not fixed",
        },
    ),
    Fault(
        id="service-start-mode-by-policy",
        title="TermService is disabled by Group Policy and its start mode cannot be changed",
        inject="services.TermService: {start_mode: disabled, policy_start_mode: true}",
        build=service_mode_by_policy,
        clear=repair_service,
        cleared_by="the GPO stops setting the start mode",
        expect={
            "audit": "start mode and running state fail",
            "remediate": "the start mode change fails (Access is denied) and is reported failed; the service is "
                         "not reported fixed",
        },
    ),
    Fault(
        id="gpo-reverts-after-write",
        title="A Group Policy refresh reverts a value right after it was written",
        inject="group_policy: {registry: {Terminal Server: {fDenyTSConnections: 1}}, refresh_after_write: true}",
        build=gpo_reverts_after_write,
        clear=remove_gpp_item,
        cleared_by="the GPO owner removes the preference item",
        expect={
            "audit": "connections.allowed fails",
            "remediate": "the write is made but the verifying read still sees 1: reported failed (reverted), "
                         "never fixed",
        },
    ),
    Fault(
        id="orphaned-sid",
        title="An orphaned SID (deleted account) in Remote Desktop Users",
        inject="groups.S-1-5-32-555.members += S-1-5-21-...-1999 (no account)",
        build=orphaned_sid,
        host_vars={"rdp_users_exclusive": True},
        clear=nothing,
        cleared_by="nothing: the first run fixes it",
        expect={
            "audit": "Remote Desktop Users is read (the orphan is listed by SID); with rdp_users_exclusive the "
                     "orphan makes users.remote_desktop_users fail",
            "remediate": "with rdp_users_exclusive the orphan is removed by SID and reported; alice stays",
        },
    ),
    Fault(
        id="domain-controller",
        title="A domain controller: no local groups",
        inject="fresh_install(domain_controller=True)",
        build=domain_controller,
        clear=grant_rdu_in_dc_policy,
        cleared_by="the Default Domain Controllers Policy grants Remote Desktop Users the logon right",
        expect={
            "audit": "users.remote_desktop_users is not_applicable (managed in AD); users.logon_right fails "
                     "with source `policy` (Default Domain Controllers Policy) and a fix naming the GPO",
            "remediate": "no local group change and no local user right change is attempted; the logon right is "
                         "reported as managed by policy",
        },
    ),
    Fault(
        id="localized-host",
        title="A non-English host (de-DE group, account and firewall display names)",
        inject='fresh_install(locale="de-DE")',
        build=german_host,
        clear=nothing,
        cleared_by="nothing: the first run fixes it",
        expect={
            "audit": "the same results as on an English host: groups by SID, rules by Name",
            "remediate": "alice is added to Remotedesktopbenutzer and the built-in rules are enabled, by SID and "
                         "rule Name",
        },
    ),
    Fault(
        id="port-in-use",
        title="The RDP port is held by another process",
        inject='port_owners: {"TCP/3389": "javaw.exe"}',
        build=port_in_use,
        clear=free_port,
        cleared_by="the other process moves off the port",
        expect={
            "audit": "listener.listening fails, naming the other process",
            "remediate": "not reported fixed (the other process must be moved by hand)",
            "diagnose": 'the top finding is listener.listening naming javaw.exe, with a manual fix',
        },
    ),
    Fault(
        id="firewall-rule-from-gpo",
        title="The RDP firewall rules come from Group Policy (scoped to 10.0.0.0/8)",
        inject="firewall.policy_rules: GPO copies of the built-in TCP and UDP rules, enabled, 10.0.0.0/8 only; "
               "built-in rules off",
        build=firewall_rule_from_gpo,
        clear=widen_gpo_rules,
        cleared_by="the GPO owner opens the rules to the addresses rdp_allowed_sources names (any)",
        expect={
            "audit": "the built-in rule controls are not_applicable (the GPO opens the port); allowed_sources "
                     "fails with source `policy` and a fix that names the GPO",
            "remediate": "no local rule is enabled, created or edited (that would widen the GPO's scope); "
                         "allowed_sources reported as managed by policy",
            "diagnose": 'the probe from outside 10.0.0.0/8 is dropped; the top finding is firewall.allowed_sources '
                        'with a Group Policy fix, not a local one',
        },
    ),
    Fault(
        id="probe-target-silent",
        title="The RDP port accepts TCP and never answers (TermService hung)",
        inject="services.TermService.not_responding: true",
        build=termservice_hung,
        clear=restart_hung_service,
        cleared_by="TermService is restarted",
        expect={
            "audit": "compliant: the configuration is right and the host's own view cannot see the hang",
            "remediate": "compliant, nothing changed (nothing on the host to fix; diagnosis is the tool for this)",
            "diagnose": "the probe fails at x224 (no_reply) within its timeout, not after; the top finding is "
                        "TermService holding the port without answering, with a manual fix; after the restart, "
                        "healthy",
        },
    ),
    Fault(
        id="probe-target-garbage",
        title="The RDP port answers garbage (nginx holds it and speaks HTTP)",
        inject='port_owners: {"TCP/3389": nginx.exe}, port_owner_replies: HTTP 400, an allow rule for nginx',
        build=port_answers_garbage,
        clear=free_port,
        cleared_by="nginx moves off the port",
        expect={
            "audit": "listener.listening fails, naming nginx.exe, with a fix that says to free the port",
            "remediate": "listener.listening skipped (held by nginx.exe); nothing changed",
            "diagnose": "the probe fails at x224 (not_tpkt, the HTTP bytes shown); the top finding names nginx.exe "
                        "from the host's side, with a manual fix, never 'remediate fixes it'",
        },
    ),

)

BY_ID = {fault.id: fault for fault in FAULTS}


def test_name(workflow, fault_id):
    return f"test_{workflow}__{fault_id.replace('-', '_')}"


# --- the fault lab -----------------------------------------------------------------------------------------

def build_fault_lab(directory, faults=FAULTS, timeout=1.0):
    """One host per fault (named by its id), plus a healthy host; returns the inventory path."""
    hosts_dir = os.path.join(directory, "hosts")
    os.makedirs(hosts_dir, exist_ok=True)
    host_vars = {}
    for fault in faults:
        with open(os.path.join(hosts_dir, f"{fault.id}.json"), "w", encoding="utf-8") as handle:
            json.dump(fault.build(fault.id), handle, indent=1, sort_keys=True)
        host_vars[fault.id] = fault.host_vars
    with open(os.path.join(hosts_dir, "healthy.json"), "w", encoding="utf-8") as handle:
        json.dump(LAB.healthy("healthy"), handle, indent=1, sort_keys=True)
    host_vars["healthy"] = {}
    inventory = {"fault_lab": {
        "vars": {"ansible_connection": "rdp.windows.simulated",
                 "rdp_simulated_state": "{{ inventory_dir }}/hosts/{{ inventory_hostname }}.json",
                 "rdp_simulated_timeout": timeout, "rdp_users": ["LAB\\alice"]},
        "hosts": host_vars}}
    path = os.path.join(directory, "inventory.yml")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(inventory, handle, indent=1)  # JSON is YAML
    return path


def clear_faults(directory, host, clear=clear_connection):
    """The fault goes away: the network comes back, or an administrator fixes what Windows refused."""
    path = os.path.join(directory, "hosts", f"{host}.json")
    with open(path, encoding="utf-8") as handle:
        state = json.load(handle)
    (clear or clear_connection)(state)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(state, handle, indent=1, sort_keys=True)
