# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Evaluate the catalogue against what ``rdp.windows.host_info`` returned.

For each control: read the actual value from the host facts (with where it came from: ``policy``,
``local`` or ``default``), compare it with what the desired state expects, and say what would fix it.
Pure Python: no Ansible, no I/O.
"""

from __future__ import annotations

from . import catalogue
from .expectations import SetExcludes, SetIncludesAny
from .firewall_addresses import normalize_address
from .windows_objects import OWNED_QOS_POLICY, owned_rule_name

STATUSES = ("pass", "fail", "waived", "error", "not_applicable")
REG_TYPES = {"dword": "REG_DWORD", "qword": "REG_QWORD", "string": "REG_SZ", "expandstring": "REG_EXPAND_SZ",
             "multistring": "REG_MULTI_SZ", "binary": "REG_BINARY"}


class FactError(Exception):
    """The host facts cannot answer this control (section missing, read failed on the host)."""


# What reading a section of the wrong shape raises (host data is untrusted: a string where a list belongs).
MALFORMED = (AttributeError, TypeError, ValueError, KeyError, IndexError)
SECTION_TYPES = {"os": dict, "registry": list, "services": dict, "firewall": dict, "groups": dict,
                 "user_rights": dict, "accounts": dict, "qos_policies": list, "listeners": list}


def shape_problems(facts):
    """The host_info sections that are present but not of the documented type (nothing written on such data)."""
    if not isinstance(facts, dict):
        return ["the whole result"]
    return [name for name, kind in SECTION_TYPES.items()
            if facts.get(name) is not None and not isinstance(facts[name], kind)]


# --- reading actual values -------------------------------------------------------------------------------

def registry_lookup(facts, path, name):
    for entry in facts.get("registry") or ():
        if entry.get("path", "").lower() == path.lower() and entry.get("name", "").lower() == name.lower():
            if entry.get("error"):
                raise FactError(f"{path}\\{name}: {entry['error']}")
            return entry
    raise FactError(f"host_info returned nothing for {path}\\{name}")


def read_registry(reads, facts):
    """Effective value of a registry setting: policy beats local beats the Windows default."""
    expected_type = REG_TYPES[reads.value_type]
    for source, location in (("policy", reads.policy), ("local", reads.local)):
        if location is None:
            continue
        entry = registry_lookup(facts, location.path, location.name)
        if entry.get("exists"):
            detail = {"path": location.path, "name": location.name, "type": entry.get("type")}
            if entry.get("type") != expected_type:
                return {"wrong_type": entry.get("type"), "value": entry.get("value")}, source, detail
            return entry.get("value"), source, detail
    location = reads.local or reads.policy
    return reads.default, "default", {"path": location.path, "name": location.name, "type": None}


def read_service(reads, facts):
    services = facts.get("services")
    if services is None:
        raise FactError("host_info returned no services")
    if reads.service in services and services[reads.service] is None:
        raise FactError(f"host_info could not read the service {reads.service}")
    service = services.get(reads.service)
    if not service or not service.get("exists", True):
        return "not_installed", "local", {"service": reads.service}
    return service.get(reads.prop), "local", {"service": reads.service}


def _rules(facts):
    firewall = facts.get("firewall")
    if firewall is None or firewall.get("error"):
        raise FactError((firewall or {}).get("error") or "host_info returned no firewall rules")
    return firewall.get("rules") or []


def _rule_source(rule):
    return "policy" if str(rule.get("policy_source", "Local")).lower() == "grouppolicy" else "local"


def read_builtin_rule(reads, facts, desired):
    matches = [rule for rule in _rules(facts) if rule.get("name") == reads.rule_name]
    if matches:
        rule = matches[0]
        actual = {"exists": True, "enabled": bool(rule.get("enabled")), "action": rule.get("action")}
        source = _rule_source(rule)
    else:
        actual, source = {"exists": False}, "local"
    detail = {"rule": reads.rule_name}
    if not (actual.get("enabled") and actual.get("action") == "Allow"):
        # Enabling the built-in rule (any remote address) next to a GPO rule would widen what the GPO allows.
        by_policy = sorted(r.get("name", "") for r in rules_opening(facts, desired.port, reads.protocol)
                           if _rule_source(r) == "policy")
        if by_policy:
            detail["not_applicable"] = (f"Group Policy rule(s) {', '.join(by_policy)} open the RDP port; the local "
                                        f"built-in rule is left as the GPO decided")
    return actual, source, detail


def port_in(port, local_ports):
    for item in local_ports or ():
        text = str(item).strip()
        if text.lower() == "any":
            return True
        if "-" in text:
            low, _sep, high = text.partition("-")
            if low.strip().isdigit() and high.strip().isdigit() and int(low) <= port <= int(high):
                return True
        elif text.isdigit() and int(text) == port:
            return True
    return False


def rules_opening(facts, port, protocol, action="Allow"):
    found = []
    for rule in _rules(facts):
        if not rule.get("enabled") or rule.get("direction", "Inbound") != "Inbound":
            continue
        if rule.get("action") != action:
            continue
        if str(rule.get("protocol", "")).upper() not in (protocol, "ANY"):
            continue
        if port_in(port, rule.get("local_ports")):
            found.append(rule)
    return found


def read_port_open(reads, facts, desired):
    allow = rules_opening(facts, desired.port, reads.protocol)
    block = rules_opening(facts, desired.port, reads.protocol, action="Block")
    actual = {"open": bool(allow) and not block, "rules": sorted(r.get("name", "") for r in allow)}
    if block:
        actual["blocked_by"] = sorted(r.get("name", "") for r in block)
    source = "policy" if any(_rule_source(r) == "policy" for r in allow + block) else "local"
    return actual, source, {"port": desired.port, "protocol": reads.protocol}


def read_sources(reads, facts, desired):
    rules = rules_opening(facts, desired.port, reads.protocol)
    if not rules:
        return None, "local", {"port": desired.port}
    addresses = set()
    for rule in rules:
        for address in rule.get("remote_addresses") or ["Any"]:
            addresses.add(normalize_address(address))
    if "Any" in addresses:
        addresses = {"Any"}
    source = "policy" if any(_rule_source(r) == "policy" for r in rules) else "local"
    return sorted(addresses), source, {"rules": sorted(r.get("name", "") for r in rules)}


def read_group(reads, facts):
    if (facts.get("os") or {}).get("is_domain_controller"):
        reason = "domain controller: Remote Desktop Users is the domain's builtin group, managed in Active Directory"
        return None, "local", {"not_applicable": reason}
    group = (facts.get("groups") or {}).get(reads.sid)
    if group is None:
        raise FactError(f"host_info returned no members for {reads.sid}")
    if group.get("error"):
        raise FactError(f"{reads.sid}: {group['error']}")
    members = sorted(member.get("sid") for member in group.get("members") or ())
    return members, "local", {"group": reads.sid}


def read_right(reads, facts):
    rights = facts.get("user_rights")
    if rights is None or reads.name not in rights:
        raise FactError(f"host_info returned no user right {reads.name}")
    right = rights[reads.name]
    if isinstance(right, dict):
        if right.get("error"):
            raise FactError(f"{reads.name}: {right['error']}")
        return sorted(right.get("sids") or ()), ("policy" if right.get("from_policy") else "local"), {}
    return sorted(right or ()), "local", {}


def qos_covers(policy, port, protocol):
    if str(policy.get("protocol", "")).upper() not in (protocol, "BOTH"):
        return False
    start = policy.get("src_port_start")
    end = policy.get("src_port_end", start)
    return start is not None and int(start) <= port <= int(end if end is not None else start)


def read_qos(reads, facts, desired):
    policies = facts.get("qos_policies")
    if policies is None:
        raise FactError("host_info returned no QoS policies")
    matching = [p for p in policies if qos_covers(p, desired.port, reads.protocol)]
    if not matching:
        return {"dscp": None}, "local", {"port": desired.port, "protocol": reads.protocol}
    best = next((p for p in matching if p.get("dscp") == desired.qos_dscp), matching[0])
    source = "policy" if best.get("source") == "policy" else "local"
    return {"dscp": best.get("dscp"), "policy": best.get("name")}, source, {"port": desired.port}


def read_listener(reads, facts, desired):
    listeners = facts.get("listeners")
    if listeners is None:
        raise FactError("host_info returned no listener information")
    entry = next((item for item in listeners if item and item.get("port") == desired.port
                  and item.get("protocol", "TCP") == "TCP"), None)
    if entry is None and None in listeners:
        raise FactError(f"host_info could not read what listens on port {desired.port}")
    if entry is None or not entry.get("listening"):
        return {"listening": False, "owner": None}, "local", {"port": desired.port}
    return {"listening": True, "owner": entry.get("owner")}, "local", {"port": desired.port}


def read_actual(control, facts, desired):
    reads = control.reads
    kind = reads.kind
    if kind == "registry":
        return read_registry(reads, facts)
    if kind == "service":
        return read_service(reads, facts)
    if kind == "firewall_builtin":
        return read_builtin_rule(reads, facts, desired)
    if kind == "firewall_port":
        return read_port_open(reads, facts, desired)
    if kind == "firewall_sources":
        return read_sources(reads, facts, desired)
    if kind == "group":
        return read_group(reads, facts)
    if kind == "user_right":
        return read_right(reads, facts)
    if kind == "qos":
        return read_qos(reads, facts, desired)
    if kind == "listener":
        return read_listener(reads, facts, desired)
    raise FactError(f"unknown object kind {kind}")


# --- accounts ------------------------------------------------------------------------------------------

def resolve_user_sids(desired, facts):
    """SIDs of rdp_users as the host resolved them; unresolved names are returned separately."""
    sids, unresolved = [], []
    accounts = facts.get("accounts")
    accounts = accounts if isinstance(accounts, dict) else {}
    for user in desired.users:
        if user.upper().startswith("S-1-"):
            sids.append(user.upper())
            continue
        entry = accounts.get(user)
        if isinstance(entry, dict) and isinstance(entry.get("sid"), str) and entry["sid"]:
            sids.append(entry["sid"])
        else:
            unresolved.append(user)
    return sids, unresolved


# --- remediation text --------------------------------------------------------------------------------

_POLICY_OBJECTS = {
    "firewall_builtin": "the firewall rules", "firewall_port": "the firewall rules",
    "firewall_sources": "the remote addresses of the firewall rules", "user_right": "the user right",
    "qos": "the QoS policy", "service": "the service start mode",
}


def remediation_text(control, expectation, source, actual):
    reads = control.reads
    if not control.fixable:
        return "Manual: see the rationale."
    if source == "policy" and reads.kind in _POLICY_OBJECTS:
        # A local change would be undone by the next policy refresh, or would change nothing.
        return f"Managed by Group Policy: change {_POLICY_OBJECTS[reads.kind]} in the GPO that sets them"
    if reads.kind == "registry":
        target = expectation.target
        if source == "policy" and reads.local is not None:
            return (f"Managed by Group Policy: change '{reads.policy_setting or reads.policy.name}' in the GPO "
                    f"that sets {reads.policy.path}\\{reads.policy.name}")
        location = reads.local or reads.policy
        if target is None:
            return f"Remove {location.path}\\{location.name} (the Windows default applies)"
        return f"Set {location.path}\\{location.name} to {target} ({REG_TYPES[reads.value_type]})"
    if reads.kind == "service":
        if reads.prop == "state":
            return f"Start the {reads.service} service"
        return f"Set the {reads.service} start mode to {expectation.target}"
    if reads.kind == "firewall_builtin":
        return f"Enable the built-in firewall rule {reads.rule_name} (group @FirewallAPI.dll,-28752)"
    if reads.kind == "firewall_port":
        return f"Create the inbound rule {owned_rule_name(reads.protocol)} allowing the RDP port"
    if reads.kind == "firewall_sources":
        return f"Set the remote addresses of the RDP rules to {expectation.describe()['contains']}"
    if reads.kind == "group":
        return f"Add the missing accounts to the group {reads.sid}"
    if reads.kind == "user_right":
        if isinstance(expectation, SetExcludes):
            return f"Remove the blocked accounts from {reads.name}"
        if isinstance(expectation, SetIncludesAny):
            return f"Grant {reads.name} to {expectation.preferred}"
        return f"Grant {reads.name} to {', '.join(expectation.target)}"
    if reads.kind == "qos":
        return f"Create or update the QoS policy {OWNED_QOS_POLICY} with the configured DSCP"
    if reads.kind == "listener":
        owner = actual.get("owner") if isinstance(actual, dict) else None
        if owner and owner != "TermService":
            return f"Free the RDP port: {owner} holds it (stop or reconfigure that program), or choose another rdp_port"
        return "Restart TermService so that it listens on the configured port (or free the port)"
    return ""


# --- the evaluation ------------------------------------------------------------------------------------

def _result(control, status, expected=None, actual=None, source=None, remediation="", reason=None, detail=None):
    return {
        "id": control.id, "title": control.title, "area": control.area, "cause": control.cause,
        "status": status, "expected": expected, "actual": actual, "source": source,
        "remediation": remediation if status in ("fail", "waived") else "",
        "reason": reason, "rationale": control.rationale, "restart_required": control.restart_required,
        "detail": detail or {},
    }


def evaluate_control(control, desired, facts, user_sids, unresolved):
    if control.id in desired.controls_skip:
        return _result(control, "not_applicable", reason="skipped by rdp_controls_skip")
    reason = control.applies(desired)
    if reason:
        return _result(control, "not_applicable", reason=reason)
    expectation = control.expect(desired, user_sids)
    if control.reads.kind == "group" and unresolved:
        return _result(control, "error", expected=expectation.describe(),
                       reason=f"accounts not found on the host: {', '.join(unresolved)}")
    try:
        actual, source, detail = read_actual(control, facts, desired)
        matches = expectation.matches(actual)
    except FactError as error:
        return _result(control, "error", expected=expectation.describe(), reason=str(error))
    except MALFORMED as error:
        # The reply parsed as JSON but not in host_info's shape: report it here, keep evaluating the others.
        return _result(control, "error", expected=expectation.describe(),
                       reason=f"host_info returned data of an unexpected shape for this control "
                              f"({type(error).__name__})")
    if detail.get("not_applicable"):
        return _result(control, "not_applicable", reason=detail["not_applicable"], detail=detail)
    if control.reads.kind == "firewall_sources" and actual is None:
        return _result(control, "not_applicable", reason="no enabled rule opens the RDP port", detail=detail)
    if isinstance(actual, dict) and "wrong_type" in actual:
        return _result(control, "fail", expected=expectation.describe(), actual=actual, source=source,
                       remediation=remediation_text(control, expectation, "local", actual),
                       reason=f"value has type {actual['wrong_type']}, Windows expects "
                              f"{REG_TYPES[control.reads.value_type]}", detail=detail)
    status = "pass" if matches else "fail"
    return _result(control, status, expected=expectation.describe(), actual=actual, source=source,
                   remediation=remediation_text(control, expectation, source, actual), detail=detail)


def host_status(results):
    statuses = {result["status"] for result in results}
    if "fail" in statuses or "error" in statuses:
        return "non_compliant"
    return "compliant"


def summarize(results):
    counts = {status: 0 for status in STATUSES}
    for result in results:
        counts[result["status"]] += 1
    return counts


def evaluate(desired, facts, controls=None):
    """Evaluate ``controls`` (default: the desired profile's) against host facts."""
    if controls is None:
        controls = catalogue.controls_for(desired.profile)
    if not isinstance(facts, dict):
        facts = {}
    user_sids, unresolved = resolve_user_sids(desired, facts)
    results = [evaluate_control(control, desired, facts, user_sids, unresolved) for control in controls]
    return {
        "status": host_status(results),
        "profile": desired.profile,
        "counts": summarize(results),
        "controls": results,
        "unresolved_accounts": unresolved,
        "user_sids": user_sids,
    }
