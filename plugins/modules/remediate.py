#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This is a documentation stub: rdp.windows.remediate is an action plugin that runs on the controller.

DOCUMENTATION = r"""
module: remediate
short_description: Fix the failing RDP prerequisites of a Windows host, safely, and prove it
description:
  - Validates the desired state, reads the host once with M(rdp.windows.host_info), evaluates the control
    catalogue, plans the changes for the failing controls only, applies them one module call each, then reads
    the host again and evaluates it again.
  - Reports, per control, C(fixed), C(already_compliant), C(waived), C(skipped) (with why),
    C(managed_by_policy) (with the Group Policy setting to change), C(restart_pending) or C(failed) (with
    why). A control that still fails after its change is C(failed).
  - "Writes use M(ansible.windows.win_regedit), M(ansible.windows.win_service),
    M(ansible.windows.win_group_membership), M(ansible.windows.win_user_right), M(rdp.windows.firewall) and
    M(rdp.windows.qos_policy). WinRM is never touched."
  - "Order: firewall (a new port is opened before the listener moves), registry values, service start modes,
    service states, group members and user rights, QoS, and last one TermService restart when a change needs
    it and O(restart_service) is true. Otherwise the result says which controls wait for a restart."
  - A value set by Group Policy is never written locally; it is reported as C(managed_by_policy). See
    O(write_policy_keys) and C(docs/remediation.md).
  - If a step fails the run stops and the result lists the steps applied, the step that failed and the steps
    not attempted; a second run completes the job. If the connection is lost during a step, the result is
    unreachable and the step in flight is reported as unknown.
version_added: 0.1.0
author:
  - rdp.windows contributors (@rdp-windows)
extends_documentation_fragment:
  - rdp.windows.desired_state
  - rdp.windows.attributes
attributes:
  check_mode:
    support: full
    description:
      - Runs every planned step in check mode and reports what would change (C(would_fix)); the host is not
        read again. The changes reported by C(--check --diff) are the changes the first real run makes.
  diff_mode:
    support: full
    description: The diff is the list of the diffs of the steps that change something, one per step.
  action:
    support: full
    description: Runs on the controller; every read and write is one module call on the host.
notes:
  - Restarting TermService disconnects every RDP user (their sessions stay on the server). This is why
    O(restart_service) defaults to false; a port, LanAdapter or TLS change then reports C(restart_pending).
  - Unknown accounts in O(users) fail the task after the read and before any change.
seealso:
  - module: rdp.windows.audit
  - module: rdp.windows.firewall
  - module: rdp.windows.qos_policy
  - module: ansible.windows.win_regedit
  - module: ansible.windows.win_service
"""

EXAMPLES = r"""
- name: Fix the RDP prerequisites of a host, without restarting TermService
  rdp.windows.remediate:
    users:
      - CONTOSO\rdp-admins
  register: rdp_fix

- name: Move RDP to port 3390 and let remediation restart TermService once at the end
  rdp.windows.remediate:
    port: 3390
    allowed_sources:
      - 10.0.0.0/8
    restart_service: true
"""

RETURN = r"""
rdp_remediation:
  description: What the run did and what became of each control.
  returned: always
  type: dict
  contains:
    status:
      description:
        - The host's status after the run, the most serious first; C(unreachable), C(failed),
          C(managed_by_policy), C(incomplete), C(restart_pending), C(would_change) (check mode) or C(compliant).
      type: str
      sample: compliant
    changed:
      description: Whether a step changed the host (or would, in check mode).
      type: bool
    controls:
      description: One entry per control with C(id), C(title), C(outcome), C(why), and C(step) or C(policy).
      type: list
      elements: dict
    steps:
      description:
        - The planned module calls in order, each with C(index), C(controls), C(module), C(args), C(why),
          C(restart), C(phase), C(status) (C(changed), C(ok), C(failed), C(not_attempted), C(unknown)) and C(msg).
      type: list
      elements: dict
    applied:
      description: Indexes of the steps that ran.
      type: list
      elements: int
    failed_steps:
      description: Index of the step that failed, if one did.
      type: list
      elements: int
    in_flight:
      description: Index of the step that was running when the connection was lost; its effect is unknown.
      type: list
      elements: int
    not_attempted:
      description: Indexes of the steps that did not run because an earlier one failed.
      type: list
      elements: int
    restart:
      description: Whether a TermService restart was C(needed), C(allowed) and C(performed), and which controls are
        C(pending) because it was withheld.
      type: dict
    counts:
      description: Number of controls per outcome.
      type: dict
    round_trips:
      description: Module calls made on the host.
      type: int
    before:
      description: Audit status and counts before the run.
      type: dict
    after:
      description: Audit status and counts after the run (null in check mode or when nothing changed).
      type: dict
rdp_audit:
  description: The evaluation of the verify read, in the format of M(rdp.windows.audit).
  returned: when the host was read again
  type: dict
summary_lines:
  description: Readable lines for the playbook output.
  returned: always
  type: list
  elements: str
msg:
  description: One line with the status and the outcome counts.
  returned: always
  type: str
  sample: "compliant: 1 fixed, 27 already_compliant, 3 skipped"
"""
