#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This is a documentation stub: rdp.windows.audit is an action plugin that runs on the controller.

DOCUMENTATION = r"""
module: audit
short_description: Audit a Windows host's RDP prerequisites in one round trip
description:
  - Reads the host once with M(rdp.windows.host_info) and evaluates every control of the chosen profile of the
    control catalogue on the controller.
  - Each control reports its status (C(pass), C(fail), C(waived), C(error), C(not_applicable)), the expected
    and actual value, where the actual value comes from (C(policy), C(local) or C(default)) and the fix.
  - Never changes the host. Fails the host only when O(fail_on_drift) is true.
  - An option the task does not give takes the value of the host's variable of the same name with the C(rdp_)
    prefix (O(port) from C(rdp_port)), and its default only when that is not set either. A task without options
    therefore audits each host with the desired state of its inventory, as C(playbooks/audit.yml) does.
version_added: 0.1.0
author:
  - rdp.windows contributors (@rdp-windows)
extends_documentation_fragment:
  - rdp.windows.desired_state
  - rdp.windows.attributes
  - rdp.windows.attributes.reads_once
options:
  facts:
    description:
      - Host facts already returned by M(rdp.windows.host_info); when given, the host is not read again.
    type: dict
  access_log_hours:
    description:
      - Review the RDP logons of the last this many hours (C(rdp_access_log_hours)), 1 to 8760, in the same
        round trip as the audit; null turns the review off. See C(docs/access-log.md).
      - The review reports findings (signs of password spraying or brute force); it never changes the host
        and never changes the host's compliance status.
    type: int
    default: 24
  access_log_max_events:
    description:
      - Most events read per event kind for the review (C(rdp_access_log_max_events)), 1 to 100000; the
        newest are read and the result says when the cap was reached.
    type: int
    default: 5000
  spray_failures_per_source:
    description:
      - Report a finding when one source (client address, or workstation name when Windows logged no address)
        has at least this many failed RDP logons in the window (C(rdp_spray_failures_per_source)).
    type: int
    default: 20
  spray_sources_per_account:
    description:
      - Report a finding when one account failed to log on over RDP from at least this many sources in the
        window (C(rdp_spray_sources_per_account)), 2 or more.
    type: int
    default: 5
attributes:
  check_mode:
    support: full
    description: The audit never changes anything, in check mode or not.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
seealso:
  - module: rdp.windows.host_info
  - module: rdp.windows.remediate
"""

EXAMPLES = r"""
- name: Audit RDP with the baseline profile
  rdp.windows.audit:
    users:
      - CONTOSO\rdp-admins
  register: rdp

- name: Audit with the hardened profile and a custom port, failing on drift
  rdp.windows.audit:
    profile: hardened
    port: 3390
    fail_on_drift: true
"""

RETURN = r"""
rdp_audit:
  description: The evaluation of the host.
  returned: always
  type: dict
  contains:
    status:
      description: C(compliant) or C(non_compliant).
      type: str
      sample: non_compliant
    profile:
      description: The profile evaluated.
      type: str
      sample: baseline
    counts:
      description: Number of controls per status.
      type: dict
      sample: {"pass": 24, "fail": 1, "waived": 0, "error": 0, "not_applicable": 3}
    controls:
      description:
        - One entry per control with C(id), C(title), C(area), C(cause), C(status), C(expected), C(actual),
          C(source), C(remediation) and C(reason), and C(waiver) for a waived control.
        - Why a control matters (its rationale) is in the control catalogue, not repeated for each host; see
          C(docs/controls.md).
      type: list
      elements: dict
    access_log:
      description:
        - The summary of RDP logons M(rdp.windows.host_info) made on the host (counts and top lists of accounts
          and source addresses), when O(access_log_hours) is set. Contains account names and addresses.
      type: dict
      returned: when access_log_hours is not null
    findings:
      description:
        - Access-log findings, each with C(id) (C(access.failures_from_source),
          C(access.account_from_many_sources), or C(info) notes C(access.log_cap_reached),
          C(access.log_unreadable), C(access.more_not_listed)), C(severity), C(message), C(evidence) and the
          C(thresholds) that triggered it. Reported, never acted on; they do not change C(status).
      type: list
      elements: dict
msg:
  description: One line saying whether the host is compliant and which controls fail.
  returned: always
  type: str
  sample: "non_compliant: 1 failing control(s): connections.allowed"
"""
