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
version_added: 0.1.0
author:
  - rdp.windows contributors
extends_documentation_fragment:
  - rdp.windows.desired_state
options:
  facts:
    description:
      - Host facts already returned by M(rdp.windows.host_info); when given, the host is not read again.
    type: dict
attributes:
  check_mode:
    support: full
    description: The audit never changes anything, in check mode or not.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
  platform:
    platforms: windows
    description: Windows Server 2016 to 2025, Windows 10 and 11.
  action:
    support: full
    description: Runs on the controller; the only call to the host is M(rdp.windows.host_info).
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
      description: One entry per control with C(id), C(title), C(area), C(cause), C(status), C(expected),
        C(actual), C(source), C(remediation), C(reason) and C(rationale).
      type: list
      elements: dict
msg:
  description: One line saying whether the host is compliant and which controls fail.
  returned: always
  type: str
  sample: "non_compliant: 1 failing control(s): connections.allowed"
"""
