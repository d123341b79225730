# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Twin of ``rdp.windows.host_info``: answers the query from the simulated host, in the documented
result structure (docs/host_info.schema.json), read-only."""

from __future__ import annotations

import datetime

from . import event_log
from .registry import AccessDenied, RegistryError
from .twin_access_log import access_log
from .twin_ansible_windows import ModuleFailure
from .windows_host import QOS_POLICY_ROOT, RDP_TCP

SCHEMA_VERSION = 1
# The event sources host_info.ps1 reads (log, provider or None, ids), and its bounds.
EVENT_SOURCES = (
    ("Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational", None, (261, 1149)),
    ("Microsoft-Windows-TerminalServices-RemoteConnectionManager/Admin", None, (1006, 1050, 1057, 1058)),
    ("System", "Microsoft-Windows-TerminalServices-RemoteConnectionManager", (1006, 1050, 1057, 1058)),
    ("System", "Schannel", (36870, 36871)),
    ("System", "TermDD", (50, 56)),
    ("System", "Service Control Manager", (7000, 7001, 7022, 7023, 7024, 7031, 7034)),
)
EVENT_DAYS, EVENTS_PER_SOURCE, EVENTS_MAX, MESSAGE_MAX = 7, 20, 50, 400


def _registry(host, queries):
    answers = []
    for query in queries:
        entry = {"path": query["path"], "name": query["name"]}
        try:
            value = host.registry.get(query["path"], query["name"])
            entry["key_exists"] = host.registry.key_exists(query["path"])
            entry["exists"] = value is not None
            entry["type"] = value["type"] if value else None
            entry["value"] = value["value"] if value else None
        except (AccessDenied, RegistryError) as error:
            entry.update({"key_exists": False, "exists": False, "type": None, "value": None, "error": str(error)})
        answers.append(entry)
    return answers


def _services(host, names):
    answers = {}
    for name in names:
        svc = host.service(name)
        if svc is None:
            answers[name] = {"exists": False}
            continue
        answers[name] = {
            "exists": True, "display_name": svc.get("display_name"), "state": svc["state"],
            "start_mode": svc["start_mode"], "depends_on": list(svc.get("depends_on", ())),
        }
    return answers


def _rule_view(rule, source):
    view = {key: rule.get(key) for key in ("name", "display_name", "group", "display_group", "enabled", "action",
                                           "direction", "protocol", "local_ports", "remote_addresses",
                                           "profiles", "program", "service")}
    view["policy_source"] = source
    return view


def _port_in_filter(port, local_ports):
    """Like Test-PortInFilter in host_info.ps1: single ports and ranges count, keywords (Any, RPC) do not."""
    if port is None:
        return False
    for item in local_ports or ():
        low, _unused, high = str(item).strip().partition("-")
        if low.isdigit() and (high.isdigit() if high else True) and int(low) <= port <= int(high or low):
            return True
    return False


def _firewall(host, group, names, port):
    rules = []
    for source, store in (("Local", "PersistentStore"), ("GroupPolicy", "GroupPolicy")):
        if source == "Local" and not host.state.get("firewall", {}).get("allow_local_policy_merge", True):
            continue
        for rule in host.firewall_rules(store):
            wanted = (rule.get("group") == group or rule["name"] in names
                      or _port_in_filter(port, rule.get("local_ports"))
                      or rule["name"].startswith("rdp.windows-"))
            if wanted:
                rules.append(_rule_view(rule, source))
    return {"profiles": host.state.get("firewall", {}).get("profiles", []), "rules": rules}


def _groups(host, sids):
    answers = {}
    for sid in sids:
        if host.is_domain_controller:
            answers[sid] = {"exists": False, "name": None, "members": [],
                            "error": None, "reason": "domain controller: no local groups"}
            continue
        group = host.state.get("groups", {}).get(sid)
        if group is None:
            # SecurityIdentifier.Translate() on a SID no group has
            answers[sid] = {"exists": False, "name": None, "members": [],
                            "error": "Some or all identity references could not be translated."}
            continue
        members = [{"sid": member, "name": host.account_name(member)} for member in group.get("members", ())]
        answers[sid] = {"exists": True, "name": group["name"], "members": members, "error": None}
    return answers


def _rights(host, names):
    policy = host.state.get("group_policy", {}).get("user_rights", {})
    return {name: {"sids": list(host.state.get("user_rights", {}).get(name, ())), "from_policy": name in policy}
            for name in names}


def _accounts(host, names):
    answers = {}
    for name in names:
        sid = host.resolve_account(name)
        answers[name] = {"sid": sid} if sid else {"sid": None, "error": f"account '{name}' could not be found"}
    return answers


def _listeners(host, port):
    ports = sorted({port, host.listener_port()})
    answers = []
    for each in ports:
        owner = host.port_owner(each)
        answers.append({"port": each, "protocol": "TCP", "listening": owner is not None, "owner": owner})
    return answers


def _source_of(event):
    for index, (log, provider, ids) in enumerate(EVENT_SOURCES):
        if event.get("log") == log and provider in (None, event.get("provider")) and event.get("id") in ids:
            return index
    return None


def _events(host):
    """Recent relevant events as host_info.ps1 selects them: per source the newest EVENTS_PER_SOURCE of the
    last EVENT_DAYS (by the host's clock), then newest first, bounded; an unreadable log gives none."""
    since = event_log.now(host.state) - datetime.timedelta(days=EVENT_DAYS)
    unreadable = host.state.get("event_logs_unreadable", {})
    termservice = (host.service("TermService") or {}).get("display_name", "")
    per_source = {}
    for event in sorted(host.state.get("event_log", []), key=lambda e: e.get("time", ""), reverse=True):
        source = _source_of(event)
        if source is None or event.get("log") in unreadable or event_log.parse_time(event["time"]) < since:
            continue
        if event.get("provider") == "Service Control Manager" and \
                (event.get("data") or {}).get("param1") != termservice:
            continue
        chosen = per_source.setdefault(source, [])
        if len(chosen) < EVENTS_PER_SOURCE:
            chosen.append({"log": event["log"], "provider": event.get("provider"), "id": event["id"],
                           "level": event.get("level"), "time_created": event["time"],
                           "message": str(event.get("message") or "")[:MESSAGE_MAX],
                           "data": dict(event.get("data") or {})})
    found = [event for events in per_source.values() for event in events]
    return sorted(found, key=lambda e: e["time_created"], reverse=True)[:EVENTS_MAX]


def _certificate(host):
    cert = host.state.get("listener", {}).get("certificate")
    if cert is None:
        return None
    view = {"found": True, "has_private_key": True, "key_file": None, "key_access_error": None}
    view.update(cert)
    return view


def _configured_port(host, errors):
    """PortNumber as the administrator reads it (3389 when it cannot be read, like host_info.ps1)."""
    try:
        entry = host.registry.get(RDP_TCP, "PortNumber")
    except RegistryError as error:
        errors.append({"section": "listener", "message": str(error)})
        return 3389
    return entry["value"] if entry and entry["type"] == "REG_DWORD" else 3389


def _qos(host, errors):
    try:
        host.registry.key_exists(QOS_POLICY_ROOT)
    except RegistryError as error:
        errors.append({"section": "qos", "message": str(error)})
        return None
    return host.qos_policies()


def host_info(host, params, check_mode):
    hours, max_events = params.get("access_log_hours"), params.get("access_log_max_events")
    if hours is not None and (hours < 1 or max_events < 1):
        raise ModuleFailure("access_log_hours and access_log_max_events must be 1 or more")
    errors = []
    result = {
        "changed": False,
        "schema_version": SCHEMA_VERSION,
        "errors": errors,  # filled by the readers below, as host_info.ps1's Invoke-Section does
        "host_time": event_log.format_time(event_log.now(host.state)),
        "os": dict(host.os_info),
        "registry": _registry(host, params.get("registry") or []),
        "services": _services(host, params.get("services") or []),
        "firewall": _firewall(host, params.get("firewall_group"), params.get("firewall_rules") or [],
                              params.get("port")),
        "groups": _groups(host, params.get("groups") or []),
        "user_rights": _rights(host, params.get("user_rights") or []),
        "accounts": _accounts(host, params.get("accounts") or []),
        "qos_policies": _qos(host, errors),
        "listeners": _listeners(host, params.get("port") or 3389),
        "listener": {"configured_port": _configured_port(host, errors), "bound_port": host.listener_port(),
                     "certificate": _certificate(host)},
    }
    if params.get("include_events"):
        result["events"] = _events(host)
    if hours is not None:
        result["access_log"] = access_log(host.state, hours, max_events)
    return result
