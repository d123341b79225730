# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one module call against a simulated host: validate its options like the real module, then run
its twin. Modules without a twin fail like a module that is not installed."""

from __future__ import annotations

from . import module_spec
from .registry import RegistryError
from .twin_ansible_windows import (ModuleFailure, win_group_membership, win_regedit, win_service,
                                   win_user_right)
from .twin_community_windows import win_firewall_rule
from .twin_firewall import firewall
from .twin_host_info import host_info
from .twin_qos_policy import qos_policy
from .twin_win_wait_for import win_wait_for
from .windows_host import WindowsError_

TWINS = {
    "rdp.windows.host_info": host_info,
    "ansible.windows.win_regedit": win_regedit,
    "ansible.windows.win_service": win_service,
    "ansible.windows.win_group_membership": win_group_membership,
    "ansible.windows.win_user_right": win_user_right,
    "rdp.windows.firewall": firewall,
    "rdp.windows.qos_policy": qos_policy,
}


# Modules only the benchmark's baseline playbook calls (bench/baseline_audit.yml: the usual way to audit).
TWINS.update({
    "community.windows.win_firewall_rule": win_firewall_rule,
    "ansible.windows.win_wait_for": win_wait_for,
})


def register(fqcn, function):
    TWINS[fqcn] = function


def run(host, fqcn, args):
    """Return the module's JSON result (a dict); failures come back as ``failed: true`` like on Windows."""
    twin = TWINS.get(fqcn)
    if twin is None:
        return {"failed": True, "msg": f"The rdp.windows simulator has no twin for module {fqcn}"}
    try:
        params = module_spec.validate(fqcn, args)
    except module_spec.InvalidArguments as error:
        return {"failed": True, "msg": str(error)}
    except module_spec.CheckModeUnsupported as error:
        return {"skipped": True, "changed": False, "msg": str(error)}
    check_mode = bool(args.get("_ansible_check_mode"))
    try:
        result = twin(host, params, check_mode)
    except ModuleFailure as error:
        return dict(error.result, failed=True, msg=str(error))
    except (RegistryError, WindowsError_) as error:
        # An exception the module did not catch: Ansible.Basic fails the module with this message.
        return {"failed": True, "msg": f"Unhandled exception while executing module: {error}"}
    if not args.get("_ansible_diff"):
        result.pop("diff", None)
    result.setdefault("changed", False)
    return result
