# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Twin of ``rdp.windows.firewall`` (plugins/modules/firewall.ps1): the same decisions against the simulated
host's firewall. Rules are found in the active store, changed in the local store only; a Group Policy rule is
reported, never changed or duplicated."""

from __future__ import annotations

import ipaddress

from .twin_ansible_windows import ModuleFailure
from .windows_host import WindowsError_, firewall_address_accepted as valid_remote_address

OWNED_PREFIX = "rdp.windows-"
OWNED_GROUP = "rdp.windows"
ALL_PROFILES = ["Domain", "Private", "Public"]


def canonical_address(address):
    """As firewall.ps1's ConvertTo-CanonicalAddress: masks become prefix lengths, /32 and /128 are dropped."""
    text = str(address).strip().lower()
    if text == "*":
        return "any"
    head, _unused, tail = text.partition("/")
    if tail and "." in tail:
        text = f"{head}/{bin(int(ipaddress.IPv4Address(tail))).count('1')}"
    if tail in ("32", "128") or text.endswith(("/32", "/128")):
        text = head
    return text


def _same_set(actual, wanted):
    return sorted({canonical_address(a) for a in actual}) == sorted({canonical_address(a) for a in wanted})


def _profile_set(profiles):
    names = sorted({p.strip() for p in profiles if p.strip()})
    return ["Any"] if "Any" in names or names == ALL_PROFILES else names


def _port_in(port, local_ports):
    for item in local_ports or ():
        text = str(item)
        if text == "Any":
            return True
        low, _unused, high = text.partition("-")
        if high and low.isdigit() and high.isdigit() and int(low) <= port <= int(high):
            return True
        if text.isdigit() and int(text) == port:
            return True
    return False


def _view(rule, source):
    return {"name": rule["name"], "group": rule.get("group"), "enabled": bool(rule.get("enabled")),
            "action": rule.get("action"), "direction": rule.get("direction"),
            "protocol": str(rule.get("protocol", "")).upper(), "local_ports": list(rule.get("local_ports") or []),
            "remote_addresses": list(rule.get("remote_addresses") or ["Any"]),
            "profiles": list(rule.get("profiles") or ["Any"]), "policy_source": source}


class _Run:
    def __init__(self, host, params, check_mode):
        self.host, self.params, self.check_mode = host, params, check_mode
        self.addresses = params.get("remote_addresses")
        self.result = {"changed": False, "rules": [], "managed_by_policy": [], "covered_by_policy": []}
        self.before, self.after = {}, {}

    def _record(self, name, before, after):
        self.result["changed"] = True
        self.before[name], self.after[name] = before, after

    def addressable(self, name):
        """As firewall.ps1's Get-AddressableRule: fails, before any change, on a rule this module may not touch."""
        active = [(rule, source) for rule, source in self.host.active_rules() if rule["name"].lower() == name.lower()]
        if not active:
            raise ModuleFailure(f"The firewall rule '{name}' was not found (rules are addressed by their stable Name, "
                                f"not the display name); nothing was changed")
        from_policy = [rule for rule, source in active if source == "GroupPolicy"]
        rule = active[0][0]
        if not from_policy and rule.get("group") != self.params["group"] and not rule["name"].startswith(OWNED_PREFIX):
            raise ModuleFailure(f"The firewall rule '{name}' is neither in the group '{self.params['group']}' nor owned "
                                f"by rdp.windows; it is not changed, nor is anything else")
        return active

    def update_existing(self, name, enable):
        active = self.addressable(name)
        from_policy = [rule for rule, source in active if source == "GroupPolicy"]
        if from_policy:
            self.result["managed_by_policy"].append(name)
            self.result["rules"].append(_view(from_policy[0], "GroupPolicy"))
            return
        rule = active[0][0]
        view = _view(rule, "Local")
        wanted, change = dict(view), {}
        if enable and not view["enabled"]:
            change["enabled"] = wanted["enabled"] = True
        if self.addresses is not None and not _same_set(view["remote_addresses"], self.addresses):
            change["remote_addresses"] = wanted["remote_addresses"] = list(self.addresses)
        if change:
            self._record(name, view, wanted)
            if not self.check_mode:
                self.host.set_firewall_rule(name, change)
        self.result["rules"].append(wanted)

    def _policy_rules_opening(self, port, protocol):
        return [rule["name"] for rule, source in self.host.active_rules()
                if source == "GroupPolicy" and rule.get("enabled") and rule.get("direction") == "Inbound"
                and rule.get("action") == "Allow" and str(rule.get("protocol", "")).upper() in (protocol, "ANY")
                and _port_in(port, rule.get("local_ports"))]

    def set_owned(self, port, protocol):
        name = f"{OWNED_PREFIX}RDP-In-{protocol}"
        if self._policy_rules_opening(port, protocol):
            self.result["covered_by_policy"].append(f"{protocol}/{port}")
            return
        profiles = _profile_set(self.params["profiles"])
        existing = self.host.find_rules(name, "PersistentStore")
        if not existing:
            wanted = {"name": name, "group": OWNED_GROUP, "enabled": True, "action": "Allow", "direction": "Inbound",
                      "protocol": protocol, "local_ports": [str(port)],
                      "remote_addresses": list(self.addresses) if self.addresses is not None else ["Any"],
                      "profiles": profiles, "policy_source": "Local"}
            self._record(name, None, wanted)
            self.result["rules"].append(wanted)
            if not self.check_mode:
                self.host.new_firewall_rule(dict(
                    {k: v for k, v in wanted.items() if k != "policy_source"},
                    display_name=f"rdp.windows Remote Desktop ({protocol}-In)", display_group=OWNED_GROUP,
                    program=r"%SystemRoot%\system32\svchost.exe", service="termservice"))
            return
        view = _view(existing[0], "Local")
        wanted, change = dict(view), {}
        for key, value in (("enabled", True), ("action", "Allow"), ("direction", "Inbound")):
            if view[key] != value:
                change[key] = wanted[key] = value
        if view["protocol"] != protocol or view["local_ports"] != [str(port)]:
            change["protocol"] = wanted["protocol"] = protocol
            change["local_ports"] = wanted["local_ports"] = [str(port)]
        if self.addresses is not None and not _same_set(view["remote_addresses"], self.addresses):
            change["remote_addresses"] = wanted["remote_addresses"] = list(self.addresses)
        if _profile_set(view["profiles"]) != profiles:
            change["profiles"] = wanted["profiles"] = profiles
        if change:
            self._record(name, view, wanted)
            if not self.check_mode:
                self.host.set_firewall_rule(name, change)
        self.result["rules"].append(wanted)


def firewall(host, params, check_mode):
    addresses = params.get("remote_addresses")
    if addresses is not None and not addresses:
        raise ModuleFailure("remote_addresses must not be empty: it would block every RDP client; use [Any] to allow "
                            "all addresses")
    port = params.get("port")
    if port is not None and not 1 <= port <= 65535:
        raise ModuleFailure(f"port must be an integer from 1 to 65535, got {port}")
    if params["scope_rules"] and addresses is None:
        raise ModuleFailure("scope_rules is set but remote_addresses is not: say which addresses the rules must accept")
    invalid = [str(address) for address in addresses or () if not valid_remote_address(address)]
    if invalid:
        shown = "', '".join(invalid)
        raise ModuleFailure(f"remote_addresses: '{shown}' "
                            f"is not an IP address, a CIDR network (10.0.0.0/8), a range (10.0.0.1-10.0.0.9) or a keyword "
                            f"(Any, LocalSubnet, DNS, DHCP, WINS, DefaultGateway, Internet, Intranet); nothing was changed")
    run = _Run(host, params, check_mode)
    for name in list(params["enable_rules"]) + list(params["scope_rules"]):
        run.addressable(name)  # every rule is checked before the first change
    try:
        for name in params["enable_rules"]:
            run.update_existing(name, enable=True)
        for name in params["scope_rules"]:
            run.update_existing(name, enable=False)
        if port is not None:
            for protocol in params["protocols"]:
                run.set_owned(port, protocol)
    except WindowsError_ as error:
        raise ModuleFailure(str(error), run.result) from error
    run.result["diff"] = {"before": run.before, "after": run.after}
    return run.result
