# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Twin of ``community.windows.win_firewall_rule`` (community.windows 3.1.0).

The collection itself never calls it; the benchmark's baseline playbook (``bench/baseline_audit.yml``)
audits firewall rules with it, the usual way. What the real module does, and so what this twin does:
- it works on the ``HNetCfg.FwPolicy2`` COM rules of the local store, where a rule's ``Name`` is its
  *display name* (localized), and ``group`` matches the COM ``Grouping`` (``@FirewallAPI.dll,-28752``);
- it builds a new COM rule from the options given and compares, for each option given, that property with
  every matching rule; addresses are compared as sets; a missing named rule is created;
- COM stores addresses in its own form (``*`` for any, ``10.0.0.0/255.0.0.0`` for ``10.0.0.0/8``, a single
  address as ``/255.255.255.255``) and ports as a comma list (``*`` for any).
"""

from __future__ import annotations

import ipaddress
import uuid

from .twin_ansible_windows import ModuleFailure

ALL_PROFILES = 0x7FFFFFFF
_PROFILE_BITS = {"domain": 1, "private": 2, "public": 4}
_PROTOCOLS = {"tcp": 6, "udp": 17, "icmpv4": 1, "icmpv6": 58}
_DIRECTIONS = {"in": 1, "out": 2}
_ACTIONS = {"block": 0, "allow": 1}
_SECURITY = {"authnoencap": 1, "authenticate": 2, "authdynenc": 3, "authenc": 4}
_EDGE = {"yes": 1, "deferapp": 2, "deferuser": 3}
_ADDRESS_KEYWORDS = {"localsubnet": "LocalSubnet", "dns": "DNS", "dhcp": "DHCP", "wins": "WINS",
                     "defaultgateway": "DefaultGateway", "internet": "Internet", "intranet": "Intranet"}
# The order in which the module compares properties (its $fwPropertiesToCompare) and the option of each.
_COMPARED = (("Description", "description"), ("Direction", "direction"), ("Action", "action"),
             ("ApplicationName", "program"), ("Grouping", "group"), ("ServiceName", "service"),
             ("Enabled", "enabled"), ("Profiles", "profiles"), ("LocalAddresses", "localip"),
             ("RemoteAddresses", "remoteip"), ("LocalPorts", "localport"), ("RemotePorts", "remoteport"),
             ("Protocol", "protocol"), ("InterfaceTypes", "interfacetypes"), ("EdgeTraversalOptions", "edge"),
             ("SecureFlags", "security"), ("IcmpTypesAndCodes", "icmp_type_code"))
_ENVIRONMENT = {"%systemroot%": "C:\\Windows", "%windir%": "C:\\Windows", "%programfiles%": "C:\\Program Files"}


def _expand(path):
    text = path
    for variable, value in _ENVIRONMENT.items():
        index = text.lower().find(variable)
        if index >= 0:
            text = text[:index] + value + text[index + len(variable):]
    return text


def _com_address(item):
    text = item.strip()
    if text.lower() in ("any", "*"):
        return "*"
    if text.lower() in _ADDRESS_KEYWORDS:
        return _ADDRESS_KEYWORDS[text.lower()]
    if "-" in text:
        return text
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError as error:
        raise ModuleFailure(f"The parameter is incorrect. ({text})") from error
    if network.version == 4:
        return f"{network.network_address}/{network.netmask}"
    return str(network) if network.prefixlen < 128 else f"{network.network_address}"


def _com_addresses(items):
    converted = [_com_address(item) for item in items]
    return "*" if "*" in converted else ",".join(converted)


def _com_ports(items):
    ports = [str(item).strip() for item in items]
    return "*" if any(port.lower() in ("any", "*") for port in ports) else ",".join(ports)


def _com_profiles(names):
    if any(name.lower() == "any" for name in names):
        return ALL_PROFILES
    total = sum({_PROFILE_BITS[name.lower()] for name in names if name.lower() in _PROFILE_BITS})
    return ALL_PROFILES if total == 7 else total


def _com_protocol(value):
    if value is None:
        return 256
    text = str(value).strip().lower()
    if text.isdigit():
        return int(text)
    for prefix, number in _PROTOCOLS.items():
        if text.startswith(prefix):
            return number
    if text == "any":
        return 256
    raise ModuleFailure(f"Unknown protocol '{value}'.")


def com_view(rule):
    """A simulated rule as the COM object shows it."""
    return {
        "Name": rule.get("display_name") or rule["name"],
        "Description": rule.get("description") or "",
        "Direction": 1 if rule.get("direction", "Inbound") == "Inbound" else 2,
        "Action": 1 if rule.get("action", "Allow") == "Allow" else 0,
        "ApplicationName": _expand(rule["program"]) if rule.get("program") else None,
        "Grouping": rule.get("group") or "",
        "ServiceName": rule.get("service"),
        "Enabled": bool(rule.get("enabled")),
        "Profiles": _com_profiles(rule.get("profiles") or ["Any"]),
        "LocalAddresses": _com_addresses(rule.get("local_addresses") or ["Any"]),
        "RemoteAddresses": _com_addresses(rule.get("remote_addresses") or ["Any"]),
        "LocalPorts": _com_ports(rule.get("local_ports") or ["Any"]),
        "RemotePorts": _com_ports(rule.get("remote_ports") or ["Any"]),
        "Protocol": _com_protocol(rule.get("protocol")),
        "InterfaceTypes": "All",
        "EdgeTraversalOptions": 0,
        "SecureFlags": 0,
        "IcmpTypesAndCodes": None,
    }


def _wanted(params):
    """The new COM rule the module builds from its options (what it compares existing rules with)."""
    new = {"Name": params.get("name"), "Description": params.get("description"), "Direction": 1, "Action": 1,
           "ApplicationName": None, "Grouping": params.get("group"), "ServiceName": None,
           "Enabled": params.get("enabled") if params.get("enabled") is not None else True,
           "Profiles": ALL_PROFILES, "LocalAddresses": "*", "RemoteAddresses": "*", "LocalPorts": "*",
           "RemotePorts": "*", "Protocol": 256, "InterfaceTypes": "All", "EdgeTraversalOptions": 0,
           "SecureFlags": 0, "IcmpTypesAndCodes": None}
    given = {key: value for key, value in params.items() if value is not None}
    if given.get("program", "any") != "any":
        new["ApplicationName"] = _expand(given["program"])
    if given.get("service", "any") != "any":
        new["ServiceName"] = given["service"]
    if given.get("protocol", "any") != "any":
        new["Protocol"] = _com_protocol(given["protocol"])
    for option, prop in (("localport", "LocalPorts"), ("remoteport", "RemotePorts")):
        if given.get(option, "any") != "any":
            if new["Protocol"] not in (6, 17):
                raise ModuleFailure("The parameter is incorrect. (ports need protocol tcp or udp)")
            new[prop] = _com_ports(given[option].split(","))
    for option, prop in (("localip", "LocalAddresses"), ("remoteip", "RemoteAddresses")):
        if given.get(option, "any") != "any":
            new[prop] = _com_addresses(given[option].split(","))
    if "direction" in given:
        new["Direction"] = _DIRECTIONS[given["direction"]]
    if "action" in given:
        new["Action"] = _ACTIONS[given["action"]]
    if "profiles" in given:
        new["Profiles"] = _com_profiles(given["profiles"])
    if given.get("edge", "no") != "no":
        new["EdgeTraversalOptions"] = _EDGE[given["edge"]]
    if given.get("security", "notrequired") != "notrequired":
        new["SecureFlags"] = _SECURITY[given["security"]]
    if "icmp_type_code" in given:
        new["IcmpTypesAndCodes"] = ",".join(given["icmp_type_code"])
    return new


def _differs(prop, existing, new):
    if existing == new:
        return False
    if prop.endswith("Addresses") and existing and new:
        return set(existing.split(",")) != set(new.split(","))
    return True


def _apply(rule, prop, new):
    """Write one COM property back to the simulated rule (what setting it on the COM object does)."""
    if prop == "Enabled":
        rule["enabled"] = bool(new[prop])
    elif prop == "Action":
        rule["action"] = "Allow" if new[prop] == 1 else "Block"
    elif prop == "Direction":
        rule["direction"] = "Inbound" if new[prop] == 1 else "Outbound"
    elif prop in ("LocalPorts", "RemotePorts"):
        rule["local_ports" if prop == "LocalPorts" else "remote_ports"] = (
            ["Any"] if new[prop] == "*" else new[prop].split(","))
    elif prop in ("LocalAddresses", "RemoteAddresses"):
        rule["local_addresses" if prop == "LocalAddresses" else "remote_addresses"] = (
            ["Any"] if new[prop] == "*" else new[prop].split(","))
    elif prop == "Protocol":
        rule["protocol"] = {6: "TCP", 17: "UDP", 256: "Any"}.get(new[prop], str(new[prop]))
    elif prop == "Profiles":
        bits = new[prop]
        rule["profiles"] = ["Any"] if bits == ALL_PROFILES else [
            name.capitalize() for name, bit in _PROFILE_BITS.items() if bits & bit]
    elif prop == "Grouping":
        rule["group"] = new[prop]
    elif prop == "Description":
        rule["description"] = new[prop]
    elif prop == "ApplicationName":
        rule["program"] = new[prop]
    elif prop == "ServiceName":
        rule["service"] = new[prop]


def _new_rule(new):
    rule = {"name": "{" + str(uuid.uuid4()).upper() + "}", "display_name": new["Name"], "display_group": None}
    for prop, _option in _COMPARED:
        _apply(rule, prop, new)
    rule.setdefault("direction", "Inbound")
    return rule


def _prepared(sign, view):
    lines = [f"{sign}[{view['Name']}]"]
    lines += [f"{sign}{prop}='{view.get(prop) if view.get(prop) is not None else ''}'" for prop, _option in _COMPARED]
    return "\n".join(lines) + "\n"


def win_firewall_rule(host, params, check_mode):
    name, group, state = params.get("name"), params.get("group"), params["state"]
    result = {"changed": False}
    if not name and not group:
        raise ModuleFailure("Either name or group must be specified", result)
    prepared = ""
    local = host.firewall_rules("PersistentStore")
    matches = [rule for rule in local
               if (com_view(rule)["Name"] == name if name else (rule.get("group") or "") == group)]
    new = _wanted(params)
    if state == "absent":
        if not matches:
            result["msg"] = f"Firewall rule '{name}' does not exist." if name else \
                f"No firewall rules in group '{group}' exist."
        else:
            for rule in matches:
                prepared += _prepared("-", com_view(rule))
                if not check_mode:
                    local.remove(rule)
            result["changed"] = True
            result["msg"] = "Firewall rule(s) '" + "', '".join(com_view(r)["Name"] for r in matches) + "' removed."
    elif not matches and name:
        prepared += _prepared("+", new)
        if not check_mode:
            local.append(_new_rule(new))
        result.update(changed=True, msg=f"Firewall rule '{name}' created.")
    elif matches:
        changed_rules, unchanged_rules = [], []
        for rule in matches:
            existing = com_view(rule)
            prepared += f"[{existing['Name']}]\n"
            rule_changed = False
            for prop, option in _COMPARED:
                if params.get(option) is None or not _differs(prop, existing[prop], new[prop]):
                    continue
                prepared += f"-{prop}='{existing[prop]}'\n+{prop}='{new[prop]}'\n"
                if not check_mode:
                    _apply(rule, prop, new)
                rule_changed = True
            (changed_rules if rule_changed else unchanged_rules).append(existing["Name"])
        result["changed"] = bool(changed_rules)
        result["msg"] = (f"Firewall rule(s) changed '{', '.join(changed_rules)}' - unchanged "
                         f"'{', '.join(unchanged_rules)}'")
    result["diff"] = {"prepared": prepared}
    return result
