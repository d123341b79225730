# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Change accounting for a remediation: which Windows objects changed on a simulated host (from its state
file, before and after), and which objects the remediation's result says it changed or may have changed.

A change made on the host that no reported step accounts for is a lost change: the result did not say
exactly what was changed. Objects are named the way Windows addresses them: a registry value, a service
property, a firewall rule, a group by SID, a user right, a QoS policy, the listener's bound port.
"""

from __future__ import annotations

from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.registry import canonical_path

# Steps whose changes are reported: made ("changed"), or maybe made (the connection broke while it ran).
REPORTED_STATUSES = ("changed", "unknown")


def _by_name(items):
    return {str(item.get("name", "")).lower(): item for item in items or ()}


def changed_objects(before, after):
    """The objects that differ between two states of one host."""
    changed = set()
    keys = {canonical_path(path).lower(): path for path in before.get("registry", {})}
    keys.update({canonical_path(path).lower(): path for path in after.get("registry", {})})
    for canonical in keys:
        old = {name.lower(): entry for path, values in before.get("registry", {}).items()
               if canonical_path(path).lower() == canonical for name, entry in values.items()}
        new = {name.lower(): entry for path, values in after.get("registry", {}).items()
               if canonical_path(path).lower() == canonical for name, entry in values.items()}
        changed |= {("registry", canonical, name) for name in set(old) | set(new) if old.get(name) != new.get(name)}
    for name in set(before.get("services", {})) | set(after.get("services", {})):
        old, new = before.get("services", {}).get(name, {}), after.get("services", {}).get(name, {})
        changed |= {("service", name.lower(), prop) for prop in ("state", "start_mode") if old.get(prop) != new.get(prop)}
    for section, kind in (("rules", "firewall"), ("policy_rules", "firewall")):
        old, new = _by_name(before.get("firewall", {}).get(section)), _by_name(after.get("firewall", {}).get(section))
        changed |= {(kind, name) for name in set(old) | set(new) if old.get(name) != new.get(name)}
    for sid in set(before.get("groups", {})) | set(after.get("groups", {})):
        if before.get("groups", {}).get(sid) != after.get("groups", {}).get(sid):
            changed.add(("group", sid))
    for right in set(before.get("user_rights", {})) | set(after.get("user_rights", {})):
        if before.get("user_rights", {}).get(right) != after.get("user_rights", {}).get(right):
            changed.add(("right", right))
    old, new = _by_name(before.get("qos_policies")), _by_name(after.get("qos_policies"))
    changed |= {("qos", name) for name in set(old) | set(new) if old.get(name) != new.get(name)}
    if before.get("listener", {}).get("bound_port") != after.get("listener", {}).get("bound_port"):
        changed.add(("listener", "bound_port"))
    return changed


def _group_sid(state, name):
    return next((sid for sid, group in state.get("groups", {}).items()
                 if str(group.get("name", "")).lower() == str(name).lower()), f"name:{name}")


def step_objects(step, state_before):
    """The objects a module call (as the remediation result lists it) can change."""
    module, args = step["module"], step.get("args") or {}
    if module == "ansible.windows.win_regedit":
        return {("registry", canonical_path(args["path"]).lower(), str(args.get("name")).lower())}
    if module == "ansible.windows.win_service":
        name = args["name"].lower()
        found = {("service", name, prop) for prop, arg in (("start_mode", "start_mode"), ("state", "state"))
                 if args.get(arg)}
        if name == "termservice" and args.get("state") in ("started", "restarted", "stopped"):
            found.add(("listener", "bound_port"))
            found |= {("service", dependent.lower(), "state") for dependent, svc in state_before["services"].items()
                      if "TermService" in svc.get("depends_on", ())}
        return found
    if module == "rdp.windows.firewall":
        names = list(args.get("enable_rules") or ()) + list(args.get("scope_rules") or ())
        if args.get("port"):
            names += [f"rdp.windows-RDP-In-{protocol}" for protocol in args.get("protocols") or ("TCP",)]
        return {("firewall", name.lower()) for name in names}
    if module == "ansible.windows.win_group_membership":
        return {("group", _group_sid(state_before, args["name"]))}
    if module == "ansible.windows.win_user_right":
        return {("right", args["name"])}
    if module == "rdp.windows.qos_policy":
        return {("qos", args["name"].lower())}
    return {("unknown-module", module)}


def account(before, after, steps):
    """{"made": objects changed, "reported": objects the reported steps cover, "lost": made but not reported}."""
    made = changed_objects(before, after)
    reported = set()
    for step in steps:
        if step.get("status") in REPORTED_STATUSES:
            reported |= step_objects(step, before)
    lost = made - reported
    return {"made": sorted(made), "reported": sorted(reported), "lost": sorted(lost)}
