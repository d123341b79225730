# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Twins of the ansible.windows modules the collection calls: win_regedit, win_service,
win_group_membership and win_user_right. Each behaves like the module of ansible.windows 3.3.0 on the
points remediation relies on (results, check mode, diff, failure messages)."""

from __future__ import annotations

from .registry import RegistryError
from .windows_host import WindowsError_


class ModuleFailure(Exception):
    """The module called FailJson: the message, plus whatever it had put in its result."""

    def __init__(self, msg, result=None):
        super().__init__(msg)
        self.result = result or {}


_REG_TYPES = {"none": "REG_NONE", "binary": "REG_BINARY", "dword": "REG_DWORD", "expandstring": "REG_EXPAND_SZ",
              "multistring": "REG_MULTI_SZ", "string": "REG_SZ", "qword": "REG_QWORD"}


def _convert_data(data, reg_type):
    if reg_type in ("REG_DWORD", "REG_QWORD"):
        if isinstance(data, str):
            text = data.strip()
            try:
                value = int(text, 16) if text.lower().startswith("0x") else int(text)
            except ValueError as error:
                raise ModuleFailure(f"data '{data}' is not a valid {reg_type} value") from error
        elif isinstance(data, bool) or not isinstance(data, int):
            raise ModuleFailure(f"data '{data}' is not a valid {reg_type} value")
        else:
            value = data
        limit = 0xFFFFFFFF if reg_type == "REG_DWORD" else 0xFFFFFFFFFFFFFFFF
        if not 0 <= value <= limit:
            raise ModuleFailure(f"data '{data}' is out of range for {reg_type}")
        return value
    if reg_type == "REG_MULTI_SZ":
        return list(data) if isinstance(data, (list, tuple)) else [str(data)]
    return "" if data is None else str(data)


def _diff_text(path, name, entry):
    if entry is None:
        return ""
    return f"[{path}]\n\"{name}\"={entry['type']}:{entry['value']}\n"


def win_regedit(host, params, check_mode):
    path, name, state = params["path"], params.get("name"), params["state"]
    if name is None:
        raise ModuleFailure("the rdp.windows simulator only models named registry values (name is required)")
    try:
        before = host.registry.get(path, name)
        if state == "absent":
            changed = before is not None
            if changed and not check_mode:
                host.registry.delete(path, name)
            return {"changed": changed, "data_changed": changed, "data_type_changed": False,
                    "diff": {"before": _diff_text(path, name, before), "after": ""}}
        reg_type = _REG_TYPES[params["type"]]
        data = _convert_data(params.get("data"), reg_type)
        after = {"type": reg_type, "value": data}
        data_changed = before is None or before["value"] != data
        type_changed = before is not None and before["type"] != reg_type
        changed = data_changed or type_changed
        if changed and not check_mode:
            host.registry.set(path, name, reg_type, data)
            if host.state.get("group_policy", {}).get("refresh_after_write"):
                host.refresh_group_policy()
        return {"changed": changed, "data_changed": data_changed, "data_type_changed": type_changed,
                "diff": {"before": _diff_text(path, name, before), "after": _diff_text(path, name, after)}}
    except RegistryError as error:
        raise ModuleFailure(f"failed to modify {path}\\{name}: {error}") from error


_STATE_TARGET = {"started": "running", "stopped": "stopped"}


def _service_result(host, name):
    svc = host.service(name)
    return {"exists": True, "name": name, "display_name": svc.get("display_name"), "state": svc["state"],
            "start_mode": svc["start_mode"], "dependencies": list(svc.get("depends_on", ())),
            "depended_by": host.dependents(name)}


def win_service(host, params, check_mode):
    name = params["name"]
    svc = host.service(name)
    if svc is None:
        if params.get("state") == "absent":
            return {"changed": False, "exists": False}
        raise ModuleFailure(f"Service '{name}' is not installed, need to set 'path' to create a new service")
    changed = False
    try:
        mode = params.get("start_mode")
        if mode and svc["start_mode"] != mode:
            changed = True
            if not check_mode:
                host.set_start_mode(name, mode)
        state = params.get("state")
        if state == "restarted":
            changed = True
            if not check_mode:
                host.restart_service(name, force=params.get("force_dependent_services", False))
        elif state in _STATE_TARGET and svc["state"] != _STATE_TARGET[state]:
            changed = True
            if check_mode:
                pass
            elif state == "started":
                host.start_service(name)
            else:
                host.stop_service(name, force=params.get("force_dependent_services", False))
    except WindowsError_ as error:
        raise ModuleFailure(str(error), _service_result(host, name)) from error
    result = _service_result(host, name)
    result["changed"] = changed
    return result


def _group_by_name(host, name):
    for sid, group in host.state.get("groups", {}).items():
        if group["name"].lower() == name.lower():
            return sid, group
    return None, None


def win_group_membership(host, params, check_mode):
    name, state = params["name"], params["state"]
    result = {"changed": False, "name": name}
    # ansible.windows 3.3.0 finds the group by its (localized) name among the local groups; never by SID.
    sid, group = (None, None) if host.is_domain_controller else _group_by_name(host, name)
    if group is None:
        raise ModuleFailure(f"Could not find local group {name}", result)
    wanted = []
    for member in params["members"]:
        member_sid = host.resolve_account(member)
        if member_sid is None:
            raise ModuleFailure(f"account_name {member} is not a valid account, cannot get SID", result)
        if member_sid not in wanted:
            wanted.append(member_sid)
    current = list(group.get("members", ()))

    def label(sid):
        return host.account_name(sid) or sid  # orphaned SIDs are shown raw, as upstream does

    if state in ("present", "pure"):
        result["added"] = [label(s) for s in wanted if s not in current]
    if state in ("absent", "pure"):
        removed = [s for s in current if s in wanted] if state == "absent" else [s for s in current if s not in wanted]
        result["removed"] = [label(s) for s in removed]
    new = list(current)
    for each in wanted if state in ("present", "pure") else ():
        if each not in new:
            new.append(each)
    if state == "absent":
        new = [s for s in new if s not in wanted]
    if state == "pure":
        new = [s for s in new if s in wanted]
    result["changed"] = new != current
    if result["changed"] and not check_mode:
        group["members"] = new
    result["members"] = [label(s) for s in (new if check_mode else group["members"])]
    return result


_KNOWN_RIGHTS = {
    "SeRemoteInteractiveLogonRight", "SeDenyRemoteInteractiveLogonRight", "SeNetworkLogonRight",
    "SeDenyNetworkLogonRight", "SeInteractiveLogonRight", "SeDenyInteractiveLogonRight", "SeBatchLogonRight",
    "SeServiceLogonRight", "SeDenyBatchLogonRight", "SeDenyServiceLogonRight",
}


def win_user_right(host, params, check_mode):
    name, action = params["name"], params["action"]
    if name not in _KNOWN_RIGHTS:
        raise ModuleFailure(f"the specified right {name} is not a valid right")
    wanted = []
    for user in params["users"]:
        sid = host.resolve_account(user)
        if sid is None:
            raise ModuleFailure(f"Failed to translate the account '{user}' to a SID")
        wanted.append(sid)
    rights = host.state.setdefault("user_rights", {})
    current = list(rights.get(name, ()))
    if action == "add":
        new = current + [s for s in wanted if s not in current]
    elif action == "remove":
        new = [s for s in current if s not in wanted]
    else:
        new = list(dict.fromkeys(wanted))
    added = [host.account_name(s) or s for s in new if s not in current]
    removed = [host.account_name(s) or s for s in current if s not in new]
    changed = bool(added or removed)
    if changed and not check_mode:
        rights[name] = new
        if host.state.get("group_policy", {}).get("refresh_after_write"):
            host.refresh_group_policy()
    return {"changed": changed, "added": added, "removed": removed,
            "diff": {"before": {name: [host.account_name(s) or s for s in current]},
                     "after": {name: [host.account_name(s) or s for s in new]}}}
