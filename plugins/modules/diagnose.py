#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This is a documentation stub: rdp.windows.diagnose is an action plugin that runs on the controller.

DOCUMENTATION = r"""
module: diagnose
short_description: Find the most likely cause of an RDP connection failure from both ends
description:
  - Combines what a client sees (the result of M(rdp.windows.probe), or a probe it runs itself) with what the
    host says (one M(rdp.windows.host_info) round trip with recent events, SCHANNEL, CredSSP and certificate
    settings, evaluated against the control catalogue) into ranked findings.
  - Each finding names its cause (C(network), C(firewall), C(service), C(configuration), C(permissions) or
    C(compatibility)), its evidence from the client and from the host, and the fix, either the control
    M(rdp.windows.remediate) changes, the Group Policy setting to change, or a manual step outside the
    collection's reach (for example a firewall between the controller and the host).
  - Never changes the host. The format of the result is documented in C(docs/diagnose.md).
version_added: 0.2.0
author:
  - rdp.windows contributors (@rdp-windows)
extends_documentation_fragment:
  - rdp.windows.desired_state
  - rdp.windows.attributes
  - rdp.windows.attributes.reads_once
options:
  probe:
    description:
      - The registered result of M(rdp.windows.probe) for this host. When omitted, the action probes the host's
        RDP port itself (offering TLS and CredSSP, O(probe_timeout) per step).
    type: dict
  probe_timeout:
    description: Seconds per step when the action probes by itself.
    type: float
    default: 3.0
  facts:
    description: Host facts already returned by M(rdp.windows.host_info) (with events); the host is then not read.
    type: dict
attributes:
  check_mode:
    support: full
    description: Nothing is changed, in check mode or not.
  diff_mode:
    support: none
    description: Nothing changes.
seealso:
  - module: rdp.windows.probe
  - module: rdp.windows.host_info
  - module: rdp.windows.audit
"""

EXAMPLES = r"""
- name: Probe, then diagnose
  rdp.windows.probe:
  register: rdp_probe_result

- name: Rank the likely causes
  rdp.windows.diagnose:
    probe: "{{ rdp_probe_result }}"
    users: [CONTOSO\alice]
  register: rdp_diagnosis_result

- name: Show the most likely cause
  ansible.builtin.debug:
    msg: "{{ rdp_diagnosis_result.rdp_diagnosis.findings[0] }}"
"""

RETURN = r"""
rdp_diagnosis:
  description: The diagnosis of the host (see C(docs/diagnose.md)).
  returned: always
  type: dict
  contains:
    status:
      description: C(healthy), C(degraded) (warnings only), C(broken) (a critical finding) or C(unknown).
      type: str
      sample: broken
    client_symptom:
      description: What the probe saw, C(connected), C(dropped), C(refused), C(unreachable), C(dns),
        C(not_rdp), C(negotiation_refused), C(tls_failed), or null without a probe.
      type: str
      sample: dropped
    most_likely_cause:
      description: The cause of the first finding, null when healthy.
      type: str
      sample: firewall
    summary:
      description: One line, the most likely cause and its fix.
      type: str
    findings:
      description: Ranked findings, most likely first, each with C(rank), C(id), C(cause), C(title),
        C(severity), C(score), C(evidence) (C(client) and C(host) lists) and C(fix) (C(kind) control, policy,
        manual or none; C(controls); C(text)).
      type: list
      elements: dict
    probe:
      description: The main figures of the probe.
      type: dict
    audit:
      description: Status and counts of the catalogue evaluation, null when the host could not be read.
      type: dict
summary_lines:
  description: Lines to show, the summary and the leading findings.
  returned: always
  type: list
  elements: str
msg:
  description: The summary line.
  returned: always
  type: str
"""
