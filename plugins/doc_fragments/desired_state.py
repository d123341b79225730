# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """The desired-state options shared by rdp.windows.audit and rdp.windows.remediate."""

    DOCUMENTATION = r"""
options:
  profile:
    description:
      - C(baseline) means RDP works. C(hardened) means RDP works and is locked down like the CIS and Microsoft
        baselines (adds encryption level, session time limits, CredSSP and stricter security layer).
      - Mirrors the role variable C(rdp_profile); validation messages name the variable.
    type: str
    choices: [baseline, hardened]
    default: baseline
  port:
    description: The RDP port (C(rdp_port)), 1 to 65535.
    type: int
    default: 3389
  nla_required:
    description: Whether Network Level Authentication is required (C(rdp_nla_required)). Must be true with C(hardened).
    type: bool
    default: true
  allowed_sources:
    description:
      - Remote addresses the RDP firewall rules accept (C(rdp_allowed_sources)); C(any), IP addresses, CIDR
        networks, ranges C(a-b) or firewall keywords such as C(LocalSubnet). Must not be empty.
    type: list
    elements: str
    default: [any]
  udp_enabled:
    description: Whether RDP over UDP is opened and marked too (C(rdp_udp_enabled)).
    type: bool
    default: true
  users:
    description: Accounts or groups that must be in Remote Desktop Users (S-1-5-32-555) (C(rdp_users)).
    type: list
    elements: str
    default: []
  users_exclusive:
    description: Whether Remote Desktop Users must hold nothing but C(users) (C(rdp_users_exclusive)).
    type: bool
    default: false
  qos_dscp:
    description: DSCP value (0-63) that marks RDP traffic, or null to not manage QoS (C(rdp_qos_dscp)).
    type: int
    default: 46
  max_outstanding_connections:
    description:
      - Minimum MaxOutstandingConnections (C(rdp_max_outstanding_connections)). Null (the default) only flags
        an explicit value below 50, and remediation removes it so the Windows default applies.
    type: int
  keep_alive_interval:
    description: Keep-alive interval in minutes (C(rdp_keep_alive_interval)), or null to not manage keep-alive.
    type: int
    default: 1
  idle_session_limit_ms:
    description: Longest idle-session limit in milliseconds for C(hardened) (C(rdp_idle_session_limit_ms)).
    type: int
    default: 900000
  disconnected_session_limit_ms:
    description: Longest disconnected-session limit in milliseconds for C(hardened) (C(rdp_disconnected_session_limit_ms)).
    type: int
    default: 60000
  fail_on_drift:
    description: Fail the host when it is not compliant (C(rdp_fail_on_drift)).
    type: bool
    default: false
  restart_service:
    description:
      - Whether remediation may restart TermService when a change needs it (C(rdp_restart_service)).
        Restarting disconnects RDP users (their sessions survive). The audit ignores it.
    type: bool
    default: false
  write_policy_keys:
    description:
      - Whether remediation may write the Group Policy registry location on hosts that are not domain-joined
        (C(rdp_write_policy_keys)). The audit ignores it.
    type: bool
    default: false
  controls_skip:
    description: Control ids reported as not applicable (C(rdp_controls_skip)).
    type: list
    elements: str
    default: []
  waivers:
    description:
      - Waivers in force (C(rdp_waivers)), each with C(control), C(hosts), C(reason), C(expires) and C(owner).
      - C(hosts) is a host name pattern, a group name, C(all) or a list of these; C(expires) is the last day
        (YYYY-MM-DD, UTC) the waiver applies. A failing control a waiver covers is reported C(waived) with the
        waiver; an expired waiver no longer applies and is flagged. See C(docs/reports.md).
    type: list
    elements: dict
    default: []
"""
