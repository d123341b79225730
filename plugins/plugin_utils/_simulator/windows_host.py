# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A simulated Windows host: the state file, and the Windows behaviour that matters for RDP.

Modelled on Windows' own terms (see docs/simulator.md), independently of the control catalogue:
- Group Policy values live under HKLM\\SOFTWARE\\Policies and are re-applied by a policy refresh;
- the listener is bound to the PortNumber read when TermService last started, and listens only while
  TermService runs, remote connections are allowed and the port is free;
- a disabled service cannot start; stopping a service with running dependents needs force;
- firewall rules come from the local store and from Group Policy; the active store merges both; only the
  local store can be changed (a rule that Group Policy defines cannot be modified locally);
- group names are localized, SIDs are not; orphaned SIDs stay in groups; domain controllers have no
  local groups.
"""

from __future__ import annotations

import copy
import fcntl
import functools
import ipaddress
import json
import os

from . import event_log
from .fresh_install import self_signed_certificate
from .registry import Registry, canonical_path

TS = r"HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server"
RDP_TCP = TS + r"\WinStations\RDP-Tcp"
TS_POLICY = r"HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services"
QOS_POLICY_ROOT = r"HKLM\SOFTWARE\Policies\Microsoft\Windows\QoS"


# The address keywords Set-NetFirewallRule -RemoteAddress accepts, with their IPv4/IPv6 variants (lower case).
FIREWALL_ADDRESS_KEYWORDS = {"any", "*"} | {
    f"{word}{suffix}" for word in ("localsubnet", "dns", "dhcp", "wins", "defaultgateway", "internet", "intranet",
                                   "intranetremoteaccess", "playtodevice") for suffix in ("", "4", "6")}
INVALID_FIREWALL_ADDRESS = (
    "The address is invalid. Addresses may be specified as IP addresses, ranges, or subnets. Also, the following "
    "address keywords are allowed in certain places: LocalSubnet, DNS, DHCP, WINS, DefaultGateway, Internet, Intranet, "
    "IntranetRemoteAccess, PlayToDevice. Keywords can be restricted to IPv4 or IPv6 by appending a 4 or a 6.")


def firewall_address_accepted(address):
    """Whether Windows Firewall accepts a remote address: a keyword, an address, a CIDR network or mask, a range."""
    text = str(address).strip()
    if text.lower() in FIREWALL_ADDRESS_KEYWORDS:
        return True
    try:
        if "-" in text:
            first, last = text.split("-", 1)
            ipaddress.ip_address(first.strip())
            ipaddress.ip_address(last.strip())
            return True
        if "/" in text:
            head, tail = text.split("/", 1)
            longest = ipaddress.ip_address(head).max_prefixlen
            if tail.isdigit():
                return 0 <= int(tail) <= longest
            ipaddress.ip_address(tail)
            return True
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


class WindowsError_(Exception):
    """An error as a Windows cmdlet or API would report it."""


class ConnectionDropped(Exception):
    """The simulated WinRM connection broke (a scheduled fault)."""


def _reg_text(values, key):
    """A Policy-based QoS value (all REG_SZ); an absent value means '*' (any)."""
    entry = values.get(key)
    return str(entry["value"]) if entry else "*"


def _dword(registry, path, name, default):
    entry = registry.get(path, name, check_access=False)
    if entry is None or entry["type"] != "REG_DWORD":
        return default
    return entry["value"]


class WindowsHost:
    def __init__(self, state: dict, path: str | None = None):
        self.state = state
        self.path = path
        # What the connecting administrator sees (key ACLs apply) ...
        self.registry = Registry(state.setdefault("registry", {}), state.get("registry_denied"),
                                 state.get("registry_read_only"))
        # ... and what Windows itself reads and writes as SYSTEM (TermService, Group Policy): no ACL applies.
        self.system_registry = Registry(state["registry"])

    # --- persistence ------------------------------------------------------------------------------------
    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as handle:
            return cls(json.load(handle), path)

    def save(self):
        if not self.path:
            return
        tmp = f"{self.path}.tmp{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(self.state, handle, separators=(",", ":"), sort_keys=True)  # compact: written on every call
        os.replace(tmp, self.path)

    @staticmethod
    def locked(path):
        """An exclusive lock on the state file for one module call (hosts are usually one per fork)."""
        handle = open(f"{path}.lock", "w", encoding="utf-8")  # pylint: disable=consider-using-with
        fcntl.flock(handle, fcntl.LOCK_EX)
        return handle

    def snapshot(self):
        return copy.deepcopy(self.state)

    # --- identity ----------------------------------------------------------------------------------------
    @property
    def os_info(self):
        return self.state.setdefault("os", {})

    @property
    def is_domain_controller(self):
        return bool(self.os_info.get("is_domain_controller"))

    def account_name(self, sid):
        """NTAccount name of a SID, or None for an orphaned SID (the translation fails on Windows)."""
        entry = self.state.get("accounts", {}).get(sid)
        return entry.get("name") if entry else None

    def resolve_account(self, name):
        """SID of an account name (DOMAIN\\user, user@domain, user, or a SID string); None if unknown."""
        text = name.strip()
        if text.upper().startswith("S-1-"):
            return text.upper()
        wanted = text.lower()
        hostname = self.os_info.get("hostname", "").lower()
        for sid, entry in self.state.get("accounts", {}).items():
            full = entry.get("name", "")
            domain, _sep, user = full.rpartition("\\")
            candidates = {full.lower(), f"{user}@{entry.get('dns_domain', '')}".lower()}
            if domain.lower() in (hostname, "builtin", ".", "nt authority"):
                candidates.add(user.lower())
                candidates.add(f".\\{user}".lower())
            if wanted in candidates:
                return sid
        return None

    # --- group policy --------------------------------------------------------------------------------------
    def policy_values(self):
        return self.state.get("group_policy", {}).get("registry", {})

    def refresh_group_policy(self):
        """gpupdate: re-apply every registry value and user right that a GPO sets."""
        for path, values in self.policy_values().items():
            for name, entry in values.items():
                self.system_registry.set(path, name, entry["type"], entry["value"])
        for right, sids in self.state.get("group_policy", {}).get("user_rights", {}).items():
            self.state.setdefault("user_rights", {})[right] = list(sids)

    def policy_owns(self, path, name):
        canonical = canonical_path(path).lower()
        for key, values in self.policy_values().items():
            if canonical_path(key).lower() == canonical and any(v.lower() == name.lower() for v in values):
                return True
        return False

    # --- services ------------------------------------------------------------------------------------------
    def _service_key(self, name):
        for key in self.state.get("services", {}):
            if key.lower() == name.lower():
                return key
        return None

    def service(self, name):
        key = self._service_key(name)
        return self.state["services"][key] if key else None

    def dependents(self, name):
        return [key for key, svc in self.state.get("services", {}).items()
                if any(dep.lower() == name.lower() for dep in svc.get("depends_on", ()))]

    def set_start_mode(self, name, mode):
        svc = self.service(name)
        if svc.get("policy_start_mode"):
            raise WindowsError_(f"Failed to set start mode of '{name}': Access is denied (the start mode is "
                                f"set by Group Policy)")
        svc["start_mode"] = mode

    def start_service(self, name):
        svc = self.service(name)
        if svc["state"] == "running":
            return
        if svc["start_mode"] == "disabled":
            raise WindowsError_(
                f"Service '{svc.get('display_name', name)} ({name})' cannot be started due to the following "
                f"error: Cannot start service {name} on computer '.'. The service cannot be started, either "
                f"because it is disabled or because it has no enabled devices associated with it")
        for dependency in svc.get("depends_on", ()):
            self.start_service(dependency)
        if svc.get("fails_to_start"):
            raise WindowsError_(
                f"Service '{svc.get('display_name', name)} ({name})' cannot be started due to the following "
                f"error: Cannot start service {name} on computer '.'. The service did not respond to the start "
                f"or control request in a timely fashion")
        svc["state"] = "running"
        if name.lower() == "termservice":
            self._bind_listener()
            self._renew_self_signed_certificate()

    def stop_service(self, name, force=False):
        svc = self.service(name)
        if svc["state"] == "stopped":
            return
        running_dependents = [d for d in self.dependents(name) if self.service(d)["state"] == "running"]
        if running_dependents and not force:
            raise WindowsError_(f"Cannot stop service '{svc.get('display_name', name)} ({name})' because it has "
                                f"dependent services. It can only be stopped if the Force flag is set.")
        for dependent in running_dependents:
            self.stop_service(dependent, force=True)
        svc["state"] = "stopped"

    def restart_service(self, name, force=False):
        svc = self.service(name)
        restart_dependents = [d for d in self.dependents(name) if self.service(d)["state"] == "running"]
        self.stop_service(name, force=force)
        self.start_service(name)
        for dependent in restart_dependents:
            self.start_service(dependent)
        return svc

    # --- the RDP listener ----------------------------------------------------------------------------------
    def configured_port(self):
        return _dword(self.system_registry, RDP_TCP, "PortNumber", 3389)

    def connections_denied(self):
        policy = self.system_registry.get(TS_POLICY, "fDenyTSConnections")
        if policy is not None and policy["type"] == "REG_DWORD":
            return policy["value"] != 0
        return _dword(self.system_registry, TS, "fDenyTSConnections", 1) != 0

    def _bind_listener(self):
        self.state.setdefault("listener", {})["bound_port"] = self.configured_port()

    def _renew_self_signed_certificate(self):
        """TermService replaces an expired (or deleted) self-signed certificate when it starts ([MS-GEN],
        KB2531138), unless the host blocks it (event 1058: access denied to the MachineKeys folder)."""
        listener = self.state.setdefault("listener", {})
        current = listener.get("certificate")
        if current and (not current.get("self_signed") or current.get("renewal_fails")):
            return
        clock = event_log.now(self.state)
        if current and event_log.parse_time(current["not_after"]) > clock:
            return
        listener["certificate"] = self_signed_certificate(self.os_info.get("hostname", "localhost"),
                                                          event_log.format_time(clock))

    def listener_port(self):
        """The port TermService bound when it last started (a PortNumber change needs a restart)."""
        return self.state.get("listener", {}).get("bound_port", self.configured_port())

    def port_owner(self, port, protocol="TCP"):
        """Which process listens on a port: TermService, another process, or None."""
        other = self.state.get("port_owners", {}).get(f"{protocol}/{port}")
        if other:
            return other
        if protocol != "TCP" or port != self.listener_port():
            return None
        termservice = self.service("TermService")
        if not termservice or termservice["state"] != "running":
            return None
        if not self.system_registry.key_exists(RDP_TCP):
            return None  # the RDP-Tcp WinStation was deleted: TermService creates no listener
        if self.connections_denied() or _dword(self.system_registry, RDP_TCP, "fEnableWinStation", 1) == 0:
            return None
        return "TermService"

    # --- firewall --------------------------------------------------------------------------------------------
    def firewall_rules(self, store="ActiveStore"):
        firewall = self.state.setdefault("firewall", {})
        local = firewall.setdefault("rules", [])
        policy = firewall.get("policy_rules", [])
        if store == "PersistentStore":
            return local
        if store == "GroupPolicy":
            return policy
        merge = firewall.get("allow_local_policy_merge", True)
        return (local if merge else []) + policy

    def find_rules(self, name, store="ActiveStore"):
        return [rule for rule in self.firewall_rules(store) if rule["name"].lower() == name.lower()]

    def active_rules(self):
        """(rule, source) pairs of the active store; source is 'Local' or 'GroupPolicy' (PolicyStoreSourceType)."""
        firewall = self.state.setdefault("firewall", {})
        local = firewall.get("rules", []) if firewall.get("allow_local_policy_merge", True) else []
        return [(rule, "Local") for rule in local] + [(rule, "GroupPolicy") for rule in firewall.get("policy_rules", [])]

    def set_firewall_rule(self, name, changes):
        """Set-NetFirewallRule on the persistent (local) store: a rule that only Group Policy defines is not there."""
        found = self.find_rules(name, "PersistentStore")
        if not found:
            raise WindowsError_(f"No MSFT_NetFirewallRule objects found with property 'InstanceID' equal to '{name}'. "
                                f"Verify the value of the property and retry.")
        self._check_addresses(changes)
        found[0].update(changes)

    @staticmethod
    def _check_addresses(rule):
        if not all(firewall_address_accepted(a) for a in rule.get("remote_addresses") or ()):
            raise WindowsError_(INVALID_FIREWALL_ADDRESS)

    def new_firewall_rule(self, rule):
        """New-NetFirewallRule in the persistent store; rule names are unique there."""
        if self.find_rules(rule["name"], "PersistentStore"):
            raise WindowsError_("Cannot create a file when that file already exists.")
        self._check_addresses(rule)
        self.state.setdefault("firewall", {}).setdefault("rules", []).append(rule)

    # --- QoS ---------------------------------------------------------------------------------------------------
    def qos_policies(self):
        """NetQos policies of the local store plus the Policy-based QoS policies in the registry."""
        found = [dict(policy, source="local") for policy in self.state.get("qos_policies", [])]
        for name in self.system_registry.subkeys(QOS_POLICY_ROOT):
            values = self.system_registry.values(f"{QOS_POLICY_ROOT}\\{name}")
            text = functools.partial(_reg_text, values)
            port = text("Local Port")
            start, _sep, end = port.partition(":")
            found.append({
                "name": name, "source": "policy", "protocol": text("Protocol").upper().replace("*", "BOTH"),
                "src_port_start": int(start) if start.isdigit() else None,
                "src_port_end": int(end or start) if (end or start).isdigit() else None,
                "dscp": int(text("DSCP Value")) if text("DSCP Value").isdigit() else None,
                "app_path": text("Application Name"),
            })
        return found

    def netqos_policies(self):
        """The NetQos policies of the persistent store (New/Set/Remove-NetQosPolicy change them)."""
        return self.state.setdefault("qos_policies", [])

    # --- faults --------------------------------------------------------------------------------------------
    def take_fault(self, point, module=None, call_number=None):
        """Pop the first scheduled fault for this point of a module call (see docs/simulator.md).

        A fault matches its point (``at``), its ``module`` and absolute round trip ``call`` when given;
        ``skip`` lets that many matching calls through first (e.g. the second write of a run); ``times``
        makes it fire that many times (a long outage) before it clears.
        """
        faults = self.state.get("faults", [])
        for index, fault in enumerate(faults):
            if fault.get("at") != point:
                continue
            if fault.get("module") and fault["module"] != module:
                continue
            if fault.get("call") and fault["call"] != call_number:
                continue
            if fault.get("skip", 0) > 0:
                fault["skip"] -= 1
                continue
            if fault.get("times", 1) <= 1:
                faults.pop(index)
            else:
                fault["times"] -= 1
            return fault
        return None
