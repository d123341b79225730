# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Twin of ``rdp.windows.qos_policy`` (plugins/modules/qos_policy.ps1): one NetQos policy of the persistent
store, found by name (case-insensitively, like Get-NetQosPolicy), created, updated or removed."""

from __future__ import annotations

from .twin_ansible_windows import ModuleFailure

_FIELDS = ("protocol", "src_port_start", "src_port_end", "dscp", "network_profile")
# host_info reports IPProtocolMatchCondition upper-cased; the module compares case-insensitively.
_PROTOCOLS = {"tcp": "TCP", "udp": "UDP", "both": "BOTH"}


def _view(policy):
    if policy is None:
        return None
    return {"name": policy["name"], "protocol": {"TCP": "TCP", "UDP": "UDP", "BOTH": "Both"}[policy["protocol"].upper()],
            "src_port_start": policy.get("src_port_start"), "src_port_end": policy.get("src_port_end"),
            "dscp": policy.get("dscp"), "network_profile": policy.get("network_profile", "All")}


def qos_policy(host, params, check_mode):
    name, state = params["name"], params["state"]
    if not (name or "").strip() or any(char in name for char in "*?[]"):
        raise ModuleFailure(f"name must be one policy name, not empty and without the wildcard characters * ? [ ], "
                            f"got '{name}'")
    if state == "present":
        missing = [key for key in ("port", "dscp") if params.get(key) is None]
        if missing:
            raise ModuleFailure(f"state is present but all of the following are missing: {', '.join(missing)}")
        if not 0 <= params["dscp"] <= 63:
            raise ModuleFailure(f"dscp must be an integer from 0 to 63, got {params['dscp']}")
        if not 1 <= params["port"] <= 65535:
            raise ModuleFailure(f"port must be an integer from 1 to 65535, got {params['port']}")
    policies = host.netqos_policies()
    current = next((p for p in policies if p["name"].lower() == name.lower()), None)
    before = _view(current)
    after = None
    changed = False
    if state == "absent":
        changed = current is not None
        if changed and not check_mode:
            policies.remove(current)
    else:
        after = {"name": name, "protocol": params["protocol"], "src_port_start": params["port"],
                 "src_port_end": params["port"], "dscp": params["dscp"], "network_profile": params["network_profile"]}
        stored = {"name": name, "protocol": _PROTOCOLS[params["protocol"].lower()], "src_port_start": params["port"],
                  "src_port_end": params["port"], "dscp": params["dscp"], "network_profile": params["network_profile"]}
        if current is None:
            changed = True
            if not check_mode:
                policies.append(stored)
        elif any(str(before[key]).lower() != str(after[key]).lower() for key in _FIELDS):
            changed = True
            if not check_mode:
                current.update({key: value for key, value in stored.items() if key != "name"})
    return {"changed": changed, "policy": after, "diff": {"before": before or {}, "after": after or {}}}
