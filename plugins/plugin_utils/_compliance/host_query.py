# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build the single ``rdp.windows.host_info`` query that answers every control of a run.

The catalogue names the Windows objects; this module collects them into the module's options so the
PowerShell side holds no list of paths of its own.
"""

from __future__ import annotations

from .windows_objects import RDP_FIREWALL_GROUP, REMOTE_DESKTOP_USERS_SID


def build_query(controls, desired, include_events=False, access_log_hours=None):
    registry, services, rules, groups, rights = [], [], [], [], []
    for control in controls:
        reads = control.reads
        if reads.kind == "registry":
            for location in reads.locations():
                entry = {"path": location.path, "name": location.name}
                if entry not in registry:
                    registry.append(entry)
        elif reads.kind == "service" and reads.service not in services:
            services.append(reads.service)
        elif reads.kind == "firewall_builtin" and reads.rule_name not in rules:
            rules.append(reads.rule_name)
        elif reads.kind == "group" and reads.sid not in groups:
            groups.append(reads.sid)
        elif reads.kind == "user_right" and reads.name not in rights:
            rights.append(reads.name)
    if REMOTE_DESKTOP_USERS_SID not in groups:
        groups.append(REMOTE_DESKTOP_USERS_SID)
    query = {
        "registry": registry,
        "services": services,
        "firewall_group": RDP_FIREWALL_GROUP,
        "firewall_rules": rules,
        "port": desired.port,
        "groups": groups,
        "user_rights": rights,
        "accounts": list(desired.users),
        "include_events": include_events,
    }
    if access_log_hours is not None:
        query["access_log_hours"] = access_log_hours
    return query
